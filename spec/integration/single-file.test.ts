// The single-file interpreter (issue 14, docs/single-file.md): `cpython-meson build --single-file`
// on CPython 3.13.15, then <build>/python is copied ALONE into an empty temporary directory and
// run from there: env -i, through a symlink, from a path with spaces, with the current directory
// elsewhere, -m json.tool / timeit / unittest, no getpath warning; sys.prefix, sys.path and
// sysconfig say where it is; tracebacks and inspect show source lines; importlib.resources reads
// data files; a read-only file in a read-only directory (and a read-only mount, where user
// namespaces allow one) works and nothing is written; a truncated or damaged copy exits with a
// one-line error, not a crash. Sizes are printed and written to sizes.json in the build dir.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CPYTHON_VERSION, ensureSingleFileBuild, run, type Built } from './shared.js';

const versionShort = CPYTHON_VERSION.split('.').slice(0, 2).join('.');
const IMPORTS = "import json, sqlite3, ssl, asyncio, decimal, email.parser, http.client, zoneinfo, tomllib, unittest; print('ok')";
const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'cpm-single-file-'));
/** The copy under test: alone in a directory whose name has a space. */
const aloneDir = path.join(tmpRoot, 'one dir');
const alone = path.join(aloneDir, 'python');
let built: Built & { output: string };

/** Nothing but what env -i leaves: no PATH, no HOME, no PYTHON* (and the C locale). */
function envI(exe: string, args: string[], opts: { cwd?: string; input?: string } = {}): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const r = run('env', ['-i', exe, ...args], { cwd: opts.cwd ?? '/', ...(opts.input !== undefined ? { input: opts.input } : {}) });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

test('build --single-file builds <builddir>/python, a single file with the stdlib archive appended', async () => {
  built = await ensureSingleFileBuild();
  assert.match(built.output, /-Dstdlib=embedded -Dprefer_static=true -Dtest_modules=false/);
  assert.match(built.output, /hello from 3\.13\.15/);
  const zip = path.join(built.build, `python${versionShort.replace('.', '')}-stdlib.zip`);
  assert.ok(existsSync(zip), zip);
  const bare = path.join(built.build, 'python-bare');
  assert.ok(statSync(built.python).size > statSync(bare).size + statSync(zip).size, 'python = python-bare + table + zip');
  mkdirSync(aloneDir, { recursive: true });
  copyFileSync(built.python, alone);
  chmodSync(alone, 0o755);
  assert.equal(readdirSync(aloneDir), ['python'], 'the copy is alone in its directory');
});

test('runs alone: env -i, the import line of the issue prints ok, no getpath warning, from its dir, through a symlink, with cwd elsewhere', () => {
  for (const [exe, cwd] of [
    [alone, aloneDir],
    [alone, '/'],
  ] as const) {
    const r = envI(exe, ['-c', IMPORTS], { cwd });
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stdout, 'ok\n');
    assert.is(r.stderr, '', 'nothing on stderr (no "Could not find platform independent libraries")');
  }
  const linkDir = path.join(tmpRoot, 'links');
  mkdirSync(linkDir, { recursive: true });
  const link = path.join(linkDir, 'py3');
  symlinkSync(alone, link);
  const r = envI(link, ['-s', '-c', IMPORTS.replace("print('ok')", 'import sys; print(sys.executable, sys.prefix, sep="|")')], { cwd: os.tmpdir() });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stderr, '');
  assert.is(r.stdout, `${link}|${aloneDir}\n`, 'sys.executable is the symlink (as with the stock interpreter), sys.prefix the real directory');
  // A relative invocation from the file's own directory.
  const rel = run('env', ['-i', './python', '-c', 'print(1 + 1)'], { cwd: aloneDir });
  assert.is(rel.stdout, '2\n', rel.stderr);
});

test('python -m json.tool, -m timeit and -m unittest work from the archive', () => {
  const json = envI(alone, ['-m', 'json.tool', '--compact'], { input: '{"a": [1, 2, {"b": null}]}' });
  assert.is(json.status, 0, json.stderr);
  assert.is(json.stdout, '{"a":[1,2,{"b":null}]}\n');
  const timeit = envI(alone, ['-m', 'timeit', '-n', '1000', '-r', '2', 'sum(range(10))']);
  assert.is(timeit.status, 0, timeit.stderr);
  assert.match(timeit.stdout, /^1000 loops, best of 2: [\d.]+ [nuµm]?sec per loop$/m);
  const testDir = path.join(tmpRoot, 'tests');
  mkdirSync(testDir, { recursive: true });
  writeFileSync(
    path.join(testDir, 'test_probe.py'),
    'import unittest, json\n\nclass T(unittest.TestCase):\n    def test_json(self):\n        self.assertEqual(json.loads("[1]"), [1])\n\n    def test_fails_not(self):\n        self.assertTrue(True)\n',
  );
  const ut = envI(alone, ['-m', 'unittest', '-v', 'test_probe'], { cwd: testDir });
  assert.is(ut.status, 0, ut.stderr);
  assert.match(ut.stderr, /^Ran 2 tests in /m);
  assert.match(ut.stderr, /^OK$/m);
});

test('honest: sys.prefix, sys.path, sys._stdlib_dir, sysconfig and __file__ name the file and its directory', () => {
  const probe = [
    'import sys, sysconfig, json, os',
    'print(sys.prefix); print(sys.exec_prefix); print(sys.executable); print(repr(sys.path)); print(sys._stdlib_dir)',
    "print(sysconfig.get_config_var('prefix')); print(sysconfig.get_paths()['purelib']); print(json.__file__)",
    "print(sysconfig.get_config_var('VERSION'), sysconfig.get_config_var('SOABI'))",
  ].join('\n');
  const r = envI(alone, ['-s', '-c', probe]);
  assert.is(r.status, 0, r.stderr);
  const [prefix, execPrefix, executable, sysPath, stdlibDir, cfgPrefix, purelib, jsonFile, vars] = r.stdout.trim().split('\n');
  assert.is(prefix, aloneDir);
  assert.is(execPrefix, aloneDir);
  assert.is(executable, alone);
  assert.is(sysPath, "['', '/proc/self/exe']", 'sys.path: the script dir and the archive inside the running executable');
  assert.is(stdlibDir, '/proc/self/exe');
  assert.is(cfgPrefix, aloneDir);
  assert.is(purelib, path.join(aloneDir, 'lib', `python${versionShort}`, 'site-packages'));
  assert.is(jsonFile, '/proc/self/exe/json/__init__.pyc');
  assert.is(vars, `${versionShort} cpython-${versionShort.replace('.', '')}-x86_64-linux-gnu`);
  // PYTHONPATH goes in front of the archive, as with the stock interpreter; -E ignores it.
  const extra = path.join(tmpRoot, 'extra');
  mkdirSync(extra, { recursive: true });
  writeFileSync(path.join(extra, 'extra_mod.py'), 'VALUE = 42\n');
  const withPath = run('env', ['-i', `PYTHONPATH=${extra}`, alone, '-s', '-c', 'import sys, extra_mod; print(extra_mod.VALUE, sys.path[1:])'], { cwd: '/' });
  assert.is(withPath.stdout, `42 ['${extra}', '/proc/self/exe']\n`, withPath.stderr);
  const ignored = run('env', ['-i', `PYTHONPATH=${extra}`, alone, '-E', '-s', '-c', 'import sys; print(sys.path[1:])'], { cwd: '/' });
  assert.is(ignored.stdout, "['/proc/self/exe']\n", ignored.stderr);
});

test('each module is read and unmarshalled once from the archive; __file__, __spec__, __cached__ and namespace portions as zipimport gives them', () => {
  // Stock zipimport unmarshals every module twice (get_filename, then get_code: python/cpython#141276);
  // cpython_meson_embedded.h's zipimporter subclass keeps the first code object for get_code.
  const probe = [
    'import sys, zipimport',
    'loads = []',
    "sys.addaudithook(lambda event, args: event == 'marshal.loads' and sys._getframe(1).f_code.co_name == '_unmarshal_code' and loads.append(1))",
    'before = set(sys.modules)',
    'import json, asyncio, email.parser, xml.dom.minidom, idlelib.Icons',
    "new = [m for n, m in sys.modules.items() if n not in before and isinstance(m.__spec__.loader, zipimport.zipimporter)]",
    'print(len(loads) == len(new) > 40, len(loads), len(new))',
    'for m in json, json.decoder, xml.dom:',
    '    print(m.__file__, m.__spec__.origin, m.__cached__, m.__spec__.submodule_search_locations)',
    'print(list(idlelib.Icons.__path__), idlelib.Icons.__spec__.origin, type(idlelib.Icons.__spec__.loader).__name__)',
    "print(repr(json.__loader__), repr(json.decoder.__loader__), isinstance(json.__loader__, zipimport.zipimporter))",
  ].join('\n');
  const r = envI(alone, ['-c', probe]);
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0] ?? '', /^True \d+ \d+$/, `zipimport's marshal.loads calls, modules from the archive: ${lines[0]}`);
  assert.equal(lines.slice(1), [
    "/proc/self/exe/json/__init__.pyc /proc/self/exe/json/__init__.pyc /proc/self/exe/json/__init__.pyc ['/proc/self/exe/json']",
    '/proc/self/exe/json/decoder.pyc /proc/self/exe/json/decoder.pyc /proc/self/exe/json/decoder.pyc None',
    "/proc/self/exe/xml/dom/__init__.pyc /proc/self/exe/xml/dom/__init__.pyc /proc/self/exe/xml/dom/__init__.pyc ['/proc/self/exe/xml/dom']",
    "['/proc/self/exe/idlelib/Icons'] None NamespaceLoader",
    '<zipimporter object "/proc/self/exe/"> <zipimporter object "/proc/self/exe/json/"> True',
  ]);
});

test('tracebacks and inspect show the stdlib source lines from the archive', () => {
  const tb = envI(alone, ['-c', "import json\njson.loads('{x')"]);
  assert.is(tb.status, 1);
  assert.match(tb.stderr, /File "\/proc\/self\/exe\/json\/decoder\.py", line \d+, in raw_decode\n\s+obj, end = self\.scan_once\(s, idx\)/);
  assert.match(tb.stderr, /json\.decoder\.JSONDecodeError: Expecting property name enclosed in double quotes/);
  const src = envI(alone, ['-c', 'import inspect, json, asyncio.events; print(inspect.getsource(json.dumps).splitlines()[0]); print(inspect.getsourcefile(asyncio.events))']);
  assert.is(src.status, 0, src.stderr);
  assert.is(src.stdout, 'def dumps(obj, *, skipkeys=False, ensure_ascii=True, check_circular=True,\n/proc/self/exe/asyncio/events.py\n');
});

test('importlib.resources reads data files of stdlib packages from the archive', () => {
  const probe = [
    'from importlib import resources',
    "print(resources.files('email').joinpath('architecture.rst').read_text().splitlines()[0])",
    "print(resources.files('idlelib').joinpath('Icons', 'idle_16.png').read_bytes()[:4])",
    "print(sorted(p.name for p in resources.files('venv').joinpath('scripts', 'common').iterdir()))",
    "import zoneinfo; print(zoneinfo.ZoneInfo('UTC').utcoffset(None))",
  ].join('\n');
  const r = envI(alone, ['-c', probe]);
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.is(lines[0], ':mod:`email` Package Architecture');
  assert.is(lines[1], "b'\\x89PNG'");
  assert.match(lines[2] ?? '', /'activate'/);
  assert.is(lines[3], '0:00:00');
});

test('read-only: a 555 file in a 555 directory runs and writes nothing; also on a read-only mount where user namespaces allow one', () => {
  const roDir = path.join(tmpRoot, 'ro dir');
  mkdirSync(roDir, { recursive: true });
  const ro = path.join(roDir, 'python');
  copyFileSync(alone, ro);
  chmodSync(ro, 0o555);
  chmodSync(roDir, 0o555);
  try {
    const r = envI(ro, ['-c', "import json, asyncio, email.parser, unittest; print('ro ok')"], { cwd: roDir });
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stdout, 'ro ok\n');
    assert.is(r.stderr, '');
    assert.equal(readdirSync(roDir), ['python'], 'nothing written next to it');
    // A read-only bind mount in a user + mount namespace (unshare), when the kernel allows it.
    const probe = run('unshare', ['--user', '--map-root-user', '--mount', 'true']);
    if (probe.status === 0) {
      const m = run('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', 'mount --bind -o ro "$1" "$1" && touch "$1/x" 2>/dev/null; "$1/python" -c "import json, asyncio; print(\'rofs ok\')"', 'sh', roDir]);
      assert.is(m.status, 0, m.stderr);
      assert.is(m.stdout, 'rofs ok\n');
    } else {
      console.log('  (read-only mount not checked: unshare --user --mount is not permitted here)');
    }
  } finally {
    chmodSync(roDir, 0o755);
  }
});

test('a truncated or damaged archive: one clear line naming the file, exit 1, no crash', () => {
  const size = statSync(alone).size;
  const zipSize = statSync(path.join(built.build, `python${versionShort.replace('.', '')}-stdlib.zip`)).size;
  const zero = (from: number, to: number) => (f: string) => {
    const data = readFileSync(f);
    data.fill(0, from, to);
    writeFileSync(f, data);
  };
  const tail = readFileSync(alone).subarray(size - 22);
  const cdStart = size - 22 - tail.readUInt32LE(12);
  const cases: [string, (file: string) => void, RegExp][] = [
    ['cut in the middle of the archive', (f) => truncateSync(f, size - Math.floor(zipSize / 2)), /no zip end-of-central-directory record/],
    ['cut 10 bytes short', (f) => truncateSync(f, size - 10), /no zip end-of-central-directory record/],
    ['cut inside the ELF', (f) => truncateSync(f, Math.floor((size - zipSize) / 2)), /no zip end-of-central-directory record/],
    ['end record zeroed', zero(size - 22, size), /no zip end-of-central-directory record/],
    ['central directory zeroed', zero(cdStart, cdStart + 4096), /no zip central directory where the end record says/],
  ];
  for (const [what, damage, why] of cases) {
    const file = path.join(tmpRoot, `damaged-${what.replace(/\W+/g, '-')}`);
    copyFileSync(alone, file);
    chmodSync(file, 0o755);
    damage(file);
    const r = envI(file, ['-c', 'import json; print(1)']);
    assert.is(r.signal, null, `${what}: no crash`);
    assert.is(r.status, 1, `${what}: exit 1\n${r.stderr}`);
    assert.is(r.stdout, '', what);
    const line = `${file}: `;
    assert.ok(r.stderr.startsWith(line), `${what}: names the file:\n${r.stderr}`);
    assert.match(r.stderr, why, what);
    assert.match(r.stderr, /; the standard library archive appended to this executable is missing or damaged/, what);
    assert.is(r.stderr.trim().split('\n').length, 1, `${what}: one line`);
  }
  // Damage inside a member the start-up reads (zipimport checks no CRC, as with any .pyc): an
  // error from the import system, still no crash.
  const offsets = run('python3', [
    '-c',
    'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); i = z.getinfo("encodings/__init__.pyc"); print(i.header_offset + 30 + len(i.filename.encode()) + len(i.extra), i.file_size)',
    alone,
  ]);
  assert.is(offsets.status, 0, offsets.stderr);
  const [dataAt, dataSize] = offsets.stdout.trim().split(' ').map(Number);
  const member = path.join(tmpRoot, 'damaged-member');
  copyFileSync(alone, member);
  chmodSync(member, 0o755);
  zero((dataAt ?? 0) + 16, (dataAt ?? 0) + (dataSize ?? 0))(member);
  const m = envI(member, ['-c', 'print(1)']);
  assert.is(m.signal, null, 'damaged member: no crash');
  assert.is(m.status, 1, m.stderr);
  assert.match(m.stderr, /bad marshal data|encodings/);
  // strip(1) drops everything after the ELF sections: the same clear error.
  const stripped = path.join(tmpRoot, 'stripped');
  const s = run('strip', ['-o', stripped, alone]);
  assert.is(s.status, 0, s.stderr);
  const r = envI(stripped, ['-c', 'pass']);
  assert.is(r.status, 1);
  assert.match(r.stderr, /no zip end-of-central-directory record at the end of the file/);
});

test('meson test runs the single file (interpreter, builtin-modules); the archive is deterministic; sizes', () => {
  // By name: in the main project --suite cpython would also select CPython's regrtest tests.
  const t = run('meson', ['test', '-C', built.build, '--print-errorlogs', 'interpreter', 'builtin-modules']);
  assert.is(t.status, 0, t.stdout + t.stderr);
  assert.match(t.stdout, /^Ok:\s+2\s*$/m);
  const zip = path.join(built.build, `python${versionShort.replace('.', '')}-stdlib.zip`);
  const again = path.join(tmpRoot, 'again.zip');
  const helper = path.join(built.src, 'Tools/meson/cpython_meson.py');
  const sysconfigdata = readdirSync(path.join(built.build, 'Modules')).find((f) => f.startsWith('_sysconfigdata_'));
  assert.ok(sysconfigdata);
  const args = [
    helper,
    'stdlib-zip',
    again,
    `${again}.d`,
    path.join(built.build, 'python-bare'),
    built.src,
    '/proc/self/exe',
    'deflate',
    `${path.join(built.build, 'Modules', sysconfigdata ?? '')}=${sysconfigdata}`,
    `${path.join(built.src, 'LICENSE')}=LICENSE.txt`,
    `${path.join(built.build, '_cpython_meson_zipimport.py')}=_cpython_meson_zipimport.py`,
  ];
  const z = run('python3', args, { cwd: built.build });
  assert.is(z.status, 0, z.stderr);
  assert.is(sha256(again), sha256(zip), 'a second run writes the same archive, byte for byte');
  const list = run('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); n = z.namelist(); print(len(n), sum(x.endswith(".pyc") for x in n), "test/" in n, n == sorted(n), {i.date_time for i in z.infolist()}, sep="\\n")', zip]);
  const [entries, pycs, hasTests, isSorted, dates] = list.stdout.trim().split('\n');
  assert.ok(Number(entries) > 1000 && Number(pycs) > 500, list.stdout);
  assert.is(hasTests, 'False', 'no test package (TESTSUBDIRS)');
  assert.is(isSorted, 'True');
  assert.is(dates, '{(1980, 1, 1, 0, 0, 0)}');
  const bareStripped = path.join(tmpRoot, 'python-bare.stripped');
  run('strip', ['-o', bareStripped, path.join(built.build, 'python-bare')]);
  const sizes = {
    options: '--single-file (-Dstdlib=embedded -Dprefer_static=true -Dtest_modules=false)',
    python: statSync(built.python).size,
    python_bare: statSync(path.join(built.build, 'python-bare')).size,
    python_bare_stripped: statSync(bareStripped).size,
    stdlib_zip: statSync(zip).size,
    single_file_stripped: statSync(built.python).size - statSync(path.join(built.build, 'python-bare')).size + statSync(bareStripped).size,
    zip_entries: Number(entries),
  };
  writeFileSync(path.join(built.build, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
  const mb = (n: number): string => `${(n / 1e6).toFixed(2)} MB`;
  console.log(
    `\n  single file: ${mb(sizes.python)} (${mb(sizes.single_file_stripped)} with the ELF stripped); ` +
      `stdlib zip ${mb(sizes.stdlib_zip)} (${sizes.zip_entries} entries); build ${built.buildSeconds.toFixed(0)} s`,
  );
});

test.after(() => {
  rmSync(tmpRoot, { recursive: true, force: true });
});

test.run();
