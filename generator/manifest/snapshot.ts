// Reference snapshots of a series: the lists a checkout of it yields (core sources, modules,
// frozen modules, pyconfig.h.in macros), stored as cpython-manifests/snapshots/<X.Y>.json.
// `manifest new` compares a new checkout against the snapshot of the nearest series, since the
// nearest series' tree itself is not at hand; `manifest snapshot <checkout>` writes one.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CpmError, ExitCode } from '../errors.js';
import { expandVariable, objectsToSources } from '../scan/makefile.js';
import type { ScanResult } from '../scan/types.js';
import { compareSeries } from './select.js';
import type { Manifest } from './types.js';

/** <repo>/cpython-manifests/snapshots (the sources, not dist: JSON is not compiled). */
export const snapshotsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../cpython-manifests/snapshots');

export interface Snapshot {
  /** "3.13" */
  series: string;
  /** The release the snapshot was taken from, e.g. "3.13.15". */
  version: string;
  /** Core sources: the manifest's library object list (without the module step's objects) plus conditional objects. */
  sources: string[];
  /** Modules: active Setup lines (not in *disabled*), modules whose Setup line the manifest supplies, and config.c.in's. */
  modules: string[];
  /** Frozen modules: FROZEN of freeze_modules.py plus the manifest's extra ones (getpath). */
  frozen: string[];
  /** pyconfig.h.in macros. */
  macros: string[];
}

export const SNAPSHOT_LISTS = ['sources', 'modules', 'frozen', 'macros'] as const;
export type SnapshotList = (typeof SNAPSHOT_LISTS)[number];

/** Section titles of a snapshot diff, as `manifest new` prints them. */
export const SNAPSHOT_TITLES: Record<SnapshotList, string> = {
  sources: 'core sources',
  modules: 'modules',
  frozen: 'frozen modules',
  macros: 'pyconfig.h macros',
};

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortedUnique = (items: Iterable<string>): string[] => [...new Set(items)].sort(byCodePoint);

/** Setup modules that count: active lines outside *disabled* / *noconfig*. */
export function activeSetupModules(scan: ScanResult): string[] {
  return scan.setup.flatMap((s) => s.modules.filter((m) => m.section !== 'disabled' && m.section !== 'noconfig').map((m) => m.name));
}

/** The core sources the manifest makes of the checkout's Makefile.pre.in. */
export function coreSources(scan: ScanResult, manifest: Manifest): string[] {
  const spec = manifest.core;
  const objects = expandVariable(scan.makefile, spec.libraryObjectsVar, { substitutions: spec.substitutions, stopAt: spec.moduleVars });
  return [...objectsToSources(objects, spec.sourceOverrides), ...spec.conditionalObjects.map((c) => c.source)];
}

export function takeSnapshot(scan: ScanResult, manifest: Manifest): Snapshot {
  const supplied = Object.entries(manifest.modules)
    .filter(([, spec]) => spec.sources && !spec.never)
    .map(([name]) => name);
  return {
    series: `${scan.version.major}.${scan.version.minor}`,
    version: scan.version.full,
    sources: sortedUnique(coreSources(scan, manifest)),
    modules: sortedUnique([...activeSetupModules(scan), ...supplied, ...scan.configCInModules]),
    frozen: sortedUnique([...scan.frozen.map((f) => f.name), ...manifest.frozen.extra.map((f) => f.name)]),
    macros: sortedUnique(scan.pyconfig.macros.map((m) => m.name)),
  };
}

/** Stable JSON: fixed key order, one list item per line, trailing newline. */
export function formatSnapshot(s: Snapshot): string {
  const ordered: Snapshot = { series: s.series, version: s.version, sources: s.sources, modules: s.modules, frozen: s.frozen, macros: s.macros };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function isSnapshot(v: unknown): v is Snapshot {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.series === 'string' &&
    typeof o.version === 'string' &&
    SNAPSHOT_LISTS.every((k) => Array.isArray(o[k]) && (o[k] as unknown[]).every((x) => typeof x === 'string'))
  );
}

export function readSnapshotFile(file: string): Snapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CpmError(`cannot read the snapshot (${err instanceof Error ? err.message : String(err)})`, { file });
  }
  if (!isSnapshot(parsed)) throw new CpmError('malformed snapshot: expected series, version, sources, modules, frozen and macros', { file });
  return parsed;
}

/** The series of the snapshots stored in `dir` (files named like "3.13.json"), sorted. */
export function listSnapshots(dir: string = snapshotsDir): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^\d+\.\d+\.json$/.test(n))
    .map((n) => n.slice(0, -'.json'.length))
    .sort(compareSeries);
}

/**
 * The stored snapshot to compare `series` against: the one of `preferred` (the nearest
 * manifest's series) when it exists, else the snapshot of the series nearest to `series`.
 * Never `series` itself.
 */
export function nearestSnapshot(series: string, preferred: string, dir: string = snapshotsDir): { file: string; snapshot: Snapshot } | null {
  const available = listSnapshots(dir).filter((s) => s !== series);
  let pick: string | undefined = available.includes(preferred) ? preferred : undefined;
  if (!pick) {
    for (const s of available) {
      if (pick === undefined || Math.abs(compareSeries(s, series)) < Math.abs(compareSeries(pick, series))) pick = s;
    }
  }
  if (!pick) return null;
  const file = path.join(dir, `${pick}.json`);
  return { file, snapshot: readSnapshotFile(file) };
}

/** Writes a snapshot atomically; returns whether the file changed. */
export function writeSnapshot(file: string, s: Snapshot): 'created' | 'updated' | 'unchanged' {
  const text = formatSnapshot(s);
  let old: string | null = null;
  try {
    old = readFileSync(file, 'utf8');
  } catch {
    old = null;
  }
  if (old === text) return 'unchanged';
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (err) {
    throw new CpmError(`cannot write the snapshot (${err instanceof Error ? err.message : String(err)})`, { file, exitCode: ExitCode.refused });
  }
  return old === null ? 'created' : 'updated';
}

export interface ListDiff {
  added: string[];
  removed: string[];
}

export type SnapshotDiff = Record<SnapshotList, ListDiff>;

export function diffSnapshots(from: Snapshot, to: Snapshot): SnapshotDiff {
  const diff = (a: string[], b: string[]): ListDiff => {
    const sa = new Set(a);
    const sb = new Set(b);
    return { added: b.filter((x) => !sa.has(x)), removed: a.filter((x) => !sb.has(x)) };
  };
  return {
    sources: diff(from.sources, to.sources),
    modules: diff(from.modules, to.modules),
    frozen: diff(from.frozen, to.frozen),
    macros: diff(from.macros, to.macros),
  };
}

/** The diff as indented report lines, one section per list ("core sources: 3 new, 1 removed" + items). */
export function formatSnapshotDiff(d: SnapshotDiff): string[] {
  const lines: string[] = [];
  for (const key of SNAPSHOT_LISTS) {
    const { added, removed } = d[key];
    if (added.length === 0 && removed.length === 0) {
      lines.push(`  ${SNAPSHOT_TITLES[key]}: no change`);
      continue;
    }
    lines.push(`  ${SNAPSHOT_TITLES[key]}: ${added.length} new, ${removed.length} removed`);
    for (const x of added) lines.push(`    + ${x}`);
    for (const x of removed) lines.push(`    - ${x}`);
  }
  return lines;
}
