// The staleness guard's record and its message. The data file (Tools/meson/data/meson.build)
// records what `cpython-meson generate` read: the generator, the manifest and every scanned file
// of the checkout with its SHA-256 (py_generated_from). At setup the hand-written root meson.build
// reads each file (fs.read: Meson re-runs setup when it changes), compares fs.hash(file, 'sha256')
// with the record and stops with the line staleMessage() spells; `generate --check` reads the
// record back from the data file on disk (recordedInputs) and reports the same line.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildModel } from '../model/types.js';
import { dict, type MesonValue } from './meson.js';

/** The data file's variable holding the record. */
export const GENERATED_FROM_VAR = 'py_generated_from';

/** The data file the record is written to. */
export const GENERATED_FROM_FILE = 'Tools/meson/data/meson.build';

/** The record, as the data file holds it: {'generator': ..., 'manifest': ..., 'inputs': {path: sha256}}. */
export function generatedFrom(m: BuildModel): MesonValue {
  return dict([
    ['generator', `${m.generator.name} ${m.generator.version}`],
    ['manifest', `cpython-manifests/${m.series}.ts`],
    ['inputs', dict(m.inputs.map((i): [string, MesonValue] => [i.path, i.sha256]))],
  ]);
}

const RECORD_ENTRY = /^\s*'([^'\\]+)': '([0-9a-f]{64})',?$/;

/**
 * The recorded inputs (path -> sha256) of a data file's text, in their order; null when the text
 * holds no record (written before the guard existed, or not a data file).
 */
export function recordedInputs(text: string): Map<string, string> | null {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${GENERATED_FROM_VAR} = `));
  if (start === -1) return null;
  const out = new Map<string, string>();
  // The record ends at the next top-level line (its closing brace).
  for (let i = start + 1; i < lines.length && /^\s/.test(lines[i] ?? ''); i++) {
    const m = RECORD_ENTRY.exec(lines[i] ?? '');
    if (m) out.set(m[1] ?? '', m[2] ?? '');
  }
  return out;
}

/**
 * The recorded inputs that changed under `root`, as the setup check names them: the path, or
 * "<path> (deleted)" when the file is gone.
 */
export async function changedInputs(root: string, recorded: ReadonlyMap<string, string>): Promise<string[]> {
  const changed: string[] = [];
  for (const [rel, digest] of recorded) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(root, ...rel.split('/')));
    } catch {
      changed.push(`${rel} (deleted)`);
      continue;
    }
    if (createHash('sha256').update(bytes).digest('hex') !== digest) changed.push(rel);
  }
  return changed;
}

/**
 * The one line setup stops with (meson-templates/meson.build spells the same text; the
 * integration test compares the two): which inputs changed, and the command to run.
 */
export function staleMessage(changed: readonly string[], srcdir: string): string {
  return `${changed.join(', ')} changed since \`cpython-meson generate\` read ${changed.length === 1 ? 'it' : 'them'}; run \`npx cpython-meson generate ${srcdir}\``;
}

/** The staleness line for the checkout at `root` (null: no record on disk, or nothing changed). */
export async function staleness(root: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(path.join(root, ...GENERATED_FROM_FILE.split('/')), 'utf8');
  } catch {
    return null;
  }
  const recorded = recordedInputs(text);
  if (recorded === null) return null;
  const changed = await changedInputs(root, recorded);
  return changed.length === 0 ? null : staleMessage(changed, root);
}
