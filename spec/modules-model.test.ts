// The module and dependency parts of the build model (generator/model/build-model.ts) and their
// Meson spelling (generator/emit/emit.ts), on small hand-written Setup files and manifests; and
// the consistency of the real manifest's module and dependency tables.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { baseManifest } from '../cpython-manifests/common/base.js';
import { baseDependencies } from '../cpython-manifests/common/dependencies.js';
import { baseModules } from '../cpython-manifests/common/modules.js';
import type { DependencySpec, Manifest, ModuleSpec } from '../generator/manifest/types.js';
import { buildDependencies, buildModules, isCopyleft } from '../generator/model/build-model.js';
import type { ModuleModel } from '../generator/model/types.js';
import { parseMakefile } from '../generator/scan/makefile.js';
import { parseSetup } from '../generator/scan/setup.js';
import type { ScanResult } from '../generator/scan/types.js';
import { throwsCpm } from './scan-helpers.js';

const STDLIB = `# comment
*@MODULE_BUILDTYPE@*
@MODULE_BINASCII_TRUE@binascii binascii.c
@MODULE_READLINE_TRUE@readline readline.c
@MODULE__SHA2_TRUE@_sha2 sha2module.c -I$(srcdir)/Modules/_hacl/include Modules/_hacl/libHacl_Hash_SHA2.a
@MODULE__DBM_TRUE@_dbm _dbmmodule.c
@MODULE__SCPROXY_TRUE@_scproxy _scproxy.c
*shared*
@MODULE__TESTMULTIPHASE_TRUE@_testmultiphase _testmultiphase.c
*disabled*
_gone gone.c
`;
const BOOTSTRAP = `*static*
posix posixmodule.c
binascii should_not_win.c
`;
const MAKEFILE = `LIBHACL_SHA2_OBJS= \\
\t\tModules/_hacl/Hacl_Hash_SHA2.o
`;

function scanOf(stdlib = STDLIB, semver = '3.99.4'): ScanResult {
  return {
    version: { semver },
    setup: [parseSetup('Modules/Setup.stdlib.in', stdlib), parseSetup('Modules/Setup.bootstrap.in', BOOTSTRAP)],
    makefile: parseMakefile('Makefile.pre.in', MAKEFILE),
  } as ScanResult;
}

const deps: Record<string, DependencySpec> = {
  zlib: { title: 'zlib', names: ['zlib'], license: 'Zlib', wrap: 'zlib', linkCheck: 'deflate' },
  readline: {
    title: 'GNU readline',
    names: ['readline'],
    license: 'GPL-3.0-or-later',
    only: { when: "get_option('readline_library') == 'readline'", reason: 'not chosen' },
  },
  edit: { title: 'libedit', names: ['libedit'], license: 'BSD-3-Clause', staticExtras: ['libbsd'] },
  // Named so that code-point order would put it before what it requires.
  a_compat: { title: 'compat', names: ['a_compat'], license: 'GPL-3.0-or-later', requires: ['gdbm'] },
  gdbm: { title: 'GNU dbm', names: ['gdbm'], license: 'GPL-3.0-or-later' },
  libc_helper: { title: 'helper', names: ['h'], license: 'LGPL-2.1-or-later' },
  hacl_sha2: {
    title: 'HACL* SHA-2',
    names: [],
    license: 'MIT',
    bundled: { systemOption: '', systemDefault: false, objectsVar: 'LIBHACL_SHA2_OBJS', archive: 'Modules/_hacl/libHacl_Hash_SHA2.a', includeDirs: ['Modules/_hacl/include'], cArgs: {} },
  },
};
const modules: Record<string, ModuleSpec> = {
  binascii: { optionalDeps: { zlib: ['-DUSE_ZLIB_CRC32'] } },
  readline: { depChoice: { option: 'readline_library', choices: { readline: 'readline', editline: 'edit' } }, cArgs: ['-D_DEFAULT_SOURCE'] },
  _dbm: { deps: ['a_compat'], when: "py_system == 'linux'", whenReason: 'Linux only here' },
  _scproxy: { never: 'macOS only' },
  _testmultiphase: { test: true },
};

function manifestOf(over: Partial<Manifest> = {}): Manifest {
  return { ...baseManifest, series: '3.99', range: '>=3.99.0-0', status: 'generated-only', dependencies: deps, modules, modulesNotOn: {}, ...over };
}

function byName(list: ModuleModel[], name: string): ModuleModel {
  const m = list.find((x) => x.name === name);
  assert.ok(m, `module ${name} is in the model`);
  return m;
}

test('modules: Setup lines in makesetup order, first rule wins, disabled and never-built lines left out', () => {
  const warnings: string[] = [];
  const mods = buildModules(scanOf(), manifestOf(), warnings);
  assert.equal(
    mods.map((m) => m.name),
    ['_dbm', '_sha2', '_testmultiphase', 'binascii', 'posix', 'readline'],
  );
  assert.equal(byName(mods, 'binascii').sources, ['Modules/binascii.c'], 'the Setup.stdlib.in line wins over the later bootstrap one');
  assert.is(byName(mods, 'posix').kind, 'bootstrap');
  assert.is(byName(mods, 'binascii').kind, 'stdlib');
  assert.is(byName(mods, '_testmultiphase').section, 'shared');
  assert.ok(byName(mods, '_testmultiphase').test);
  assert.equal(warnings, []);
});

test('modules: a module the manifest describes but no Setup file lists is warned about, unless it arrived after this release (since)', () => {
  const later: Record<string, ModuleSpec> = { ...modules, _testclinic: { test: true, since: '3.99.2' } };
  const warned = (semver: string): string[] => {
    const warnings: string[] = [];
    const mods = buildModules(scanOf(STDLIB, semver), manifestOf({ modules: later }), warnings);
    assert.not.ok(mods.some((m) => m.name === '_testclinic'), 'nothing to build without a Setup line');
    return warnings;
  };
  assert.equal(warned('3.99.0'), [], 'before 3.99.2: absent as expected');
  assert.equal(warned('3.99.2-candidate.1'), [], "3.99.2's release candidates come before 3.99.2");
  const missing = ['the 3.99 manifest describes module _testclinic, which no Setup file lists (ignored)'];
  assert.equal(warned('3.99.2'), missing);
  assert.equal(warned('3.99.4'), missing);
  assert.throws(() => buildModules(scanOf(), manifestOf({ modules: { _testclinic: { since: '3.99' } } }), []), /module _testclinic: since "3.99" is not a version/);
});

test('modules: optional dependencies with their arguments, a dependency chosen by option, conditions with reasons', () => {
  const mods = buildModules(scanOf(), manifestOf(), []);
  assert.equal(byName(mods, 'binascii').optionalDeps, [{ name: 'zlib', cArgs: ['-DUSE_ZLIB_CRC32'] }]);
  assert.equal(byName(mods, 'readline').depChoice, { option: 'readline_library', choices: { readline: 'readline', editline: 'edit' } });
  assert.equal(byName(mods, 'readline').deps, []);
  assert.equal(byName(mods, 'readline').cArgs, ['-D_DEFAULT_SOURCE']);
  assert.is(byName(mods, '_dbm').when, "py_system == 'linux'");
  assert.is(byName(mods, '_dbm').whenReason, 'Linux only here');
  assert.is(byName(mods, 'posix').whenReason, null);
});

test('modules: a bundled archive on a Setup line becomes a dependency, its -I an include directory', () => {
  const sha2 = byName(buildModules(scanOf(), manifestOf(), []), '_sha2');
  assert.equal(sha2.deps, ['hacl_sha2']);
  assert.equal(sha2.includeDirs, ['Modules/_hacl/include']);
});

test('modules: a dependency name the manifest does not describe is an error naming module and dependency', () => {
  throwsCpm(() => buildModules(scanOf(), manifestOf({ modules: { ...modules, binascii: { optionalDeps: { zstd: [] } } } }), []), 'binascii', 'zstd');
  throwsCpm(
    () => buildModules(scanOf(), manifestOf({ modules: { ...modules, readline: { depChoice: { option: 'x', choices: { a: 'nope' } } } } }), []),
    'readline',
    'nope',
  );
});

test('dependencies: a library comes after those it requires, otherwise code-point order', () => {
  const names = buildDependencies(scanOf(), manifestOf()).map((d) => d.name);
  assert.equal(names, ['gdbm', 'a_compat', 'edit', 'hacl_sha2', 'libc_helper', 'readline', 'zlib']);
});

test('dependencies: GPL but not LGPL is left out by -Dgpl=false; cycles and unknown requirements are errors', () => {
  const model = buildDependencies(scanOf(), manifestOf());
  const gpl = Object.fromEntries(model.map((d) => [d.name, d.gpl]));
  assert.equal(gpl, { a_compat: true, edit: false, gdbm: true, hacl_sha2: false, libc_helper: false, readline: true, zlib: false });
  assert.ok(isCopyleft('GPL-2.0-only OR MIT'));
  assert.not.ok(isCopyleft('LGPL-2.1-or-later'));
  throwsCpm(() => buildDependencies(scanOf(), manifestOf({ dependencies: { ...deps, gdbm: { ...deps['gdbm']!, requires: ['a_compat'] } } })), 'cycle', 'a_compat', 'gdbm');
  throwsCpm(() => buildDependencies(scanOf(), manifestOf({ dependencies: { ...deps, gdbm: { ...deps['gdbm']!, requires: ['nothere'] } } })), 'gdbm', 'nothere');
});

test('dependencies: the bundled library gets the sources of its Makefile object list', () => {
  const hacl = buildDependencies(scanOf(), manifestOf()).find((d) => d.name === 'hacl_sha2');
  assert.equal(hacl?.bundled?.sources, ['Modules/_hacl/Hacl_Hash_SHA2.c']);
  assert.is(hacl?.bundled?.systemOption, null);
});

test('module and dependency models carry choices, optional dependencies and conditions', () => {
  const mods = buildModules(scanOf(), manifestOf(), []);
  assert.equal(byName(mods, 'readline').depChoice, { option: 'readline_library', choices: { readline: 'readline', editline: 'edit' } });
  assert.equal(byName(mods, 'binascii').optionalDeps, [{ name: 'zlib', cArgs: ['-DUSE_ZLIB_CRC32'] }]);
  assert.is(byName(mods, '_dbm').whenReason, 'Linux only here');
  const deps = buildDependencies(scanOf(), manifestOf());
  const dep = (n: string) => deps.find((d) => d.name === n);
  assert.equal(dep('readline')?.only, { when: "get_option('readline_library') == 'readline'", reason: 'not chosen' });
  assert.ok(dep('readline')?.gpl);
  assert.is(dep('zlib')?.linkCheck, 'deflate');
  assert.equal(dep('a_compat')?.requires, ['gdbm']);
  assert.equal(dep('hacl_sha2')?.names, [], 'bundled-only libraries have no dependency() lookup');
});

test('the real manifest: every dependency a module names is described, alternatives and requirements resolve', () => {
  for (const [name, spec] of Object.entries(baseModules)) {
    const named = [...(spec.deps ?? []), ...Object.keys(spec.optionalDeps ?? {}), ...Object.values(spec.depChoice?.choices ?? {})];
    for (const d of named) assert.ok(baseDependencies[d], `module ${name}: dependency ${d} is described`);
  }
  for (const [name, d] of Object.entries(baseDependencies)) {
    for (const r of d.requires ?? []) assert.ok(baseDependencies[r], `${name} requires ${r}`);
    if (d.names.length > 0) assert.ok(d.debianPackage, `${name} names the Debian package for the "missing" message`);
    if (d.names.length > 0) assert.ok(d.linkCheck, `${name} has a function for the -static check`);
  }
  // -Dgpl=false must leave out GNU readline and gdbm, and nothing the default build needs.
  const gpl = Object.entries(baseDependencies).filter(([, d]) => isCopyleft(d.license)).map(([n]) => n).sort();
  assert.equal(gpl, ['gdbm', 'gdbm_compat', 'readline']);
  // The readline module links the library -Dreadline_library picks: GNU readline or libedit.
  assert.equal(baseModules['readline']?.depChoice?.choices, { readline: 'readline', editline: 'edit' });
  assert.ok(baseDependencies['readline']?.only && baseDependencies['edit']?.only);
});

test.run();
