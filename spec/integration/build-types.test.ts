// Build types as configure has them: the default build (./configure && make: -O3 -g, NDEBUG, no
// -fPIC on the static core), pydebug (--with-pydebug: -Og, assertions, Py_DEBUG) and the PGO + LTO
// pipeline of `cpython-meson build --optimized` (--enable-optimizations --with-lto); CPython's core
// test modules pass on each.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CORE_TESTS, compileCommand, compileFlags, configureCompileCommand, definedByFlags, ensureBuild, ensureOptimizedBuild, py, resolveTests, type Built } from './shared.js';

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
  // Py_DEBUG comes from pyconfig.h, as with configure.
  assert.match(readFileSync(path.join(built.build, 'pyconfig.h'), 'utf8'), /^#define Py_DEBUG 1$/m);
  const r = py(built, ['-c', 'import sys, sysconfig; print(hasattr(sys, "gettotalrefcount"), sys.abiflags, sysconfig.get_config_var("Py_DEBUG"))']);
  assert.is(r.stdout.trim(), 'True d 1', r.stderr);
  // What CPython's tests read from sysconfig to decide whether a build is a debug build they can
  // use: test_gdb (python_is_optimized(): CC and the last -O of PY_CFLAGS) and test_perf_profiler
  // (frame pointers in PY_CORE_CFLAGS); both as configure --with-pydebug has them.
  const q = py(built, ['-c', 'from test import support; from test.test_perf_profiler import is_unwinding_reliable_with_frame_pointers as f; print(support.python_is_optimized(), f())']);
  assert.is(q.stdout.trim(), 'False True', q.stderr);
  assert.ok(w.includes('-fno-omit-frame-pointer'), cmd);
  runCoreTests(built);
});

test('build --optimized: instrumented build, training, PGO + LTO rebuild with profile data for every interpreter object; core tests pass', async () => {
  const built = await ensureOptimizedBuild();
  const m = /profile check: (\d+) objects linked into python compiled with profile data, (\d+) with no code to profile, 0 missing/.exec(built.output);
  assert.ok(m, `no profile check in the output:\n${built.output.slice(-3000)}`);
  assert.ok(Number(m?.[1]) > 250, `expected the whole core with profile data, got ${m?.[1]} objects`);
  assert.ok(Number(m?.[2]) < 20, `${m?.[2]} objects without code is more than the data-only and #ifdef'd-out units`);
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

/**
 * Every difference between our core compile flags and configure's, each explained in
 * docs/build-types.md ("Compile flags against configure's"). The test fails on any other.
 */
const MESON_ONLY_ALWAYS = [
  '-fdiagnostics-color=always', // Meson's coloured diagnostics (b_colorout), cosmetic
  '-D_FILE_OFFSET_BITS=64', // Meson always adds it; a no-op on 64-bit Linux, what pyconfig.h defines on 32-bit
  '-Winvalid-pch', // Meson's warning for precompiled headers, none are used
  '-pthread', // dependency('threads'); glibc 2.34+ has pthreads in libc, configure finds no flag needed
];
const EXPLAINED: Record<string, { configure: string[]; mesonOnly: string[]; configureOnly: string[] }> = {
  default: { configure: [], mesonOnly: MESON_ONLY_ALWAYS, configureOnly: [] },
  // -Og comes after Meson's -O3 and wins; -UNDEBUG cancels Meson's -DNDEBUG of the release defaults.
  pydebug: { configure: ['--with-pydebug'], mesonOnly: [...MESON_ONLY_ALWAYS, '-DNDEBUG', '-O3', '-UNDEBUG'], configureOnly: [] },
  optimized: {
    configure: ['--enable-optimizations', '--with-lto'],
    // Meson's b_lto: -flto=auto parallel partitions (configure: one partition, -flto-partition=none,
    // a serial LTO link); -Wmissing-profile is how build --optimized checks the profile was used.
    mesonOnly: [...MESON_ONLY_ALWAYS, '-flto=auto', '-Wmissing-profile'],
    // -fuse-linker-plugin is gcc's default where the plugin exists (it does with binutils' ld).
    configureOnly: ['-flto', '-fuse-linker-plugin', '-flto-partition=none'],
  },
};

function sorted(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort();
}

for (const [variant, expected] of Object.entries(EXPLAINED)) {
  test(`core compile flags of the ${variant} build differ from configure ${expected.configure.join(' ') || '(no options)'}'s only as documented`, async () => {
    const built = variant === 'optimized' ? await ensureOptimizedBuild() : await ensureBuild(variant === 'pydebug' ? 'pydebug' : 'builtin');
    const ref = await configureCompileCommand(expected.configure);
    const theirs = compileFlags(ref.command);
    if (variant === 'optimized') {
      // make profile-opt adds PGO_PROF_USE_FLAG to CFLAGS_NODIST for the final build.
      const use = /^PGO_PROF_USE_FLAG=\s*(.*)$/m.exec(ref.makefile)?.[1] ?? '';
      theirs.push(...use.trim().split(/\s+/));
    }
    const ours = compileFlags(compileCommand(built.build, 'Python/ceval.c'));
    const mesonOnly = sorted(ours.filter((f) => !theirs.includes(f)));
    const configureOnly = sorted(theirs.filter((f) => !ours.includes(f)));
    assert.equal(mesonOnly, sorted(expected.mesonOnly), `only in Meson's: ${mesonOnly.join(' ')}\nconfigure: ${ref.command}`);
    assert.equal(configureOnly, sorted(expected.configureOnly), `only in configure's: ${configureOnly.join(' ')}`);
  });
}

test.run();
