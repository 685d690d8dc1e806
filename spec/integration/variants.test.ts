// Issue 11: build variants configure offers, built from the shared work tree. CI builds two:
// 'shared-lib' (configure --enable-shared: libpython3.X.so.1.0, $ORIGIN RUNPATHs, a relocatable
// install a C program links) and 'free-threaded' (--disable-gil); each runs CPython's core test
// modules. The other variants (sanitizers, trace refs, ...) run through `npm run test:matrix`.
import { closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readlinkSync, readSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CORE_TESTS, CPYTHON_VERSION, ensureBuild, py, resolveTests, run, workTree, type Built } from './shared.js';

const series = CPYTHON_VERSION.split('.').slice(0, 2).join('.');
const nodot = series.replace('.', '');
const work = mkdtempSync(path.join(os.tmpdir(), 'cpython-meson-variants-'));

function regrtest(built: Built, names: string[]): void {
  const tests = resolveTests(built.src, names);
  const r = py(built, ['-m', 'test', '-j2', '--timeout=900', ...tests]);
  const tail = r.stdout.split('\n').slice(-40).join('\n');
  assert.is(r.status, 0, `regrtest failed:\n${tail}\n${r.stderr.slice(-3000)}`);
  assert.match(r.stdout, new RegExp(`All ${tests.length} tests OK`));
}

function configVars(built: Built, names: string[]): Record<string, unknown> {
  const r = py(built, ['-c', 'import json, sys, sysconfig; print(json.dumps({k: sysconfig.get_config_var(k) for k in sys.argv[1:]}))', ...names]);
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

function buildOption(built: Built, name: string): string {
  const r = run('meson', ['introspect', '--buildoptions', built.build]);
  assert.is(r.status, 0, r.stderr);
  const opt = (JSON.parse(r.stdout) as { name: string; value: unknown }[]).find((o) => o.name === name);
  return String(opt?.value ?? '');
}

function isElf(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.toString('latin1') === '\x7fELF';
  } finally {
    closeSync(fd);
  }
}

function elfFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...elfFiles(p));
    else if (e.isFile() && isElf(p)) out.push(p);
  }
  return out;
}

/** The RUNPATH and RPATH entries of an ELF file (readelf -d). */
function runpaths(file: string): string[] {
  const r = run('readelf', ['-d', file]);
  assert.is(r.status, 0, r.stderr);
  return [...r.stdout.matchAll(/\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[(.*)\]/g)].flatMap((m) => (m[1] ?? '').split(':'));
}

function readelfLine(file: string, tag: string): string {
  const r = run('readelf', ['-d', file]);
  return r.stdout.split('\n').filter((l) => l.includes(`(${tag})`)).join('\n');
}

// ---- shared libpython (configure --enable-shared)

test('-Dshared=true: libpython3.X.so.1.0 with its SONAME, python links it and runs from the build tree without LD_LIBRARY_PATH', async () => {
  const built = await ensureBuild('shared-lib');
  console.log(`  shared-lib: setup ${built.setupSeconds.toFixed(0)} s, build ${built.buildSeconds.toFixed(0)} s`);
  const so = path.join(built.build, `libpython${series}.so.1.0`);
  assert.ok(existsSync(so), so);
  assert.is(readlinkSync(path.join(built.build, `libpython${series}.so`)), `libpython${series}.so.1.0`);
  assert.match(readelfLine(so, 'SONAME'), `[libpython${series}.so.1.0]`);
  assert.match(readelfLine(built.python, 'NEEDED'), `[libpython${series}.so.1.0]`);
  const r = py(built, ['-c', 'import ssl, sqlite3, ctypes, sys; print(sys.version)']);
  assert.is(r.status, 0, r.stderr);
  const v = configVars(built, ['Py_ENABLE_SHARED', 'LDLIBRARY', 'INSTSONAME', 'LIBRARY', 'BLDLIBRARY', 'STATIC_LIBPYTHON', 'CONFIG_ARGS']);
  assert.is(v.Py_ENABLE_SHARED, 1);
  assert.is(v.LDLIBRARY, `libpython${series}.so`);
  assert.is(v.INSTSONAME, `libpython${series}.so.1.0`);
  assert.is(v.LIBRARY, `libpython${series}.a`);
  assert.is(v.BLDLIBRARY, `-L. -lpython${series}`);
  assert.match(String(v.CONFIG_ARGS), "'-Dshared=true'");
});

test(`-Dshared=true: CPython's ${CORE_TESTS.join(' ')} pass`, async () => {
  regrtest(await ensureBuild('shared-lib'), CORE_TESTS);
});

test('-Dshared=true: the install has only $ORIGIN RUNPATHs, runs moved under env -i, and a C program links the installed libpython', async () => {
  const built = await ensureBuild('shared-lib');
  const prefix = buildOption(built, 'prefix');
  const libdir = buildOption(built, 'libdir');
  const stage = path.join(work, 'stage');
  const inst = run('meson', ['install', '-C', built.build, '--destdir', stage, '--quiet']);
  assert.is(inst.status, 0, `meson install failed:\n${inst.stdout.slice(-4000)}\n${inst.stderr}`);
  const staged = path.join(stage, prefix);

  // make install's layout: libpython3.X.so.1.0 and the libpython3.X.so link in LIBDIR.
  assert.ok(existsSync(path.join(staged, libdir, `libpython${series}.so.1.0`)));
  assert.is(readlinkSync(path.join(staged, libdir, `libpython${series}.so`)), `libpython${series}.so.1.0`);

  // Every installed ELF: no RUNPATH, or only $ORIGIN-relative entries.
  const elves = elfFiles(staged);
  assert.ok(elves.length > 10, `${elves.length} ELF files`);
  for (const f of elves) {
    for (const rp of runpaths(f)) assert.ok(rp.startsWith('$ORIGIN'), `${path.relative(staged, f)} has RUNPATH ${rp}`);
  }
  assert.equal(runpaths(path.join(staged, 'bin', 'python')), [`$ORIGIN/${path.relative('bin', libdir)}`]);

  // Moved elsewhere, it runs with an empty environment.
  const moved = path.join(work, 'moved', 'py');
  mkdirSync(path.dirname(moved), { recursive: true });
  renameSync(staged, moved);
  const exe = path.join(moved, 'bin', `python${series}`);
  const r = run(exe, ['-c', 'import ssl, sqlite3, ctypes, sys, sysconfig; print(sys.prefix); print(sysconfig.get_config_var("LIBPL"))'], { env: {} });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.split('\n')[0], moved);

  // python3-config --embed and the pkg-config file link the shared library.
  const cfg = run(path.join(moved, 'bin', `python${series}-config`), ['--ldflags', '--embed'], { env: {} });
  assert.is(cfg.status, 0, cfg.stderr);
  assert.match(cfg.stdout, `-lpython${series}`);
  assert.not.match(cfg.stdout, '/config-', 'a shared build links from LIBDIR, not LIBPL (configure: no -L$(LIBPL))');
  const pcDir = path.join(moved, 'lib', 'pkgconfig');
  const pc = run('pkg-config', [`--define-variable=prefix=${moved}`, '--cflags', '--libs', `python-${series}-embed`], {
    env: { ...process.env, PKG_CONFIG_PATH: pcDir, PKG_CONFIG_LIBDIR: pcDir },
  });
  assert.is(pc.status, 0, pc.stderr);
  assert.match(pc.stdout, `-L${moved}/${libdir}`);
  assert.match(pc.stdout, `-lpython${series}`);

  // A C program built against the installed libpython, with its own $ORIGIN RUNPATH, runs after
  // the whole tree moves again (getpath finds the stdlib from the program's location).
  const c = path.join(work, 'embed.c');
  writeFileSync(
    c,
    `#include <Python.h>
int main(int argc, char **argv) {
    (void)argc;
    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    PyStatus st = PyConfig_SetBytesString(&config, &config.program_name, argv[0]);
    if (!PyStatus_Exception(st)) st = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(st)) Py_ExitStatusException(st);
    int rc = PyRun_SimpleString("import sys, ssl, sqlite3, ctypes; print(sys.prefix)");
    if (Py_FinalizeEx() < 0) return 120;
    return rc == 0 ? 0 : 1;
}
`,
  );
  const prog = path.join(moved, 'bin', 'embed-test');
  const cc = run('cc', [c, '-o', prog, ...pc.stdout.trim().split(/\s+/), `-Wl,-rpath,$ORIGIN/${path.relative('bin', libdir)}`]);
  assert.is(cc.status, 0, cc.stderr);
  const again = path.join(work, 'again', 'py');
  mkdirSync(path.dirname(again), { recursive: true });
  renameSync(moved, again);
  const e = run(path.join(again, 'bin', 'embed-test'), [], { env: {} });
  assert.is(e.status, 0, `${e.stdout}\n${e.stderr}`);
  assert.is(e.stdout.trim(), again);
});

// ---- free-threaded (configure --disable-gil)

test('-Dfree_threading=true: no GIL, ABI flag t, SOABI, libpython3.Xt and lib/python3.Xt', async () => {
  const built = await ensureBuild('free-threaded');
  console.log(`  free-threaded: setup ${built.setupSeconds.toFixed(0)} s, build ${built.buildSeconds.toFixed(0)} s`);
  const r = py(built, ['-c', 'import sys; print(sys._is_gil_enabled(), sys.abiflags)']);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), 'False t');
  const v = configVars(built, ['Py_GIL_DISABLED', 'ABIFLAGS', 'SOABI', 'LDLIBRARY', 'LIBDEST', 'WITH_MIMALLOC', 'CONFIG_ARGS']);
  assert.is(v.Py_GIL_DISABLED, 1);
  assert.is(v.ABIFLAGS, 't');
  assert.match(String(v.SOABI), new RegExp(`^cpython-${nodot}t-`));
  assert.is(v.LDLIBRARY, `libpython${series}t.a`);
  assert.match(String(v.LIBDEST), new RegExp(`/python${series}t$`));
  assert.is(v.WITH_MIMALLOC, 1);
  assert.match(String(v.CONFIG_ARGS), "'-Dfree_threading=true'");
  assert.ok(existsSync(path.join(built.build, `libpython${series}t.a`)));
  assert.ok(readdirSync(path.join(built.build, 'Modules')).some((f) => f.endsWith(`.${String(v.SOABI)}.so`)), 'shared modules named with the t SOABI');
});

test(`-Dfree_threading=true: CPython's ${CORE_TESTS.join(' ')} test_free_threading test_threading pass`, async () => {
  regrtest(await ensureBuild('free-threaded'), [...CORE_TESTS, 'test_free_threading', 'test_threading']);
});

// ---- contradictory choices stop meson setup with one line naming the options

test('contradictory variant options stop meson setup with one line', async () => {
  const src = await workTree();
  for (const [options, message] of [
    [['-Dfree_threading=true', '-Dmimalloc=false'], '-Dfree_threading=true needs mimalloc'],
    [['-Dfree_threading=true', '-Dtrace_refs=true'], '-Dfree_threading=true and -Dtrace_refs=true exclude each other'],
  ] as const) {
    const dir = path.join(work, `bad-${options.join('').replace(/[^a-z]/g, '')}`);
    const r = run('meson', ['setup', ...options, dir, src]);
    assert.is.not(r.status, 0, options.join(' '));
    const errors = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes('ERROR:'));
    assert.is(errors.length, 1, errors.join('\n'));
    assert.match(errors[0] ?? '', message);
  }
  assert.ok(lstatSync(src).isDirectory());
});

test.run();
