// Shared helpers for the scanner suites (spec/scan-*.test.ts). Compiled tests live in dist/spec/,
// so the repository root is two levels above this file's compiled location.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { CpmError } from '../generator/errors.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = path.join(repoRoot, 'spec/fixtures/scan');
/** A small hand-written CPython-like checkout. */
export const fixtureCheckout = path.join(fixturesDir, 'checkout');

export function fixture(...parts: string[]): string {
  return path.join(fixturesDir, ...parts);
}

export function readFixture(...parts: string[]): string {
  return readFileSync(fixture(...parts), 'utf8');
}

/** Asserts that `fn` throws a CpmError whose one-line form contains every string in `expected`. */
export function throwsCpm(fn: () => unknown, ...expected: string[]): CpmError {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof CpmError)) {
      assert.unreachable(`expected a CpmError, got ${String(e)}`);
      throw e;
    }
    const line = e.oneLine();
    assert.not.ok(line.includes('\n'), `error message is one line: ${line}`);
    for (const s of expected) assert.ok(line.includes(s), `expected "${s}" in: ${line}`);
    return e;
  }
  assert.unreachable(`expected a CpmError containing ${expected.join(', ')}, but nothing was thrown`);
  throw new Error('unreachable');
}

/** A real CPython tree named by an environment variable, or null (with a console note) when unset or missing. */
export function realTree(envName: string): string | null {
  const dir = process.env[envName];
  let ok = false;
  if (dir) {
    try {
      ok = readFileSync(path.join(dir, 'Include/patchlevel.h'), 'utf8').length > 0;
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    console.log(`  (skipping real-tree checks: set ${envName} to a CPython source tree${dir ? `; ${dir} is not one` : ''})`);
    return null;
  }
  return dir ?? null;
}
