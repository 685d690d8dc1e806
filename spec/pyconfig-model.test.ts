// The pyconfig.h model: which check each macro of pyconfig.h.in gets (derived from its autoheader
// comment, or the manifest's exception), what is reported as unaccounted, deterministic output,
// the pyconfig.h.meson text and the emitted Tools/meson/pyconfig/meson.build.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { baseDependencies } from '../cpython-manifests/common/dependencies.js';
import { basePyconfig } from '../cpython-manifests/common/pyconfig.js';
import { mesonString } from '../generator/emit/meson.js';
import { templatesDir } from '../generator/emit/emit.js';
import { autoconfMacro, pyconfigCheckFiles, pyconfigTemplate, renderPyconfigData, rootVariables } from '../generator/emit/pyconfig.js';
import { isGenerated } from '../generator/emit/keep.js';
import { CpmError } from '../generator/errors.js';
import type { PyconfigSpec } from '../generator/manifest/types.js';
import { buildPyconfigModel, type PyconfigModel } from '../generator/model/pyconfig.js';
import { GENERATED_MARKER } from '../generator/pipeline.js';
import { parsePyconfigIn } from '../generator/scan/pyconfig-in.js';
import type { ParsedPyconfigIn, PyconfigMacro } from '../generator/scan/types.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../spec/fixtures/pyconfig');
const fixtureFile = path.join(fixtures, 'pyconfig.h.in');
const fixtureText = readFileSync(fixtureFile, 'utf8');
const parsed = (): ParsedPyconfigIn => parsePyconfigIn(fixtureFile, fixtureText);

const spec = (): PyconfigSpec => ({
  checkPrefix: '#define _GNU_SOURCE 1\n#define _XOPEN_SOURCE 700\n#define _DARWIN_C_SOURCE 1\n',
  prefixHeaders: ['stdio.h', 'stdlib.h', 'string.h'],
  setup: "pyconfig_libz = 'z'\n",
  checks: {
    HAVE_ACCEPT: { kind: 'function', function: 'accept', headers: ['sys/socket.h'], why: 'PY_CHECK_FUNC: declared.' },
    HAVE_GETRANDOM: { kind: 'links', headers: ['sys/random.h'], code: 'int main(void) { return getrandom(0, 0, 0); }\n', why: 'a link test.' },
    ENABLE_IPV6: { kind: 'compiles', headers: ['netinet/in.h'], code: 'int main(void) { return AF_INET6; }\n', why: 'AF_INET6.' },
    HAVE_ZLIB_COPY: { kind: 'function', function: 'inflateCopy', headers: ['zlib.h'], deps: ['zlib'], why: 'zlib >= 1.2.0.' },
    Py_DEBUG: { kind: 'expr', value: '1', when: 'py_pydebug', why: '--with-pydebug.' },
    SIGNED_RIGHT_SHIFT_ZERO_FILLS: { kind: 'compiles', code: '_Static_assert((-1 >> 3) != -1, "");\n', why: 'shift.' },
    X87_DOUBLE_ROUNDING: { kind: 'runs', code: 'int main(void) { return 1; }\n', why: 'double rounding.' },
  },
  undefined: { WITH_DYLD: 'macOS only.', HAVE_ZLIB_H: 'pkg-config.', clock_t: 'C89 has clock_t.' },
});

test('the parser sees each macro once (the fixture repeats _DARWIN_C_SOURCE)', () => {
  const names = parsed().macros.map((m) => m.name);
  assert.is(names.length, 24);
  assert.is(new Set(names).size, 24);
});

test('derives header, function, declaration, member, type, sizeof, alignof and library checks from the comment', () => {
  const { model } = buildPyconfigModel(parsed(), spec());
  assert.equal(model.headers[0]?.prologue, null);
  assert.equal(model.headers[0]?.checks, [{ macro: 'HAVE_DLFCN_H', header: 'dlfcn.h' }]);
  assert.equal(model.functions[0]?.prologue, null);
  assert.equal(model.functions[0]?.checks, [{ macro: 'HAVE_ACCEPT4', function: 'accept4' }]);
  assert.equal(model.declarations[0]?.checks, [{ macro: 'HAVE_DECL_RTLD_LAZY', symbol: 'RTLD_LAZY' }]);
  assert.equal(model.members[0]?.checks, [{ macro: 'HAVE_STRUCT_STAT_ST_BLKSIZE', aggregate: 'struct stat', member: 'st_blksize' }]);
  assert.equal(model.types[0]?.checks, [{ macro: 'HAVE_SSIZE_T', typeName: 'ssize_t' }]);
  assert.equal(model.sizes[0]?.checks, [{ macro: 'SIZEOF_INT', typeName: 'int' }]);
  assert.equal(model.alignments[0]?.checks, [{ macro: 'ALIGNOF_LONG', typeName: 'long' }]);
  assert.equal(model.libraries, [{ macro: 'HAVE_LIBDL', library: 'dl' }]);
});

test('prefixHeaders are checked first, in their order, also without a macro of their own', () => {
  const { model } = buildPyconfigModel(parsed(), spec());
  assert.equal(model.defaultHeaders, [
    { macro: 'HAVE_STDIO_H', header: 'stdio.h' },
    { macro: 'HAVE_STDLIB_H', header: 'stdlib.h' },
    { macro: 'HAVE_STRING_H', header: 'string.h' },
  ]);
  const plain = model.headers.flatMap((g) => g.checks.map((c) => c.macro));
  assert.not.ok(plain.includes('HAVE_STDIO_H'), 'a default header is not checked twice');
});

test('a manifest check overrides the derived one', () => {
  const { model } = buildPyconfigModel(parsed(), spec());
  const derivedFns = model.functions.filter((g) => g.prologue === null).flatMap((g) => g.checks.map((c) => c.macro));
  assert.not.ok(derivedFns.includes('HAVE_GETRANDOM'), 'HAVE_GETRANDOM is a link test, not a derived function check');
  const getrandom = model.tests.find((t) => t.macro === 'HAVE_GETRANDOM');
  assert.is(getrandom?.kind, 'links');
  assert.is(getrandom?.code, '#include <sys/random.h>\nint main(void) { return getrandom(0, 0, 0); }\n');
  const accept = model.functions.find((g) => g.prologue === '#include <sys/socket.h>\n');
  assert.equal(accept?.checks, [{ macro: 'HAVE_ACCEPT', function: 'accept' }]);
  assert.equal(accept?.why, ['PY_CHECK_FUNC: declared.']);
});

test('checks with deps become library groups; options and values are kept apart', () => {
  const { model } = buildPyconfigModel(parsed(), spec());
  assert.is(model.libraryGroups.length, 1);
  const zlib = model.libraryGroups[0];
  assert.equal(zlib?.deps, ['zlib']);
  assert.is(zlib?.prologue, '#include <zlib.h>\n');
  assert.equal(zlib?.functions, [{ macro: 'HAVE_ZLIB_COPY', function: 'inflateCopy' }]);
  assert.equal(model.options, [{ macro: 'Py_DEBUG', value: '1', when: 'py_pydebug', dependency: null, needs: [], quote: false, why: '--with-pydebug.' }]);
  assert.equal(
    model.values.map((v) => [v.macro, v.value]),
    [
      ['_DARWIN_C_SOURCE', '1'],
      ['_GNU_SOURCE', '1'],
      ['_XOPEN_SOURCE', '700'],
    ],
  );
  assert.equal(
    model.tests.map((t) => [t.macro, t.kind]),
    [
      ['ENABLE_IPV6', 'compiles'],
      ['HAVE_GETRANDOM', 'links'],
      ['SIGNED_RIGHT_SHIFT_ZERO_FILLS', 'compiles'],
      ['X87_DOUBLE_ROUNDING', 'runs'],
    ],
  );
  assert.is(model.setup, "pyconfig_libz = 'z'");
});

/** The emitted data file, under a one-line header. */
function renderPyconfigMeson(model: PyconfigModel): string {
  return renderPyconfigData(model, [`# ${GENERATED_MARKER} test`]);
}

test('reports the macros nothing accounts for, and counts every macro once', () => {
  const { model, unaccounted } = buildPyconfigModel(parsed(), spec());
  assert.equal(unaccounted, ['HAVE_BOGUS']);
  assert.equal(model.stats, { macros: 24, derived: 10, manifest: 10, undefined: 3, unaccounted: 1 });
  assert.equal(
    model.undefined.map((u) => u.macro),
    ['HAVE_ZLIB_H', 'WITH_DYLD', 'clock_t'],
  );
  const headers = model.headers.flatMap((g) => g.checks.map((c) => c.macro));
  assert.not.ok(headers.includes('HAVE_ZLIB_H'), 'an undefined-with-reason header is not checked');
});

test('inconsistent manifests are rejected', () => {
  const both = spec();
  both.undefined.HAVE_ACCEPT = 'also undefined';
  assert.throws(() => buildPyconfigModel(parsed(), both), (e: unknown) => e instanceof CpmError && /HAVE_ACCEPT/.test(e.message));
  const sizeofDeps = spec();
  sizeofDeps.checks.SIZEOF_INT = { kind: 'sizeof', typeName: 'int', deps: ['zlib'] };
  assert.throws(() => buildPyconfigModel(parsed(), sizeofDeps), /cannot take deps/);
  const headerArgs = spec();
  headerArgs.checks.HAVE_DLFCN_H = { kind: 'header', header: 'dlfcn.h', args: ['-std=c99'] };
  assert.throws(() => buildPyconfigModel(parsed(), headerArgs), /can take args/);
  const prefixAndCheck = spec();
  prefixAndCheck.checks._GNU_SOURCE = { kind: 'value', value: '1', why: 'twice' };
  assert.throws(() => buildPyconfigModel(parsed(), prefixAndCheck), /checkPrefix/);
});

test('the model and the emitted file do not depend on input order', () => {
  const a = buildPyconfigModel(parsed(), spec());
  const p = parsed();
  const reversed: ParsedPyconfigIn = { ...p, macros: [...p.macros].reverse() as PyconfigMacro[] };
  const s = spec();
  const reorderedSpec: PyconfigSpec = {
    ...s,
    checks: Object.fromEntries(Object.entries(s.checks).reverse()),
    undefined: Object.fromEntries(Object.entries(s.undefined).reverse()),
  };
  const b = buildPyconfigModel(reversed, reorderedSpec);
  assert.equal(b.model, a.model);
  assert.equal(b.unaccounted, a.unaccounted);
  assert.is(renderPyconfigMeson(b.model), renderPyconfigMeson(a.model));
});

test('pyconfig.h.meson: every #undef (also "# undef" in guards) becomes #mesondefine, the rest is kept', () => {
  const p = parsed();
  const out = pyconfigTemplate(p, GENERATED_MARKER);
  const lines = out.split('\n');
  assert.ok(lines[0]?.startsWith('/*') && lines[0].includes(GENERATED_MARKER), 'first line: a comment with the generated marker');
  assert.is(lines.length, fixtureText.split('\n').length + 1);
  assert.not.match(out, /#\s*undef/);
  assert.ok(lines.includes('#mesondefine ALIGNOF_LONG'));
  assert.ok(lines.includes('#mesondefine _GNU_SOURCE'), 'the guarded "# undef _GNU_SOURCE"');
  assert.ok(lines.includes('#ifndef _GNU_SOURCE'));
  assert.is(lines.filter((l) => l === '#mesondefine _DARWIN_C_SOURCE').length, 2, 'both occurrences kept');
  const input = fixtureText.split('\n');
  input.forEach((line, i) => {
    const m = /^(\s*)#\s*undef\s+(\w+)$/.exec(line);
    assert.is(lines[i + 1], m ? `${m[1]}#mesondefine ${m[2]}` : line, `line ${i + 1}`);
  });
});

test('Meson strings: one line escaped, several lines triple-quoted', () => {
  assert.is(mesonString("it's"), "'it\\'s'");
  assert.is(mesonString('#include <a.h>\n'), "'#include <a.h>\\n'");
  assert.is(mesonString('#ifdef X\n#include <a.h>\n#endif\n'), "'''\n#ifdef X\n#include <a.h>\n#endif\n'''");
});

test("cross answers: per target, sorted, only this checkout's run tests; a macro that is another kind of check is rejected", () => {
  const s = spec();
  s.crossAnswers = { 'z-target': { X87_DOUBLE_ROUNDING: false, NOT_IN_THIS_SERIES: true }, 'a-target': { X87_DOUBLE_ROUNDING: true } };
  const { model } = buildPyconfigModel(parsed(), s);
  assert.equal(model.crossAnswers, [
    { target: 'a-target', answers: [{ macro: 'X87_DOUBLE_ROUNDING', defined: true }] },
    { target: 'z-target', answers: [{ macro: 'X87_DOUBLE_ROUNDING', defined: false }] },
  ]);
  const text = renderPyconfigMeson(model);
  assert.match(text, /^pyconfig_runs = \{'X87_DOUBLE_ROUNDING': \[\]\}$/m);
  assert.match(text, /^pyconfig_cross_answers = \{\n {4}'a-target': \{'X87_DOUBLE_ROUNDING': true\},\n {4}'z-target': \{'X87_DOUBLE_ROUNDING': false\},\n\}$/m);
  const wrong = spec();
  wrong.crossAnswers = { t: { ENABLE_IPV6: true } };
  assert.throws(() => buildPyconfigModel(parsed(), wrong), (e: unknown) => e instanceof CpmError && e.message === "manifest pyconfig: crossAnswers['t'].ENABLE_IPV6: a compiles check, not a 'runs' one");
});

test('the emitted data file holds one table per kind of check, each read by the logic', () => {
  const { model } = buildPyconfigModel(parsed(), spec());
  const text = renderPyconfigMeson(model);
  assert.not.match(text, /HAVE_BOGUS|WITH_DYLD/, 'unaccounted and undefined macros get no check');
  // One loop per table in the hand-written logic: every table the data defines is read there.
  const logic = readFileSync(path.join(templatesDir, 'Tools/meson/pyconfig/meson.build'), 'utf8');
  const tables = [...text.matchAll(/^(pyconfig_[a-z_]+) = /gm)].map((m) => m[1] ?? '').filter((n) => n !== 'pyconfig_libz');
  // Record defaults (pyconfig_group, pyconfig_library_group) are used by the data itself.
  const defaults = tables.filter((t) => new RegExp(`= ${t} \\+ \\{|^\\s+${t} \\+ \\{`, 'm').test(text));
  assert.equal(defaults, ['pyconfig_group', 'pyconfig_library_group']);
  for (const t of tables.filter((x) => !defaults.includes(x))) assert.match(logic, new RegExp(`\\b${t}\\b`), `${t} is used by the logic`);
  assert.ok(tables.length >= 18);
  assert.not.match(logic, /\.get\(/, 'records are uniform: no .get() with defaults');
});

test("names stand for autoconf's macro (AS_TR_CPP), spelled as the logic derives it", () => {
  assert.is(autoconfMacro('HAVE_', 'sys/foo.h'), 'HAVE_SYS_FOO_H');
  assert.is(autoconfMacro('SIZEOF_', 'void *'), 'SIZEOF_VOID_P');
  assert.is(autoconfMacro('HAVE_', 'rtpSpawn'), 'HAVE_RTPSPAWN');
  const logic = readFileSync(path.join(templatesDir, 'Tools/meson/pyconfig/meson.build'), 'utf8');
  assert.ok(logic.includes("prefix + name.replace('*', 'P').underscorify().to_upper()"), 'the logic derives the macro the same way');
});

test('every test program is a C file of its own, under the generated marker, named by its macro', () => {
  const { model } = buildPyconfigModel(everyManifestMacro(), basePyconfig);
  const files = pyconfigCheckFiles(model, GENERATED_MARKER);
  const macros = [...model.tests.map((t) => t.macro), ...model.libraryGroups.flatMap((g) => [...g.compiles, ...g.links].map((c) => c.macro))];
  assert.ok(macros.length > 30);
  assert.equal(files.map((f) => f.path).sort(), macros.map((m) => `Tools/meson/pyconfig/checks/${m}.c`).sort());
  for (const f of files) {
    assert.ok(isGenerated(f.content), f.path);
    assert.ok(/\bmain\s*\(/.test(f.content), `${f.path} is a whole program`);
  }
});

/** A pyconfig.h.in naming every macro the real manifest knows, plus one derived macro of each kind. */
function everyManifestMacro(): ParsedPyconfigIn {
  const names = [...Object.keys(basePyconfig.checks), ...Object.keys(basePyconfig.undefined)];
  const derived = fixtureText.split('\n').filter((l) => /^\/\* (Define to 1 if you have the|The (size|normal))/.test(l));
  const text = [...names.map((n) => `/* Something. */\n#undef ${n}\n`), ...derived.map((c, i) => `${c}\n#undef DERIVED_${i}\n`)].join('\n');
  return parsePyconfigIn('pyconfig.h.in', text);
}

test('with the real manifest, the emitted meson.build is what `meson format` writes', () => {
  const { model, unaccounted } = buildPyconfigModel(everyManifestMacro(), basePyconfig);
  assert.equal(unaccounted, []);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pyconfig-format-'));
  try {
    const file = path.join(dir, 'meson.build');
    writeFileSync(file, renderPyconfigMeson(model));
    const r = spawnSync('meson', ['format', '--check-only', file], { encoding: 'utf8' });
    if (r.error) throw new Error(`meson is needed for this test: ${r.error.message}`);
    const diff = r.status === 0 ? '' : spawnSync('meson', ['format', file], { encoding: 'utf8' }).stdout;
    assert.is(r.status, 0, `not meson-format clean; meson format would write:\n${diff.slice(0, 4000)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with the real manifest, the output is byte-identical whatever the order of macros and checks', () => {
  const p = everyManifestMacro();
  const a = renderPyconfigMeson(buildPyconfigModel(p, basePyconfig).model);
  const shuffled: PyconfigSpec = {
    ...basePyconfig,
    checks: Object.fromEntries(Object.entries(basePyconfig.checks).reverse()),
    undefined: Object.fromEntries(Object.entries(basePyconfig.undefined).reverse()),
  };
  const b = renderPyconfigMeson(buildPyconfigModel({ ...p, macros: [...p.macros].reverse() }, shuffled).model);
  assert.is(b, a);
  assert.ok(a.length > 10000);
});

test('non-#define lines of checkPrefix start confdefs', () => {
  const s = spec();
  s.checkPrefix = `/* from configure.ac */\n${s.checkPrefix}`;
  const { model } = buildPyconfigModel(parsed(), s);
  assert.is(model.prologue, '/* from configure.ac */\n');
  assert.is(buildPyconfigModel(parsed(), spec()).model.prologue, '');
});

test('the emitted file names the root variables it reads', () => {
  const { model } = buildPyconfigModel(everyManifestMacro(), basePyconfig);
  const vars = rootVariables(model);
  assert.equal(vars.slice(0, 3), ['cc', 'py_abiflags', 'py_deps']);
  for (const v of ['py_pydebug', 'py_shared', 'py_free_threading', 'py_trace_refs', 'py_with_pymalloc', 'py_readline_impl', 'py_with_mimalloc', 'py_version_short']) {
    assert.ok(vars.includes(v), v);
  }
});

test('the real manifest only names dependencies the root or its setup provides', () => {
  const root = new Set([...Object.keys(baseDependencies), 'libm', 'threads', 'libdl', 'libutil']);
  for (const m of (basePyconfig.setup ?? '').matchAll(/pyconfig_deps \+= \{'([A-Za-z0-9_]+)'/g)) if (m[1]) root.add(m[1]);
  const used = new Set<string>();
  for (const c of Object.values(basePyconfig.checks)) {
    if ('deps' in c) for (const d of c.deps ?? []) used.add(d);
    if (c.kind === 'dependency') used.add(c.dependency);
    if (c.kind === 'expr') for (const m of `${c.value} ${c.when ?? ''}`.matchAll(/pyconfig_deps\['([A-Za-z0-9_]+)'\]/g)) if (m[1]) used.add(m[1]);
  }
  assert.ok(used.size > 5);
  for (const d of used) assert.ok(root.has(d), `dependency ${d} is neither in py_deps nor added by setup`);
});

test('every undefined-with-reason and every manifest check says why', () => {
  for (const [name, why] of Object.entries(basePyconfig.undefined)) assert.ok(why.length > 10, `${name}: reason too short`);
  for (const [name, c] of Object.entries(basePyconfig.checks)) {
    if ('why' in c) assert.ok((c.why ?? '').length > 5, `${name}: no reason`);
  }
});

test.run();
