// The per-series manifests on their checkouts: 3.12 from the fixture tree (generated only), 3.11
// and 3.14 on real trees when available. What differs between series is manifest data; these
// tests check that the generator follows it (deepfreeze, Setup lines the manifest supplies,
// include directories, HACL* libraries).
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { baseManifest } from '../cpython-manifests/common/base.js';
import { loadManifests, selectManifest } from '../generator/manifest/select.js';
import { generate } from '../generator/pipeline.js';
import { isCPythonTree, sourceTreePath } from '../generator/util/cpython-source.js';
import { repoRoot, realTree } from './scan-helpers.js';

const fixture312 = path.join(repoRoot, 'spec/fixtures/cpython-3.12');

/** $ENV, else the pristine tree `cpython-meson build --cpython-version` caches, else null with a note. */
function tree(envName: string, version: string): string | null {
  const env = process.env[envName];
  if (env) return realTree(envName);
  const cached = sourceTreePath(version);
  if (isCPythonTree(cached, version)) return cached;
  return realTree(envName);
}

test('patch releases select their series manifest; each series refines the common base', async () => {
  const ms = await loadManifests();
  const pick = (v: string) => selectManifest(ms, v, 'x').series;
  assert.is(pick('3.11.2'), '3.11');
  assert.is(pick('3.11.15'), '3.11');
  assert.is(pick('3.12.0-candidate.1'), '3.12');
  assert.is(pick('3.13.15'), '3.13');
  const by = Object.fromEntries(ms.map((m) => [m.series, m]));
  const [m311, m312, m313] = [by['3.11'], by['3.12'], by['3.13']];
  assert.ok(m311 && m312 && m313);
  // 3.13 is the base; the older series state their differences as data.
  assert.equal(m313.core, baseManifest.core);
  assert.is(m313.modules, baseManifest.modules, '3.13 reuses the base module table itself');
  assert.is(m311.core.programs.deepfreeze?.script, 'Tools/scripts/deepfreeze.py');
  assert.is(m312.core.programs.deepfreeze?.script, 'Tools/build/deepfreeze.py');
  assert.is(m313.core.programs.deepfreeze, null);
  assert.is(m311.paths.freezeModules, 'Tools/scripts/freeze_modules.py');
  assert.ok(m311.paths.setupFiles.includes('Modules/Setup'), '3.11 reads Modules/Setup (xxsubtype)');
  for (const name of ['_ctypes', '_curses', '_curses_panel', 'readline', '_dbm']) {
    assert.ok(m311.modules[name]?.sources, `3.11 supplies the Setup line of ${name}`);
    assert.not.ok(m312.modules[name]?.sources, `3.12 reads ${name} from Setup.stdlib.in`);
  }
  assert.not.ok(m311.core.includeDirs.includes('Include/internal/mimalloc'));
  assert.equal(m311.core.conditionalObjects, [], 'no perf trampoline in 3.11');
  assert.ok(m312.dependencies['libcrypt'] && !m313.dependencies['libcrypt'], '_crypt until 3.12');
  assert.is(m311.pyconfig.checks, baseManifest.pyconfig.checks, 'pyconfig checks are shared');
});

test('3.12 (fixture tree): deepfreeze from Tools/build, no mimalloc, PEP 594 modules, HACL* SHA-2', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cpm-312-'));
  try {
    const src = path.join(dir, 'cpython');
    cpSync(fixture312, src, { recursive: true });
    const r = await generate(src);
    assert.is(r.manifestSeries, '3.12');
    assert.is(r.version.full, '3.12.10');
    const m = r.model;
    // deepfreeze: run over FROZEN's headers in order, its output compiled into libpython, not a checkout file.
    assert.ok(m.frozen.deepfreeze);
    assert.is(m.frozen.deepfreeze?.script, 'Tools/build/deepfreeze.py');
    assert.equal(
      m.frozen.deepfreeze?.modules.map((f) => f.name),
      m.frozen.modules.filter((f) => f.name !== 'getpath').map((f) => f.name),
    );
    assert.not.ok(m.core.frozenDependent.includes('Python/deepfreeze/deepfreeze.c'));
    assert.ok(m.core.frozenDependent.includes('Python/frozen.c'));
    // How the data files spell it is in the golden files (spec/golden/cpython-3.12); here, the model.
    assert.equal(m.core.includeDirs, ['.', 'Include', 'Include/internal', 'Python']);
    assert.ok(m.core.conditional.some((x) => x.source === 'Python/asm_trampoline.S'), 'perf trampoline from 3.12');
    // Modules: _typing is a bootstrap module; PEP 594 modules are still there, with their libraries.
    const mod = (name: string) => m.modules.find((x) => x.name === name);
    assert.is(mod('_typing')?.kind, 'bootstrap');
    assert.equal(mod('_crypt')?.deps, ['libcrypt']);
    assert.equal(mod('nis')?.deps, ['libnsl', 'libtirpc']);
    assert.equal(mod('ossaudiodev')?.headers, ['linux/soundcard.h']);
    assert.ok(mod('_sha2')?.deps.includes('hacl_sha2'));
    assert.ok(mod('_ctypes')?.sources.includes('Modules/_ctypes/cfield.c'));
    assert.ok(m.dependencies.some((d) => d.name === 'libcrypt'));
    assert.is(m.dependencies.find((d) => d.name === 'mpdecimal')?.bundled?.systemDefault, false, 'bundled libmpdec by default before 3.13');
    const fixtureWarnings = r.warnings.filter((w) => !/which no Setup file lists|not accounted for/.test(w));
    assert.equal(fixtureWarnings, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('3.11 (real tree): setup.py-era modules from the manifest, xxsubtype from Modules/Setup, deepfreeze', async () => {
  const src = tree('CPYTHON_311_SRC', '3.11.2');
  if (!src) return;
  const r = await generate(src);
  assert.is(r.manifestSeries, '3.11');
  const m = r.model;
  const mod = (name: string) => m.modules.find((x) => x.name === name);
  assert.equal(mod('_ctypes')?.sources, ['_ctypes.c', 'callbacks.c', 'callproc.c', 'stgdict.c', 'cfield.c'].map((f) => `Modules/_ctypes/${f}`));
  assert.is(mod('_ctypes')?.origin, 'cpython-manifests/3.11.ts');
  assert.ok(mod('_ctypes')?.cArgs.includes('-DHAVE_FFI_CLOSURE_ALLOC=1'));
  for (const name of ['_curses', '_curses_panel', 'readline', '_dbm']) assert.is(mod(name)?.origin, 'cpython-manifests/3.11.ts', name);
  assert.match(mod('xxsubtype')?.origin ?? '', /^Modules\/Setup:\d+$/);
  assert.is(mod('xxsubtype')?.kind, 'bootstrap');
  assert.ok(mod('_sha256') && mod('_sha512') && !mod('_sha2'));
  assert.is(m.frozen.deepfreeze?.script, 'Tools/scripts/deepfreeze.py');
  assert.is(m.frozen.deepfreeze?.modules.length, 23);
  assert.not.ok(m.core.includeDirs.includes('Include/internal/mimalloc'));
  assert.equal(m.core.conditional, []);
  assert.equal(r.warnings.filter((w) => /manifest describes module/.test(w)), [], 'the 3.11 manifest names only 3.11 modules');
});

test('3.14 (CPYTHON_314_SRC): HACL* per algorithm, _hmac without duplicate objects, _zstd, _contextvars in the core', async () => {
  const src = realTree('CPYTHON_314_SRC');
  if (!src) return;
  const r = await generate(src);
  assert.is(r.manifestSeries, '3.14');
  const m = r.model;
  assert.ok(m.core.configCInModules.includes('_contextvars'));
  assert.ok(m.core.groups.some((g) => g.sources.includes('Python/_contextvars.c')));
  assert.is(m.frozen.deepfreeze, null);
  const hmac = m.dependencies.find((d) => d.name === 'hacl_hmac');
  assert.equal(hmac?.bundled?.sources, ['Modules/_hacl/Hacl_HMAC.c', 'Modules/_hacl/Hacl_Streaming_HMAC.c']);
  const blake2 = m.dependencies.find((d) => d.name === 'hacl_blake2');
  assert.not.ok(blake2?.bundled?.sources.some((s) => /Simd/.test(s)), 'no SIMD objects');
  const mod = (name: string) => m.modules.find((x) => x.name === name);
  assert.equal(mod('_zstd')?.deps, ['zstd']);
  assert.ok(mod('_hmac')?.deps.includes('hacl_sha2'));
  for (const b of ['_datetime', '_opcode', '_types']) assert.is(mod(b)?.kind, 'bootstrap', b);
  assert.not.ok(mod('_testexternalinspection'));
  assert.equal(r.warnings, []);
});

test('fixture 3.12 tree holds what the 3.12 manifest needs', () => {
  for (const f of ['Include/patchlevel.h', 'Makefile.pre.in', 'Tools/build/freeze_modules.py', 'Tools/build/deepfreeze.py', 'Modules/Setup.stdlib.in']) {
    assert.ok(existsSync(path.join(fixture312, f)), f);
  }
});

test.run();
