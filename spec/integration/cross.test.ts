// Cross build for aarch64-linux-gnu (issue 13, docs/cross.md): `cpython-meson build --cross` with
// Debian's cross gcc, the arm64 -dev libraries of dpkg multiarch and qemu-user as exe wrapper;
// the shared native build's python is the build machine's Python. Then: the interpreter is an
// aarch64 one (SOABI, multiarch triplet, platform), the run tests' answers under qemu are the
// manifest's, a cross file without exe_wrapper configures to the same pyconfig.h with the tests
// left out, a target the manifests do not know stops setup naming the property, and CPython's
// test_grammar test_dict test_sys test_struct test_ctypes test_sqlite3 pass under qemu through
// `meson test`. Needs .ci/install-cross-deps.sh (CI runs it); skipped with a line without it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crossAnswers } from '../../cpython-manifests/common/cross.js';
import { crossDir } from '../../generator/cli/cross.js';
import { CPYTHON_VERSION, cli, ensureBuild, run, workTree, type Built } from './shared.js';

const TARGET = 'aarch64-linux-gnu';
const TESTS = ['test_grammar', 'test_dict', 'test_sys', 'test_struct', 'test_ctypes', 'test_sqlite3'];
const have = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['aarch64-linux-gnu-gcc', 'qemu-aarch64'].filter((c) => !have(c));
const cache = process.env.CPYTHON_MESON_CACHE ?? '';

let native: Built;
let build = '';
let buildOutput = '';

/** The macros pyconfig.h defines: name -> value. */
function defines(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of readFileSync(file, 'utf8').matchAll(/^#define ([A-Za-z_]\w*)(?: (.*))?$/gm)) out.set(m[1] ?? '', m[2] ?? '');
  return out;
}

/** Seconds of a `build` step from its "done (x s, y s total)" line after the step's header. */
function stepSeconds(output: string, header: RegExp): number {
  const lines = output.split('\n');
  const i = lines.findIndex((l) => header.test(l));
  for (const l of lines.slice(i + 1)) {
    const m = /^ {6}(?:done|\S.*) \((\d+\.\d) s, \d+\.\d s total\)$/.exec(l);
    if (m) return Number(m[1]);
  }
  return NaN;
}

test.before(async () => {
  if (missing.length) return;
  native = await ensureBuild('builtin');
  const src = await workTree();
  build = path.join(cache || path.dirname(path.dirname(native.build)), 'work', `build-${CPYTHON_VERSION}-${TARGET}`);
  const r = run(process.execPath, [cli, 'build', src, build, '--cross', TARGET, '--build-python', native.python], { timeout: 60 * 60 * 1000 });
  buildOutput = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0) throw new Error(`build --cross ${TARGET} failed (exit ${r.status}):\n${buildOutput.slice(-6000)}`);
  console.log(
    `  cross build ${TARGET}: meson setup ${stepSeconds(buildOutput, /^\[5\/7\] meson setup/).toFixed(0)} s, ninja ${stepSeconds(buildOutput, /^\[6\/7\] ninja/).toFixed(0)} s (build machine's Python: the shared native build's; that build in this run: setup ${native.setupSeconds.toFixed(0)} s, ninja ${native.buildSeconds.toFixed(0)} s)`,
  );
});

test(`build --cross ${TARGET}: an aarch64 interpreter that says hello under qemu`, () => {
  if (missing.length) {
    console.log(`  (skipping the ${TARGET} cross build: ${missing.join(', ')} missing; run .ci/install-cross-deps.sh)`);
    return;
  }
  // Set up now or in an earlier run (the build dir is kept): meson recorded the cross file and the build Python.
  const crossFile = path.join(crossDir, `${TARGET}.ini`);
  assert.ok(buildOutput.includes(`--cross-file ${crossFile} -Dbuild_python=${native.python}`) || buildOutput.includes(`${build} is already configured`), buildOutput.slice(-3000));
  const cmdLine = readFileSync(path.join(build, 'meson-private/cmd_line.txt'), 'utf8');
  assert.ok(cmdLine.includes(`build_python = ${native.python}\n`), cmdLine);
  assert.ok(cmdLine.includes(`cross_file = ['${crossFile}']\n`), cmdLine);
  assert.match(buildOutput, new RegExp(`^\\[7/7\\] \\S*qemu-aarch64 ${build}/python -c `, 'm'));
  assert.match(buildOutput, new RegExp(`^ {6}hello from ${CPYTHON_VERSION.replace(/\./g, '\\.')} `, 'm'));
  // ELF e_machine 183: AArch64.
  const elf = readFileSync(path.join(build, 'python'));
  assert.is(elf.readUInt16LE(18), 183, 'python is an aarch64 ELF executable');
  const facts = run('qemu-aarch64', [
    path.join(build, 'python'),
    '-c',
    "import json, platform, sys, sysconfig; print(json.dumps([sys.implementation._multiarch, sysconfig.get_config_var('SOABI'), sysconfig.get_config_var('EXT_SUFFIX'), sysconfig.get_config_var('MULTIARCH'), sysconfig.get_platform(), platform.machine()]))",
  ]);
  assert.is(facts.status, 0, facts.stderr);
  assert.equal(JSON.parse(facts.stdout), [TARGET, 'cpython-313-aarch64-linux-gnu', '.cpython-313-aarch64-linux-gnu.so', TARGET, 'linux-aarch64', 'aarch64']);
});

test("the run tests' results under qemu are the manifest's answers for the target", () => {
  if (missing.length) return;
  const got = defines(path.join(build, 'pyconfig.h'));
  const answers = crossAnswers[TARGET] ?? {};
  const text = readFileSync(path.join(build, 'pyconfig.h'), 'utf8');
  let compared = 0;
  for (const [macro, defined] of Object.entries(answers)) {
    if (!new RegExp(`\\b${macro}\\b`).test(text)) continue; // not in this series' pyconfig.h.in
    assert.is(got.has(macro), defined, `${macro}: qemu says ${got.has(macro)}, the manifest ${defined}`);
    compared++;
  }
  assert.is(compared, 11);
});

test('a cross file without exe_wrapper: same pyconfig.h from the answers, tests left out with a message; an unknown target stops naming the property', () => {
  if (missing.length) return;
  const dir = path.join(path.dirname(build), `cross-files-${TARGET}`);
  mkdirSync(dir, { recursive: true });
  const original = readFileSync(path.join(crossDir, `${TARGET}.ini`), 'utf8');
  const noWrapper = path.join(dir, 'no-wrapper.ini');
  writeFileSync(noWrapper, original.replace(/^exe_wrapper = .*$/m, ''));
  const src = native.src;
  const b2 = path.join(path.dirname(build), `build-${CPYTHON_VERSION}-${TARGET}-no-wrapper`);
  rmSync(b2, { recursive: true, force: true });
  const opts = ['--cross-file', noWrapper, `-Dbuild_python=${native.python}`];
  const setup = run('meson', ['setup', b2, src, ...opts]);
  assert.is(setup.status, 0, setup.stdout.slice(-3000) + setup.stderr);
  assert.match(setup.stdout, /Message: the cross file has no exe_wrapper: `meson test` skips the interpreter tests and CPython's test suite is not listed \(docs\/cross\.md\)/);
  assert.equal(readFileSync(path.join(b2, 'pyconfig.h'), 'utf8'), readFileSync(path.join(build, 'pyconfig.h'), 'utf8'), 'the same pyconfig.h as under qemu');
  const list = run('meson', ['test', '-C', b2, '--list', '--no-rebuild']);
  assert.is(list.status, 0, list.stderr);
  assert.not.match(list.stdout, /test_grammar/, 'no regrtest tests');
  assert.match(list.stdout, /interpreter/);
  rmSync(b2, { recursive: true, force: true });

  // The same compiler presented as another CPU: the manifests have no answers for it.
  const unknown = path.join(dir, 'unknown-target.ini');
  writeFileSync(unknown, original.replace(/^exe_wrapper = .*$/m, '').replace(/^cpu_family = .*$/m, "cpu_family = 'riscv64'").replace(/^cpu = .*$/m, "cpu = 'riscv64'"));
  const b3 = `${b2}-unknown`;
  rmSync(b3, { recursive: true, force: true });
  const bad = run('meson', ['setup', b3, src, '--cross-file', unknown, `-Dbuild_python=${native.python}`]);
  rmSync(b3, { recursive: true, force: true });
  assert.is(bad.status, 1);
  const error = bad.stdout.split('\n').find((l) => l.includes('ERROR:')) ?? '';
  assert.match(
    error,
    /ERROR: Problem encountered: HAVE_ALIGNED_REQUIRED needs a test program run on riscv64-linux-gnu, and the cross file has no exe_wrapper nor the manifest answers for this target \(it knows aarch64-linux-gnu.*\): set cpython_have_aligned_required = true or false in its \[properties\] \(docs\/cross\.md\)$/,
  );
});

test(`meson test under qemu: ${TESTS.join(' ')} and the interpreter's own tests pass`, () => {
  if (missing.length) return;
  const t0 = Date.now();
  const r = run('meson', ['test', '-C', build, '--no-rebuild', '--num-processes', '2', 'interpreter', 'builtin-modules', ...TESTS], { timeout: 40 * 60 * 1000 });
  const seconds = (Date.now() - t0) / 1000;
  const log = existsSync(path.join(build, 'meson-logs/testlog.txt')) ? readFileSync(path.join(build, 'meson-logs/testlog.txt'), 'utf8') : '';
  assert.is(r.status, 0, `${r.stdout.slice(-4000)}\n${log.slice(-6000)}`);
  assert.match(r.stdout, new RegExp(`^Ok: +${TESTS.length + 2}\\s*$`, 'm'));
  assert.match(r.stdout, /^Fail: +0\s*$/m);
  // Each regrtest test ran its cases under qemu.
  const runs = [...log.matchAll(/Total tests: run=([\d,]+)/g)].map((m) => Number((m[1] ?? '0').replace(/,/g, '')));
  assert.is(runs.length, TESTS.length);
  for (const n of runs) assert.ok(n > 0);
  console.log(`  under qemu: ${TESTS.length} test files, ${runs.reduce((a, b) => a + b, 0)} test cases, ${seconds.toFixed(0)} s`);
});

test('dist of the cross build: PYTHON.json describes the aarch64 target, not the build machine', () => {
  if (missing.length) return;
  const out = path.join(path.dirname(build), `dist-${TARGET}`);
  rmSync(out, { recursive: true, force: true });
  const r = run(process.execPath, [cli, 'dist', build, '--out', out, '--archive', 'none'], { timeout: 30 * 60 * 1000 });
  assert.is(r.status, 0, `${r.stdout.slice(-3000)}\n${r.stderr}`);
  const json = JSON.parse(readFileSync(path.join(out, 'python/PYTHON.json'), 'utf8')) as {
    target_triple: string;
    python_platform_tag: string;
    python_suffixes: { extension: string[] };
    crt_features: string[];
    python_config_vars: Record<string, string>;
  };
  assert.is(json.target_triple, 'aarch64-unknown-linux-gnu');
  assert.is(json.python_platform_tag, 'linux-aarch64');
  assert.is(json.python_suffixes.extension[0], '.cpython-313-aarch64-linux-gnu.so');
  assert.ok(json.crt_features.includes('glibc-dynamic'), json.crt_features.join(' '));
  assert.is(json.python_config_vars.MULTIARCH, TARGET);
  // meson install byte-compiled the stdlib with the build machine's Python (same X.Y, same magic).
  const pycache = path.join(out, 'python/install/lib/python3.13/__pycache__');
  assert.ok(existsSync(path.join(pycache, 'compileall.cpython-313.pyc')), 'compileall ran at install');
  assert.ok(existsSync(path.join(pycache, 'compileall.cpython-313.opt-2.pyc')), 'compileall ran with -OO too');
  rmSync(out, { recursive: true, force: true });
});

test.run();
