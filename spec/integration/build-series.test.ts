// End to end on the other built-and-tested series: CPython 3.11.2 (deepfreeze run by Meson's own
// Python, setup.py-era modules from the manifest) always; 3.14 when CPYTHON_314_SRC names a 3.14
// tree (e.g. the 3.14.7 release exported to /tmp), skipped with a note otherwise.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { py } from './shared.js';
import { buildSeries, pristine } from './series-build.js';

const IMPORTS = 'import sys, ssl, sqlite3, ctypes, decimal, zlib, hashlib, json, _imp';
/** CPython's own tests every built-and-tested series must pass (issue: several CPython versions). */
const SERIES_TESTS = ['test_grammar', 'test_dict', 'test_compile', 'test_sys', 'test_ssl', 'test_sqlite3', 'test_ctypes'];

function runCPythonTests(built: Parameters<typeof py>[0]): void {
  const r = py(built, ['-m', 'test', '-j2', '--timeout=900', ...SERIES_TESTS]);
  const tail = r.stdout.split('\n').slice(-30).join('\n');
  assert.is(r.status, 0, `regrtest failed:\n${tail}\n${r.stderr.slice(-2000)}`);
  assert.match(r.stdout, new RegExp(`All ${SERIES_TESTS.length} tests OK`));
}

test('CPython 3.11.2: builds with deepfreeze, runs from the build dir, imports ssl, sqlite3, ctypes, decimal', async () => {
  const built = buildSeries('3.11.2', await pristine('3.11.2', 'CPYTHON_311_SRC'));
  const r = py(built, ['-c', `${IMPORTS}; print(sys.version.split()[0]); print(ctypes.CDLL(None).strlen(b'abc'), decimal.Decimal(1) / 8, sqlite3.sqlite_version_info >= (3, 7, 15), ssl.OPENSSL_VERSION_INFO >= (1, 1, 1)); print(_imp.is_frozen('os'), _imp.is_frozen('zipimport'))`]);
  assert.is(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n'), ['3.11.2', '3 0.125 True True', 'True True']);
  assert.not.match(r.stderr, /Could not find platform/);
  // The deep-frozen code objects are what the frozen importer hands out (3.11: no marshal data).
  const code = py(built, ['-c', "import _imp; print(type(_imp.get_frozen_object('__hello__')).__name__)"]);
  assert.is(code.status, 0, code.stderr);
  assert.is(code.stdout.trim(), 'code');
  // setup.py-era modules the manifest supplies, and xxsubtype from Modules/Setup.
  const mods = py(built, ['-c', 'import sys, _ctypes, _curses, readline, _dbm, xxsubtype; print(sorted(set(["_ctypes", "_curses", "readline", "_dbm", "xxsubtype"]) & set(sys.builtin_module_names)))']);
  assert.is(mods.status, 0, mods.stderr);
  assert.match(mods.stdout, /'_ctypes'/);
  const buildNinja = readFileSync(path.join(built.build, 'build.ninja'), 'utf8');
  assert.match(buildNinja, /Tools\/scripts\/deepfreeze\.py/, 'deepfreeze.py runs in the build');
  runCPythonTests(built);
});

test('CPython 3.14 (CPYTHON_314_SRC): builds and runs; HACL* hashes, HMAC, zstd', async () => {
  const src = process.env.CPYTHON_314_SRC;
  if (!src) {
    console.log('  (skipping the 3.14 build: set CPYTHON_314_SRC to a CPython 3.14 source tree)');
    return;
  }
  const version = /PY_VERSION\s+"([^"]+)"/.exec(readFileSync(path.join(src, 'Include/patchlevel.h'), 'utf8'))?.[1] ?? '3.14';
  const built = buildSeries(version, await pristine(version, 'CPYTHON_314_SRC'));
  const r = py(built, [
    '-c',
    `${IMPORTS}, hmac; from compression import zstd; print(sys.version.split()[0]); print(hashlib.md5(b'a').hexdigest(), hashlib.blake2s(b'a').hexdigest()[:8], hmac.digest(b'k', b'm', 'sha3_256').hex()[:8]); print(zstd.decompress(zstd.compress(b'abc')), _imp.is_frozen('os'))`,
  ]);
  assert.is(r.status, 0, r.stderr);
  const [ver, hashes, rest] = r.stdout.trim().split('\n');
  assert.is(ver, version);
  assert.match(hashes ?? '', /^0cc175b9c0f1b6a831c399e269772661 4a0d1298 [0-9a-f]{8}$/);
  assert.is(rest, "b'abc' True");
  runCPythonTests(built);
});

test.run();
