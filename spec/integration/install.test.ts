// Issue 4 end to end on the shared CPython 3.13 build: meson install --destdir lays out what
// make install does; the installed tree is moved and still runs with an empty environment;
// sysconfig points at the installed (and then moved) locations; venv + ensurepip's pip work;
// a C extension builds against the installed interpreter with Meson's python module; and
// `cpython-meson dist` writes PYTHON.json from real data, an archive, and objects that relink.
import { existsSync, lstatSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pathsNamed, validatePbsPythonJson } from '../../generator/dist/pbs-format.js';
import { CPYTHON_VERSION, cli, ensureBuild, repoRoot, run, type Built } from './shared.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'cpython-meson-install-'));
const series = CPYTHON_VERSION.split('.').slice(0, 2).join('.');
const nodot = series.replace('.', '');

interface Staged {
  built: Built;
  prefix: string;
  /** The install under DESTDIR (stage + prefix), before it is moved. */
  staged: string;
  /** Where the test moves it. */
  moved: string;
}

let stagedOnce: Promise<Staged> | null = null;

/** The shared build, installed once with meson install --destdir. */
function staged(): Promise<Staged> {
  stagedOnce ??= (async () => {
    const built = await ensureBuild('builtin');
    const opts = run('meson', ['introspect', '--buildoptions', built.build]);
    assert.is(opts.status, 0, opts.stderr);
    const prefixOpt = (JSON.parse(opts.stdout) as { name: string; value: unknown }[]).find((o) => o.name === 'prefix');
    const prefix = typeof prefixOpt?.value === 'string' ? prefixOpt.value : '';
    assert.ok(path.isAbsolute(prefix), `prefix ${prefix}`);
    const stage = path.join(work, 'stage');
    const r = run('meson', ['install', '-C', built.build, '--destdir', stage, '--quiet']);
    assert.is(r.status, 0, `meson install failed:\n${r.stdout.slice(-4000)}\n${r.stderr}`);
    return { built, prefix, staged: path.join(stage, prefix), moved: path.join(work, 'moved', 'else-where', 'py') };
  })();
  return stagedOnce;
}

/** Runs a program as `env -i` would: no environment at all. */
function clean(cmd: string, args: string[], cwd = work) {
  return run(cmd, args, { cwd, env: {} });
}

function isExecutable(file: string): boolean {
  return (statSync(file).mode & 0o111) !== 0;
}

test('meson install lays out bin, lib, include, LIBPL, pkg-config and the man page as make install does', async () => {
  const { staged: root } = await staged();
  const multiarch = `${process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : process.arch}-linux-gnu`;
  const libpl = `lib/python${series}/config-${series}-${multiarch}`;
  const expected = [
    'bin/python',
    `bin/python${series}`,
    'bin/python3',
    `bin/python${series}-config`,
    'bin/python3-config',
    `bin/pydoc${series}`,
    'bin/pydoc3',
    `bin/idle${series}`,
    `lib/python${series}/os.py`,
    `lib/python${series}/encodings/__init__.py`,
    `lib/python${series}/ensurepip/_bundled`,
    `lib/python${series}/site-packages`,
    `lib/python${series}/lib-dynload`,
    `lib/python${series}/_sysconfigdata__linux_${multiarch}.py`,
    `lib/python${series}/__pycache__/os.cpython-${nodot}.pyc`,
    `include/python${series}/Python.h`,
    `include/python${series}/pyconfig.h`,
    `include/python${series}/internal/pycore_runtime.h`,
    `${libpl}/config.c`,
    `${libpl}/config.c.in`,
    `${libpl}/makesetup`,
    `${libpl}/python-config.py`,
    `${libpl}/libpython${series}.a`,
    'lib/pkgconfig/python3.pc',
    `lib/pkgconfig/python-${series}.pc`,
    `lib/pkgconfig/python-${series}-embed.pc`,
    'lib/pkgconfig/python3-embed.pc',
    `share/man/man1/python${series}.1`,
  ];
  const missing = expected.filter((f) => !existsSync(path.join(root, f)));
  assert.equal(missing, [], `missing from the install: ${missing.join(', ')}`);
  assert.is(readlinkSync(path.join(root, 'bin/python3')), `python${series}`);
  assert.is(readlinkSync(path.join(root, 'bin/python3-config')), `python${series}-config`);
  assert.ok(lstatSync(path.join(root, `${libpl}/libpython${series}.a`)).isSymbolicLink(), 'LIBPL links the static libpython');
  assert.ok(statSync(path.join(root, `${libpl}/libpython${series}.a`)).size > 1_000_000, 'the static libpython is the real archive');
  for (const script of [`bin/python${series}-config`, `bin/pydoc${series}`, `${libpl}/python-config.py`, `${libpl}/makesetup`]) {
    assert.ok(isExecutable(path.join(root, script)), `${script} is executable`);
  }
  // python-config.in's #!@EXENAME@, made relocatable: the interpreter next to the script.
  const config = readFileSync(path.join(root, `bin/python${series}-config`), 'utf8').split('\n');
  assert.is(config[0], '#!/bin/sh');
  assert.match(config[1] ?? '', new RegExp(`/python${series.replace('.', '\\.')}" "\\$0" "\\$@"$`));
  assert.ok(config.some((l) => l.includes("valid_opts = ['prefix'")), 'the body is Misc/python-config.in');
});

test('the installed tree is relocatable: moved, it runs import ssl, sqlite3, ctypes under env -i', async () => {
  const s = await staged();
  mkdirSync(path.dirname(s.moved), { recursive: true });
  renameSync(s.staged, s.moved);
  const py = path.join(s.moved, 'bin/python3');
  const r = clean(py, ['-c', 'import ssl, sqlite3, ctypes, zlib, sys; print(sys.prefix); print(ssl.OPENSSL_VERSION); print(sqlite3.sqlite_version); print(ctypes.sizeof(ctypes.c_void_p))'], '/');
  assert.is(r.status, 0, r.stderr);
  const [prefix, openssl, sqlite] = r.stdout.trim().split('\n');
  assert.is(prefix, s.moved);
  assert.match(openssl ?? '', /^OpenSSL \d/);
  assert.match(sqlite ?? '', /^3\.\d+/);
  assert.not.match(r.stderr, /Could not find platform/);
  // The scripts in bin/ find the interpreter next to them, wherever the tree is.
  const config = clean(path.join(s.moved, 'bin/python3-config'), ['--includes', '--extension-suffix', '--configdir']);
  assert.is(config.status, 0, config.stderr);
  const [includes, suffix, configdir] = config.stdout.trim().split('\n');
  assert.ok((includes ?? '').split(' ').includes(`-I${path.join(s.moved, `include/python${series}`)}`), includes);
  assert.match(suffix ?? '', new RegExp(`^\\.cpython-${nodot}-.*\\.so$`));
  assert.ok(existsSync(path.join(configdir ?? '', 'config.c.in')), `--configdir ${configdir} is the moved LIBPL`);
  const pydoc = clean(path.join(s.moved, 'bin/pydoc3'), ['json.dumps']);
  assert.is(pydoc.status, 0, pydoc.stderr);
  assert.match(pydoc.stdout, /^Help on function dumps in json/);
});

test('sysconfig: _sysconfigdata comes from the Meson configuration and points at the installed layout', async () => {
  const s = await staged();
  const py = path.join(s.moved, 'bin/python3');
  const dataFile = readdirPy(path.join(s.moved, `lib/python${series}`));
  const raw = readFileSync(dataFile, 'utf8');
  // As written: the configured prefix, never the build machine's build or source directory.
  assert.ok(raw.includes(`'prefix': '${s.prefix}'`), 'configured prefix');
  // abs_builddir and abs_srcdir name the build tree, as in configure's _sysconfigdata (regrtest and
  // test_sysconfig read them from a build tree); no other value does.
  const other = raw.split('\n').filter((l) => !/^\s*'abs_(builddir|srcdir)':/.test(l)).join('\n');
  assert.ok(!other.includes(s.built.build) && !other.includes(s.built.src), 'no build-tree paths');
  const script = `
import json, sys, sysconfig, importlib.machinery
v = sysconfig.get_config_vars()
print(json.dumps({'vars': {k: v[k] for k in v if isinstance(v[k], (str, int))},
                  'ext': importlib.machinery.EXTENSION_SUFFIXES[0], 'multiarch': sys.implementation._multiarch}))
`;
  const r = clean(py, ['-c', script]);
  assert.is(r.status, 0, r.stderr);
  const { vars, ext, multiarch } = JSON.parse(r.stdout) as { vars: Record<string, string | number>; ext: string; multiarch: string };
  const keys = [
    'VERSION', 'LDVERSION', 'ABIFLAGS', 'SOABI', 'EXT_SUFFIX', 'SHLIB_SUFFIX', 'MULTIARCH', 'MACHDEP', 'HOST_GNU_TYPE',
    'prefix', 'exec_prefix', 'LIBDIR', 'BINDIR', 'INCLUDEPY', 'CONFINCLUDEPY', 'LIBDEST', 'BINLIBDEST', 'DESTSHARED',
    'LIBPL', 'LIBPC', 'PLATLIBDIR', 'LIBRARY', 'LDLIBRARY', 'INSTSONAME', 'PY_ENABLE_SHARED', 'Py_ENABLE_SHARED',
    'CC', 'CXX', 'CFLAGS', 'OPT', 'CCSHARED', 'LDSHARED', 'BLDSHARED', 'LDCXXSHARED', 'CPPFLAGS', 'LDFLAGS', 'AR',
    'ARFLAGS', 'LIBS', 'SYSLIBS', 'LINKFORSHARED', 'CONFIG_ARGS', 'WHEEL_PKG_DIR', 'TZPATH', 'srcdir', 'TEST_MODULES',
    'PY_CFLAGS', 'PY_CFLAGS_NODIST', 'PY_CORE_CFLAGS', 'PY_STDMODULE_CFLAGS', 'LIBPYTHON', 'Py_DEBUG', 'Py_GIL_DISABLED',
    'HAVE_FORK', 'SIZEOF_VOID_P', 'MODULE__SSL_STATE', 'MODULE_MATH_STATE',
  ];
  const absent = keys.filter((k) => !(k in vars));
  assert.equal(absent, [], `keys missing from sysconfig: ${absent.join(', ')}`);
  assert.is(vars.VERSION, series);
  assert.is(vars.EXT_SUFFIX, ext);
  assert.is(vars.MULTIARCH, multiarch);
  assert.is(vars.SOABI, `cpython-${nodot}-${multiarch}`);
  assert.is(vars.LIBRARY, `libpython${series}.a`);
  assert.is(vars.PY_ENABLE_SHARED, 0);
  assert.is(vars.LIBPYTHON, '', "extensions don't link libpython (Meson's python module reads LIBPYTHON)");
  assert.is(vars.MODULE__SSL_STATE, 'yes');
  assert.match(String(vars.CONFIG_ARGS), /'-Dbuildtype=release'/);
  assert.match(String(vars.CONFIG_ARGS), /'-Dprefer_static=true'/);
  assert.match(String(vars.OPT), /-O3/);
  assert.ok(String(vars.LDSHARED).startsWith(`${vars.CC} -shared`), `LDSHARED ${vars.LDSHARED}`);
  assert.ok(String(vars.TZPATH).split(':').includes('/usr/share/zoneinfo'));
  // The installed locations, followed to where the tree now is.
  assert.is(vars.prefix, s.moved);
  for (const k of ['LIBDIR', 'BINDIR', 'INCLUDEPY', 'LIBDEST', 'DESTSHARED', 'LIBPL']) {
    const p = String(vars[k]);
    assert.ok(p.startsWith(`${s.moved}/`) && existsSync(p), `${k}=${p} exists in the moved tree`);
  }
  assert.ok(existsSync(path.join(String(vars.INCLUDEPY), 'Python.h')));
  assert.ok(existsSync(path.join(String(vars.LIBDIR), String(vars.LIBRARY))), 'LIBDIR holds LIBRARY');
  // The compiler sysconfig names is a real one.
  const cc = run(String(vars.CC).split(' ')[0] ?? 'cc', ['--version']);
  assert.is(cc.status, 0, `CC=${vars.CC}`);
  // zoneinfo reads TZPATH from sysconfig.
  if (existsSync('/usr/share/zoneinfo/UTC')) {
    const tz = clean(py, ['-c', "import zoneinfo; print(zoneinfo.ZoneInfo('UTC'))"]);
    assert.is(tz.stdout.trim(), 'UTC', tz.stderr);
  }
});

function readdirPy(dir: string): string {
  const name = readdirSync(dir).find((f) => /^_sysconfigdata_.*\.py$/.test(f));
  assert.ok(name, `_sysconfigdata in ${dir}`);
  return path.join(dir, name ?? '');
}

test('python -m venv works from the moved tree and its pip (ensurepip, offline) runs', async () => {
  const s = await staged();
  const venv = path.join(work, 'venv');
  const mk = clean(path.join(s.moved, 'bin/python3'), ['-m', 'venv', venv]);
  assert.is(mk.status, 0, `${mk.stdout}\n${mk.stderr}`);
  const pip = clean(path.join(venv, 'bin/python'), ['-m', 'pip', '--version']);
  assert.is(pip.status, 0, pip.stderr);
  assert.match(pip.stdout, new RegExp(`^pip \\d+\\.\\d+.* from ${venv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/lib/python${series.replace('.', '\\.')}/site-packages/pip \\(python ${series.replace('.', '\\.')}\\)`));
  const inside = clean(path.join(venv, 'bin/python'), ['-c', 'import sys; print(sys.prefix); print(sys.base_prefix)']);
  assert.equal(inside.stdout.trim().split('\n'), [venv, s.moved]);
});

test("a C extension builds against the installed python with Meson's python module, imports and runs", async () => {
  const s = await staged();
  const py = path.join(s.moved, 'bin/python3');
  const build = path.join(work, 'c-extension');
  const fixture = path.join(repoRoot, 'spec/fixtures/c-extension');
  const setup = run('meson', ['setup', '--fatal-meson-warnings', `-Dpython=${py}`, build, fixture]);
  assert.is(setup.status, 0, `${setup.stdout}\n${setup.stderr}`);
  assert.match(setup.stdout, new RegExp(`Program ${py.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} found: YES`));
  const ninja = run('ninja', ['-C', build]);
  assert.is(ninja.status, 0, ninja.stdout);
  const r = run(py, ['-c', 'import spam, sys; print(spam.add(2, 40)); print(spam.version()); print(spam.__file__)'], { cwd: build, env: { PYTHONPATH: build } });
  assert.is(r.status, 0, r.stderr);
  const [sum, version, file] = r.stdout.trim().split('\n');
  assert.is(sum, '42');
  assert.is(version, CPYTHON_VERSION);
  assert.match(file ?? '', new RegExp(`spam\\.cpython-${nodot}-.*\\.so$`));
  // Compiled against the installed headers.
  const db = readFileSync(path.join(build, 'compile_commands.json'), 'utf8');
  assert.ok(db.includes(`-I${path.join(s.moved, `include/python${series}`)}`), 'includes the installed headers');
});

interface Link {
  name: string;
  system?: boolean;
  path_static?: string;
}
interface Ext {
  in_core: boolean;
  init_fn: string;
  objs: string[];
  links: Link[];
  licenses?: string[];
  shared_lib?: string;
}
interface PythonJson {
  version: string;
  target_triple: string;
  python_version: string;
  python_exe: string;
  python_paths: Record<string, string>;
  licenses: string[];
  license_path: string;
  build_info: {
    core: { objs: string[]; links: Link[]; static_lib?: string };
    inittab_object: string;
    inittab_source: string;
    extensions: Record<string, Ext[]>;
  };
}
/** cpython-meson.json beside PYTHON.json. */
interface CpmJson {
  main_object: string;
  extensions: Record<string, { builtin: boolean; libraries: { name: string; license: string | null }[] }>;
}

interface Dist {
  dir: string;
  json: PythonJson;
  cpm: CpmJson;
  archive: string;
}
let distOnce: Promise<Dist> | null = null;

/** `cpython-meson dist` of the shared build, once. */
function dist(): Promise<Dist> {
  distOnce ??= (async () => {
    const { built } = await staged();
    const out = path.join(work, 'dist');
    const r = run(process.execPath, [cli, 'dist', built.build, '--out', out]);
    assert.is(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const archive = r.stdout.split('\n').find((l) => l.startsWith('wrote ') && /\.tar\.(zst|gz)$/.test(l))?.slice('wrote '.length) ?? '';
    const dir = path.join(out, 'python');
    const read = (f: string): unknown => JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
    return { dir, json: read('PYTHON.json') as PythonJson, cpm: read('cpython-meson.json') as CpmJson, archive };
  })();
  return distOnce;
}

test('cpython-meson dist writes python/install, PYTHON.json filled from real data, and an archive', async () => {
  const { dir, json, cpm, archive } = await dist();
  assert.equal(validatePbsPythonJson(json), [], 'PYTHON.json reads as python-build-standalone format 8');
  for (const p of pathsNamed(json)) assert.ok(existsSync(path.join(dir, p)), `${p} exists`);
  assert.is(json.version, '8');
  assert.is(json.target_triple, `${process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : process.arch}-unknown-linux-gnu`);
  assert.is(json.python_version, CPYTHON_VERSION);
  assert.is(json.python_exe, `install/bin/python${series}`);
  assert.ok(existsSync(path.join(dir, json.python_paths.stdlib ?? '', 'os.py')), json.python_paths.stdlib);
  assert.ok(existsSync(path.join(dir, json.python_paths.include ?? '', 'Python.h')), json.python_paths.include);
  const exe = clean(path.join(dir, json.python_exe), ['-c', 'import sys, ssl; print(sys.version.split()[0])']);
  assert.is(exe.stdout.trim(), CPYTHON_VERSION, exe.stderr);
  assert.ok(json.licenses.includes('PSF-2.0'), `licenses ${json.licenses.join(' ')}`);
  assert.match(readFileSync(path.join(dir, json.license_path), 'utf8'), /PYTHON SOFTWARE FOUNDATION LICENSE/);
  const bi = json.build_info;
  assert.ok(bi.core.objs.length > 100, `${bi.core.objs.length} core objects`);
  assert.ok(bi.core.objs.some((o) => o.endsWith('ceval.c.o')), 'ceval is a core object');
  assert.not.ok(bi.core.objs.some((o) => o.includes('libmod-')), 'no extension objects among the core objects');
  assert.ok(bi.core.links.some((l) => l.name === 'm' && l.system), 'core links libm');
  assert.ok(bi.core.static_lib && existsSync(path.join(dir, bi.core.static_lib)), `static lib ${bi.core.static_lib}`);
  for (const f of [cpm.main_object, bi.inittab_object, bi.inittab_source, ...bi.core.objs]) assert.ok(existsSync(path.join(dir, f)), `${f} exists`);
  const ssl = bi.extensions._ssl?.[0];
  assert.ok(ssl, '_ssl is described');
  assert.is(ssl?.init_fn, 'PyInit__ssl');
  assert.is(cpm.extensions._ssl?.builtin, true);
  assert.ok(ssl?.objs.some((o) => o.endsWith('_ssl.c.o')));
  const sslLinks = (ssl?.links ?? []).map((l) => l.name);
  assert.ok(sslLinks.includes('ssl') && sslLinks.includes('crypto'), `_ssl links ${sslLinks.join(' ')}`);
  assert.equal(ssl?.licenses, ['Apache-2.0']);
  assert.equal(bi.extensions._sqlite3?.[0]?.licenses, ['blessing']);
  assert.equal(cpm.extensions.pyexpat?.libraries.map((l) => [l.name, l.license]), [['expat', 'MIT']]);
  assert.equal(bi.extensions.math?.[0]?.licenses, []);
  const testcapi = bi.extensions._testcapi?.[0];
  if (testcapi) assert.ok(testcapi.shared_lib && existsSync(path.join(dir, testcapi.shared_lib)), `shared ${testcapi.shared_lib}`);
  for (const [name, [e]] of Object.entries(bi.extensions)) {
    if (e?.in_core) continue; // config.c.in's own entries (marshal, sys, ...): objects among the core's
    assert.ok(e && e.objs.length > 0 && e.init_fn === `PyInit_${name}`, `${name}: objects and init function`);
    for (const f of [...(e?.objs ?? []), ...(e?.links ?? []).flatMap((l) => (l.path_static ? [l.path_static] : []))]) {
      assert.ok(existsSync(path.join(dir, f)), `${name}: ${f} exists`);
    }
  }
  assert.match(archive, new RegExp(`cpython-${CPYTHON_VERSION.replace(/\./g, '\\.')}-.*\\.tar\\.(zst|gz)$`));
  const list = run('tar', [archive.endsWith('.zst') ? '--zstd' : '--gzip', '-tf', archive]);
  assert.is(list.status, 0, list.stderr);
  assert.ok(list.stdout.split('\n').includes('python/PYTHON.json'), 'the archive holds python/PYTHON.json');
});

test('a custom interpreter relinks from PYTHON.json build_info and runs from the distribution', async () => {
  const { dir, json, cpm } = await dist();
  const bi = json.build_info;
  const builtins = Object.entries(bi.extensions).filter(([name]) => cpm.extensions[name]?.builtin).map(([, v]) => v[0]).filter((e): e is Ext => e !== undefined);
  const objs = [cpm.main_object, bi.inittab_object, ...bi.core.objs, ...builtins.flatMap((e) => e.objs)].map((f) => path.join(dir, f));
  const links = [...bi.core.links, ...builtins.flatMap((e) => e.links)];
  const archives = [...new Set(links.filter((l) => l.path_static).map((l) => path.join(dir, l.path_static ?? '')))];
  const system = [...new Set(links.filter((l) => l.system).map((l) => (l.name === 'pthread' ? '-pthread' : `-l${l.name}`)))];
  const exe = path.join(dir, 'install/bin/python-relinked');
  const cc = run('cc', ['-o', exe, ...objs, '-Wl,--start-group', ...archives, '-Wl,--end-group', ...system, '-Wl,--export-dynamic']);
  assert.is(cc.status, 0, cc.stderr.slice(-4000));
  const r = clean(exe, ['-c', 'import _ssl, _sqlite3, _decimal, pyexpat, zlib, sys; print(sys.prefix == sys.base_prefix, len(sys.builtin_module_names) > 50)']);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), 'True True');
});

// The staged install, the venv, the distribution and its archive take hundreds of megabytes.
test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
