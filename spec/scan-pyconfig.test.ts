import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyPyconfigComment, parsePyconfigIn } from '../generator/scan/pyconfig-in.js';
import { readFixture, throwsCpm } from './scan-helpers.js';

const text = readFixture('checkout/pyconfig.h.in');
const parsed = parsePyconfigIn('pyconfig.h.in', text);
const macro = (name: string) => {
  const m = parsed.macros.find((x) => x.name === name);
  assert.ok(m, `${name} is listed`);
  return m;
};

test('every #undef (also "# undef" inside guards) is a macro, duplicates once, in file order', () => {
  assert.equal(
    parsed.macros.map((m) => m.name),
    [
      'ALIGNOF_LONG',
      'HAVE_ACCEPT',
      'HAVE_ACCEPT4',
      'HAVE_SYS_EPOLL_H',
      'HAVE_DIRENT_H',
      'HAVE_DECL_RTLD_LAZY',
      'HAVE_STRUCT_STAT_ST_BLOCKS',
      'HAVE_SSIZE_T',
      'SIZEOF_VOID_P',
      'HAVE_LIBDL',
      'WITH_PYMALLOC',
      '_DARWIN_C_SOURCE',
      '_GNU_SOURCE',
      'WORDS_BIGENDIAN',
      'NO_COMMENT_ABOVE',
    ],
  );
  assert.is(parsed.text, text);
  assert.is(parsed.file, 'pyconfig.h.in');
});

test('comments are attached whitespace-collapsed; the first of a duplicate wins', () => {
  assert.is(macro('HAVE_DECL_RTLD_LAZY').comment, "Define to 1 if you have the declaration of `RTLD_LAZY', and to 0 if you don't.");
  assert.is(macro('HAVE_DECL_RTLD_LAZY').line, 26);
  assert.is(macro('_DARWIN_C_SOURCE').comment, 'Define on Darwin to activate all library features');
  assert.is(macro('_GNU_SOURCE').comment, 'Enable GNU extensions on systems that have them.');
  assert.match(macro('WORDS_BIGENDIAN').comment, /^Define WORDS_BIGENDIAN to 1 if your processor/);
  assert.is(macro('NO_COMMENT_ABOVE').comment, '');
});

test('classification by the autoconf wording', () => {
  assert.equal(macro('ALIGNOF_LONG').kind, { type: 'alignof', typeName: 'long' });
  assert.equal(macro('HAVE_ACCEPT').kind, { type: 'function', function: 'accept' });
  assert.equal(macro('HAVE_ACCEPT4').kind, { type: 'function', function: 'accept4' });
  assert.equal(macro('HAVE_SYS_EPOLL_H').kind, { type: 'header', header: 'sys/epoll.h' });
  assert.equal(macro('HAVE_DIRENT_H').kind, { type: 'header', header: 'dirent.h' });
  assert.equal(macro('HAVE_DECL_RTLD_LAZY').kind, { type: 'declaration', symbol: 'RTLD_LAZY' });
  assert.equal(macro('HAVE_STRUCT_STAT_ST_BLOCKS').kind, { type: 'member', aggregate: 'struct stat', member: 'st_blocks' });
  assert.equal(macro('HAVE_SSIZE_T').kind, { type: 'type', typeName: 'ssize_t' });
  assert.equal(macro('SIZEOF_VOID_P').kind, { type: 'sizeof', typeName: 'void *' });
  assert.equal(macro('HAVE_LIBDL').kind, { type: 'library', library: 'dl' });
  assert.equal(macro('WITH_PYMALLOC').kind, { type: 'other' });
  // autoconf 2.72 quotes with '...' instead of `...'
  assert.equal(classifyPyconfigComment("The size of 'long long', as computed by sizeof."), { type: 'sizeof', typeName: 'long long' });
});

test('malformed pyconfig.h.in is an error naming the file and line', () => {
  throwsCpm(() => parsePyconfigIn('unterminated.h.in', readFixture('pyconfig/unterminated.h.in')), 'unterminated.h.in: line 5:', 'unterminated comment');
  throwsCpm(() => parsePyconfigIn('bad-undef.h.in', readFixture('pyconfig/bad-undef.h.in')), 'bad-undef.h.in: line 4:', 'expected "#undef NAME"');
});

test.run();
