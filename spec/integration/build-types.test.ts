// Build types as configure has them: the default build (./configure && make: -O3 -g, NDEBUG, no
// -fPIC on the static core), pydebug (--with-pydebug: -Og, assertions, Py_DEBUG) and the PGO + LTO
// pipeline of `cpython-meson build --optimized` (--enable-optimizations --with-lto); CPython's core
// test modules pass on each.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CORE_TESTS, compileCommand, definedByFlags, ensureBuild, ensureOptimizedBuild, py, resolveTests, type Built } from './shared.js';

function words(command: string): string[] {
  return command.split(/\s+/);
}

function runCoreTests(built: Built): void {
  const tests = resolveTests(built.src, CORE_TESTS);
  const r = py(built, ['-m', 'test', '-j2', '--timeout=900', ...tests]);
  const tail = r.stdout.split('\n').slice(-40).join('\n');
  assert.is(r.status, 0, `regrtest failed:\n${tail}\n${r.stderr.slice(-3000)}`);
  assert.match(r.stdout, new RegExp(`All ${tests.length} tests OK`));
}

test('a plain meson setup compiles the core like ./configure: -O3 -g, NDEBUG, no -fPIC, no Py_DEBUG', async () => {
  const built = await ensureBuild('builtin');
  const cmd = compileCommand(built.build, 'Python/ceval.c');
  const w = words(cmd);
  assert.ok(w.includes('-O3'), cmd);
  assert.ok(w.includes('-g'), cmd);
  assert.ok(definedByFlags(cmd, 'NDEBUG'), cmd);
  assert.not.ok(definedByFlags(cmd, 'Py_DEBUG'), cmd);
  assert.not.ok(w.includes('-fPIC'), `static core objects are not PIC under configure:\n${cmd}`);
  for (const flag of ['-fno-strict-overflow', '-Wsign-compare', '-fvisibility=hidden', '-std=c11', '-DPy_BUILD_CORE']) {
    assert.ok(w.includes(flag), `${flag} missing:\n${cmd}`);
  }
  const r = py(built, ['-c', 'import sys, sysconfig; print(hasattr(sys, "gettotalrefcount"), sysconfig.get_config_var("Py_DEBUG"))']);
  assert.is(r.stdout.trim(), 'False 0', r.stderr);
});

test('-Dpydebug=true gives --with-pydebug: -Og, assertions on, Py_DEBUG, ABI flag d; core tests pass', async () => {
  const built = await ensureBuild('pydebug');
  const cmd = compileCommand(built.build, 'Python/ceval.c');
  const w = words(cmd);
  // -Og comes after Meson's -O3 (project arguments follow the build type's), so it wins.
  assert.ok(w.lastIndexOf('-Og') > w.lastIndexOf('-O3'), cmd);
  assert.not.ok(definedByFlags(cmd, 'NDEBUG'), cmd);
  assert.ok(definedByFlags(cmd, 'Py_DEBUG'), cmd);
  const r = py(built, ['-c', 'import sys; print(hasattr(sys, "gettotalrefcount"), sys.abiflags)']);
  assert.is(r.stdout.trim(), 'True d', r.stderr);
  runCoreTests(built);
});

test('build --optimized: instrumented build, training, PGO + LTO rebuild with profile data for every interpreter object; core tests pass', async () => {
  const built = await ensureOptimizedBuild();
  const m = /(\d+) of (\d+) objects linked into python compiled with profile data/.exec(built.output);
  assert.ok(m, `no profile check in the output:\n${built.output.slice(-3000)}`);
  assert.is(m?.[1], m?.[2]);
  assert.ok(Number(m?.[2]) > 300, `expected the whole core, got ${m?.[2]} objects`);
  const cmd = compileCommand(built.build, 'Python/ceval.c');
  const w = words(cmd);
  for (const flag of ['-fprofile-use', '-fprofile-correction', '-fno-semantic-interposition', '-ffat-lto-objects', '-O3', '-g']) {
    assert.ok(w.includes(flag), `${flag} missing:\n${cmd}`);
  }
  assert.ok(w.some((x) => x.startsWith('-flto')), cmd);
  assert.ok(definedByFlags(cmd, 'NDEBUG'), cmd);
  assert.match(built.output, /hello from 3\./);
  runCoreTests(built);
});

test.run();
