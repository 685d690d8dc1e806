// `cpython-meson dist` without a build: reading Meson's introspection and
// cpython-meson-dist.json, and turning them into PYTHON.json (generator/dist/).
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../generator/cli/main.js';
import { CpmError } from '../generator/errors.js';
import { parseDistInfo, parseIntrospection, type IntroTarget } from '../generator/dist/introspect.js';
import { pathsNamed, PYTHON_JSON, validatePbsPythonJson } from '../generator/dist/pbs-format.js';
import { buildOptions, buildPythonJson, linksOf, parseInittab, targetTriple, type RuntimeFacts } from '../generator/dist/python-json.js';

const B = '/b';
const S = '/src';

function target(name: string, type: string, file: string, sources: string[], dependencies: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    id: `${name}@x`,
    type,
    defined_in: `${S}/meson.build`,
    filename: [file],
    build_by_default: true,
    target_sources: [{ language: 'c', machine: 'host', compiler: ['cc'], parameters: [`-I${file}.p`, '-fdiagnostics-color=always', '-O3', '-DPy_BUILD_CORE'], sources, generated_sources: [], unity_sources: [] }],
    extra_files: [],
    subproject: null,
    dependencies,
    depends: [],
    installed: false,
    ...extra,
  };
}

/** A trimmed `meson introspect --targets --dependencies --projectinfo --buildoptions --machines`. */
const INTRO = {
  targets: [
    target('python-core', 'static library', `${B}/libpython-core.a`, [`${S}/Python/ceval.c`, `${S}/Objects/object.c`], ['threads', 'm', 'util']),
    target('python-config', 'static library', `${B}/libpython-config.a`, [`${B}/config.c`], []),
    target('python3.13', 'static library', `${B}/libpython3.13.a`, [`${S}/Python/frozen.c`], ['threads', 'm', 'util', 'openssl', 'bz2'], {
      installed: true,
      install_filename: ['/opt/py/lib/libpython3.13.a'],
    }),
    target('expat-bundled', 'static library', `${B}/Modules/libexpat-bundled.a`, [`${S}/Modules/expat/xmlparse.c`], []),
    target('mod-_ssl', 'static library', `${B}/Modules/libmod-_ssl.a`, [`${S}/Modules/_ssl.c`], ['threads', 'm', 'util', 'openssl']),
    target('mod-_bz2', 'static library', `${B}/Modules/libmod-_bz2.a`, [`${S}/Modules/_bz2module.c`], ['threads', 'm', 'util', 'bz2']),
    target('mod-pyexpat', 'static library', `${B}/Modules/libmod-pyexpat.a`, [`${S}/Modules/pyexpat.c`], ['threads', 'm', 'util', 'dep1234']),
    target('mod-_tkinter', 'static library', `${B}/Modules/libmod-_tkinter.a`, [`${S}/Modules/_tkinter.c`], ['threads', 'm', 'util', 'tk', 'x11']),
    target('mod-posix', 'static library', `${B}/Modules/libmod-posix.a`, [`${S}/Modules/posixmodule.c`], ['threads', 'm', 'util']),
    target('_testcapi', 'shared module', `${B}/Modules/_testcapi.cpython-313-x86_64-linux-gnu.so`, [`${S}/Modules/_testcapimodule.c`], ['threads', 'm', 'util'], {
      installed: true,
      install_filename: ['/opt/py/lib/python3.13/lib-dynload/_testcapi.cpython-313-x86_64-linux-gnu.so'],
    }),
    {
      ...target('python', 'executable', `${B}/python`, [`${S}/Programs/python.c`], ['threads', 'm', 'util', 'openssl', 'bz2']),
      target_sources: [
        { language: 'c', machine: 'host', compiler: ['cc'], parameters: [], sources: [`${S}/Programs/python.c`], generated_sources: [] },
        { linker: ['cc'], parameters: ['-Wl,--as-needed', 'libpython3.13.a', '/usr/lib/x86_64-linux-gnu/libbz2.a', '-lm'] },
      ],
    },
    { name: 'os.h', id: 'os.h@cus', type: 'custom', filename: [`${B}/Python/frozen_modules/os.h`], target_sources: [], dependencies: [] },
  ],
  dependencies: [
    { name: 'threads', type: 'system', version: 'unknown', compile_args: ['-pthread'], link_args: ['-pthread'] },
    { name: 'm', type: 'library', version: 'unknown', compile_args: [], link_args: ['-lm'] },
    { name: 'util', type: 'library', version: 'unknown', compile_args: [], link_args: ['/usr/lib/x86_64-linux-gnu/libutil.a'] },
    { name: 'openssl', type: 'pkgconfig', version: '3.0.22', compile_args: [], link_args: ['/usr/lib/x86_64-linux-gnu/libssl.a', '-ldl', '/usr/lib/x86_64-linux-gnu/libcrypto.a'] },
    { name: 'tk', type: 'pkgconfig', version: '8.6.13', compile_args: [], link_args: ['/usr/lib/x86_64-linux-gnu/libtk8.6.a', '-ldl'] },
    { name: 'x11', type: 'pkgconfig', version: '1.8.4', compile_args: [], link_args: ['/usr/lib/x86_64-linux-gnu/libX11.a'] },
    { name: 'dep1234', type: 'internal', version: '3.13.15', compile_args: [], link_args: [] },
  ],
  projectinfo: { version: '3.13.15', descriptive_name: 'cpython', license: ['PSF-2.0'], license_files: [] },
  buildoptions: [
    { name: 'prefix', value: '/opt/py', section: 'directory', type: 'string' },
    { name: 'bindir', value: 'bin', section: 'directory', type: 'string' },
    { name: 'prefer_static', value: true, section: 'core', type: 'boolean' },
    { name: 'c_args', value: [], section: 'compiler', type: 'array' },
  ],
  machines: { host: { system: 'linux', cpu_family: 'x86_64', cpu: 'x86_64', endian: 'little' } },
};

/** cpython-meson-dist.json as Tools/meson/cpython_meson.py dist-info writes it. */
const DIST_INFO = {
  core_targets: ['python-core', 'python-config'],
  main_target: 'python',
  libpython_target: 'python3.13',
  licenses: ['PSF-2.0'],
  dependencies: {
    openssl: { name: 'openssl', type: 'pkgconfig', license: 'Apache-2.0', target: null },
    bzip2: { name: '', type: 'library', license: 'bzip2-1.0.6', target: null },
    expat: { name: 'expat', type: 'internal', license: 'MIT', target: 'expat-bundled' },
    libm: { name: '', type: 'library', license: '', target: null },
    tcltk: { name: 'tcltk', type: 'internal', license: 'TCL', target: 'tcltk-bundled' },
  },
  modules: {
    _ssl: { kind: 'builtin', target: 'mod-_ssl', required: false, init_fn: 'PyInit__ssl', deps: ['openssl'] },
    _bz2: { kind: 'builtin', target: 'mod-_bz2', required: false, init_fn: 'PyInit__bz2', deps: ['bzip2'] },
    pyexpat: { kind: 'builtin', target: 'mod-pyexpat', required: false, init_fn: 'PyInit_pyexpat', deps: ['expat'] },
    _tkinter: { kind: 'builtin', target: 'mod-_tkinter', required: false, init_fn: 'PyInit__tkinter', deps: ['tcltk'] },
    posix: { kind: 'builtin', target: 'mod-posix', required: true, init_fn: 'PyInit_posix', deps: [] },
    _testcapi: { kind: 'shared', target: '_testcapi', required: false, init_fn: 'PyInit__testcapi', deps: [] },
  },
};

const RUNTIME: RuntimeFacts = {
  version: '3.13.15',
  abiflags: '',
  implName: 'cpython',
  cacheTag: 'cpython-313',
  hexversion: 0x30d0ff0,
  implVersion: ['3', '13', '15', 'final', '0'],
  platform: 'linux-x86_64',
  magic: 'f30d0d0a',
  suffixes: {
    bytecode: ['.pyc'],
    debug_bytecode: ['.pyc'],
    extension: ['.cpython-313-x86_64-linux-gnu.so', '.abi3.so', '.so'],
    optimized_bytecode: ['.pyc'],
    source: ['.py'],
  },
  paths: {
    stdlib: 'install/lib/python3.13',
    platstdlib: 'install/lib/python3.13',
    purelib: 'install/lib/python3.13/site-packages',
    platlib: 'install/lib/python3.13/site-packages',
    include: 'install/include/python3.13',
    platinclude: 'install/include/python3.13',
    scripts: 'install/bin',
    data: 'install',
  },
  pathsAbstract: { stdlib: '{installed_base}/{platlibdir}/python{py_version_short}', scripts: '{base}/bin', data: '{base}' },
  configVars: {
    SOABI: 'cpython-313-x86_64-linux-gnu',
    EXT_SUFFIX: '.cpython-313-x86_64-linux-gnu.so',
    HOST_GNU_TYPE: 'x86_64-pc-linux-gnu',
    MULTIARCH: 'x86_64-linux-gnu',
    LDVERSION: '3.13',
    HAVE_DYNAMIC_LOADING: '1',
    Py_DEBUG: '0',
    Py_GIL_DISABLED: '0',
    prefix: '/opt/py',
  },
  libpl: 'install/lib/python3.13/config-3.13-x86_64-linux-gnu',
  testPackages: ['idlelib.idle_test', 'test'],
  builtinModuleNames: ['posix', '_ssl'],
};

/** The tail of a generated config.c: the modules, then config.c.in's own entries. */
const CONFIG_C = `struct _inittab _PyImport_Inittab[] = {
    {"posix", PyInit_posix},
    {"_ssl", PyInit__ssl},

/* -- ADDMODULE MARKER 2 -- */

    /* This module lives in marshal.c */
    {"marshal", PyMarshal_Init},
    /* These entries are here for sys.builtin_module_names */
    {"builtins", NULL},
    {"sys", NULL},
    /* This lives in _warnings.c */
    {"_warnings", _PyWarnings_Init},
    /* Sentinel */
    {0, 0}
};`;

/** One object per source, named as Meson names them: <target output>.p/<source>.o. */
function objectsOf(t: IntroTarget): string[] {
  const out = t.filename[0] ?? '';
  return t.type === 'custom' ? [] : t.sources.map((s) => `${out}.p/${path.basename(s)}.o`).sort();
}

function build() {
  return buildPythonJson({
    intro: parseIntrospection(JSON.stringify(INTRO)),
    info: parseDistInfo(JSON.stringify(DIST_INFO)),
    buildDir: B,
    prefix: '/opt/py',
    objectsOf,
    runtime: RUNTIME,
    generator: 'cpython-meson test',
    licensePath: 'licenses/LICENSE.cpython.txt',
    crtFeatures: ['glibc-dynamic', 'glibc-max-symbol-version:2.34'],
    runTests: 'build/run_tests.py',
    inittab: parseInittab(CONFIG_C),
  });
}

test('parseIntrospection reads targets, dependencies, project, options and host machine', () => {
  const intro = parseIntrospection(JSON.stringify(INTRO));
  assert.is(intro.version, '3.13.15');
  assert.equal(intro.licenses, ['PSF-2.0']);
  assert.is(intro.options.get('prefix'), '/opt/py');
  assert.is(intro.options.get('prefer_static'), true);
  assert.not.ok(intro.options.has('c_args'), 'array options are left out');
  assert.is(intro.hostCpuFamily, 'x86_64');
  const py = intro.targets.find((t) => t.name === 'python');
  assert.equal(py?.linkParameters, ['-Wl,--as-needed', 'libpython3.13.a', '/usr/lib/x86_64-linux-gnu/libbz2.a', '-lm']);
  assert.equal(intro.targets.find((t) => t.name === 'mod-_ssl')?.sources, ['/src/Modules/_ssl.c']);
  assert.equal(intro.dependencies.find((d) => d.name === 'openssl')?.linkArgs.length, 3);
});

test('parseIntrospection and parseDistInfo name the file and the place of a malformed entry', () => {
  const broken = { ...INTRO, targets: [{ name: 3 }] };
  assert.throws(() => parseIntrospection(JSON.stringify(broken), 'intro.json'), (e: unknown) => e instanceof CpmError && e.oneLine() === 'intro.json: expected a string at targets[0].name');
  assert.throws(() => parseIntrospection('{', 'intro.json'), (e: unknown) => e instanceof CpmError && /^intro\.json: not valid JSON/.test(e.oneLine()));
  const badKind = { ...DIST_INFO, modules: { x: { kind: 'static', target: 'mod-x', required: false, init_fn: 'PyInit_x', deps: [] } } };
  assert.throws(() => parseDistInfo(JSON.stringify(badKind), 'd.json'), /modules\.x\.kind: expected builtin or shared/);
  const unknownDep = { ...DIST_INFO, modules: { x: { kind: 'builtin', target: 'mod-x', required: false, init_fn: 'PyInit_x', deps: ['nope'] } } };
  assert.throws(() => parseDistInfo(JSON.stringify(unknownDep), 'd.json'), /modules\.x\.deps: nope is not in dependencies/);
});

test('linksOf: -l and -pthread are system libraries, absolute archives are shipped under build/lib', () => {
  const copies = new Map<string, string>();
  const links = linksOf(['-L/opt/x', '-pthread', '-lm', '/usr/lib/libssl.a', '/usr/lib/libfoo.so.1', '-Wl,--as-needed'], copies);
  assert.equal(links, [
    { name: 'pthread', system: true },
    { name: 'm', system: true },
    { name: 'ssl', path_static: 'build/lib/libssl.a' },
    { name: 'foo', system: true },
  ]);
  assert.equal([...copies], [['build/lib/libssl.a', '/usr/lib/libssl.a']]);
});

test('PYTHON.json: format 8 identity, tags, paths, suffixes and licenses from the interpreter and the build', () => {
  const { json } = build();
  assert.is(json.version, '8');
  assert.is(json.target_triple, 'x86_64-unknown-linux-gnu');
  assert.is(json.build_options, 'noopt');
  assert.is(json.optimizations, 'noopt');
  assert.is(json.python_version, '3.13.15');
  assert.is(json.python_major_minor_version, '3.13');
  assert.is(json.python_tag, 'cp313');
  assert.is(json.python_abi_tag, 'cp313');
  assert.is(json.python_platform_tag, 'linux-x86_64');
  assert.is(json.python_implementation_name, 'cpython');
  assert.is(json.python_implementation_hex_version, 0x30d0ff0);
  assert.equal(json.python_implementation_version, ['3', '13', '15', 'final', '0']);
  assert.is(json.python_implementation_cache_tag, 'cpython-313');
  assert.is(json.python_bytecode_magic_number, 'f30d0d0a');
  assert.is(json.python_exe, 'install/bin/python3.13');
  assert.is(json.python_paths.stdlib, 'install/lib/python3.13');
  assert.is(json.python_paths_abstract.data, '{base}');
  assert.is(json.python_config_vars.prefix, '/opt/py');
  assert.is(json.python_stdlib_platform_config, 'install/lib/python3.13/config-3.13-x86_64-linux-gnu');
  assert.equal(json.python_stdlib_test_packages, ['idlelib.idle_test', 'test']);
  assert.equal(json.python_suffixes.extension, ['.cpython-313-x86_64-linux-gnu.so', '.abi3.so', '.so']);
  assert.is(json.python_symbol_visibility, 'global-default');
  assert.equal(json.crt_features, ['glibc-dynamic', 'glibc-max-symbol-version:2.34']);
  assert.is(json.run_tests, 'build/run_tests.py');
  assert.equal(json.licenses, ['PSF-2.0']);
  assert.is(json.license_path, 'licenses/LICENSE.cpython.txt');
  assert.is(json.libpython_link_mode, 'static');
  assert.equal(json.python_extension_module_loading, ['builtin', 'shared-library']);
  assert.is(json.build_info.core.static_lib, 'install/lib/libpython3.13.a');
  assert.not.ok('shared_lib' in json.build_info.core, 'no shared libpython: the key is absent');
  assert.is(json.build_info.object_file_format, 'elf');
  assert.not.ok('tcl_library_path' in json || 'apple_sdk_platform' in json, 'no Tcl files shipped, not an Apple build');
});

test('cpython-meson.json: the configured prefix, host, main object and per-module facts PYTHON.json has no key for', () => {
  const { extra } = build();
  assert.is(extra.version, '1');
  assert.equal(extra.python_json, { path: 'PYTHON.json', format_version: '8' });
  assert.is(extra.configured_prefix, '/opt/py');
  assert.equal(extra.host, { system: 'linux', cpu_family: 'x86_64', cpu: 'x86_64', host_gnu_type: 'x86_64-pc-linux-gnu', multiarch: 'x86_64-linux-gnu' });
  assert.is(extra.main_object, 'build/python.p/python.c.o');
  assert.is(extra.extensions._ssl?.builtin, true);
  assert.is(extra.extensions._testcapi?.builtin, false);
  assert.is(extra.extensions._ssl?.target, 'mod-_ssl');
});

test('targetTriple and buildOptions: python-build-standalone names from the host machine and the options', () => {
  assert.is(targetTriple('linux', 'x86_64', 'x86_64-linux-gnu'), 'x86_64-unknown-linux-gnu');
  assert.is(targetTriple('linux', 'aarch64', 'aarch64-linux-musl'), 'aarch64-unknown-linux-musl');
  assert.is(targetTriple('linux', 'x86', 'i386-linux-gnu'), 'i686-unknown-linux-gnu');
  assert.is(targetTriple('linux', 'arm', 'arm-linux-gnueabihf'), 'armv7-unknown-linux-gnueabihf');
  assert.is(targetTriple('linux', 'ppc64', 'powerpc64le-linux-gnu'), 'ppc64le-unknown-linux-gnu');
  assert.is(targetTriple('darwin', 'aarch64', ''), 'aarch64-apple-darwin');
  const o = (entries: [string, string | boolean][]) => new Map<string, string | boolean | number>(entries);
  assert.is(buildOptions(o([]), {}), 'noopt');
  assert.is(buildOptions(o([['pydebug', true], ['b_lto', true]]), {}), 'debug');
  assert.is(buildOptions(o([['b_pgo', 'use'], ['b_lto', true]]), {}), 'pgo+lto');
  assert.is(buildOptions(o([['b_pgo', 'generate'], ['b_lto', true]]), {}), 'lto');
  assert.is(buildOptions(o([]), { Py_GIL_DISABLED: '1' }), 'freethreaded+noopt');
});

test('PYTHON.json: core objects exclude the inittab and the modules; core links come from the core targets', () => {
  const { json, files } = build();
  const bi = json.build_info;
  assert.equal(bi.core.objs, ['build/libpython-core.a.p/ceval.c.o', 'build/libpython-core.a.p/object.c.o', 'build/libpython3.13.a.p/frozen.c.o']);
  assert.is(bi.inittab_object, 'build/libpython-config.a.p/config.c.o');
  assert.is(bi.inittab_source, 'build/config.c');
  assert.equal(bi.inittab_cflags, ['-O3', '-DPy_BUILD_CORE']);
  assert.equal(bi.core.links, [{ name: 'pthread', system: true }, { name: 'm', system: true }, { name: 'util', path_static: 'build/lib/libutil.a' }]);
  assert.is(files.copies.get('build/libpython-core.a.p/ceval.c.o'), '/b/libpython-core.a.p/ceval.c.o');
  assert.is(files.copies.get('build/config.c'), '/b/config.c');
});

test('PYTHON.json: each extension has its init function, objects, links and licenses', () => {
  const { json, extra, files } = build();
  const ext = json.build_info.extensions;
  assert.equal(Object.keys(ext), ['_bz2', '_ssl', '_testcapi', '_tkinter', '_warnings', 'builtins', 'marshal', 'posix', 'pyexpat', 'sys']);
  // config.c.in's own entries: in the core, with their init function as config.c names it.
  assert.equal(ext.marshal, [{ in_core: true, init_fn: 'PyMarshal_Init', licenses: [], links: [], objs: [], required: true, variant: 'default' }]);
  assert.is(ext.builtins?.[0]?.init_fn, 'NULL');
  assert.is(extra.extensions.marshal?.target, null);
  const ssl = ext._ssl?.[0];
  assert.is(ssl?.init_fn, 'PyInit__ssl');
  assert.is(ssl?.in_core, false);
  assert.is(ssl?.variant, 'default');
  assert.equal(ssl?.objs, ['build/Modules/libmod-_ssl.a.p/_ssl.c.o']);
  assert.is(ssl?.static_lib, 'build/lib/libmod-_ssl.a', "a built-in module's static library");
  assert.equal(files.archives.get('build/lib/libmod-_ssl.a'), ['/b/Modules/libmod-_ssl.a.p/_ssl.c.o'], 'archived from its objects (Meson writes thin archives)');
  assert.not.ok(ssl && 'shared_lib' in ssl, 'a built-in module has no shared library');
  assert.equal(ssl?.links, [
    { name: 'ssl', path_static: 'build/lib/libssl.a' },
    { name: 'dl', system: true },
    { name: 'crypto', path_static: 'build/lib/libcrypto.a' },
  ]);
  assert.equal(extra.extensions._ssl?.libraries, [{ name: 'openssl', meson_names: ['openssl'], type: 'pkgconfig', version: '3.0.22', license: 'Apache-2.0', bundled_link: null }]);
  assert.equal(ssl?.licenses, ['Apache-2.0']);
  // A cc.find_library dependency: named from the module target, its archive from the link line.
  const bz2 = ext._bz2?.[0];
  assert.equal(bz2?.links, [{ name: 'bz2', path_static: 'build/lib/libbz2.a' }]);
  assert.equal(extra.extensions._bz2?.libraries.map((l) => [l.name, l.meson_names, l.license]), [['bzip2', ['bz2'], 'bzip2-1.0.6']]);
  // A bundled library: a static archive made from its objects; that it is bundled is said in cpython-meson.json.
  assert.equal(ext.pyexpat?.[0]?.links, [{ name: 'expat-bundled', path_static: 'build/lib/libexpat-bundled.a' }]);
  assert.is(extra.extensions.pyexpat?.libraries[0]?.bundled_link, 'expat-bundled');
  assert.equal(files.archives.get('build/lib/libexpat-bundled.a'), ['/b/Modules/libexpat-bundled.a.p/xmlparse.c.o']);
  assert.equal(ext.pyexpat?.[0]?.licenses, ['MIT']);
  // An internal dependency that gathers several libraries (tcltk: tk, x11, ...) takes them all.
  const tk = ext._tkinter?.[0];
  assert.equal(tk?.links, [
    { name: 'tk8.6', path_static: 'build/lib/libtk8.6.a' },
    { name: 'dl', system: true },
    { name: 'X11', path_static: 'build/lib/libX11.a' },
  ]);
  assert.equal(extra.extensions._tkinter?.libraries, [{ name: 'tcltk', meson_names: ['tk', 'x11'], type: 'internal', version: null, license: 'TCL', bundled_link: null }]);
  assert.is(ext.posix?.[0]?.required, true);
  assert.equal(ext.posix?.[0]?.licenses, []);
  const testcapi = ext._testcapi?.[0];
  assert.is(testcapi?.shared_lib, 'install/lib/python3.13/lib-dynload/_testcapi.cpython-313-x86_64-linux-gnu.so');
  assert.not.ok(testcapi && 'static_lib' in testcapi, 'a shared module has no static library');
});

test('PYTHON.json: an extension linking a library of unknown license has no licenses key (unknown, not none)', () => {
  const info = { ...DIST_INFO, dependencies: { ...DIST_INFO.dependencies, openssl: { ...DIST_INFO.dependencies.openssl, license: '' } } };
  const { json } = buildPythonJson({
    intro: parseIntrospection(JSON.stringify(INTRO)),
    info: parseDistInfo(JSON.stringify(info)),
    buildDir: B,
    prefix: '/opt/py',
    objectsOf,
    runtime: RUNTIME,
    generator: 'x',
    licensePath: 'l',
    crtFeatures: [],
    runTests: 'r',
    inittab: [],
  });
  const ssl = json.build_info.extensions._ssl?.[0];
  assert.ok(ssl && !('licenses' in ssl));
});

test('PYTHON.json reads as python-build-standalone format 8: every required key, types, nested build_info, no unknown key', () => {
  const { json } = build();
  // Through JSON as it is written: absent keys stay absent, nothing but JSON types.
  const written: unknown = JSON.parse(JSON.stringify(json));
  assert.equal(validatePbsPythonJson(written), []);
  const fields = (PYTHON_JSON as { fields: Record<string, { optional?: true }> }).fields;
  for (const [key, f] of Object.entries(fields)) if (!f.optional) assert.ok(key in json, `required ${key}`);
  // Every path it names, relative to python/: the objects, config.c and static libraries are copied
  // or archived there, the rest is the staged install and the files dist writes.
  const { files } = build();
  const made = new Set([...files.copies.keys(), ...files.archives.keys()]);
  const fromInstall = (p: string) => p === 'install' || p.startsWith('install/');
  for (const p of pathsNamed(written)) assert.ok(made.has(p) || fromInstall(p) || p === 'licenses/LICENSE.cpython.txt' || p === 'build/run_tests.py', `${p} is put in the distribution`);
});

test('PYTHON.json: a target cpython-meson-dist.json names but the build lacks is an error naming it', () => {
  const info = { ...DIST_INFO, core_targets: ['python-core', 'python-gone'] };
  assert.throws(
    () =>
      buildPythonJson({
        intro: parseIntrospection(JSON.stringify(INTRO)),
        info: parseDistInfo(JSON.stringify(info)),
        buildDir: B,
        prefix: '/opt/py',
        objectsOf,
        runtime: RUNTIME,
        generator: 'x',
        licensePath: 'l',
        crtFeatures: [],
        runTests: 'r',
        inittab: [],
      }),
    /the build has no target "python-gone"/,
  );
});

async function cli(args: string[], cwd = process.cwd()): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd, env: { PATH: process.env.PATH ?? '' } });
  return { code, out, err };
}

test('cpython-meson dist --help, and the errors for a missing or unconfigured build directory', async () => {
  const help = await cli(['dist', '--help']);
  assert.is(help.code, 0);
  assert.match(help.out.join('\n'), /^Usage: cpython-meson dist <builddir> \[--out <dir>\]/);
  assert.match(help.out.join('\n'), /PYTHON\.json/);
  assert.match((await cli(['help', 'dist'])).out.join('\n'), /--archive <kind>/);
  const missing = await cli(['dist']);
  assert.is(missing.code, 2);
  assert.match(missing.err[0] ?? '', /missing <builddir>/);
  const badArchive = await cli(['dist', 'b', '--archive', 'rar']);
  assert.is(badArchive.code, 2);
  assert.match(badArchive.err[0] ?? '', /--archive expects auto, zst, gz or none/);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cpm-dist-'));
  const notBuild = await cli(['dist', tmp]);
  assert.is(notBuild.code, 2);
  assert.match(notBuild.err[0] ?? '', /not a configured Meson build directory/);
  mkdirSync(path.join(tmp, 'meson-info'));
  writeFileSync(path.join(tmp, 'meson-info', 'meson-info.json'), '{}');
  const old = await cli(['dist', tmp]);
  assert.is(old.code, 2);
  assert.match(old.err[0] ?? '', /no cpython-meson-dist\.json: configure this build from files generated by this cpython-meson/);
});

test.run();
