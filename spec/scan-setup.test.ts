import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSetup } from '../generator/scan/setup.js';
import type { SetupModule } from '../generator/scan/types.js';
import { readFixture, throwsCpm } from './scan-helpers.js';

const bootstrap = parseSetup('Modules/Setup.bootstrap.in', readFixture('checkout/Modules/Setup.bootstrap.in'));
const stdlib = parseSetup('Modules/Setup.stdlib.in', readFixture('checkout/Modules/Setup.stdlib.in'));
const byName = (name: string): SetupModule => {
  const m = stdlib.modules.find((x) => x.name === name) ?? bootstrap.modules.find((x) => x.name === name);
  assert.ok(m, `module ${name} is listed`);
  return m;
};

test('Setup.bootstrap.in: static modules, continuation lines and the pwd guard', () => {
  assert.equal(
    bootstrap.modules.map((m) => [m.name, m.section, m.line]),
    [
      ['atexit', 'static', 8],
      ['posix', 'static', 9],
      ['_io', 'static', 12],
      ['pwd', 'static', 16],
    ],
  );
  assert.equal(byName('_io').sources, ['_io/_iomodule.c', '_io/iobase.c', '_io/fileio.c']);
  assert.is(byName('pwd').guard, '@MODULE_PWD_TRUE@');
  assert.is(byName('atexit').guard, null);
  assert.is(byName('atexit').file, 'Modules/Setup.bootstrap.in');
});

test('Setup.stdlib.in: the @MODULE_BUILDTYPE@ placeholder section and the other sections', () => {
  assert.equal(
    stdlib.modules.map((m) => `${m.name}:${m.section}`),
    [
      'array:@MODULE_BUILDTYPE@',
      '_md5:@MODULE_BUILDTYPE@',
      '_sha2:@MODULE_BUILDTYPE@',
      '_ctypes:@MODULE_BUILDTYPE@',
      '_tkinter:@MODULE_BUILDTYPE@',
      '_mixed:@MODULE_BUILDTYPE@',
      'xxlimited:shared',
      '_nope:disabled',
      '_late:noconfig',
    ],
  );
});

test('a commented-out module line (3.11 style) is a comment, not a module', () => {
  assert.not.ok(stdlib.modules.some((m) => m.name === '_dbm'));
});

test("makesetup's word classification: sources, cflags, ldflags, substitutions", () => {
  const md5 = byName('_md5');
  assert.equal(md5.sources, ['md5module.c', '_hacl/Hacl_Hash_MD5.c']);
  assert.equal(md5.cflags, ['-I$(srcdir)/Modules/_hacl/include', '-D_BSD_SOURCE', '-D_DEFAULT_SOURCE']);
  assert.equal(md5.ldflags, []);
  assert.is(md5.guard, '@MODULE__MD5_TRUE@');

  const sha2 = byName('_sha2');
  assert.equal(sha2.ldflags, ['Modules/_hacl/libHacl_Hash_SHA2.a']);

  const ctypes = byName('_ctypes');
  assert.equal(ctypes.sources, ['_ctypes/_ctypes.c', '_ctypes/callbacks.c']);
  assert.equal(ctypes.substitutions, ['@MODULE__CTYPES_MALLOC_CLOSURE@']);

  const tk = byName('_tkinter');
  assert.equal(tk.cflags, ['-DWITH_APPINIT', '$(TCLTK_INCLUDES)']);
  assert.equal(tk.ldflags, ['$(TCLTK_LIBS)', '-L/usr/lib', '-ltk8.6', '-Xlinker', '-export-dynamic']);

  const mixed = byName('_mixed');
  assert.equal(mixed.sources, ['mixed.cpp', 'trampoline.S']);
  // Other make words go to both lists, as in makesetup; absolute objects are linker input.
  assert.equal(mixed.cflags, ['$(EXTRA_WORD)']);
  assert.equal(mixed.ldflags, ['$(EXTRA_WORD)', '/abs/prebuilt.o']);
});

test('NAME=value lines are variables (the first definition wins, as in makesetup)', () => {
  assert.equal({ ...stdlib.variables }, { OPENSSL: '/usr/local/ssl' });
});

test("3.11's Modules/Setup: a module before any marker is static; variables; commented lines ignored", () => {
  const s = parseSetup('Modules/Setup', readFixture('setup/Setup-3.11'));
  assert.equal(
    s.modules.map((m) => [m.name, m.section, m.sources, m.line]),
    [['xxsubtype', 'static', ['xxsubtype.c'], 7]],
  );
  assert.equal({ ...s.variables }, { DESTLIB: '$(LIBDEST)', PYTHONPATH: '$(COREPYTHONPATH)' });
});

test('malformed lines are errors naming the file and the line', () => {
  throwsCpm(() => parseSetup('no-source.in', readFixture('setup/no-source.in')), 'no-source.in: line 4:', 'module nosource has no source file');
  throwsCpm(() => parseSetup('bad-section.in', readFixture('setup/bad-section.in')), 'bad-section.in: line 3:', 'unknown section marker "*builtin*"');
  throwsCpm(() => parseSetup('bad-word.in', readFixture('setup/bad-word.in')), 'bad-word.in: line 3:', 'bad word "notes.txt"');
  throwsCpm(() => parseSetup('two-names.in', readFixture('setup/two-names.in')), 'two-names.in: line 2:', '"foo" and "bar"');
});

test.run();
