// Cross builds (docs/cross.md): the shipped cross files, `build --cross` and its bad input, the
// cross answers of the pyconfig run tests, and the exe wrapper `dist` reads back from a build dir.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runBuild } from '../generator/cli/build.js';
import { CROSS_TARGETS, crossBinaries, crossDir, resolveCross, type CrossTarget } from '../generator/cli/cross.js';
import { exeWrapperOf } from '../generator/dist/dist.js';
import { CpmError, ExitCode } from '../generator/errors.js';
import { crossAnswers } from '../cpython-manifests/common/cross.js';
import { loadManifests } from '../generator/manifest/select.js';
import type { GenerateResult } from '../generator/pipeline.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repoRoot, 'bin/cpython-meson.js');
const temps: string[] = [];
function tempDir(prefix = 'cpm-cross-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
test.after(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function thrown(f: () => unknown): CpmError {
  try {
    f();
  } catch (e) {
    assert.instance(e, CpmError);
    return e as CpmError;
  }
  throw new Error('expected a CpmError');
}

const have = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

test('every shipped cross file has a target entry, a c compiler and parses; every target has its file', () => {
  const files = readdirSync(crossDir).filter((f) => f.endsWith('.ini')).map((f) => f.slice(0, -4)).sort();
  assert.equal(files, Object.keys(CROSS_TARGETS).sort());
  for (const t of files) {
    const bins = crossBinaries(readFileSync(path.join(crossDir, `${t}.ini`), 'utf8'), t);
    assert.ok(bins.get('c')?.[0], `${t}: [binaries] c`);
  }
  const arm = crossBinaries(readFileSync(path.join(crossDir, 'aarch64-linux-gnu.ini'), 'utf8'), 'x');
  assert.equal(arm.get('c'), ['aarch64-linux-gnu-gcc']);
  assert.equal(arm.get('exe_wrapper'), ['qemu-aarch64']);
});

test('crossBinaries: strings and arrays of [binaries] only; anything else is one line naming the line', () => {
  const b = crossBinaries("[binaries]\nc = 'cc'\n# note\nexe_wrapper = ['qemu-x', '-L', '/usr/x']\n\n[properties]\nfoo = 'bar'\n", 'f.ini');
  assert.equal([...b.entries()], [['c', ['cc']], ['exe_wrapper', ['qemu-x', '-L', '/usr/x']]]);
  const e = thrown(() => crossBinaries('[binaries]\nc = cc\n', 'f.ini'));
  assert.is(e.oneLine(), "f.ini: line 2: expected name = 'command' or name = ['word', ...] in [binaries]");
});

/** A cross dir with one target `t` whose compiler, sysroot probe and runtime probe are given. */
function fakeCross(ini: string, probes: { sysroot: boolean; runtime: boolean }): { dir: string; targets: Record<string, CrossTarget> } {
  const dir = tempDir();
  writeFileSync(path.join(dir, 't.ini'), ini);
  const existing = path.join(dir, 't.ini');
  return {
    dir,
    targets: {
      t: {
        toolchain: 'gcc-t',
        sysrootProbe: probes.sysroot ? existing : path.join(dir, 'no-libc'),
        wrapper: 'qemu-t',
        runtimeProbe: probes.runtime ? existing : path.join(dir, 'no-ld.so'),
        runtime: 'libc6:t',
        installer: 'install-t.sh',
      },
    },
  };
}

test('resolveCross: unknown target, missing compiler, sysroot, runtime: one line naming what to install', () => {
  const tools = tempDir();
  for (const name of ['t-gcc', 'qemu-t']) writeFileSync(path.join(tools, name), '#!/bin/sh\n', { mode: 0o755 });
  const env = { PATH: tools };
  const ini = "[binaries]\nc = 't-gcc'\nexe_wrapper = 'qemu-t'\n";
  const ok = fakeCross(ini, { sysroot: true, runtime: true });

  let e = thrown(() => resolveCross('nosuch', env, ok.dir, ok.targets));
  assert.is(e.exitCode, ExitCode.badInput);
  assert.is(e.oneLine(), '--cross: unknown cross target "nosuch"; the shipped cross files (meson-templates/cross/) are: t');
  e = thrown(() => resolveCross('t', { PATH: tempDir() }, ok.dir, ok.targets));
  assert.is(e.exitCode, ExitCode.toolFailed);
  assert.is(e.oneLine(), "--cross: the cross compiler t-gcc is not on PATH: install Debian's gcc-t (or run install-t.sh)");
  const noLibc = fakeCross(ini, { sysroot: false, runtime: true });
  e = thrown(() => resolveCross('t', env, noLibc.dir, noLibc.targets));
  assert.match(e.oneLine(), /^--cross: no C library for t \(.*no-libc is missing\): install Debian's gcc-t with its libc \(or run install-t\.sh\)$/);
  const noLd = fakeCross(ini, { sysroot: true, runtime: false });
  e = thrown(() => resolveCross('t', env, noLd.dir, noLd.targets));
  assert.match(e.oneLine(), /^--cross: qemu-t cannot run t programs without .*no-ld\.so: install Debian's libc6:t \(or run install-t\.sh\)$/);

  const r = resolveCross('t', env, ok.dir, ok.targets);
  assert.equal([r.file, r.exeWrapper, r.notes], [path.join(ok.dir, 't.ini'), ['qemu-t'], []]);
  // No exe wrapper in the cross file, or not installed: built, not run.
  const bare = fakeCross("[binaries]\nc = 't-gcc'\n", { sysroot: true, runtime: true });
  const r2 = resolveCross('t', env, bare.dir, bare.targets);
  assert.equal([r2.exeWrapper, r2.notes], [null, ['t.ini has no exe_wrapper: the interpreter is built but not run, and meson test skips its tests']]);
  const r3 = resolveCross('t', { PATH: path.dirname(path.join(tools, 't-gcc')) + ':' + tempDir() }, ok.dir, ok.targets);
  assert.equal(r3.exeWrapper, ['qemu-t']);
  rmSync(path.join(tools, 'qemu-t'));
  const r4 = resolveCross('t', env, ok.dir, ok.targets);
  assert.equal([r4.exeWrapper, r4.notes], [null, ["the exe wrapper qemu-t is not on PATH (install Debian's qemu-t): the interpreter is built but not run"]]);
});

test('build: --build-python without --cross, --cross with --optimized, an unknown target: one line, exit 2', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [bin, 'build', ...args], { encoding: 'utf8', env: { ...process.env, CPYTHON_MESON_DEBUG: '' } });
  let r = run(['/nonexistent', '--build-python', '/usr/bin/python3']);
  assert.is(r.status, 2);
  assert.is(r.stderr, '--build-python: only applies to a cross build (--cross <target>); a native build freezes with its own _freeze_module\n'.replace(/^/, 'cpython-meson: '));
  r = run(['/nonexistent', '--cross', 'aarch64-linux-gnu', '--optimized']);
  assert.is(r.status, 2);
  assert.match(r.stderr, /^cpython-meson: --cross: --optimized cannot cross-compile: its training run executes the interpreter on the build machine\n$/);
  r = run(['/nonexistent', '--cross', 'sparc-sunos']);
  assert.is(r.status, 2);
  assert.match(r.stderr, /^cpython-meson: --cross: unknown cross target "sparc-sunos"; the shipped cross files \(meson-templates\/cross\/\) are: aarch64-linux-gnu, wasm32-wasi\n$/);
  r = run(['--help']);
  assert.match(r.stdout, /--cross <target>/);
  assert.match(r.stdout, /aarch64-linux-gnu/);
});

/** A tiny project standing in for CPython: it has the build_python option and a `python`. */
async function tinyCrossProject(minor = 11): Promise<GenerateResult> {
  const marker = '@generated by cpython-meson';
  return {
    version: { major: 3, minor, micro: 2, releaseLevel: 'final', serial: 0, full: `3.${minor}.2`, semver: `3.${minor}.2` },
    manifestSeries: `3.${minor}`,
    warnings: [],
    files: [
      {
        path: 'meson.build',
        content: `# ${marker}\nproject('fake', 'c')\nmessage('cross: @0@ build_python: @1@'.format(meson.is_cross_build(), get_option('build_python')))\nexecutable('python', 'python.c')\n`,
      },
      {
        path: 'meson.options',
        content: `# ${marker}\noption('build_python', type: 'string', value: '')\noption('test_modules', type: 'boolean', value: true)\n`,
      },
      { path: 'python.c', content: `/* ${marker} */\n#include <stdio.h>\nint main(void) {\n#ifdef __aarch64__\n  puts("hello from aarch64");\n#endif\n  return 0;\n}\n` },
    ],
    model: {} as unknown as GenerateResult['model'],
  };
}

test('build --cross aarch64-linux-gnu: cross file, -Dbuild_python, hello through qemu (needs .ci/install-cross-deps.sh)', async () => {
  if (!have('aarch64-linux-gnu-gcc') || !have('qemu-aarch64') || !have('python3.11')) {
    console.log('  (skipping: aarch64-linux-gnu-gcc, qemu-aarch64 or python3.11 missing; run .ci/install-cross-deps.sh)');
    return;
  }
  const checkout = tempDir();
  const out: string[] = [];
  const deps = { generate: () => tinyCrossProject(), out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`), env: process.env, cwd: checkout, toolOutput: 'lines' as const };
  const code = await runBuild({ checkout, builddir: 'b', cpythonVersion: null, force: false, mesonOptions: [], cross: 'aarch64-linux-gnu' }, deps);
  const text = out.join('\n');
  assert.is(code, 0, text);
  const builddir = path.join(checkout, 'b');
  const python311 = spawnSync('sh', ['-c', 'command -v python3.11'], { encoding: 'utf8' }).stdout.trim();
  assert.match(text, /^\[4\/7\] build machine's Python 3\.11 \(freezes the modules\)$/m);
  assert.ok(text.includes(`[5/7] meson setup ${builddir} ${checkout} --cross-file ${path.join(crossDir, 'aarch64-linux-gnu.ini')} -Dbuild_python=${python311}\n`), text);
  assert.match(text, /Message: cross: true build_python: /);
  assert.ok(text.includes(`[7/7] qemu-aarch64 ${builddir}/python -c `), text);
  assert.match(text, /^ {6}hello from aarch64$/m);
  // The build dir stays an aarch64 one: a native build into it is refused, naming the cross file.
  await runBuild({ checkout, builddir: 'b', cpythonVersion: null, force: false, mesonOptions: [] }, deps).then(
    () => assert.unreachable('a native build into a cross build dir'),
    (e: unknown) => {
      assert.instance(e, CpmError);
      assert.is((e as CpmError).oneLine(), `${builddir}: is configured for the cross file ${path.join(crossDir, 'aarch64-linux-gnu.ini')}; a native build needs another build dir`);
    },
  );
  // A --build-python of another X.Y is refused before setup.
  await runBuild({ checkout, builddir: 'b2', cpythonVersion: null, force: false, mesonOptions: [], cross: 'aarch64-linux-gnu', buildPython: process.execPath }, deps).then(
    () => assert.unreachable('node is no Python 3.11'),
    (e: unknown) => {
      assert.instance(e, CpmError);
      assert.is((e as CpmError).oneLine(), `${process.execPath}: does not run; the cross build needs a Python 3.11 for the build machine (configure --with-build-python)`);
    },
  );
});

test('build --cross without a Python of the X.Y on PATH builds one natively beside the build dir, and reuses it', async () => {
  if (!have('aarch64-linux-gnu-gcc') || !have('qemu-aarch64')) {
    console.log('  (skipping: aarch64-linux-gnu-gcc or qemu-aarch64 missing; run .ci/install-cross-deps.sh)');
    return;
  }
  const checkout = tempDir();
  const out: string[] = [];
  // CPython 3.98: no python3.98 anywhere.
  const deps = { generate: () => tinyCrossProject(98), out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`), env: process.env, cwd: checkout, toolOutput: 'lines' as const };
  const options = { checkout, builddir: 'x', cpythonVersion: null, force: false, mesonOptions: [], cross: 'aarch64-linux-gnu' };
  assert.is(await runBuild(options, deps), 0, out.join('\n'));
  const text = out.join('\n');
  const native = path.join(checkout, 'x-build-python');
  assert.ok(text.includes(`      no python3.98 on PATH: building one natively from the same checkout in ${native}`), text);
  assert.match(text, /Message: cross: false build_python: $/m, 'the build Python is a native build');
  assert.ok(text.includes(`-Dbuild_python=${native}/python\n`), text);
  assert.match(text, /^ {6}hello from aarch64$/m);
  assert.is(readFileSync(path.join(native, 'python')).readUInt16LE(18), 62, 'the build Python is an x86-64 program');
  out.length = 0;
  assert.is(await runBuild(options, deps), 0, out.join('\n'));
  assert.match(out.join('\n'), /ninja: no work to do/, 'the native build is kept and only brought up to date');
});

test('the cross answers name only run tests of the manifests, and every target answers every run test', async () => {
  const manifests = await loadManifests();
  const runTests = new Set<string>();
  for (const m of manifests) for (const [macro, c] of Object.entries(m.pyconfig.checks)) if (c.kind === 'runs') runTests.add(macro);
  for (const [target, answers] of Object.entries(crossAnswers)) {
    for (const macro of Object.keys(answers)) assert.ok(runTests.has(macro), `${target}: ${macro} is no run test of any manifest`);
  }
  assert.ok(Object.keys(crossAnswers).includes('aarch64-linux-gnu'));
  for (const [target, answers] of Object.entries(crossAnswers)) assert.equal(Object.keys(answers).sort(), [...runTests].sort(), `${target} answers every run test`);
});

test("dist: a cross build's exe wrapper comes from the cross file recorded in cmd_line.txt; without one, one line", async () => {
  const build = tempDir();
  mkdirSync(path.join(build, 'meson-private'));
  const env = { PATH: process.env.PATH ?? '' };
  assert.equal(await exeWrapperOf(build, env), [], 'no cmd_line.txt: native');
  writeFileSync(path.join(build, 'meson-private/cmd_line.txt'), '[options]\nbuild_python = /usr/bin/python3\n\n');
  assert.equal(await exeWrapperOf(build, env), [], 'no cross_file: native');
  const ini = path.join(build, 'x.ini');
  writeFileSync(ini, "[binaries]\nc = 'cc'\nexe_wrapper = ['sh', '-e']\n");
  writeFileSync(path.join(build, 'meson-private/cmd_line.txt'), `[options]\n\n[properties]\ncross_file = ['${ini}']\n`);
  const sh = spawnSync('sh', ['-c', 'command -v sh'], { encoding: 'utf8' }).stdout.trim();
  assert.equal(await exeWrapperOf(build, env), [sh, '-e']);
  writeFileSync(ini, "[binaries]\nc = 'cc'\n");
  await exeWrapperOf(build, env).then(
    () => assert.unreachable(),
    (e: unknown) => assert.is((e as CpmError).oneLine(), `${ini}: a cross build whose cross file has no exe_wrapper: dist runs the staged interpreter to describe it`),
  );
});

test.run();
