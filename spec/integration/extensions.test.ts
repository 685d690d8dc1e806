// Every stdlib extension module, its libraries through dependency() and wraps, one static binary:
// - the built-in + prefer_static build links nothing outside the C library (ldd);
// - with -Dextensions=shared the same modules import, as .so files in build/Modules;
// - CPython's own tests of the modules that use external libraries pass with the static build;
// - the wraps `generate` writes build zlib, sqlite3 and expat from source offline
//   (--wrap-mode=forcefallback, Debian's orig tarballs in subprojects/packagecache/).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { baseDependencies } from '../../cpython-manifests/common/dependencies.js';
import { parseWrap, wrapFiles, wrapsDir } from '../../generator/emit/wraps.js';
import { isGenerated } from '../../generator/emit/write.js';
import { outsideLibc, parseLdd, PROBE_SCRIPT, type Probe } from '../../generator/parity/parity.js';
import { defaultCacheDir } from '../../generator/util/cpython-source.js';
import { ensureBuild, py, run, type Built } from './shared.js';

/** Modules whose libraries the CI machine has (scripts/ install the -dev packages): all must be built. */
const WITH_LIBRARIES = [
  '_bz2', '_ctypes', '_curses', '_curses_panel', '_dbm', '_decimal', '_elementtree', '_gdbm', '_hashlib', '_lzma',
  '_sqlite3', '_ssl', '_uuid', 'pyexpat', 'readline', 'zlib', 'binascii',
  '_md5', '_sha1', '_sha2', '_sha3', '_blake2',
];

const LIBRARY_TESTS = [
  'test_ssl', 'test_hashlib', 'test_sqlite3', 'test_ctypes', 'test_zlib', 'test_bz2', 'test_lzma', 'test_decimal',
  'test_xml_etree', 'test_pyexpat', 'test_dbm', 'test_uuid', 'test_readline', 'test_curses', 'test_zoneinfo', 'test_socket',
];

function probeOf(built: Built): Probe {
  const r = py(built, ['-I', '-c', PROBE_SCRIPT]);
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Probe;
}

test('built in + prefer_static: every library module is built in and ldd python lists only the C library', async () => {
  const built = await ensureBuild('builtin');
  const ldd = run('ldd', [built.python]);
  assert.is(ldd.status, 0, ldd.stderr);
  const { libraries } = parseLdd(ldd.stdout);
  assert.ok(libraries.includes('libc'), ldd.stdout);
  assert.equal(outsideLibc(libraries), [], `python needs shared libraries outside libc:\n${ldd.stdout}`);
  const probe = probeOf(built);
  const missing = WITH_LIBRARIES.filter((m) => !probe.builtin.includes(m));
  assert.equal(missing, [], 'modules with external libraries not built in');
  for (const m of WITH_LIBRARIES) assert.ok(m in probe.importable, `${m} imports`);
  // _tkinter stays a shared module (the manifest's sharedOnly: built in, every start would load
  // Tcl/Tk and X11), linked against the shared Tcl/Tk even with prefer_static.
  assert.not.ok(probe.builtin.includes('_tkinter'), '_tkinter is not built in');
  const log = readFileSync(path.join(built.build, 'meson-logs/meson-log.txt'), 'utf8');
  assert.match(log, /shared\s*:[^\n]*\b_tkinter\b/, 'the setup summary lists _tkinter as shared');
});

test('-Dextensions=shared: the same modules import, as shared modules in build/Modules', async () => {
  const builtin = probeOf(await ensureBuild('builtin'));
  const sharedBuild = await ensureBuild('shared');
  const shared = probeOf(sharedBuild);
  const lost = Object.keys(builtin.importable).filter((m) => !(m in shared.importable));
  assert.equal(lost, [], 'importable with built-in extensions, not with shared ones');
  for (const m of WITH_LIBRARIES) {
    assert.is(shared.importable[m], 'extension', `${m} is a shared module`);
    assert.ok(shared.shared.includes(m), `${m}.so is on sys.path`);
  }
  const so = readdirSync(path.join(sharedBuild.build, 'Modules')).filter((f) => f.endsWith('.so'));
  assert.ok(so.length >= WITH_LIBRARIES.length, so.join(' '));
  assert.ok(shared.builtin.length < builtin.builtin.length, 'only the bootstrap modules stay built in');
  const ldd = parseLdd(run('ldd', [sharedBuild.python]).stdout);
  assert.equal(outsideLibc(ldd.libraries), [], 'the shared-extension python itself links only the C library');
});

/** True when AF_VSOCK works here: containers often have /dev/vsock without a transport. */
function vsockWorks(built: Built): boolean {
  const code = `
import socket, fcntl, struct
with open('/dev/vsock', 'rb') as f:
    cid = struct.unpack('I', fcntl.ioctl(f, socket.IOCTL_VM_SOCKETS_GET_LOCAL_CID, '    '))[0]
srv = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
srv.bind((socket.VMADDR_CID_ANY, 54321))
srv.listen()
cli = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
cli.settimeout(5)
cli.connect((cid, 54321))
`;
  return py(built, ['-c', code]).status === 0;
}

test(`CPython's ${LIBRARY_TESTS.join(' ')} pass with the built-in + static build`, async () => {
  const built = await ensureBuild('builtin');
  const args = ['-m', 'test', '-j2', '--timeout=900', ...LIBRARY_TESTS];
  // test_socket's VSOCK stream test needs a hypervisor transport; where /dev/vsock exists without
  // one, connect() fails with ENODEV (CPython's configure + make build fails it the same way).
  const vsock = existsSync('/dev/vsock') && !vsockWorks(built);
  if (vsock) args.push('--ignore', '*ThreadedVSOCKSocketStreamTest*');
  const r = py(built, args);
  const tail = r.stdout.split('\n').slice(-40).join('\n');
  assert.is(r.status, 0, `regrtest failed:\n${tail}\n${r.stderr.slice(-3000)}`);
  assert.match(r.stdout, /Result: SUCCESS/);
  assert.not.match(r.stdout, /tests? failed/);
});

/** The sha256 of a file. */
function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Debian's orig tarball a wrap pins, from the cache or fetched with `apt-get source
 * --download-only` (deb-src entries for bookworm, trixie and sid), checked against the wrap's hash.
 */
function debianOrig(wrapText: string, stem: string): string {
  const wrap = parseWrap(wrapText, `${stem}.wrap`);
  const filename = wrap.fields['source_filename'] ?? '';
  const hash = wrap.fields['source_hash'] ?? '';
  const pkg = /\/pool\/main\/[^/]+\/([^/]+)\//.exec(wrap.fields['source_url'] ?? '')?.[1];
  assert.ok(pkg, `${stem}.wrap points at a Debian source package`);
  const dir = path.join(process.env.CPYTHON_MESON_CACHE ?? defaultCacheDir(), 'debsrc');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, filename);
  if (!existsSync(file) || sha256(file) !== hash) {
    // Every version of the source package whose files include the tarball, newest last.
    const show = run('apt-cache', ['showsrc', pkg]).stdout.split(/\n\n+/);
    const versions = show.filter((p) => p.includes(` ${filename}\n`) || p.endsWith(` ${filename}`)).map((p) => /^Version: (.+)$/m.exec(p)?.[1]).filter((v): v is string => !!v);
    for (const v of versions.reverse()) {
      run('apt-get', ['source', '--download-only', `${pkg}=${v}`], { cwd: dir });
      if (existsSync(file)) break;
    }
  }
  assert.ok(existsSync(file), `apt-get source --download-only ${pkg} gives ${filename}`);
  assert.is(sha256(file), hash, `${filename} has the hash ${stem}.wrap pins`);
  return file;
}

test('generate writes the wraps and our overlays into subprojects/, marked as generated', async () => {
  const built = await ensureBuild('builtin');
  for (const d of Object.values(baseDependencies)) {
    if (!d.wrap) continue;
    const file = path.join(built.src, 'subprojects', `${d.wrap}.wrap`);
    assert.ok(existsSync(file), `${file} exists`);
    const text = readFileSync(file, 'utf8');
    assert.ok(isGenerated(text), `${d.wrap}.wrap carries the marker`);
    assert.ok(parseWrap(text, file).provides.some((n) => d.names.includes(n)), `${d.wrap}.wrap provides ${d.names.join('/')}`);
  }
  for (const name of ['zlib', 'sqlite3', 'expat']) {
    assert.ok(existsSync(path.join(built.src, 'subprojects/packagefiles', name, 'meson.build')), `overlay ${name}`);
  }
});

test('--wrap-mode=forcefallback builds zlib, sqlite3 and expat from the pinned tarballs, offline', async () => {
  const stems = ['zlib', 'sqlite3', 'expat'];
  const models = stems.map((s) => ({ ...Object.values(baseDependencies).find((d) => d.wrap === s)!, stem: s }));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cpm-forcefallback-'));
  try {
    // The wraps exactly as `generate` writes them (marker included), and the pinned tarballs.
    const files = wrapFiles(
      models.map((d) => ({
        name: d.stem, title: d.title, names: d.names, version: null, fallbackLibraries: [], fallbackHeader: null, license: d.license,
        debianPackage: null, option: d.stem, wrap: d.stem, linkOnly: false, gpl: false, linkCheck: null, staticExtras: [], requires: [],
        only: null, bundled: null,
      })),
      'test',
    );
    for (const f of files) {
      mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
      writeFileSync(path.join(dir, f.path), f.content);
    }
    mkdirSync(path.join(dir, 'subprojects/packagecache'));
    const versions: Record<string, string> = {};
    for (const s of stems) {
      const text = readFileSync(path.join(wrapsDir, `${s}.wrap`), 'utf8');
      const orig = debianOrig(text, s);
      copyFileSync(orig, path.join(dir, 'subprojects/packagecache', path.basename(orig)));
      const overlay = readFileSync(path.join(wrapsDir, 'packagefiles', s, 'meson.build'), 'utf8');
      versions[s] = /version: '([^']+)'/.exec(overlay)?.[1] ?? '?';
    }
    writeFileSync(
      path.join(dir, 'meson.build'),
      `project('forcefallback', 'c', meson_version: '>=1.3.0')
deps = []
foreach name : ['zlib', 'sqlite3', 'expat']
    deps += dependency(name, default_options: ['default_library=static'])
endforeach
executable('versions', 'versions.c', dependencies: deps)
`,
    );
    writeFileSync(
      path.join(dir, 'versions.c'),
      `#include <stdio.h>
#include <expat.h>
#include <sqlite3.h>
#include <zlib.h>
int main(void) {
    sqlite3 *db;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || sqlite3_exec(db, "create table t(x); insert into t values (1);", 0, 0, 0) != SQLITE_OK) return 1;
    XML_Parser p = XML_ParserCreate(NULL);
    if (XML_Parse(p, "<a><b/></a>", 11, 1) != XML_STATUS_OK) return 2;
    printf("zlib %s\\nsqlite3 %s\\nexpat %s\\n", zlibVersion(), sqlite3_libversion(), XML_ExpatVersion());
    return 0;
}
`,
    );
    // No network: a proxy that does not exist makes any download attempt fail at once.
    const env = { ...process.env, http_proxy: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9', no_proxy: '' };
    const setup = run('meson', ['setup', '--fatal-meson-warnings', '--wrap-mode=forcefallback', 'build'], { cwd: dir, env });
    assert.is(setup.status, 0, `meson setup:\n${setup.stdout.slice(-4000)}\n${setup.stderr}`);
    for (const s of stems) assert.match(setup.stdout, new RegExp(`Subproject ${s} finished`), `${s} was configured from its wrap`);
    const ninja = run('ninja', ['-C', 'build'], { cwd: dir });
    assert.is(ninja.status, 0, `ninja:\n${ninja.stdout.slice(-4000)}\n${ninja.stderr}`);
    const exe = path.join(dir, 'build/versions');
    const out = run(exe, []);
    assert.is(out.status, 0, out.stderr);
    assert.is(out.stdout, `zlib ${versions['zlib']}\nsqlite3 ${versions['sqlite3']}\nexpat expat_${versions['expat']}\n`);
    const ldd = parseLdd(run('ldd', [exe]).stdout);
    assert.equal(outsideLibc(ldd.libraries), [], 'the libraries come from the subprojects, linked statically');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
