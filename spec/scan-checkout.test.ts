import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectCheckout, findSetupFiles, scanCheckout } from '../generator/scan/checkout.js';
import { expandVariable, readFreezeRules } from '../generator/scan/makefile.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixture, fixtureCheckout, realTree, throwsCpm } from './scan-helpers.js';

const LINUX = { DYNLOADFILE: 'dynload_shlib.o', LIBOBJS: '', MACHDEP_OBJS: '', PLATFORM_OBJS: '', DTRACE_OBJS: '' };

test('detectCheckout rejects a directory that is not a CPython checkout, in one line naming it', () => {
  const dir = fixture('setup');
  throwsCpm(() => detectCheckout(dir), `${dir}: not a CPython checkout (expected Include/patchlevel.h and Makefile.pre.in)`);
  assert.is(detectCheckout(fixtureCheckout), fixtureCheckout);
});

test('scanCheckout reads the fixture checkout, discovering freeze_modules.py and the Setup files', () => {
  const r = scanCheckout(fixtureCheckout, { freezeModules: 'Tools/scripts/freeze_modules.py', setupFiles: [], configCIn: 'Modules/config.c.in' });
  assert.is(r.root, fixtureCheckout);
  assert.is(r.version.semver, '3.13.15');
  assert.is(r.makefile.file, 'Makefile.pre.in');
  assert.equal(
    r.setup.map((s) => [s.file, s.modules.length]),
    [
      ['Modules/Setup.stdlib.in', 9],
      ['Modules/Setup.bootstrap.in', 4],
    ],
  );
  assert.is(r.frozen.length, 16);
  assert.is(r.frozen[0]?.name, 'importlib._bootstrap');
  assert.is(r.pyconfig.macros.length, 15);
  assert.equal(r.configCInModules, ['marshal', '_imp', 'builtins', 'sys']);
});

test('scanCheckout is deterministic', () => {
  const paths = { freezeModules: 'Tools/build/freeze_modules.py', setupFiles: ['Modules/Setup.bootstrap.in'], configCIn: 'Modules/config.c.in' };
  assert.equal(JSON.stringify(scanCheckout(fixtureCheckout, paths)), JSON.stringify(scanCheckout(fixtureCheckout, paths)));
});

test('a Setup file or config.c.in the manifest names but the checkout lacks is a one-line error', () => {
  throwsCpm(
    () => scanCheckout(fixtureCheckout, { freezeModules: 'Tools/build/freeze_modules.py', setupFiles: ['Modules/Setup.local'], configCIn: 'Modules/config.c.in' }),
    'expected the Setup file Modules/Setup.local',
  );
  throwsCpm(
    () => scanCheckout(fixtureCheckout, { freezeModules: 'Tools/build/freeze_modules.py', setupFiles: [], configCIn: 'PC/config.c.in' }),
    'expected PC/config.c.in in the checkout',
  );
});

// Counts measured on the 3.13.15 release tree (see the report of the scanner work). The facts page
// gives 145/147 for LIBRARY_OBJS_OMIT_FROZEN/LIBRARY_OBJS; those numbers leave out
// Python/$(DYNLOADFILE). With DYNLOADFILE=dynload_shlib.o the tree gives 146/148, which the
// reference build confirms (libpython3.13.a: 146 + asm_trampoline + 30 MODOBJS + getpath + frozen = 179).
test('real 3.13 tree (CPYTHON_313_SRC): object lists, Setup, frozen modules, pyconfig.h.in', () => {
  const root = realTree('CPYTHON_313_SRC');
  if (!root) return;
  const r = scanCheckout(root, {
    freezeModules: 'Tools/build/freeze_modules.py',
    setupFiles: ['Modules/Setup.stdlib.in', 'Modules/Setup.bootstrap.in'],
    configCIn: 'Modules/config.c.in',
  });
  assert.is(`${r.version.major}.${r.version.minor}`, '3.13');
  const opts = { substitutions: { ...LINUX, PERF_TRAMPOLINE_OBJ: '' }, stopAt: ['MODOBJS'] };
  const omit = expandVariable(r.makefile, 'LIBRARY_OBJS_OMIT_FROZEN', opts);
  assert.is(omit.length, 146);
  assert.is(new Set(omit).size, omit.length);
  assert.ok(omit.includes('Python/dynload_shlib.o'));
  assert.is(expandVariable(r.makefile, 'PARSER_OBJS', opts).length, 16);
  assert.is(expandVariable(r.makefile, 'OBJECT_OBJS', opts).length, 43);
  assert.is(expandVariable(r.makefile, 'PYTHON_OBJS', opts).length, 83);
  const lib = expandVariable(r.makefile, 'LIBRARY_OBJS', opts);
  assert.is(lib.length, 148);
  assert.equal(lib.slice(-2), ['Modules/getpath.o', 'Python/frozen.o']);
  assert.is(expandVariable(r.makefile, 'LIBMPDEC_OBJS', opts).length, 14);
  assert.is(expandVariable(r.makefile, 'LIBEXPAT_OBJS', opts).length, 3);
  assert.is(expandVariable(r.makefile, 'LIBHACL_SHA2_OBJS', opts).length, 1);

  const bootstrap = r.setup.find((s) => s.file === 'Modules/Setup.bootstrap.in');
  assert.is(bootstrap?.modules.length, 24);
  assert.ok(bootstrap?.modules.every((m) => m.section === 'static'));
  const stdlib = r.setup.find((s) => s.file === 'Modules/Setup.stdlib.in');
  assert.is(stdlib?.modules.length, 79);
  assert.is(stdlib?.modules.filter((m) => m.section === 'shared').length, 7);

  assert.is(r.frozen.length, 23);
  assert.equal(
    r.frozen.filter((f) => f.bootstrap).map((f) => f.name),
    ['importlib._bootstrap', 'importlib._bootstrap_external', 'zipimport'],
  );
  assert.is(r.frozen.find((f) => f.name === 'frozen_only')?.source, 'Tools/freeze/flag.py');
  const rules = readFreezeRules('Makefile.pre.in', readFileSync(path.join(root, 'Makefile.pre.in'), 'utf8'));
  assert.equal(
    rules.map((x) => [x.header, x.source]),
    r.frozen.map((f) => [f.header, f.source]),
  );

  assert.is(r.pyconfig.macros.length, 649);
  assert.is(r.pyconfig.macros.filter((m) => /^HAVE_.*_H$/.test(m.name)).length, 130);
  assert.equal(r.configCInModules, ['marshal', '_imp', '_ast', '_tokenize', 'builtins', 'sys', 'gc', '_warnings', '_string']);
});

test('real 3.11 tree (CPYTHON_311_SRC): Tools/scripts, deepfreeze objects, Modules/Setup', () => {
  const root = realTree('CPYTHON_311_SRC');
  if (!root) return;
  const r = scanCheckout(root, {
    freezeModules: 'Tools/scripts/freeze_modules.py',
    setupFiles: ['Modules/Setup.stdlib.in', 'Modules/Setup.bootstrap.in', 'Modules/Setup'],
    configCIn: 'Modules/config.c.in',
  });
  const opts = { substitutions: LINUX, stopAt: ['MODOBJS'] };
  assert.is(expandVariable(r.makefile, 'LIBRARY_OBJS_OMIT_FROZEN', opts).length, 115);
  const lib = expandVariable(r.makefile, 'LIBRARY_OBJS', opts);
  assert.is(lib.length, 118);
  assert.ok(lib.includes('Python/deepfreeze/deepfreeze.o'));
  assert.equal(
    r.setup.map((s) => s.modules.length),
    [74, 21, 1],
  );
  assert.is(r.setup[2]?.modules[0]?.name, 'xxsubtype');
  assert.is(r.frozen.length, 23);
  assert.is(r.pyconfig.macros.length, 593);
});

test('findSetupFiles lists Setup files in makesetup order', () => {
  assert.equal(findSetupFiles(fixtureCheckout), ['Modules/Setup.stdlib.in', 'Modules/Setup.bootstrap.in']);
});

test.run();
