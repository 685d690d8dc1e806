import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expandVariable, objectsToSources, parseMakefile, readFreezeRules } from '../generator/scan/makefile.js';
import type { ParsedMakefile } from '../generator/scan/types.js';
import { readFixture, throwsCpm } from './scan-helpers.js';

const FILE = 'Makefile.pre.in';
const text = readFixture('checkout/Makefile.pre.in');
const mf: ParsedMakefile = parseMakefile(FILE, text);

/** What configure gives on Linux without the perf trampoline (it is a conditional object). */
const LINUX = { DYNLOADFILE: 'dynload_shlib.o', LIBOBJS: '', MACHDEP_OBJS: '', PLATFORM_OBJS: '', DTRACE_OBJS: '', PERF_TRAMPOLINE_OBJ: '' };
const opts = { substitutions: LINUX, stopAt: ['MODOBJS'] };

test('continuation lines are joined and tab-indented object lists become one value', () => {
  assert.is(mf.variables.MODULE_OBJS, 'Modules/config.o Modules/main.o Modules/gcmodule.o');
  const a = mf.assignments.find((x) => x.name === 'MODULE_OBJS');
  assert.equal(a, { name: 'MODULE_OBJS', op: '=', value: 'Modules/config.o Modules/main.o Modules/gcmodule.o', line: 24 });
});

test("POBJS's dangling backslash before a blank line does not swallow the next assignment", () => {
  assert.is(mf.variables.POBJS, 'Parser/token.o');
  assert.is(mf.variables.PARSER_OBJS, '$(POBJS) $(PEGEN_OBJS) Parser/myreadline.o');
});

test('tab-indented comment lines after LIBMPDEC_OBJS are skipped', () => {
  assert.equal(expandVariable(mf, 'LIBMPDEC_OBJS', { substitutions: {}, stopAt: [] }), [
    'Modules/_decimal/libmpdec/basearith.o',
    'Modules/_decimal/libmpdec/io.o',
  ]);
});

test('operators: +=, ?= (first wins), := and trailing comments', () => {
  assert.is(mf.variables.EXTRA_OBJS, 'Modules/extra_a.o Modules/extra_b.o');
  assert.equal(
    mf.assignments.filter((a) => a.name === 'EXTRA_OBJS').map((a) => a.op),
    ['=', '+='],
  );
  assert.is(mf.variables.PYTHON_FOR_REGEN, '@PYTHON_FOR_REGEN@');
  assert.is(mf.assignments.find((a) => a.name === 'OBJECTS_DIR')?.op, ':=');
  assert.is(mf.variables.WITH_HASH_IN_REF, '$(VERSION)');
  assert.is(mf.variables.ESCAPED, 'issue#123 $$HOME');
});

test('a comment ending in a backslash swallows the next line; rules, recipes and placeholders are skipped', () => {
  assert.is(mf.variables.NOT_A_VARIABLE, undefined);
  assert.is(mf.variables.all, undefined);
  assert.is(mf.variables.MODULE_BLOCK, undefined);
  // Recipe lines hold "-DVERSION=..." and "$(CC) ..."; none of them became an assignment.
  assert.not.ok(mf.assignments.some((a) => a.name.startsWith('-D') || a.name === 'CC'));
  assert.is(mf.assignments.length, new Set(mf.assignments.map((a) => `${a.name}@${a.line}`)).size);
});

test('expandVariable expands the bootstrap objects with substitutions and without MODOBJS', () => {
  assert.equal(expandVariable(mf, 'LIBRARY_OBJS_OMIT_FROZEN', opts), [
    'Modules/getbuildinfo.o',
    'Parser/token.o',
    'Parser/pegen.o',
    'Parser/parser.o',
    'Parser/myreadline.o',
    'Objects/abstract.o',
    'Objects/object.o',
    'Python/_warnings.o',
    'Python/ceval.o',
    'Python/dynload_shlib.o',
    'Modules/config.o',
    'Modules/main.o',
    'Modules/gcmodule.o',
  ]);
  const all = expandVariable(mf, 'LIBRARY_OBJS', opts);
  assert.equal(all.slice(-2), ['Modules/getpath.o', 'Python/frozen.o']);
  assert.is(all.length, 15);
});

test('a variable listed in stopAt expands to nothing, also at the top level', () => {
  assert.equal(expandVariable(mf, 'MODOBJS', opts), []);
  // Without stopAt the makesetup placeholder stays a word.
  assert.equal(expandVariable(mf, 'MODOBJS', { substitutions: {}, stopAt: [] }), ['_MODOBJS_']);
});

test('@SUBST@ values are substituted inside words and may add objects', () => {
  const words = expandVariable(mf, 'PYTHON_OBJS', {
    substitutions: { ...LINUX, DYNLOADFILE: 'dynload_stub.o', LIBOBJS: 'Python/dup2.o', PLATFORM_OBJS: 'Python/emscripten_signal.o' },
    stopAt: [],
  });
  assert.equal(words, ['Python/_warnings.o', 'Python/ceval.o', 'Python/dynload_stub.o', 'Python/dup2.o', 'Python/emscripten_signal.o']);
});

test('suffix substitution references $(VAR:.c=.o)', () => {
  assert.equal(expandVariable(mf, 'EXTRA_SRC_OBJS', { substitutions: {}, stopAt: [] }), ['Modules/x.o', 'Modules/y.o']);
});

test('an @NAME@ without a substitution is an error naming the file, the line and the variable', () => {
  const { PLATFORM_OBJS: _omit, ...withoutPlatform } = LINUX;
  throwsCpm(
    () => expandVariable(mf, 'LIBRARY_OBJS', { substitutions: withoutPlatform, stopAt: ['MODOBJS'] }),
    "Makefile.pre.in: line 44: @PLATFORM_OBJS@ in PYTHON_OBJS has no value in the manifest's core.substitutions",
  );
  throwsCpm(() => expandVariable(mf, 'NEEDS_SUBST', opts), '@NOT_IN_MANIFEST@ in NEEDS_SUBST has no value');
});

test('cycles, undefined references and make functions are errors', () => {
  throwsCpm(() => expandVariable(mf, 'CYCLE_A', opts), 'Makefile.pre.in: line', 'CYCLE_A -> CYCLE_B -> CYCLE_A');
  throwsCpm(() => expandVariable(mf, 'UNKNOWN_REF', opts), '$(NO_SUCH_VARIABLE) in UNKNOWN_REF is not assigned');
  throwsCpm(() => expandVariable(mf, 'FUNCTION_OBJS', opts), 'make function $(wildcard ...) in FUNCTION_OBJS is not supported');
  throwsCpm(() => expandVariable(mf, 'NO_SUCH_LIST', opts), 'Makefile.pre.in: expected an assignment to NO_SUCH_LIST');
});

test('an undefined variable can be supplied by the substitutions', () => {
  assert.equal(expandVariable(mf, 'UNKNOWN_REF', { substitutions: { NO_SUCH_VARIABLE: 'w.o' }, stopAt: [] }), ['w.o', 'z.o']);
});

test('an unterminated $( in an object list is a parse error naming the file and the physical line', () => {
  throwsCpm(() => parseMakefile('unterminated.mk', readFixture('makefile/unterminated.mk')), 'unterminated.mk: line 5:', 'BAD_OBJS');
});

test('a line that is neither assignment, rule nor directive is a parse error', () => {
  throwsCpm(() => parseMakefile('garbage.mk', readFixture('makefile/garbage.mk')), 'garbage.mk: line 3:', 'this line is not make syntax');
});

test('objectsToSources maps .o to .c unless overridden', () => {
  assert.equal(
    objectsToSources(['Python/ceval.o', 'Python/asm_trampoline.o', 'Parser/lexer/lexer.o'], {
      'Python/asm_trampoline.o': 'Python/asm_trampoline.S',
    }),
    ['Python/ceval.c', 'Python/asm_trampoline.S', 'Parser/lexer/lexer.c'],
  );
  throwsCpm(() => objectsToSources(['Python/'], {}), 'expected an object file name ending in .o, got "Python/"');
});

test('readFreezeRules reads the rules between the freezing-modules markers', () => {
  assert.equal(
    readFreezeRules(FILE, text).map((r) => [r.header, r.source]),
    [
      ['Python/frozen_modules/importlib._bootstrap.h', 'Lib/importlib/_bootstrap.py'],
      ['Python/frozen_modules/frozen_only.h', 'Tools/freeze/flag.py'],
    ],
  );
  throwsCpm(() => readFreezeRules('x.mk', 'A = 1\n'), 'x.mk: expected a "# BEGIN: freezing modules" marker');
});

test.run();
