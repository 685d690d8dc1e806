// wasm32-wasi (docs/cross.md, WASI): what the manifests say about WASI (modules configure marks
// not available, the config.site answers, the system libraries and arguments) and how the model
// and the emitter carry it, and the Node runner the cross file names as its exe_wrapper.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import manifest311 from '../cpython-manifests/3.11.js';
import manifest312 from '../cpython-manifests/3.12.js';
import manifest313 from '../cpython-manifests/3.13.js';
import { baseManifest, modulesNotOnWasi } from '../cpython-manifests/common/base.js';
import { wasiSite } from '../cpython-manifests/common/pyconfig.js';
import { crossBinaries, resolveCross, type CrossTarget } from '../generator/cli/cross.js';
import { renderPyconfigData } from '../generator/emit/pyconfig.js';
import type { Manifest, PyconfigSpec } from '../generator/manifest/types.js';
import { buildModules } from '../generator/model/build-model.js';
import { buildPyconfigModel } from '../generator/model/pyconfig.js';
import { parseMakefile } from '../generator/scan/makefile.js';
import { parsePyconfigIn } from '../generator/scan/pyconfig-in.js';
import { parseSetup } from '../generator/scan/setup.js';
import type { ScanResult } from '../generator/scan/types.js';
import { repoRoot, throwsCpm } from './scan-helpers.js';

const runner = path.join(repoRoot, 'meson-templates/cross/wasi-run.mjs');
const echoArgs = path.join(repoRoot, 'spec/fixtures/wasi/echo-args.wasm');

// ---- modules

const STDLIB = `*@MODULE_BUILDTYPE@*
@MODULE_GRP_TRUE@grp grpmodule.c
@MODULE_MATH_TRUE@math mathmodule.c
@MODULE__DBM_TRUE@_dbm _dbmmodule.c
*shared*
@MODULE_XXLIMITED_TRUE@xxlimited xxlimited.c
`;

function scanOf(): ScanResult {
  return {
    version: { semver: '3.99.0' },
    setup: [parseSetup('Modules/Setup.stdlib.in', STDLIB)],
    makefile: parseMakefile('Makefile.pre.in', ''),
  } as unknown as ScanResult;
}

function manifestOf(over: Partial<Manifest> = {}): Manifest {
  return { ...baseManifest, series: '3.99', range: '>=3.99.0-0', status: 'generated-only', dependencies: {}, modules: {}, ...over };
}

test('modulesNotOn: a listed module is missing on that system, with the reason; the others and absent names are left alone', () => {
  const warnings: string[] = [];
  const mods = buildModules(scanOf(), manifestOf({ modulesNotOn: { wasi: { modules: ['grp', 'xxlimited', 'no_such_module'], reason: 'not on WASI' } } }), warnings);
  const by = (n: string) => mods.find((m) => m.name === n);
  assert.is(by('grp')?.when, "py_system != 'wasi'");
  assert.is(by('grp')?.whenReason, 'not on WASI');
  assert.is(by('xxlimited')?.when, "py_system != 'wasi'");
  assert.is(by('math')?.when, null);
  assert.equal(warnings, [], 'a name this checkout lacks is no warning (configure lists span series)');
});

test('modulesNotOn: a module with a condition of its own keeps it, after the system\'s', () => {
  const m = manifestOf({ modules: { _dbm: { when: "py_system == 'linux'", whenReason: 'Linux only here' } }, modulesNotOn: { wasi: { modules: ['_dbm'], reason: 'not on WASI' } } });
  const dbm = buildModules(scanOf(), m, []).find((x) => x.name === '_dbm');
  assert.is(dbm?.when, "py_system != 'wasi' and (py_system == 'linux')");
  assert.is(dbm?.whenReason, 'not on WASI; elsewhere: Linux only here');
});

test("the real manifests: configure's WASI list, and every series names the base's", () => {
  for (const name of ['_posixsubprocess', '_multiprocessing', 'grp', 'pwd', 'resource', 'fcntl', 'mmap', 'termios', '_testmultiphase', 'xxlimited']) {
    assert.ok(modulesNotOnWasi.modules.includes(name), name);
  }
  for (const name of ['_socket', 'select', '_json', 'math', '_testcapi', 'zlib']) assert.not.ok(modulesNotOnWasi.modules.includes(name), name);
  for (const m of [manifest311, manifest312, manifest313]) assert.equal(m.modulesNotOn?.['wasi'], modulesNotOnWasi, m.series);
});

// ---- pyconfig: config.site

const PYCONFIG_IN = `/* Define to 1 if you have the \`pipe' function. */
#undef HAVE_PIPE

/* Define to 1 if you have the \`chmod' function. */
#undef HAVE_CHMOD

/* Define to 1 if you have the <sys/resource.h> header file. */
#undef HAVE_SYS_RESOURCE_H

/* Define if --enable-ipv6 is specified */
#undef ENABLE_IPV6

/* Define to 1 if you have the \`inflateCopy' function. */
#undef HAVE_ZLIB_COPY
`;

function siteSpec(configSite: PyconfigSpec['configSite']): PyconfigSpec {
  return {
    checkPrefix: '',
    prefixHeaders: [],
    checks: {
      ENABLE_IPV6: { kind: 'compiles', headers: ['netinet/in.h'], code: 'int main(void) { return AF_INET6; }\n', why: 'AF_INET6.' },
      HAVE_ZLIB_COPY: { kind: 'function', function: 'inflateCopy', headers: ['zlib.h'], deps: ['zlib'], why: 'zlib.' },
    },
    undefined: {},
    configSite,
  };
}

test("configSite: per target, sorted, only this checkout's macros, each with its reason", () => {
  const parsed = parsePyconfigIn('pyconfig.h.in', PYCONFIG_IN);
  const { model } = buildPyconfigModel(parsed, siteSpec({ 'wasm32-wasi': { HAVE_PIPE: 'no pipe.', ENABLE_IPV6: 'ipv6=no.', HAVE_READV: 'not in this series.' }, 'a-b': { HAVE_CHMOD: 'c.' } }));
  assert.equal(model.configSite, [
    { target: 'a-b', macros: [{ macro: 'HAVE_CHMOD', why: 'c.' }] },
    {
      target: 'wasm32-wasi',
      macros: [
        { macro: 'ENABLE_IPV6', why: 'ipv6=no.' },
        { macro: 'HAVE_PIPE', why: 'no pipe.' },
      ],
    },
  ]);
  const data = renderPyconfigData(model, []);
  assert.match(data, /pyconfig_site_undefined = \{\n {4}'a-b': \[\n {8}# c\.\n {8}'HAVE_CHMOD',\n {4}\],\n {4}'wasm32-wasi': \[\n {8}# ipv6=no\.\n {8}'ENABLE_IPV6',\n {8}# no pipe\.\n {8}'HAVE_PIPE',\n {4}\],\n\}/);
  assert.match(renderPyconfigData(buildPyconfigModel(parsed, siteSpec(undefined)).model, []), /pyconfig_site_undefined = \{\}/);
});

test("configSite: a library's check (deps) cannot be skipped", () => {
  const parsed = parsePyconfigIn('pyconfig.h.in', PYCONFIG_IN);
  throwsCpm(() => buildPyconfigModel(parsed, siteSpec({ 'wasm32-wasi': { HAVE_ZLIB_COPY: 'x' } })), "configSite['wasm32-wasi'].HAVE_ZLIB_COPY: a check with deps");
});

test("the real manifests: each series' config.site-wasm32-wasi (3.12 adds the vectored I/O, 3.13 WASI SDK 22's stubs)", () => {
  const s311 = wasiSite('3.11');
  const s312 = wasiSite('3.12');
  const s313 = wasiSite('3.13');
  for (const m of ['HAVE_PIPE', 'HAVE_SYS_RESOURCE_H', 'HAVE_FDOPENDIR', 'HAVE_SYS_UN_H', 'HAVE_DEV_PTMX', 'ENABLE_IPV6', '_REENTRANT']) {
    assert.ok(m in s311 && m in s312 && m in s313, m);
  }
  assert.not.ok('HAVE_READV' in s311);
  assert.ok('HAVE_READV' in s312 && 'HAVE_READV' in s313);
  assert.not.ok('HAVE_CHMOD' in s312);
  assert.ok('HAVE_CHMOD' in s313);
  assert.equal(manifest311.pyconfig.configSite, { 'wasm32-wasi': s311 });
  assert.equal(manifest312.pyconfig.configSite, { 'wasm32-wasi': s312 });
  assert.equal(manifest313.pyconfig.configSite, { 'wasm32-wasi': s313 });
  for (const [macro, why] of Object.entries(s313)) assert.ok(why.length > 15, macro);
});

test('the real manifests: WASI libraries, pthread stubs and link arguments per series', () => {
  const wasiLibs = baseManifest.core.systemLibraries.filter((l) => l.when === "host_machine.system() == 'wasi'");
  assert.equal(
    wasiLibs.map((l) => [l.name, l.required, l.checks]),
    [
      ['wasi-emulated-signal', true, true],
      ['wasi-emulated-getpid', true, true],
      ['wasi-emulated-process-clocks', true, true],
    ],
  );
  assert.is(baseManifest.core.systemLibraries.find((l) => l.name === 'threads')?.when, "host_machine.system() != 'wasi'");
  for (const macro of ['HAVE_PTHREAD_STUBS', '_WASI_EMULATED_SIGNAL', '_WASI_EMULATED_GETPID', '_WASI_EMULATED_PROCESS_CLOCKS']) {
    const c = baseManifest.pyconfig.checks[macro];
    assert.ok(c?.kind === 'expr' && c.when === "host_machine.system() == 'wasi'", macro);
  }
  assert.ok(manifest313.core.systemArgs?.['wasi']?.linkArgs.includes('-Wl,-z,stack-size=8388608'));
  assert.ok(manifest311.core.systemArgs?.['wasi']?.linkArgs.includes('-Wl,-z,stack-size=524288'));
  assert.equal(manifest313.core.stubs?.map((s) => [s.source, s.stub, s.unless]), [['Python/dynload_shlib.c', 'Python/dynload_stub.c', 'HAVE_DLOPEN']]);
});

// ---- the runner

function run(args: string[], cwd = repoRoot) {
  return spawnSync(process.execPath, [runner, ...args], { encoding: 'utf8', cwd, env: { ...process.env, WASI_TEST: 'x' } });
}

test('wasi-run.mjs: argv[0] is the absolute path of the module, the arguments follow, the exit status is the program\'s', () => {
  const r = run([path.relative(repoRoot, echoArgs), 'a', 'b c', '']);
  assert.is(r.stdout, `${echoArgs}\na\nb c\n\n`);
  assert.is(r.status, 4);
  assert.is(r.stderr, '', 'no ExperimentalWarning from node:wasi');
});

test('wasi-run.mjs: usage without a module, one line for a module that cannot be read', () => {
  const none = run([]);
  assert.is(none.status, 2);
  assert.match(none.stderr, /^usage: node wasi-run\.mjs <module\.wasm> \[argument \.\.\.\]\n$/);
  const missing = run(['/nonexistent/x.wasm']);
  assert.is(missing.status, 1);
  assert.is(missing.stderr.trim().split('\n').length, 1);
  assert.match(missing.stderr, /^wasi-run: \/nonexistent\/x\.wasm: cannot read the module: ENOENT/);
});

test('wasm32-wasi.ini names the runner and the linker-flag filter beside it', () => {
  const ini = readFileSync(path.join(repoRoot, 'meson-templates/cross/wasm32-wasi.ini'), 'utf8');
  assert.match(ini, /exe_wrapper = \['node', '@DIRNAME@' \/ 'wasi-run\.mjs'\]/);
  assert.match(ini, /'@DIRNAME@' \/ 'wasm-ld-filter'/);
  assert.match(ini, /system = 'wasi'\ncpu_family = 'wasm32'/);
  const filter = spawnSync(path.join(repoRoot, 'meson-templates/cross/wasm-ld-filter'), ['printf', '[%s]', 'a b', '-Wl,--start-group', '-lm', '-Wl,--end-group', ''], { encoding: 'utf8' });
  assert.is(filter.stdout, '[a b][-lm][]');
});

test("crossBinaries: '@DIRNAME@' / 'name' is a file beside the machine file; arrays may continue on indented lines", () => {
  const file = path.join(repoRoot, 'meson-templates/cross/wasm32-wasi.ini');
  const b = crossBinaries(readFileSync(file, 'utf8'), file);
  assert.equal(b.get('c')?.slice(0, 3), [path.join(repoRoot, 'meson-templates/cross/wasm-ld-filter'), 'clang-16', '--target=wasm32-wasi']);
  assert.equal(b.get('exe_wrapper'), ['node', path.join(repoRoot, 'meson-templates/cross/wasi-run.mjs')]);
  const multi = crossBinaries("[binaries]\nc = [\n    'cc', '/usr/x' / 'y',\n    '-O1',\n    ]\n", '/d/f.ini');
  assert.equal(multi.get('c'), ['cc', '/usr/x/y', '-O1']);
  throwsCpm(() => crossBinaries("[binaries]\nc = ['a' 'b']\n", 'f.ini'), "f.ini: line 2: expected name = 'command' or name = ['word', ...] in [binaries]");
  throwsCpm(() => crossBinaries("[binaries]\nc = []\n", 'f.ini'), 'line 2');
});

test('resolveCross: a WASI-like target checks the compiler behind the filter and each probe, naming its package', () => {
  const dir = path.join(repoRoot, 'meson-templates/cross');
  const target = (over: Partial<CrossTarget>): Record<string, CrossTarget> => ({
    'wasm32-wasi': {
      toolchain: 'clang-16',
      compiler: 'node',
      probes: [{ file: echoArgs, package: 'x' }],
      sysrootProbe: echoArgs,
      wrapper: 'nodejs',
      runtimeProbe: echoArgs,
      runtime: 'wasi-libc',
      installer: '.ci/install-cross-deps.sh',
      interpreter: 'python.wasm',
      ...over,
    },
  });
  const ok = resolveCross('wasm32-wasi', process.env, dir, target({}));
  assert.equal([ok.interpreter, ok.exeWrapper, ok.notes], ['python.wasm', ['node', path.join(dir, 'wasi-run.mjs')], []]);
  throwsCpm(() => resolveCross('wasm32-wasi', process.env, dir, target({ compiler: 'clang-nonexistent' })), "the cross compiler clang-nonexistent is not on PATH: install Debian's clang-16");
  throwsCpm(
    () => resolveCross('wasm32-wasi', process.env, dir, target({ probes: [{ file: '/nonexistent/wasm-ld-16', package: 'lld-16' }] })),
    "/nonexistent/wasm-ld-16 is missing: install Debian's lld-16 (or run .ci/install-cross-deps.sh)",
  );
});

test.run();
