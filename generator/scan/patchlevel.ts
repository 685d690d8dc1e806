// Reads the CPython version from Include/patchlevel.h.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CpmError } from '../errors.js';
import type { CPythonVersion } from './types.js';

/** Where the version lives, relative to the checkout root. */
export const PATCHLEVEL_H = 'Include/patchlevel.h';

type ReleaseLevel = CPythonVersion['releaseLevel'];

/** PY_RELEASE_LEVEL is written either as one of these macros or as its hex value. */
const RELEASE_LEVELS: Record<string, ReleaseLevel> = {
  PY_RELEASE_LEVEL_ALPHA: 'alpha',
  PY_RELEASE_LEVEL_BETA: 'beta',
  PY_RELEASE_LEVEL_GAMMA: 'candidate',
  PY_RELEASE_LEVEL_FINAL: 'final',
  '0xA': 'alpha',
  '0xB': 'beta',
  '0xC': 'candidate',
  '0xF': 'final',
};

/** Reads `Include/patchlevel.h` under `root`. */
export function readVersion(root: string): CPythonVersion {
  const file = path.join(root, PATCHLEVEL_H);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CpmError(`cannot read the file (expected CPython's ${PATCHLEVEL_H})`, { file });
  }
  return parsePatchlevel(file, text);
}

/** Parses the text of a patchlevel.h; `file` is only used in error messages. */
export function parsePatchlevel(file: string, text: string): CPythonVersion {
  const defines = new Map<string, { value: string; line: number }>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '');
    const m = /^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)\s+(\S.*?)\s*$/.exec(line);
    if (m?.[1] && m[2] !== undefined && !defines.has(m[1])) defines.set(m[1], { value: m[2], line: i + 1 });
  });

  const need = (name: string, what: string): { value: string; line: number } => {
    const d = defines.get(name);
    if (!d) throw new CpmError(`expected #define ${name} <${what}>`, { file });
    return d;
  };
  const num = (name: string): number => {
    const d = need(name, 'number');
    if (!/^\d+$/.test(d.value)) throw new CpmError(`line ${d.line}: expected #define ${name} <number>, got "${d.value}"`, { file });
    return Number(d.value);
  };

  const major = num('PY_MAJOR_VERSION');
  const minor = num('PY_MINOR_VERSION');
  const micro = num('PY_MICRO_VERSION');
  const serial = num('PY_RELEASE_SERIAL');
  const levelDef = need('PY_RELEASE_LEVEL', 'PY_RELEASE_LEVEL_ALPHA|BETA|GAMMA|FINAL');
  const hex = /^0[xX]([0-9a-fA-F])$/.exec(levelDef.value);
  const releaseLevel = RELEASE_LEVELS[hex?.[1] ? `0x${hex[1].toUpperCase()}` : levelDef.value];
  if (!releaseLevel) {
    throw new CpmError(
      `line ${levelDef.line}: expected PY_RELEASE_LEVEL to be PY_RELEASE_LEVEL_ALPHA, _BETA, _GAMMA or _FINAL, got "${levelDef.value}"`,
      { file },
    );
  }
  const versionDef = need('PY_VERSION', 'quoted string');
  const quoted = /^"([^"]*)"$/.exec(versionDef.value);
  if (!quoted || quoted[1] === undefined) {
    throw new CpmError(`line ${versionDef.line}: expected #define PY_VERSION "<version>", got ${versionDef.value}`, { file });
  }
  const full = quoted[1];
  const base = `${major}.${minor}.${micro}`;
  const semver = releaseLevel === 'final' ? base : `${base}-${releaseLevel}.${serial}`;
  return { major, minor, micro, releaseLevel, serial, full, semver };
}
