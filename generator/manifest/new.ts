// `cpython-meson manifest new <checkout>`: starts the manifest of a CPython series that has none.
//
// 1. Scans the checkout and starts from the nearest series' manifest (nearestManifest).
// 2. Adjusts what the scan tells: series and range, where freeze_modules.py lives, the Setup files
//    with module lines, include directories that exist, configure substitutions the object lists
//    use, deepfreeze (DEEPFREEZE_OBJS), conditional objects whose source exists, module entries for
//    modules the checkout has (taken from the nearest manifest that knows them), Setup lines of
//    modules that only a commented-out line describes (3.11), -I directories that exist, and the
//    dependencies those modules use.
// 3. Writes cpython-manifests/<X.Y>.ts with ts-morph, in the shape the series manifests have:
//    `{ ...baseManifest, series, range, status, <what differs from the common base> }`.
// 4. Writes the checkout's snapshot (cpython-manifests/snapshots/<X.Y>.json) and prints what changed
//    against the nearest series' snapshot (core sources, modules, frozen modules, pyconfig.h macros),
//    what it adjusted in the manifest, and what needs a human.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import semver from 'semver';
import { IndentationText, Project, QuoteKind, VariableDeclarationKind } from 'ts-morph';
import { CpmError, ExitCode } from '../errors.js';
import { buildModel } from '../model/build-model.js';
import { detectCheckout, findFreezeModules, scanCheckout } from '../scan/checkout.js';
import { expandVariable, objectsToSources } from '../scan/makefile.js';
import { readVersion } from '../scan/patchlevel.js';
import { parseSetup } from '../scan/setup.js';
import type { ParsedMakefile, ScanResult } from '../scan/types.js';
import { compareSeries, loadManifests, manifestsDir as defaultManifestsDir, nearestManifest } from './select.js';
import {
  activeSetupModules,
  coreSources,
  diffSnapshots,
  formatSnapshotDiff,
  nearestSnapshot,
  readSnapshotFile,
  snapshotsDir as defaultSnapshotsDir,
  takeSnapshot,
  writeSnapshot,
} from './snapshot.js';
import type { DependencySpec, Manifest, ModuleSpec } from './types.js';

/** The repository root (dist/generator/manifest -> three levels up). */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Where series manifests are written and common/base.ts lives (sources, not dist). */
export const manifestSourcesDir = path.join(repoRoot, 'cpython-manifests');
const manifestTypesFile = path.join(repoRoot, 'generator/manifest/types.ts');

export interface NewManifestOptions {
  checkout: string;
  /** Output file; default <repo>/cpython-manifests/<X.Y>.ts. */
  out?: string;
  /** Overwrite an existing output file, and write a manifest even if one covers the version. */
  force?: boolean;
  /** Compiled manifests to start from (default dist/cpython-manifests). */
  manifestsDir?: string;
  /** Where snapshots are read and the new one is written (default <repo>/cpython-manifests/snapshots). */
  snapshotsDir?: string;
  /** Directory holding common/base.ts, for the import of the written file (default <repo>/cpython-manifests). */
  sourcesDir?: string;
}

export interface NewManifestResult {
  manifest: Manifest;
  /** Series of the manifest it started from. */
  nearest: string;
  file: string;
  /** The TypeScript source written. */
  source: string;
  snapshotFile: string;
  /** The report, one line each. */
  lines: string[];
}

/** What deriveManifest changed or could not decide. */
export interface Derivation {
  manifest: Manifest;
  /** "paths.freezeModules: a -> b" and the like. */
  adjustments: string[];
  /** Things a human must look at. */
  review: string[];
  /** Modules of the checkout's Setup files that have no manifest entry (most need none). */
  withoutEntry: string[];
  /** The scan restricted to the manifest's Setup files (what generate would read). */
  scan: ScanResult;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function seriesOf(v: { major: number; minor: number }): string {
  return `${v.major}.${v.minor}`;
}

export function seriesRange(series: string): string {
  const [major = 0, minor = 0] = series.split('.').map(Number);
  return `>=${major}.${minor}.0-0 <${major}.${minor + 1}.0-0`;
}

/** Manifests by distance from `series` (nearest first, older first on ties). */
function byDistance(manifests: Manifest[], series: string): Manifest[] {
  return [...manifests].sort(
    (a, b) => Math.abs(compareSeries(a.series, series)) - Math.abs(compareSeries(b.series, series)) || compareSeries(a.series, b.series),
  );
}

/** Merges ordered lists, keeping each list's relative order (first list wins). */
function mergeOrdered(lists: string[][]): string[] {
  const out: string[] = [];
  for (const list of lists) {
    let at = 0;
    for (const item of list) {
      const i = out.indexOf(item);
      if (i >= 0) {
        at = i + 1;
      } else {
        out.splice(at, 0, item);
        at++;
      }
    }
  }
  return out;
}

/** Configure substitutions (@NAME@ and unassigned $(NAME)) the object lists rooted at `roots` use. */
function referencedSubstitutions(mf: ParsedMakefile, roots: string[], stopAt: string[]): string[] {
  const seen = new Set<string>();
  const subs = new Set<string>();
  const visit = (v: string): void => {
    if (seen.has(v) || stopAt.includes(v)) return;
    seen.add(v);
    const raw = mf.variables[v];
    if (raw === undefined) {
      subs.add(v);
      return;
    }
    for (const m of raw.matchAll(/@([A-Za-z_][A-Za-z0-9_]*)@/g)) if (m[1]) subs.add(m[1]);
    for (const m of raw.matchAll(/\$[({]([A-Za-z_][A-Za-z0-9_]*)(?::[^)}]*)?[)}]/g)) if (m[1]) visit(m[1]);
  };
  for (const r of roots) visit(r);
  return [...subs];
}

/** Module lines that only a commented-out Setup line describes ("#@MODULE__CTYPES_TRUE@_ctypes ..."). */
function commentedSetupModules(root: string, files: string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const lines = text
      .split(/\r?\n/)
      .map((l) => /^#\s*(@MODULE_[A-Za-z0-9_]+_TRUE@\S.*)$/.exec(l)?.[1])
      .filter((l): l is string => l !== undefined);
    if (lines.length === 0) continue;
    try {
      for (const m of parseSetup(file, lines.join('\n')).modules) if (!found.has(m.name)) found.set(m.name, m.sources);
    } catch {
      // A commented line that is not a valid module line is just a comment.
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Deriving the new manifest

/**
 * core.systemArgs with WASI's stack size and initial memory as the checkout's configure.ac links
 * them (LDFLAGS_NODIST: -z stack-size=N -Wl,--stack-first -Wl,--initial-memory=M); unchanged
 * when configure.ac does not say.
 */
function wasiMemory(root: string, systemArgs: Manifest['core']['systemArgs']): Manifest['core']['systemArgs'] {
  const wasi = systemArgs?.['wasi'];
  const file = path.join(root, 'configure.ac');
  if (!wasi || !existsSync(file)) return systemArgs;
  const m = /-z stack-size=(\d+) -Wl,--stack-first -Wl,--initial-memory=(\d+)/.exec(readFileSync(file, 'utf8'));
  if (!m) return systemArgs;
  const linkArgs = [`-Wl,-z,stack-size=${m[1]}`, '-Wl,--stack-first', `-Wl,--initial-memory=${m[2]}`];
  return { ...systemArgs, wasi: { ...wasi, linkArgs } };
}

/**
 * The manifest for the scanned checkout, starting from `nearest` and adjusted to what the scan
 * tells. `known` are the other manifests (and the common base, series "base") entries may
 * come from, nearest first.
 */
export function deriveManifest(
  scan: ScanResult,
  nearest: Manifest,
  known: Manifest[],
  series: string,
  opts: { nearestModules?: ReadonlySet<string> } = {},
): Derivation {
  const root = scan.root;
  const mf = scan.makefile;
  const adjustments: string[] = [];
  const review: string[] = [];
  const note = (what: string, from: unknown, to: unknown): void => {
    if (!deepEqual(from, to)) adjustments.push(`${what}: ${JSON.stringify(from)} -> ${JSON.stringify(to)}`);
  };
  const exists = (rel: string): boolean => existsSync(path.join(root, rel));

  // paths: where the scanner found freeze_modules.py, the Setup files that have module lines.
  const freezeModules = findFreezeModules(root, nearest.paths.freezeModules);
  const activeSetup = scan.setup.filter((s) => s.modules.some((m) => m.section !== 'disabled' && m.section !== 'noconfig'));
  const setupFiles = activeSetup.map((s) => s.file);
  if (!exists(nearest.paths.configCIn)) review.push(`${nearest.paths.configCIn} does not exist: set paths.configCIn`);
  const paths = { ...nearest.paths, freezeModules, setupFiles };
  note('paths.freezeModules', nearest.paths.freezeModules, freezeModules);
  note('paths.setupFiles', nearest.paths.setupFiles, setupFiles);
  const scoped: ScanResult = { ...scan, setup: activeSetup };

  // modules: entries for the modules this checkout has.
  const inSetup = new Set(activeSetupModules(scoped));
  const commented = commentedSetupModules(root, scan.setup.map((s) => s.file));
  const hasDir = (arg: string): boolean => {
    const m = /^-I\$\(srcdir\)\/(.+)$/.exec(arg);
    return !m?.[1] || isDir(path.join(root, m[1]));
  };
  const fitModule = (name: string, spec: ModuleSpec): ModuleSpec | null => {
    let out: ModuleSpec = { ...spec };
    if (inSetup.has(name)) {
      if (out.sources) {
        delete out.sources;
        adjustments.push(`modules.${name}.sources: dropped (a Setup file lists ${name} now)`);
      }
    } else if (!spec.never) {
      const supplied = spec.sources && spec.sources.every((s) => exists(`Modules/${s}`));
      if (!supplied) {
        const fromComment = commented.get(name);
        if (!fromComment) return null;
        out = { ...out, sources: fromComment };
        adjustments.push(`modules.${name}.sources: from the commented-out Setup line (${fromComment.join(' ')})`);
        review.push(`${name} has only a commented-out Setup line (setup.py builds it): check setup.py for its flags (modules.${name}.cArgs)`);
      }
    }
    if (out.cArgs) {
      const kept = out.cArgs.filter(hasDir);
      if (kept.length !== out.cArgs.length) {
        adjustments.push(`modules.${name}.cArgs: dropped ${out.cArgs.filter((a) => !hasDir(a)).join(' ')} (no such directory)`);
        if (kept.length > 0) out.cArgs = kept;
        else delete out.cArgs;
      }
    }
    if (Object.values(out).every((v) => v === undefined)) {
      adjustments.push(`modules.${name}: entry dropped (nothing left to say)`);
      return null;
    }
    return out;
  };
  const modules: Record<string, ModuleSpec> = {};
  const dropped: string[] = [];
  const others = known.filter((k) => k !== nearest);
  for (const [name, nearestSpec] of Object.entries(nearest.modules)) {
    // An entry that supplies the Setup line (3.11's setup.py modules) carries setup.py's flags; once a
    // Setup file lists the module, the entry of a manifest that reads it from a Setup file fits better.
    const alt = nearestSpec.sources && inSetup.has(name) ? others.find((k) => k.modules[name] && !k.modules[name].sources) : undefined;
    const spec = alt?.modules[name] ?? nearestSpec;
    if (alt) adjustments.push(`modules.${name}: taken from the ${alt.series} manifest (a Setup file lists it now)`);
    const fitted = fitModule(name, spec);
    if (fitted) {
      modules[name] = fitted;
    } else {
      dropped.push(name);
    }
  }
  if (dropped.length > 0) adjustments.push(`modules: dropped ${dropped.join(', ')} (no Setup file of the checkout lists them)`);
  // A module the nearest manifest has no entry for gets the common base's entry. Only a module the
  // nearest series lacks (per its stored snapshot) may take another series' entry: the nearest
  // series having it without an entry means it needs none (3.14's HACL* _blake2 is no model for 3.13).
  const candidates = [...new Set([...inSetup, ...commented.keys()])].filter((n) => !Object.hasOwn(modules, n)).sort(byCodePoint);
  const baseManifestOf = others.filter((k) => k.series === 'base');
  for (const name of candidates) {
    const isNew = opts.nearestModules !== undefined && !opts.nearestModules.has(name);
    const from = (isNew ? others : baseManifestOf).find((k) => Object.hasOwn(k.modules, name));
    const spec = from?.modules[name];
    if (!from || !spec) continue;
    if (!inSetup.has(name) && !spec.sources && !commented.has(name)) continue;
    const fitted = fitModule(name, spec);
    if (!fitted) continue;
    modules[name] = fitted;
    adjustments.push(`modules.${name}: taken from the ${from.series} manifest`);
  }
  const withoutEntry = [...inSetup].filter((n) => !Object.hasOwn(modules, n)).sort(byCodePoint);

  // dependencies: the nearest's, minus bundled copies the checkout lacks and libraries only dropped modules used,
  // plus those of modules taken from other manifests.
  const used = (specs: Iterable<ModuleSpec>): Set<string> =>
    new Set([...specs].flatMap((s) => [...(s.deps ?? []), ...Object.keys(s.optionalDeps ?? {}), ...Object.values(s.depChoice?.choices ?? {})]));
  const usedNow = used(Object.values(modules));
  const usedBefore = used(Object.values(nearest.modules));
  const dependencies: Record<string, DependencySpec> = {};
  const droppedDeps: string[] = [];
  // What the surviving libraries need to link (gdbm_compat -> gdbm) counts as used.
  for (const [name, dep] of Object.entries(nearest.dependencies)) {
    if (usedNow.has(name)) for (const r of dep.requires ?? []) usedNow.add(r);
  }
  for (const [name, dep] of Object.entries(nearest.dependencies)) {
    const bundledMissing = dep.bundled && mf.variables[dep.bundled.objectsVar] === undefined;
    const orphaned = usedBefore.has(name) && !usedNow.has(name);
    if (bundledMissing || orphaned) droppedDeps.push(`${name} (${bundledMissing ? `no ${dep.bundled?.objectsVar} in Makefile.pre.in` : 'no module uses it'})`);
    else dependencies[name] = dep;
  }
  if (droppedDeps.length > 0) adjustments.push(`dependencies: dropped ${droppedDeps.join(', ')}`);
  for (const name of [...usedNow].sort(byCodePoint)) {
    if (Object.hasOwn(dependencies, name)) continue;
    const from = [nearest, ...others].find((k) => Object.hasOwn(k.dependencies, name));
    const dep = from?.dependencies[name];
    if (from && dep && !(dep.bundled && mf.variables[dep.bundled.objectsVar] === undefined)) {
      dependencies[name] = dep;
      adjustments.push(`dependencies.${name}: taken from the ${from.series} manifest`);
    } else {
      review.push(`dependency ${name} is used by a module but no manifest describes it (or its bundled copy is missing)`);
    }
  }
  review.push(`dependency versions and system/bundled defaults are the ${nearest.series} manifest's: check them against configure.ac`);
  // Modules whose deps did not survive would fail at setup: say so.
  for (const [name, spec] of Object.entries(modules)) {
    const missing = (spec.deps ?? []).filter((d) => !Object.hasOwn(dependencies, d));
    if (missing.length > 0) review.push(`module ${name} needs ${missing.join(', ')}, which the manifest does not describe`);
  }

  // core: include directories that exist, substitutions the object lists use, deepfreeze.
  const nc = nearest.core;
  const includeDirs = mergeOrdered([nc.includeDirs, ...others.map((k) => k.core.includeDirs)]).filter((d) => isDir(path.join(root, d)));
  note('core.includeDirs', nc.includeDirs, includeDirs);
  const roots = [nc.libraryObjectsVar, ...Object.values(dependencies).flatMap((d) => (d.bundled ? [d.bundled.objectsVar] : []))];
  const needed = referencedSubstitutions(mf, roots, nc.moduleVars);
  const substitutions: Record<string, string> = {};
  for (const [k, v] of Object.entries(nc.substitutions)) if (needed.includes(k)) substitutions[k] = v;
  for (const k of needed.sort(byCodePoint)) {
    if (Object.hasOwn(substitutions, k)) continue;
    const from = others.find((o) => Object.hasOwn(o.core.substitutions, k));
    substitutions[k] = from?.core.substitutions[k] ?? '';
    review.push(`core.substitutions.${k} = ${JSON.stringify(substitutions[k])}${from ? ` (from the ${from.series} manifest)` : ''}: check configure.ac's value for Linux`);
  }
  note('core.substitutions', nc.substitutions, substitutions);
  const conditionalObjects = [];
  const seenObjects = new Set<string>();
  for (const k of [nearest, ...others]) {
    for (const c of k.core.conditionalObjects) {
      if (seenObjects.has(c.object) || !exists(c.source)) continue;
      seenObjects.add(c.object);
      conditionalObjects.push(c);
    }
  }
  note('core.conditionalObjects', nc.conditionalObjects.map((c) => c.object), conditionalObjects.map((c) => c.object));
  let deepfreeze: Manifest['core']['programs']['deepfreeze'] = null;
  if (mf.variables.DEEPFREEZE_OBJS !== undefined) {
    const objects = expandVariable(mf, 'DEEPFREEZE_OBJS', { substitutions, stopAt: [] });
    const output = objectsToSources(objects, {})[0];
    if (output) deepfreeze = { script: `${path.posix.dirname(freezeModules)}/deepfreeze.py`, output };
    if (deepfreeze && !exists(deepfreeze.script)) review.push(`${deepfreeze.script} does not exist: set core.programs.deepfreeze.script`);
  }
  note('core.programs.deepfreeze', nc.programs.deepfreeze, deepfreeze);
  for (const [what, rel] of Object.entries({ python: nc.programs.python, freezeModule: nc.programs.freezeModule, getpathNoop: nc.programs.getpathNoop })) {
    if (!exists(rel)) review.push(`core.programs.${what}: ${rel} does not exist`);
  }
  for (const v of [nc.bootstrapObjectsVar, nc.libraryObjectsVar]) {
    if (mf.variables[v] === undefined) review.push(`Makefile.pre.in has no ${v}: set core.bootstrapObjectsVar/libraryObjectsVar`);
  }
  const systemArgs = wasiMemory(root, nc.systemArgs);
  note('core.systemArgs', nc.systemArgs, systemArgs);
  const core = { ...nc, substitutions, conditionalObjects, includeDirs, programs: { ...nc.programs, deepfreeze }, systemArgs };
  let sources: string[] = [];
  try {
    sources = coreSources(scoped, { ...nearest, core });
  } catch (err) {
    review.push(`the core object lists do not expand: ${err instanceof CpmError ? err.oneLine() : String(err)}`);
  }
  const sourceArgs = Object.fromEntries(Object.entries(nc.sourceArgs).filter(([src]) => sources.includes(src)));
  note('core.sourceArgs', Object.keys(nc.sourceArgs), Object.keys(sourceArgs));
  const sourceOverrides = Object.fromEntries(Object.entries(nc.sourceOverrides).filter(([, src]) => exists(src)));
  note('core.sourceOverrides', nc.sourceOverrides, sourceOverrides);

  // frozen: extra frozen modules whose source exists.
  const extra = nearest.frozen.extra.filter((f) => exists(f.source));
  note('frozen.extra', nearest.frozen.extra.map((f) => f.name), extra.map((f) => f.name));

  const manifest: Manifest = {
    series,
    range: seriesRange(series),
    status: 'generated-only',
    paths,
    core: { ...core, sourceArgs, sourceOverrides },
    frozen: { ...nearest.frozen, extra },
    pyconfig: nearest.pyconfig,
    dependencies,
    modules,
  };
  return { manifest, adjustments, review, withoutEntry, scan: scoped };
}

// ---------------------------------------------------------------------------------------------
// Writing the TypeScript source

/** Sections diffed against the common base key by key; anything else is written whole. */
const INTERFACE_PATHS = new Set(['', 'paths', 'core', 'core.programs', 'frozen', 'pyconfig']);
/** Records (string keys) the base has: written as `{ ...without(base, removed), changed }`. */
const RECORD_PATHS = new Set([
  'dependencies',
  'modules',
  'core.substitutions',
  'core.sourceArgs',
  'core.sourceOverrides',
  'pyconfig.checks',
  'pyconfig.undefined',
]);

function tsString(s: string): string {
  if (s.includes('\n') && !/[`$\\]/.test(s)) return `\`${s}\``;
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

function tsKey(k: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : tsString(k);
}

function access(base: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${base}.${key}` : `${base}[${tsString(key)}]`;
}

/** A TypeScript literal for JSON-like data; short flat arrays stay on one line. */
export function tsLiteral(v: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (v === null) return 'null';
  if (typeof v === 'string') return tsString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const items = v.map((x) => tsLiteral(x, inner));
    const flat = `[${items.join(', ')}]`;
    if (flat.length <= 100 && !flat.includes('\n') && v.every((x) => typeof x !== 'object' || x === null)) return flat;
    return `[\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}]`;
  }
  if (isPlainObject(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, x]) => `${inner}${tsKey(k)}: ${tsLiteral(x, inner)},`).join('\n')}\n${indent}}`;
  }
  throw new CpmError(`cannot write ${typeof v} into a manifest`);
}

interface WriteState {
  usesWithout: boolean;
}

/**
 * `value` as an expression refining `base` (reachable as `baseExpr`): a spread of the base plus the
 * entries that differ, for the interface sections and records of a manifest; a literal otherwise.
 */
function refine(value: unknown, base: unknown, baseExpr: string, at: string, indent: string, st: WriteState): string {
  const inner = `${indent}  `;
  const isInterface = INTERFACE_PATHS.has(at);
  const isRecord = RECORD_PATHS.has(at);
  if ((!isInterface && !isRecord) || !isPlainObject(value) || !isPlainObject(base)) return tsLiteral(value, indent);
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  const kept = keys.filter((k) => Object.hasOwn(base, k) && deepEqual(value[k], base[k]));
  if (kept.length === 0 && keys.length > 0) return tsLiteral(value, indent);
  const removed = Object.keys(base).filter((k) => base[k] !== undefined && !keys.includes(k));
  if (removed.length > 0 && !isRecord) return tsLiteral(value, indent);
  const lines: string[] = [];
  if (removed.length > 0) {
    st.usesWithout = true;
    const dropped = `without(${baseExpr}, ${removed.map(tsString).join(', ')})`;
    if (kept.length === keys.length) return dropped;
    lines.push(`...${dropped},`);
  } else {
    lines.push(`...${baseExpr},`);
  }
  for (const k of keys) {
    if (kept.includes(k)) continue;
    const sub = at === '' ? k : `${at}.${k}`;
    const expr = Object.hasOwn(base, k) ? refine(value[k], base[k], access(baseExpr, k), sub, inner, st) : tsLiteral(value[k], inner);
    lines.push(`${tsKey(k)}: ${expr},`);
  }
  return `{\n${lines.map((l) => `${inner}${l}`).join('\n')}\n${indent}}`;
}

function importSpecifier(fromDir: string, target: string): string {
  let rel = path.relative(fromDir, target).split(path.sep).join('/').replace(/\.ts$/, '.js');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}

/** The manifest as a TypeScript module refining `base`, formatted by ts-morph. */
export function manifestSource(
  m: Manifest,
  base: Omit<Manifest, 'series' | 'range' | 'status'>,
  opts: { file: string; sourcesDir: string; header: string[] },
): string {
  const st: WriteState = { usesWithout: false };
  const identity = { series: m.series, range: m.range, status: m.status };
  const rest: Record<string, unknown> = { paths: m.paths, core: m.core, frozen: m.frozen, pyconfig: m.pyconfig, dependencies: m.dependencies, modules: m.modules };
  const lines = ['...baseManifest,', ...Object.entries(identity).map(([k, v]) => `${k}: ${tsString(v)},`)];
  for (const [k, v] of Object.entries(rest)) {
    const b = (base as Record<string, unknown>)[k];
    if (deepEqual(v, b)) continue;
    lines.push(`${k}: ${refine(v, b, `baseManifest.${k}`, k, '  ', st)},`);
  }
  const initializer = `{\n${lines.map((l) => `  ${l}`).join('\n')}\n}`;

  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single },
  });
  const dir = path.dirname(opts.file);
  const sf = project.createSourceFile(path.basename(opts.file), '', { overwrite: true });
  sf.addImportDeclaration({ isTypeOnly: true, namedImports: ['Manifest'], moduleSpecifier: importSpecifier(dir, manifestTypesFile) });
  sf.addImportDeclaration({
    namedImports: st.usesWithout ? ['baseManifest', 'without'] : ['baseManifest'],
    moduleSpecifier: importSpecifier(dir, path.join(opts.sourcesDir, 'common/base.ts')),
  });
  sf.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name: 'manifest', type: 'Manifest', initializer }],
  });
  sf.addExportAssignment({ isExportEquals: false, expression: 'manifest' });
  sf.insertStatements(0, opts.header.map((l) => `// ${l}`).join('\n'));
  sf.formatText({ indentSize: 2, convertTabsToSpaces: true });
  return sf.getFullText();
}

// ---------------------------------------------------------------------------------------------
// The command

async function loadBase(dir: string): Promise<Manifest | null> {
  const file = path.join(dir, 'common/base.js');
  if (!existsSync(file)) return null;
  const mod = (await import(pathToFileURL(file).href)) as { baseManifest?: Omit<Manifest, 'series' | 'range' | 'status'> };
  if (!mod.baseManifest) return null;
  return { ...mod.baseManifest, series: 'base', range: '*', status: 'generated-only' };
}

export async function newManifest(opts: NewManifestOptions): Promise<NewManifestResult> {
  const root = detectCheckout(opts.checkout);
  const version = readVersion(root);
  const series = seriesOf(version);
  const mdir = opts.manifestsDir ?? defaultManifestsDir;
  const sdir = opts.snapshotsDir ?? defaultSnapshotsDir;
  const sourcesDir = opts.sourcesDir ?? manifestSourcesDir;
  const file = path.resolve(opts.out ?? path.join(sourcesDir, `${series}.ts`));

  const all = await loadManifests(mdir);
  const covering = all.find((m) => semver.satisfies(version.semver, m.range, { includePrerelease: true }));
  if (covering && !opts.force) {
    throw new CpmError(
      `CPython ${version.full} is already covered by the ${covering.series} manifest (${covering.range}); a patch release needs no new manifest (--force writes one anyway)`,
      { file: path.join(root, 'Include/patchlevel.h') },
    );
  }
  if (existsSync(file) && !opts.force) {
    throw new CpmError('exists; use --force to overwrite it', { file, exitCode: ExitCode.refused });
  }
  const others = all.filter((m) => m.series !== series);
  const nearest = nearestManifest(others, series);
  if (!nearest) throw new CpmError('no manifest to start from (expected compiled series manifests such as 3.13.js)', { file: mdir });

  const scan = scanCheckout(root, { freezeModules: nearest.paths.freezeModules, setupFiles: [], configCIn: nearest.paths.configCIn });
  const base = await loadBase(mdir);
  const known = [...byDistance(others, series), ...(base ? [base] : [])];
  const nearestSnapshotFile = path.join(sdir, `${nearest.series}.json`);
  const nearestModules = existsSync(nearestSnapshotFile) ? new Set(readSnapshotFile(nearestSnapshotFile).modules) : undefined;
  const d = deriveManifest(scan, nearest, known, series, { nearestModules });

  // Would `generate` accept it?
  const check: string[] = [];
  try {
    const { warnings } = buildModel(d.scan, d.manifest);
    for (const w of warnings) check.push(w);
  } catch (err) {
    d.review.push(`generate would fail: ${err instanceof CpmError ? err.oneLine() : String(err)}`);
  }

  const baseForSource = base ?? { paths: nearest.paths, core: nearest.core, frozen: nearest.frozen, pyconfig: nearest.pyconfig, dependencies: nearest.dependencies, modules: nearest.modules };
  const source = manifestSource(d.manifest, baseForSource, {
    file,
    sourcesDir,
    header: [
      `CPython ${series}.x: written by \`cpython-meson manifest new\` from CPython ${version.full},`,
      `starting from the ${nearest.series} manifest. Review it (docs/adding-a-cpython-version.md), then`,
      `set status to 'built-and-tested' once a build of this series passes the integration tests.`,
    ],
  });
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, source);
    renameSync(tmp, file);
  } catch (err) {
    throw new CpmError(`cannot write the manifest (${err instanceof Error ? err.message : String(err)})`, { file, exitCode: ExitCode.refused });
  }

  const snap = takeSnapshot(d.scan, d.manifest);
  const snapshotFile = path.join(sdir, `${series}.json`);
  const snapStatus = writeSnapshot(snapshotFile, snap);

  const lines: string[] = [];
  lines.push(`CPython ${version.full}: wrote ${file}, starting from the ${nearest.series} manifest (status generated-only)`);
  lines.push(`snapshot: ${snapStatus} ${snapshotFile}`);
  lines.push('');
  const ref = nearestSnapshot(series, nearest.series, sdir);
  if (ref) {
    const diff = diffSnapshots(ref.snapshot, snap);
    lines.push(`Changes against ${ref.snapshot.series} (snapshot of CPython ${ref.snapshot.version}, ${ref.file}):`);
    lines.push(...formatSnapshotDiff(diff));
    const fresh = diff.modules.added.filter((n) => d.withoutEntry.includes(n));
    if (fresh.length > 0) {
      d.review.push(`new modules with no manifest entry (built from their Setup line alone; add deps, headers or test where they need them): ${fresh.join(', ')}`);
    }
  } else {
    lines.push(`Changes: no snapshot to compare with in ${sdir} (write one with: cpython-meson manifest snapshot <checkout of ${nearest.series}>)`);
  }
  lines.push('');
  lines.push(`Manifest changes against the ${nearest.series} manifest:`);
  if (d.adjustments.length === 0) lines.push('  none');
  for (const a of d.adjustments) lines.push(`  ${a}`);
  lines.push('');
  lines.push('Review:');
  for (const r of d.review) lines.push(`  ${r}`);
  for (const w of check) lines.push(`  generate: ${w}`);
  if (d.review.length === 0 && check.length === 0) lines.push('  nothing: generate accepts the manifest without warnings');
  lines.push('');
  lines.push(`Next: npm run build (compiles the manifest), then cpython-meson generate ${opts.checkout}`);
  return { manifest: d.manifest, nearest: nearest.series, file, source, snapshotFile, lines };
}

/** `manifest snapshot`: the checkout's manifest, or (for a series without one) the derived one. */
export async function snapshotCheckout(opts: { checkout: string; out?: string; manifestsDir?: string; snapshotsDir?: string }): Promise<{ file: string; status: string; series: string; derived: boolean }> {
  const root = detectCheckout(opts.checkout);
  const version = readVersion(root);
  const series = seriesOf(version);
  const all = await loadManifests(opts.manifestsDir ?? defaultManifestsDir);
  let manifest = all.find((m) => semver.satisfies(version.semver, m.range, { includePrerelease: true }));
  let scan: ScanResult;
  let derived = false;
  if (manifest) {
    scan = scanCheckout(root, manifest.paths);
  } else {
    const nearest = nearestManifest(all, series);
    if (!nearest) throw new CpmError('no manifest to start from', { file: opts.manifestsDir ?? defaultManifestsDir });
    const full = scanCheckout(root, { freezeModules: nearest.paths.freezeModules, setupFiles: [], configCIn: nearest.paths.configCIn });
    const base = await loadBase(opts.manifestsDir ?? defaultManifestsDir);
    const nearestFile = path.join(opts.snapshotsDir ?? defaultSnapshotsDir, `${nearest.series}.json`);
    const nearestModules = existsSync(nearestFile) ? new Set(readSnapshotFile(nearestFile).modules) : undefined;
    const d = deriveManifest(full, nearest, [...byDistance(all, series), ...(base ? [base] : [])], series, { nearestModules });
    manifest = d.manifest;
    scan = d.scan;
    derived = true;
  }
  const file = path.resolve(opts.out ?? path.join(opts.snapshotsDir ?? defaultSnapshotsDir, `${series}.json`));
  const status = writeSnapshot(file, takeSnapshot(scan, manifest));
  return { file, status, series, derived };
}
