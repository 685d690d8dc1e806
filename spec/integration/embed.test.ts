// CPython as a Meson subproject for an embedding program (spec/fixtures/embed-app): the wrap and
// overlay come from `cpython-meson wrapdb <tarball>`, the tarball is pre-placed in
// subprojects/packagecache/, and the parent project is configured with --wrap-mode=nodownload and
// --fatal-meson-warnings (subproject warnings count too). The program starts the interpreter with
// the stdlib directory the build passes in (dep.get_variable('stdlib_dir')) and runs json and
// sqlite3. Then: the dependency's version, include directories and static libpython; the
// `meson test --suite cpython` tests; the minimal profile and the sizes of both binaries; and the
// installed python3-embed.pc (stdlib_dir after install) used by the same program.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultCacheDir, obtainTarball } from '../../generator/util/cpython-source.js';
import { CPYTHON_VERSION, cli, repoRoot, run } from './shared.js';

const cache = process.env.CPYTHON_MESON_CACHE ?? defaultCacheDir();
const work = path.join(cache, 'work', `embed-${CPYTHON_VERSION}`);
const contrib = path.join(work, 'contrib');
const app = path.join(work, 'app');
const build = path.join(work, 'build-full');
const buildMin = path.join(work, 'build-minimal');
const buildShared = path.join(work, 'build-shared');
const prefix = path.join(work, 'inst');
const srcDir = path.join(app, 'subprojects', `Python-${CPYTHON_VERSION}`);
const stdlibDir = path.join(srcDir, 'Lib');
const versionShort = CPYTHON_VERSION.split('.').slice(0, 2).join('.');

interface AppOutput {
  answer: number;
  python: string;
  dep_version: string;
  stdlib_dir: string;
  json_file: string;
  sqlite: string;
  path: string[];
}

let tarball = '';

/** A clean environment: nothing tells the interpreter where its stdlib is but the build. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', LANG: 'C.UTF-8', ...extra };
}

function mustRun(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout.slice(-6000)}\n${r.stderr.slice(-4000)}`);
  return r.stdout;
}

function runApp(exe: string, args: string[] = []): { out: AppOutput | null; stdout: string; stderr: string; status: number | null } {
  const r = run(exe, args, { cwd: '/', env: cleanEnv() });
  let out: AppOutput | null = null;
  if (args.length === 0 && r.status === 0) out = JSON.parse(r.stdout) as AppOutput;
  return { out, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function fileSize(p: string): number {
  return statSync(p).size;
}

function strippedSize(exe: string): number {
  const out = `${exe}.stripped`;
  mustRun('strip', ['-o', out, exe]);
  return fileSize(out);
}

test('wrapdb writes a contribution for the release tarball that passes the WrapDB rules', async () => {
  tarball = await obtainTarball(CPYTHON_VERSION, cache);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const r = run(process.execPath, [cli, 'wrapdb', tarball, '--out', contrib]);
  assert.is(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^PASS: 0 error\(s\), 1 file\(s\) needing a WrapDB per-project exception/m);
  const wrap = readFileSync(path.join(contrib, 'subprojects/cpython.wrap'), 'utf8');
  const sha = createHash('sha256').update(readFileSync(tarball)).digest('hex');
  assert.match(wrap, new RegExp(`^source_hash = ${sha}$`, 'm'));
  assert.match(wrap, new RegExp(`^source_url = https://www\\.python\\.org/ftp/python/${CPYTHON_VERSION.replace(/\./g, '\\.')}/Python-${CPYTHON_VERSION.replace(/\./g, '\\.')}\\.t`, 'm'));
  assert.match(wrap, /^\[provide\]\ndependency_names = python3-embed\nprogram_names = python3$/m);
  const overlay = path.join(contrib, 'subprojects/packagefiles/cpython');
  for (const f of ['meson.build', 'meson.options', 'pyconfig.h.meson', 'Modules/meson.build', 'Python/frozen_modules/meson.build', 'Tools/meson/pyconfig/meson.build', 'Tools/meson/dependencies/meson.build', 'Tools/meson/cpython_meson.py']) {
    assert.ok(existsSync(path.join(overlay, f)), `${f} in the overlay`);
  }
  assert.not.ok(existsSync(path.join(overlay, 'subprojects')), 'no nested wraps in a WrapDB overlay');
  assert.equal(JSON.parse(readFileSync(path.join(contrib, 'releases.json'), 'utf8')), {
    cpython: { dependency_names: ['python3-embed'], program_names: ['python3'], versions: [`${CPYTHON_VERSION}-1`] },
  });
  assert.match(readFileSync(path.join(contrib, 'README.md'), 'utf8'), /PER_PROJECT_PERMITTED_FILES/);
});

test('the embedding program builds with the wrap (nodownload, fatal warnings) and runs json + sqlite3', () => {
  cpSync(path.join(repoRoot, 'spec/fixtures/embed-app'), app, { recursive: true });
  cpSync(path.join(contrib, 'subprojects'), path.join(app, 'subprojects'), { recursive: true });
  mkdirSync(path.join(app, 'subprojects/packagecache'), { recursive: true });
  cpSync(tarball, path.join(app, 'subprojects/packagecache', path.basename(readFileSync(path.join(contrib, 'subprojects/cpython.wrap'), 'utf8').match(/^source_filename = (.+)$/m)?.[1] ?? '')));
  const setup = mustRun('meson', [
    'setup',
    '--fatal-meson-warnings',
    '--wrap-mode=nodownload',
    '--buildtype=release',
    '-Dprefer_static=true',
    // The subproject also builds its stdlib archive, so embed-app-onefile is built as well.
    '-Dcpython:stdlib=embedded',
    `--prefix=${prefix}`,
    build,
    app,
  ]);
  assert.match(setup, /Dependency python3-embed found: YES \S+ \(overridden\)/);
  mustRun('ninja', ['-C', build]);
  for (const exe of ['embed-app', 'embed-app-subproject']) {
    const r = runApp(path.join(build, exe));
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stderr, '', `${exe} printed nothing on stderr`);
    const out = r.out;
    assert.ok(out, exe);
    assert.is(out?.answer, 42);
    assert.is(out?.python, CPYTHON_VERSION);
    assert.is(out?.dep_version, CPYTHON_VERSION, 'dep.version() is the CPython version');
    assert.is(out?.stdlib_dir, stdlibDir, "dep.get_variable('stdlib_dir') is the subproject's Lib/");
    assert.is(out?.json_file, path.join(stdlibDir, 'json/__init__.py'));
    assert.equal(out?.path, [stdlibDir]);
    assert.match(out?.sqlite ?? '', /^3\.\d+\.\d+$/);
  }
});

/** A copy of `exe` alone in a new directory whose name has a space, as a user would ship it. */
function alone(exe: string, name: string): string {
  const dir = path.join(work, `alone ${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const copy = path.join(dir, path.basename(exe));
  cpSync(exe, copy);
  return copy;
}

test('-Dcpython:stdlib=embedded: embed-app-onefile, the program with the stdlib archive appended, runs alone (no stdlib directory)', () => {
  const vars = JSON.parse(readFileSync(path.join(build, 'meson-info/intro-dependencies.json'), 'utf8')) as Array<{ name: string }>;
  assert.ok(vars.some((d) => d.name === 'python3-embed'));
  const exe = alone(path.join(build, 'embed-app-onefile'), 'full');
  const r = runApp(exe);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stderr, '');
  const out = JSON.parse(r.stdout) as { answer: number; python: string; json_file: string; path: string[]; prefix: string; sqlite: string };
  assert.is(out.answer, 42);
  assert.is(out.python, CPYTHON_VERSION);
  assert.equal(out.path, ['/proc/self/exe'], 'sys.path: the archive inside the running executable');
  assert.is(out.json_file, '/proc/self/exe/json/__init__.pyc');
  assert.is(out.prefix, path.dirname(exe));
  assert.match(out.sqlite, /^3\.\d+\.\d+$/);
  // Source lines in tracebacks come from the archive too.
  const tb = runApp(exe, ["import json; json.loads('{x')"]);
  assert.is(tb.status, 1);
  assert.match(tb.stderr, /File "\/proc\/self\/exe\/json\/decoder\.py", line \d+, in raw_decode\n\s+obj, end = self\.scan_once\(s, idx\)/);
  // Without its archive the program says so (cpython_meson_init_embedded's status), no crash.
  const bare = runApp(path.join(build, 'embed-app-onefile-bare'), ['print(1)']);
  assert.is(bare.status, 1);
  assert.match(bare.stderr, /embed-app-onefile-bare: no zip end-of-central-directory record at the end of the file; the standard library archive appended to this executable is missing or damaged/);
});

test('python3-embed carries the include dirs, the static libpython, the built-in modules and their static libraries', () => {
  const deps = JSON.parse(readFileSync(path.join(build, 'meson-info/intro-dependencies.json'), 'utf8')) as Array<{
    name: string;
    version: string;
    include_directories: string[];
    depends: string[];
  }>;
  const dep = deps.find((d) => d.name === 'python3-embed');
  assert.ok(dep, 'python3-embed in intro-dependencies.json');
  assert.is(dep?.version, CPYTHON_VERSION);
  const incs = (dep?.include_directories ?? []).map((d) => path.normalize(d));
  assert.ok(incs.includes(path.join(srcDir, 'Include')), 'Include/ of the subproject');
  assert.ok(incs.includes(path.join(build, 'subprojects', `Python-${CPYTHON_VERSION}`)), 'the build dir with pyconfig.h');
  const targets = JSON.parse(readFileSync(path.join(build, 'meson-info/intro-targets.json'), 'utf8')) as Array<{ id: string; name: string; type: string; filename: string[] }>;
  const libpython = targets.find((t) => t.name === `python${versionShort}` && t.type === 'static library');
  assert.ok(libpython, 'libpython is a static library');
  assert.ok(dep?.depends.includes(libpython?.id ?? ''), 'the dependency links libpython');
  const exe = path.join(build, 'embed-app');
  const ldd = mustRun('ldd', [exe]);
  assert.not.match(ldd, /libpython/, 'libpython is linked statically');
  // -Dprefer_static=true: the extension modules' libraries come along statically too.
  assert.not.match(ldd, /libsqlite3|libffi|libssl|liblzma/, `static dependencies:\n${ldd}`);
  const nm = mustRun('nm', ['--defined-only', exe]);
  for (const init of ['PyInit__sqlite3', 'PyInit__json', 'PyInit__decimal', 'PyInit__ssl', 'PyInit_zlib']) assert.match(nm, new RegExp(` T ${init}$`, 'm'), init);
  assert.match(nm, / T sqlite3_open_v2$/m, "libsqlite3's code is in the binary");
});

test('meson test --suite cpython runs the interpreter tests of the subproject', () => {
  const r = run('meson', ['test', '-C', build, '--suite', 'cpython', '--print-errorlogs']);
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^Ok:\s+2\s*$/m);
  assert.match(r.stdout, /interpreter\s+OK/);
  assert.match(r.stdout, /builtin-modules\s+OK/);
});

test("WrapDB's project() check on the unpacked subproject: SPDX license, version, default_options", () => {
  const info = JSON.parse(mustRun('meson', ['rewrite', 'kwargs', 'info', 'project', '/'], { cwd: srcDir })) as {
    kwargs: Record<string, { license?: unknown; version?: unknown; default_options?: unknown }>;
  };
  const project = info.kwargs['project#/'];
  assert.is(project?.license, 'PSF-2.0');
  assert.is(project?.version, CPYTHON_VERSION);
  const opts = Array.isArray(project?.default_options) ? (project?.default_options as string[]) : [];
  for (const o of opts) assert.not.match(o, /^(buildtype|debug|optimization|prefer_static|strip|unity)=/);
});

test('the minimal profile gives a smaller embedding binary (sizes measured, stripped and unstripped)', () => {
  mustRun('meson', [
    'setup',
    '--fatal-meson-warnings',
    '--wrap-mode=nodownload',
    '--buildtype=release',
    '-Dprefer_static=true',
    '-Dcpython:profile=minimal',
    '-Dcpython:stdlib=embedded',
    buildMin,
    app,
  ]);
  mustRun('ninja', ['-C', buildMin]);
  const probe = "import sys, json; print(json.dumps({'n': len(sys.builtin_module_names), 'sqlite': '_sqlite3' in sys.builtin_module_names, 'json': json.loads('[1, 2]')}))";
  const min = runApp(path.join(buildMin, 'embed-app'), [probe]);
  assert.is(min.status, 0, min.stderr);
  const full = runApp(path.join(build, 'embed-app'), [probe]);
  assert.is(full.status, 0, full.stderr);
  const m = JSON.parse(min.stdout) as { n: number; sqlite: boolean; json: number[] };
  const f = JSON.parse(full.stdout) as { n: number; sqlite: boolean; json: number[] };
  assert.equal(m.json, [1, 2], 'json works in the minimal interpreter (pure Python)');
  assert.is(m.sqlite, false);
  assert.is(f.sqlite, true);
  assert.ok(m.n < f.n, `minimal has fewer built-in modules (${m.n} < ${f.n})`);
  // The single-file program of the minimal profile: its archive is stored (no zlib built in).
  const minOne = runApp(alone(path.join(buildMin, 'embed-app-onefile'), 'minimal'), [probe]);
  assert.is(minOne.status, 0, minOne.stderr);
  assert.equal((JSON.parse(minOne.stdout) as { json: number[] }).json, [1, 2]);
  /** The single file with its ELF part stripped: stripped bare program + (table and archive). */
  const oneStripped = (dir: string): number =>
    fileSize(path.join(dir, 'embed-app-onefile')) - fileSize(path.join(dir, 'embed-app-onefile-bare')) + strippedSize(path.join(dir, 'embed-app-onefile-bare'));
  const sizes = {
    options: '--buildtype=release -Dprefer_static=true -Dcpython:stdlib=embedded',
    full: {
      builtin_modules: f.n,
      unstripped: fileSize(path.join(build, 'embed-app')),
      stripped: strippedSize(path.join(build, 'embed-app')),
      onefile: fileSize(path.join(build, 'embed-app-onefile')),
      onefile_stripped: oneStripped(build),
    },
    minimal: {
      builtin_modules: m.n,
      unstripped: fileSize(path.join(buildMin, 'embed-app')),
      stripped: strippedSize(path.join(buildMin, 'embed-app')),
      onefile: fileSize(path.join(buildMin, 'embed-app-onefile')),
      onefile_stripped: oneStripped(buildMin),
    },
  };
  writeFileSync(path.join(work, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
  const mb = (n: number): string => `${(n / 1e6).toFixed(2)} MB`;
  console.log(
    `\n  embedding binary sizes (${sizes.options}):\n` +
      `    full    (${f.n} built-in modules): ${mb(sizes.full.unstripped)} unstripped, ${mb(sizes.full.stripped)} stripped\n` +
      `    minimal (${m.n} built-in modules): ${mb(sizes.minimal.unstripped)} unstripped, ${mb(sizes.minimal.stripped)} stripped\n` +
      `    single file (embed-app-onefile, ELF stripped): full ${mb(sizes.full.onefile_stripped)}, minimal ${mb(sizes.minimal.onefile_stripped)}`,
  );
  assert.ok(sizes.minimal.unstripped < sizes.full.unstripped);
  assert.ok(sizes.minimal.stripped < sizes.full.stripped);
  assert.ok(sizes.minimal.stripped <= sizes.minimal.unstripped);
});

test("after meson install, python3-embed.pc's stdlib_dir names the installed stdlib and the program builds against it", () => {
  mustRun('meson', ['install', '-C', build, '--no-rebuild', '--quiet']);
  const pcDir = path.join(prefix, 'lib/pkgconfig');
  const pc = readFileSync(path.join(pcDir, 'python3-embed.pc'), 'utf8');
  assert.match(pc, new RegExp(`^stdlib_dir=\\$\\{prefix\\}/lib/python${versionShort.replace('.', '\\.')}$`, 'm'));
  assert.match(pc, new RegExp(`^Version: ${CPYTHON_VERSION.replace(/\./g, '\\.')}$`, 'm'));
  const installedStdlib = path.join(prefix, 'lib', `python${versionShort}`);
  assert.ok(existsSync(path.join(installedStdlib, 'json/__init__.py')));
  assert.ok(readdirSync(path.join(prefix, 'include', `python${versionShort}`)).includes('Python.h'));

  // The same program, without the wrap: dependency('python3-embed') comes from pkg-config.
  const appInstalled = path.join(work, 'app-installed');
  const buildInstalled = path.join(work, 'build-installed');
  cpSync(path.join(repoRoot, 'spec/fixtures/embed-app'), appInstalled, { recursive: true });
  const setup = mustRun('meson', ['setup', '--fatal-meson-warnings', '--wrap-mode=nofallback', buildInstalled, appInstalled], {
    env: { ...process.env, PKG_CONFIG_PATH: pcDir },
  });
  assert.match(setup, new RegExp(`Run-time dependency python3-embed found: YES ${CPYTHON_VERSION.replace(/\./g, '\\.')}`));
  mustRun('ninja', ['-C', buildInstalled]);
  const r = runApp(path.join(buildInstalled, 'embed-app'));
  assert.is(r.status, 0, r.stderr);
  assert.is(r.out?.answer, 42);
  assert.is(r.out?.stdlib_dir, installedStdlib);
  assert.is(r.out?.json_file, path.join(installedStdlib, 'json/__init__.py'));
  assert.is(r.out?.dep_version, CPYTHON_VERSION);
});

test("-Dcpython:shared=true: python3-embed links the subproject's libpython3.X.so, which the program finds in the build tree by itself", () => {
  // The minimal profile keeps this third build of the subproject short; the shared library is the point.
  mustRun('meson', ['setup', '--fatal-meson-warnings', '--wrap-mode=nodownload', '-Dcpython:shared=true', '-Dcpython:profile=minimal', buildShared, app]);
  mustRun('ninja', ['-C', buildShared]);
  const targets = JSON.parse(readFileSync(path.join(buildShared, 'meson-info/intro-targets.json'), 'utf8')) as Array<{ id: string; name: string; type: string; filename: string[] }>;
  const libpython = targets.find((t) => t.name === `python${versionShort}` && t.type === 'shared library');
  assert.ok(libpython, 'libpython is a shared library');
  const deps = JSON.parse(readFileSync(path.join(buildShared, 'meson-info/intro-dependencies.json'), 'utf8')) as Array<{ name: string; depends: string[] }>;
  assert.ok(deps.find((d) => d.name === 'python3-embed')?.depends.includes(libpython?.id ?? ''), 'python3-embed links the shared libpython');
  const exe = path.join(buildShared, 'embed-app');
  const soname = `libpython${versionShort}.so.1.0`;
  const ldd = mustRun('ldd', [exe]);
  assert.match(ldd, new RegExp(`${soname.replace(/\./g, '\\.')} => ${path.join(buildShared, 'subprojects', `Python-${CPYTHON_VERSION}`).replace(/\./g, '\\.')}/`), `ldd:\n${ldd}`);
  const r = runApp(exe, ["import sys, json; print(json.dumps({'v': sys.version.split()[0], 'json': json.loads('[1, 2]')}))"]);
  assert.is(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { v: CPYTHON_VERSION, json: [1, 2] });
});

test.run();
