// `cpython-meson manifest new` and `manifest snapshot`: on a copy of the real 3.13 tree with the
// 3.13 manifest hidden (manifests loaded from a temp directory), `manifest new` must recreate an
// equivalent manifest as a typed TypeScript module that type-checks, and print the diff sections.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Project, SyntaxKind, ts } from 'ts-morph';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode } from '../generator/errors.js';
import { deepEqual, newManifest, tsLiteral } from '../generator/manifest/new.js';
import { loadManifests, manifestsDir, selectManifest } from '../generator/manifest/select.js';
import { diffSnapshots, formatSnapshotDiff, readSnapshotFile, snapshotsDir } from '../generator/manifest/snapshot.js';
import type { Manifest } from '../generator/manifest/types.js';
import { isCPythonTree, sourceTreePath } from '../generator/util/cpython-source.js';
import { repoRoot } from './scan-helpers.js';

const cli = path.join(repoRoot, 'bin/cpython-meson.js');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, CPYTHON_MESON_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The pristine 3.13 tree: $CPYTHON_313_SRC, else the one `cpython-meson build` keeps in its cache. */
function tree313(): string | null {
  const env = process.env.CPYTHON_313_SRC;
  if (env && existsSync(path.join(env, 'Include/patchlevel.h'))) return env;
  const cached = sourceTreePath('3.13.15');
  if (isCPythonTree(cached, '3.13.15')) return cached;
  console.log('  (skipping manifest new on the real tree: set CPYTHON_313_SRC to a CPython 3.13 source tree, or run the integration tests once to cache 3.13.15)');
  return null;
}

/** A temp work area: compiled manifests without 3.13, snapshots without 3.13, a copy of the tree. */
function workArea(src: string): { dir: string; manifests: string; snapshots: string; checkout: string; out: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cpm-manifest-new-'));
  const manifests = path.join(dir, 'manifests');
  cpSync(manifestsDir, manifests, { recursive: true });
  for (const f of readdirSync(manifests)) if (f.startsWith('3.13.')) rmSync(path.join(manifests, f));
  const snapshots = path.join(dir, 'snapshots');
  // Only the 3.11 snapshot, so the comparison is against a known series (the 3.12 manifest has none).
  mkdirSync(snapshots);
  cpSync(path.join(snapshotsDir, '3.11.json'), path.join(snapshots, '3.11.json'));
  // The scanner needs the build files and Lib/ (for FROZEN's packages), not the docs or the test suite.
  const checkout = path.join(dir, 'Python-3.13');
  cpSync(src, checkout, {
    recursive: true,
    filter: (from) => !['Doc', 'Lib/test', 'PCbuild', 'Mac', 'Android', 'iOS'].some((skip) => from === path.join(src, skip)),
  });
  // The written module is ESM importing the repository's sources.
  writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}\n');
  return { dir, manifests, snapshots, checkout, out: path.join(dir, 'out/3.13.ts') };
}

const real = tree313();

test('manifest new recreates the 3.13 manifest from the nearest one, as typed TypeScript, and prints the diff', async () => {
  if (!real) return;
  const w = workArea(real);
  try {
    const hidden = await loadManifests(w.manifests);
    assert.not.ok(hidden.some((m) => m.series === '3.13'), 'the 3.13 manifest is hidden');
    assert.throws(() => selectManifest(hidden, '3.13.15', 'x'), /manifest new <checkout>/, 'generate would point at manifest new');

    const r = run(['manifest', 'new', w.checkout, '--out', w.out, '--manifests-dir', w.manifests, '--snapshots-dir', w.snapshots]);
    assert.is(r.status, 0, r.stderr);
    // The report: where it started, the four diff sections against a stored snapshot, the adjustments.
    assert.match(r.stdout, /^CPython 3\.13\.15: wrote .*3\.13\.ts, starting from the 3\.1[24] manifest/m);
    assert.match(r.stdout, /^Changes against 3\.11 \(snapshot of CPython 3\.11\.2, /m);
    for (const section of ['core sources', 'modules', 'frozen modules', 'pyconfig.h macros']) {
      assert.match(r.stdout, new RegExp(`^  ${section.replace('.', '\\.')}: (no change|\\d+ new, \\d+ removed)$`, 'm'), section);
    }
    assert.match(r.stdout, /^    \+ Python\/qsbr\.c$/m, 'a 3.13 core source shows as new');
    assert.match(r.stdout, /^Manifest changes against the 3\.1[24] manifest:$/m);
    assert.match(r.stdout, /^Review:$/m);

    // Structure of the written source, through ts-morph's AST.
    const project = new Project({ tsConfigFilePath: path.join(repoRoot, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
    const sf = project.addSourceFileAtPath(w.out);
    const [typesImport, baseImport] = sf.getImportDeclarations();
    assert.ok(typesImport?.isTypeOnly(), 'import type { Manifest }');
    assert.equal(typesImport?.getNamedImports().map((n) => n.getName()), ['Manifest']);
    assert.match(typesImport?.getModuleSpecifierValue() ?? '', /generator\/manifest\/types\.js$/);
    assert.match(baseImport?.getModuleSpecifierValue() ?? '', /cpython-manifests\/common\/base\.js$/);
    assert.ok(baseImport?.getNamedImports().some((n) => n.getName() === 'baseManifest'), 'reuses the common base');
    const decl = sf.getVariableDeclarationOrThrow('manifest');
    assert.is(decl.getTypeNode()?.getText(), 'Manifest');
    const init = decl.getInitializerIfKindOrThrow(SyntaxKind.ObjectLiteralExpression);
    assert.is(init.getProperties()[0]?.getText(), '...baseManifest');
    assert.is(sf.getExportAssignments()[0]?.getExpression().getText(), 'manifest');
    assert.not.match(sf.getText(), /:\s*any\b|as any\b/, 'no any');
    // It type-checks against the real Manifest type (diagnostics of this file only).
    const diags = project.getPreEmitDiagnostics().filter((d) => d.getSourceFile()?.getFilePath() === sf.getFilePath());
    assert.equal(diags.map((d) => d.getMessageText().toString()), [], 'no type errors');

    // Evaluate it (imports pointed at the compiled base) and compare with the real 3.13 manifest.
    const js = ts.transpileModule(sf.getFullText(), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const baseUrl = pathToFileURL(path.join(manifestsDir, 'common/base.js')).href;
    const mjs = path.join(w.dir, 'out/3.13.mjs');
    writeFileSync(mjs, js.replace(/from ['"][^'"]*cpython-manifests\/common\/base\.js['"]/, `from '${baseUrl}'`));
    const made = ((await import(pathToFileURL(mjs).href)) as { default: Manifest }).default;
    const want = ((await import(pathToFileURL(path.join(manifestsDir, '3.13.js')).href)) as { default: Manifest }).default;
    assert.is(made.series, want.series);
    assert.is(made.range, want.range);
    assert.is(made.status, 'generated-only');
    assert.equal(made.paths, want.paths);
    assert.equal(made.core, want.core);
    assert.equal(made.frozen, want.frozen);
    assert.equal(Object.keys(made.modules).sort(), Object.keys(want.modules).sort());
    assert.equal(Object.keys(made.dependencies).sort(), Object.keys(want.dependencies).sort());

    // The snapshot it wrote is the one stored for 3.13 (taken with the real manifest).
    const written = readSnapshotFile(path.join(w.snapshots, '3.13.json'));
    const stored = readSnapshotFile(path.join(snapshotsDir, '3.13.json'));
    assert.equal(written, stored);

    // Without --force: the output exists (exit 3), and a covered version is refused (exit 2).
    const again = run(['manifest', 'new', w.checkout, '--out', w.out, '--manifests-dir', w.manifests, '--snapshots-dir', w.snapshots]);
    assert.is(again.status, ExitCode.refused);
    assert.match(again.stderr, /exists; use --force/);
    const covered = run(['manifest', 'new', w.checkout, '--out', path.join(w.dir, 'x.ts'), '--snapshots-dir', w.snapshots]);
    assert.is(covered.status, ExitCode.badInput);
    assert.match(covered.stderr, /already covered by the 3\.13 manifest/);
  } finally {
    rmSync(w.dir, { recursive: true, force: true });
  }
});

test('manifest new recreates the 3.11 manifest (setup.py-era lines from commented-out Setup lines)', async () => {
  const src = process.env.CPYTHON_311_SRC ?? sourceTreePath('3.11.2');
  if (!existsSync(path.join(src, 'Include/patchlevel.h'))) {
    console.log('  (skipping manifest new on 3.11: set CPYTHON_311_SRC to a CPython 3.11 source tree)');
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cpm-manifest-new-311-'));
  try {
    const manifests = path.join(dir, 'manifests');
    cpSync(manifestsDir, manifests, { recursive: true });
    for (const f of readdirSync(manifests)) if (f.startsWith('3.11.')) rmSync(path.join(manifests, f));
    const snapshots = path.join(dir, 'snapshots');
    mkdirSync(snapshots);
    const r = await newManifest({ checkout: src, out: path.join(dir, '3.11.ts'), manifestsDir: manifests, snapshotsDir: snapshots });
    const want = ((await import(pathToFileURL(path.join(manifestsDir, '3.11.js')).href)) as { default: Manifest }).default;
    assert.is(r.nearest, '3.12');
    assert.equal(r.manifest.paths, want.paths);
    assert.equal(r.manifest.core, want.core);
    assert.equal(r.manifest.frozen, want.frozen);
    assert.equal(Object.keys(r.manifest.modules).sort(), Object.keys(want.modules).sort());
    assert.equal(Object.keys(r.manifest.dependencies).sort(), Object.keys(want.dependencies).sort());
    for (const name of ['_ctypes', '_curses', '_curses_panel', 'readline', '_dbm']) {
      assert.equal(r.manifest.modules[name]?.sources, want.modules[name]?.sources, `${name} sources`);
    }
    assert.ok(r.lines.some((l) => /_ctypes has only a commented-out Setup line/.test(l)), 'asks to check setup.py flags');
    assert.match(r.source, /substitutions: without\(baseManifest\.core\.substitutions, 'PERF_TRAMPOLINE_OBJ'\)/);
    assert.equal(readSnapshotFile(r.snapshotFile), readSnapshotFile(path.join(snapshotsDir, '3.11.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the shipped snapshots are those of the real 3.11 and 3.13 trees', () => {
  const s311 = readSnapshotFile(path.join(snapshotsDir, '3.11.json'));
  const s313 = readSnapshotFile(path.join(snapshotsDir, '3.13.json'));
  assert.is(s311.version, '3.11.2');
  assert.is(s313.version, '3.13.15');
  assert.is(s311.macros.length, 593, 'pyconfig.h.in macros of 3.11.2 (build facts §5)');
  assert.is(s313.macros.length, 649);
  assert.ok(s311.sources.includes('Python/deepfreeze/deepfreeze.c'));
  assert.not.ok(s313.sources.includes('Python/deepfreeze/deepfreeze.c'));
  assert.is(s311.frozen.length, 24, '23 FROZEN + getpath');
  for (const m of ['_ctypes', 'readline', '_curses', '_dbm', 'xxsubtype', '_sha256']) assert.ok(s311.modules.includes(m), `3.11 has ${m}`);
  if (existsSync(path.join(snapshotsDir, '3.14.json'))) {
    const s314 = readSnapshotFile(path.join(snapshotsDir, '3.14.json'));
    assert.is(s314.macros.length, 670);
    assert.ok(s314.sources.includes('Python/_contextvars.c') && s314.modules.includes('_zstd'));
  }
  const d = diffSnapshots(s311, s313);
  assert.ok(d.modules.added.includes('_sha2') && d.modules.removed.includes('_sha256'));
  assert.ok(d.sources.removed.includes('Parser/tokenizer.c'));
  const lines = formatSnapshotDiff(d);
  assert.ok(lines.includes('  frozen modules: no change'));
  assert.ok(lines.some((l) => /^ {2}pyconfig\.h macros: \d+ new, \d+ removed$/.test(l)));
});

test('manifest snapshot writes the same lists as the stored 3.13 snapshot', () => {
  if (!real) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cpm-snapshot-'));
  try {
    const out = path.join(dir, 'snap.json');
    const r = run(['manifest', 'snapshot', real, '--out', out]);
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /^CPython 3\.13 snapshot: created /);
    assert.is(readFileSync(out, 'utf8'), readFileSync(path.join(snapshotsDir, '3.13.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('manifest --help and bad manifest arguments', () => {
  const h = run(['manifest', '--help']);
  assert.is(h.status, 0);
  assert.match(h.stdout, /cpython-meson manifest new <checkout> \[--out <file>\] \[--force\]/);
  assert.match(h.stdout, /cpython-meson manifest snapshot <checkout>/);
  assert.is(run(['help', 'manifest']).stdout, h.stdout);
  const bad = run(['manifest', 'frob', '.']);
  assert.is(bad.status, ExitCode.badInput);
  assert.match(bad.stderr, /unknown manifest command "frob"; expected new or snapshot/);
  const none = run(['manifest', 'new']);
  assert.is(none.status, ExitCode.badInput);
  assert.match(none.stderr, /missing <checkout>/);
});

test('tsLiteral and deepEqual: the pieces the writer is made of', () => {
  assert.is(tsLiteral(['a', "b'c"]), "['a', 'b\\'c']");
  assert.is(tsLiteral({ 'a-b': 1, ok: true, n: null }), "{\n  'a-b': 1,\n  ok: true,\n  n: null,\n}");
  assert.ok(deepEqual({ a: [1, { b: 2 }], c: undefined }, { a: [1, { b: 2 }] }));
  assert.not.ok(deepEqual({ a: [1, 2] }, { a: [2, 1] }));
});

test('every shipped series manifest loads, and their ranges do not overlap', async () => {
  const ms = await loadManifests();
  const series = ms.map((m) => m.series);
  for (const s of ['3.11', '3.12', '3.13']) assert.ok(series.includes(s), `manifest ${s}`);
  for (const m of ms) {
    const other = ms.filter((o) => o !== m && selectManifest([o, m], `${m.series}.0`, 'x') === o);
    assert.equal(other, [], `${m.series}.0 is selected by its own manifest only`);
  }
});

test.run();
