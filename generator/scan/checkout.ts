// Scans a CPython checkout: everything the generator reads out of the source tree.
// File names in the result (ParsedMakefile.file, SetupModule.file, ...) are relative to the
// checkout root with forward slashes, so the output does not depend on where the checkout lives.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { CpmError } from '../errors.js';
import { readConfigCInModules } from './config-c-in.js';
import { parseFreezeModules } from './frozen.js';
import { parseMakefile } from './makefile.js';
import { parsePatchlevel } from './patchlevel.js';
import { parsePyconfigIn } from './pyconfig-in.js';
import { parseSetup } from './setup.js';
import type { ParsedSetup, ScanResult, ScannedInput } from './types.js';

export interface ScanPaths {
  /** freeze_modules.py, relative to the root; if missing, Tools/*\/freeze_modules.py is searched. */
  freezeModules: string;
  /** Setup files in makesetup's order; if empty, Modules/Setup.stdlib.in, Setup.bootstrap.in and Setup are used when present. */
  setupFiles: string[];
  configCIn: string;
}

const LANDMARKS = ['Include/patchlevel.h', 'Makefile.pre.in'];

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Throws unless `root` looks like a CPython source checkout; returns the absolute root. */
export function detectCheckout(root: string): string {
  const abs = path.resolve(root);
  if (!LANDMARKS.every((f) => isFile(path.join(abs, f)))) {
    throw new CpmError(`not a CPython checkout (expected ${LANDMARKS.join(' and ')})`, { file: root });
  }
  return abs;
}

/** Reads a build input: its text, with its path and the SHA-256 of its bytes appended to `inputs`. */
function read(root: string, rel: string, what: string, inputs: ScannedInput[]): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(root, rel));
  } catch {
    throw new CpmError(`cannot read ${what}`, { file: path.join(root, rel) });
  }
  inputs.push({ path: rel, sha256: createHash('sha256').update(bytes).digest('hex') });
  return bytes.toString('utf8');
}

/** The freeze_modules.py to read: the given path, else the only Tools/*\/freeze_modules.py. */
export function findFreezeModules(root: string, given: string): string {
  if (given && isFile(path.join(root, given))) return given;
  const found = fg.sync('Tools/*/freeze_modules.py', { cwd: root, onlyFiles: true }).sort(byCodePoint);
  const first = found[0];
  if (first === undefined) {
    throw new CpmError(`expected freeze_modules.py at ${given || 'Tools/*/freeze_modules.py'} (not found, nor under Tools/*/)`, { file: root });
  }
  return first;
}

/** Setup files in makesetup's order (Setup.local is never in a checkout): stdlib, bootstrap, Setup, then any other Setup*.in. */
export function findSetupFiles(root: string): string[] {
  const order = ['Modules/Setup.stdlib.in', 'Modules/Setup.bootstrap.in', 'Modules/Setup'];
  const found = fg.sync(['Modules/Setup*.in', 'Modules/Setup'], { cwd: root, onlyFiles: true }).sort(byCodePoint);
  const rank = (f: string): number => (order.includes(f) ? order.indexOf(f) : order.length);
  return found.sort((a, b) => rank(a) - rank(b) || byCodePoint(a, b));
}

export function scanCheckout(root: string, paths: ScanPaths): ScanResult {
  const abs = detectCheckout(root);
  const inputs: ScannedInput[] = [];
  const patchlevel = 'Include/patchlevel.h';
  const version = parsePatchlevel(path.join(abs, patchlevel), read(abs, patchlevel, `CPython's ${patchlevel}`, inputs));

  const makefile = parseMakefile('Makefile.pre.in', read(abs, 'Makefile.pre.in', 'Makefile.pre.in', inputs));

  const setupFiles = paths.setupFiles.length > 0 ? paths.setupFiles : findSetupFiles(abs);
  const setup: ParsedSetup[] = setupFiles.map((rel) => {
    if (!isFile(path.join(abs, rel))) throw new CpmError(`expected the Setup file ${rel} in the checkout`, { file: root });
    return parseSetup(rel, read(abs, rel, 'the Setup file', inputs));
  });

  const freezeRel = findFreezeModules(abs, paths.freezeModules);
  const frozen = parseFreezeModules(freezeRel, read(abs, freezeRel, 'freeze_modules.py', inputs), abs);

  const pyconfig = parsePyconfigIn('pyconfig.h.in', read(abs, 'pyconfig.h.in', 'pyconfig.h.in', inputs));

  if (!isFile(path.join(abs, paths.configCIn))) throw new CpmError(`expected ${paths.configCIn} in the checkout`, { file: root });
  const configCInModules = readConfigCInModules(read(abs, paths.configCIn, paths.configCIn, inputs), paths.configCIn);

  return { root: abs, version, makefile, setup, frozen, pyconfig, configCInModules, inputs };
}
