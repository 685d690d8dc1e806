// Tools/meson/cpython_meson.py stdlib-zip and append-stdlib (-Dstdlib=embedded, docs/single-file.md)
// on a tiny fake checkout, with the Python that runs the tests standing in for the interpreter
// being built: what goes into the archive (Lib/*.py, LIBSUBDIRS with $(XMLLIBSUBDIRS) expanded,
// no TESTSUBDIRS), .pyc beside each .py (unchecked hash, co_filename under the code prefix,
// stored), fixed dates, sorted, byte-identical on a second run, the depfile; then the appended
// file: zipimport imports from it and the directory table in front of the zip is zipimport's own;
// and zipimport-module, the archive's zipimporter that unmarshals each module once.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const helper = path.join(repo, 'meson-templates/Tools/meson/cpython_meson.py');
const dir = mkdtempSync(path.join(os.tmpdir(), 'cpm-stdlib-zip-'));
const src = path.join(dir, 'src');

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(src, rel)), { recursive: true });
  writeFileSync(path.join(src, rel), text);
}

function py(code: string, ...args: string[]): string {
  const r = spawnSync('python3', ['-c', code, ...args], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return r.stdout;
}

write(
  'Makefile.pre.in',
  'XMLLIBSUBDIRS=  xml xml/dom\nLIBSUBDIRS=\tpkg \\\n\t\tpkg/sub \\\n\t\t$(XMLLIBSUBDIRS) \\\n\t\tmissing\nTESTSUBDIRS=\ttest\n',
);
write('Lib/a.py', 'def f():\n    raise ValueError("from a")\n');
write('Lib/pkg/__init__.py', 'X = 1\n');
write('Lib/pkg/data.txt', 'data\n');
write('Lib/pkg/old.py.orig', 'skipped\n');
write('Lib/pkg/sub/__init__.py', '');
write('Lib/xml/__init__.py', '');
write('Lib/xml/dom/minidom.py', 'Y = 2\n');
write('Lib/test/test_x.py', 'raise SystemExit\n');
write('Lib/notpy.txt', 'top-level files other than .py stay out\n');
write('LICENSE', 'license text\n');

const zip = path.join(dir, 'out.zip');
/** The helper runs PYTHON by its path (never through PATH). */
const python3 = py('import sys; print(sys.executable)').trim();
function stdlibZip(out: string): void {
  const r = spawnSync('python3', [helper, 'stdlib-zip', out, `${out}.d`, python3, src, '/proc/self/exe', 'deflate', `${path.join(src, 'LICENSE')}=LICENSE.txt`], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
}

test('stdlib-zip: Lib/*.py and LIBSUBDIRS (XMLLIBSUBDIRS expanded, no tests), each .py with its .pyc, sorted, fixed dates', () => {
  stdlibZip(zip);
  const info = JSON.parse(
    py(
      'import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(json.dumps([[i.filename, i.compress_type, list(i.date_time), i.external_attr >> 16] for i in z.infolist()]))',
      zip,
    ),
  ) as [string, number, number[], number][];
  assert.equal(
    info.map((e) => e[0]),
    ['LICENSE.txt', 'a.py', 'a.pyc', 'pkg/', 'pkg/__init__.py', 'pkg/__init__.pyc', 'pkg/data.txt', 'pkg/sub/', 'pkg/sub/__init__.py', 'pkg/sub/__init__.pyc', 'xml/', 'xml/__init__.py', 'xml/__init__.pyc', 'xml/dom/', 'xml/dom/minidom.py', 'xml/dom/minidom.pyc'],
  );
  for (const [name, method, date, mode] of info) {
    assert.equal(date, [1980, 1, 1, 0, 0, 0], name);
    if (name.endsWith('/')) assert.is(mode, 0o40755, name);
    else {
      assert.is(mode, 0o100644, name);
      assert.is(method, name.endsWith('.pyc') ? 0 : 8, `${name}: .pyc stored, the rest deflated`);
    }
  }
});

test('stdlib-zip: unchecked-hash .pyc with co_filename under the code prefix; a second run is byte-identical; the depfile names the sources', () => {
  const pyc = py(
    'import marshal, sys, zipfile\nd = zipfile.ZipFile(sys.argv[1]).read("a.pyc")\nc = marshal.loads(d[16:])\nprint(int.from_bytes(d[4:8], "little"), c.co_filename, [k.co_filename for k in c.co_consts if hasattr(k, "co_filename")])',
    zip,
  );
  assert.is(pyc, "1 /proc/self/exe/a.py ['/proc/self/exe/a.py']\n", 'flags 1: hash-based, not checked against the source');
  const again = path.join(dir, 'again.zip');
  stdlibZip(again);
  assert.ok(readFileSync(again).equals(readFileSync(zip)), 'byte-identical');
  const dep = readFileSync(`${zip}.d`, 'utf8');
  assert.ok(dep.startsWith(`${zip}: `), dep);
  for (const f of ['Makefile.pre.in', 'Lib/a.py', 'Lib/xml/dom/minidom.py', 'LICENSE']) assert.ok(dep.includes(path.join(src, f)), f);
  assert.not.ok(dep.includes('test_x.py'));
});

test('append-stdlib: exe + directory table + zip; zipimport imports from the result and the table is its own', () => {
  const exe = path.join(dir, 'fake-exe');
  copyFileSync('/bin/true', exe);
  const out = path.join(dir, 'one');
  const r = spawnSync('python3', [helper, 'append-stdlib', exe, zip, out, python3], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const data = readFileSync(out);
  const elf = readFileSync(exe);
  assert.ok(data.subarray(0, elf.length).equals(elf), 'the executable comes first, unchanged');
  const zipData = readFileSync(zip);
  assert.ok(data.subarray(data.length - zipData.length).equals(zipData), 'the archive comes last, unchanged');
  const trailer = data.subarray(data.length - zipData.length - 32, data.length - zipData.length);
  assert.is(trailer.subarray(0, 8).toString('latin1'), 'CPMDIR01');
  assert.ok(trailer.subarray(16, 28).equals(zipData.subarray(zipData.length - 22 + 8, zipData.length - 22 + 20)), "the trailer repeats the end record's counts, size and offset");
  const tableLength = Number(trailer.readBigUInt64LE(8));
  assert.is(elf.length + tableLength + 32 + zipData.length, data.length);
  const check = py(
    [
      'import marshal, sys, zipimport',
      'path, start, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])',
      'data = open(path, "rb").read()',
      'table = marshal.loads(data[start:start + n])',
      'own = {k: tuple("/proc/self/exe" + v[len(path):] if isinstance(v, str) and v.startswith(path + "/") else v for v in e) for k, e in zipimport._read_directory(path).items()}',
      'print(table == own, len(table))',
      'sys.path.insert(0, path)',
      'import a, pkg, xml.dom.minidom',
      'print(a.__file__ == path + "/a.pyc", pkg.X, xml.dom.minidom.Y)',
    ].join('\n'),
    out,
    String(elf.length),
    String(tableLength),
  );
  assert.is(check, 'True 16\nTrue 1 2\n');
});

test('zipimport-module: the archive\'s zipimporter reads and unmarshals each module once, all else as the stock one; other zips keep the stock one', () => {
  const moduleDir = path.join(dir, 'zipimport-module');
  mkdirSync(moduleDir);
  const r = spawnSync('python3', [helper, 'zipimport-module', path.join(moduleDir, '_cpython_meson_zipimport.py')], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const other = path.join(dir, 'other.zip');
  py('import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z: z.writestr("c.py", "C = 3\\n")', other);
  // What a module from the archive looks like to its users, and how often zipimport unmarshalled.
  const probe = (install: boolean): string =>
    py(
      [
        'import inspect, sys, zipimport',
        'archive, other, module_dir = sys.argv[1:4]',
        'loads = []',
        "sys.addaudithook(lambda event, args: event == 'marshal.loads' and sys._getframe(1).f_code.co_name == '_unmarshal_code' and loads.append(1))",
        ...(install ? ['sys.path.insert(0, module_dir)', 'import _cpython_meson_zipimport', 'sys.path.pop(0)', '_cpython_meson_zipimport.install(archive)()'] : []),
        'sys.path[:0] = [archive, other]',
        'import a, pkg, pkg.sub, xml.dom.minidom, c',
        'for m in a, pkg, pkg.sub, xml, xml.dom, xml.dom.minidom:',
        '    print(m.__name__, getattr(m, "__file__", None), m.__spec__.origin, getattr(m, "__cached__", None), m.__spec__.submodule_search_locations, m.__spec__.has_location, repr(m.__loader__).split(" at 0x")[0])',
        'print(inspect.getsource(a.f).splitlines()[0], pkg.__loader__.get_data(archive + "/pkg/data.txt"))',
        'print(len(loads), type(c.__loader__) is zipimport.zipimporter, type(a.__loader__).__module__)',
      ].join('\n'),
      zip,
      other,
      moduleDir,
    );
  const stock = probe(false).trim().split('\n');
  const own = probe(true).trim().split('\n');
  assert.equal(own.slice(0, -1), stock.slice(0, -1), '__file__, __spec__, __cached__, loaders, sources and data as with the stock zipimporter');
  // a, pkg, pkg.sub, xml, xml.dom.minidom unmarshalled from the archive (xml.dom is a namespace
  // portion); c compiled from its source in the other zip.
  assert.is(stock.at(-1), '10 True zipimport', 'the stock zipimporter unmarshals each module twice (python/cpython#141276)');
  assert.is(own.at(-1), '5 True _cpython_meson_zipimport', "the archive's own once; c, from another zip, has the stock one");
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
