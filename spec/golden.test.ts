// Golden tests: the whole tree `generate` emits for the fixture checkouts (spec/fixtures/cpython-3.12,
// -3.13, -3.15 and -3.16, main) is stored under spec/golden/<fixture>/ and compared byte for byte,
// so every emitter change shows up as a diff of the emitted files. `UPDATE_GOLDEN=1 npm run
// test:unit` rewrites them. Also: the emitted Meson is `meson format` clean (also at WrapDB's
// 2-space indent), and every identifier the manifests' Meson expressions name is defined by the
// emitted logic or data.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { emit, LOGIC_FILES, templatesDir, VERSION_PLACEHOLDER } from '../generator/emit/emit.js';
import { loadManifests } from '../generator/manifest/select.js';
import type { Manifest } from '../generator/manifest/types.js';
import { generate, type GenerateResult } from '../generator/pipeline.js';
import { MIN_MESON_VERSION } from '../generator/util/tools.js';

const specDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../spec');
const FIXTURES = ['cpython-3.12', 'cpython-3.13', 'cpython-3.15', 'cpython-3.16'];
const update = process.env.UPDATE_GOLDEN === '1';
const hasMeson = spawnSync('meson', ['--version'], { encoding: 'utf8' }).status === 0;

const results = new Map<string, GenerateResult>();
async function generated(fixture: string): Promise<GenerateResult> {
  const cached = results.get(fixture);
  if (cached) return cached;
  const dir = mkdtempSync(path.join(os.tmpdir(), `cpm-golden-${fixture}-`));
  try {
    cpSync(path.join(specDir, 'fixtures', fixture), dir, { recursive: true });
    const r = await generate(dir);
    results.set(fixture, r);
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function listFiles(dir: string, rel = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(dir, r) : [r];
  });
}

const isMeson = (p: string): boolean => /(^|\/)meson\.(build|options)$/.test(p) && !p.startsWith('subprojects/');

/**
 * Files `generate` copies rather than generates: the hand-written logic (meson-templates/) and the
 * wrap overlays (wraps/packagefiles/). The golden trees leave them out, so that they hold only what
 * the emitter produces; a test checks each copy is its source under a generated header.
 */
function copiedFrom(r: GenerateResult): Map<string, string> {
  const copies = new Map<string, string>();
  for (const rel of LOGIC_FILES) {
    const dest = rel === 'Python/frozen_modules/meson.build' ? `${r.model.frozen.headerDir}/meson.build` : rel;
    copies.set(dest, path.join(templatesDir, rel));
  }
  for (const f of r.files) {
    const m = /^subprojects\/packagefiles\/(.+)$/.exec(f.path);
    if (m?.[1]) copies.set(f.path, path.join(templatesDir, '..', 'wraps', 'packagefiles', m[1]));
  }
  return copies;
}

for (const fixture of FIXTURES) {
  test(`golden: the tree emitted for spec/fixtures/${fixture} is spec/golden/${fixture} (copied files aside)`, async () => {
    const r = await generated(fixture);
    const copies = copiedFrom(r);
    const emitted = r.files.filter((f) => !copies.has(f.path));
    const golden = path.join(specDir, 'golden', fixture);
    if (update) {
      rmSync(golden, { recursive: true, force: true });
      for (const f of emitted) {
        mkdirSync(path.dirname(path.join(golden, f.path)), { recursive: true });
        writeFileSync(path.join(golden, f.path), f.content);
      }
    }
    const stored = listFiles(golden).sort();
    assert.equal(emitted.map((f) => f.path).sort(), stored, 'the same files (UPDATE_GOLDEN=1 npm run test:unit rewrites spec/golden)');
    for (const f of emitted) {
      assert.ok(readFileSync(path.join(golden, f.path), 'utf8') === f.content, `${f.path} differs from spec/golden/${fixture}/${f.path} (UPDATE_GOLDEN=1 rewrites it)`);
    }
  });

  test(`golden: ${fixture}'s logic files and wrap overlays are their sources, under a generated header`, async () => {
    const r = await generated(fixture);
    const copies = copiedFrom(r);
    assert.ok(copies.size >= LOGIC_FILES.length);
    for (const [dest, source] of copies) {
      const f = r.files.find((x) => x.path === dest);
      assert.ok(f, `${dest} is emitted`);
      const body = readFileSync(source, 'utf8').replace(VERSION_PLACEHOLDER, `'${r.model.version.full}'`);
      const content = f?.content ?? '';
      // The header (marker, "do not edit") comes first, after a #! line if the source has one.
      const lines = body.split('\n');
      const shebang = lines[0]?.startsWith('#!') ? `${lines[0]}\n` : '';
      const rest = shebang ? lines.slice(1).join('\n') : body;
      assert.ok(content.startsWith(shebang) && content.endsWith(rest), `${dest} is ${path.relative(path.join(templatesDir, '..'), source)} as it is`);
      assert.match(content.slice(shebang.length).split('\n')[0] ?? '', /@generated by cpython-meson/);
    }
  });

  test(`golden: ${fixture} regenerates byte-identically and every Meson file is meson-format clean`, async () => {
    const r = await generated(fixture);
    const again = emit(r.model);
    assert.equal(again, r.files);
    if (!hasMeson) return;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cpm-golden-fmt-'));
    try {
      const mesonFiles = r.files.filter((f) => isMeson(f.path));
      assert.ok(mesonFiles.length >= 8);
      for (const f of mesonFiles) {
        mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
        writeFileSync(path.join(dir, f.path), f.content);
      }
      const check = spawnSync('meson', ['format', '--check-only', ...mesonFiles.map((f) => f.path)], { cwd: dir, encoding: 'utf8' });
      assert.is(check.status, 0, `meson format --check-only:\n${check.stdout}${check.stderr}`);
      // WrapDB's indent: the data files print at 2 spaces directly.
      writeFileSync(path.join(dir, 'two.format'), "indent_by = '  '\n");
      const two = emit(r.model, { indent: 2 }).filter((f) => f.path.endsWith('/data/meson.build'));
      assert.is(two.length, 2);
      for (const f of two) writeFileSync(path.join(dir, f.path), f.content);
      const check2 = spawnSync('meson', ['format', '--check-only', '-c', 'two.format', ...two.map((f) => f.path)], { cwd: dir, encoding: 'utf8' });
      assert.is(check2.status, 0, `meson format --check-only (indent 2):\n${check2.stdout}${check2.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('the hand-written logic files are meson-format clean as sources and never read records with .get()', () => {
  const files = LOGIC_FILES.filter((f) => f.endsWith('meson.build')).map((f) => path.join(templatesDir, f));
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    assert.not.match(text, /\b(mod|d|g|b|lib)\.get\(/, `${f}: records are uniform`);
    assert.not.match(text, /\b(mod|d|g|b)\.has_key\(/, `${f}: records are uniform`);
  }
  if (!hasMeson) return;
  const r = spawnSync('meson', ['format', '--check-only', ...files, path.join(templatesDir, 'meson.options')], { encoding: 'utf8' });
  assert.is(r.status, 0, `meson format --check-only:\n${r.stdout}${r.stderr}`);
  assert.match(readFileSync(path.join(templatesDir, 'meson.build'), 'utf8'), new RegExp(`meson_version: '>=${MIN_MESON_VERSION.replace(/\./g, '\\.')}'`), 'the same oldest Meson as the CLI checks for');
});

/** Every Meson expression (or statement block) of a manifest. */
function mesonExpressions(m: Manifest): string[] {
  const out: string[] = [];
  for (const c of m.core.conditionalObjects) out.push(c.when);
  for (const args of Object.values(m.core.sourceArgs)) for (const a of args) out.push(a.value);
  for (const d of Object.values(m.dependencies)) {
    if (d.only) out.push(d.only.when);
    for (const v of Object.values(d.bundled?.cArgs ?? {})) out.push(v);
  }
  for (const mod of Object.values(m.modules)) if (mod.when) out.push(mod.when);
  for (const c of Object.values(m.pyconfig.checks)) {
    if (c.kind === 'expr') out.push(c.value, c.when ?? '');
  }
  return out.filter((e) => e.trim() !== '');
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'if', 'else', 'elif', 'endif', 'foreach', 'endforeach', 'true', 'false', 'continue', 'break']);
const BUILTINS = new Set(['meson', 'host_machine', 'build_machine', 'target_machine']);

/** Variables an expression reads: identifiers outside strings, not after '.', not called. */
function identifiers(code: string): string[] {
  const bare = code.replace(/'''[\s\S]*?'''/g, "''").replace(/'(?:\\.|[^'\\])*'/g, "''").replace(/#.*$/gm, '');
  const names: string[] = [];
  for (const m of bare.matchAll(/(\.?)\b([A-Za-z_][A-Za-z0-9_]*)\b(\s*\(|:)?/g)) {
    // After '.', a method; before '(', a function; before ':' (no space), a keyword argument.
    const [, dot, name, callOrKwarg] = m;
    if (dot || callOrKwarg || !name || KEYWORDS.has(name) || BUILTINS.has(name) || /^[0-9]/.test(name)) continue;
    names.push(name);
  }
  return names;
}

/** Variables assigned (or bound by foreach) in Meson text. */
function assigned(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\+?=[^=]/gm)) if (m[1]) names.add(m[1]);
  for (const m of text.matchAll(/^\s*foreach\s+([A-Za-z_][A-Za-z0-9_]*)(?:\s*,\s*([A-Za-z_][A-Za-z0-9_]*))?\s*:/gm)) {
    if (m[1]) names.add(m[1]);
    if (m[2]) names.add(m[2]);
  }
  return names;
}

test("every identifier a manifest's Meson expressions name is defined by the emitted logic or data", async () => {
  const logic = LOGIC_FILES.filter((f) => f.endsWith('meson.build')).map((f) => readFileSync(path.join(templatesDir, f), 'utf8'));
  const r = await generated('cpython-3.13');
  const data = r.files.filter((f) => f.path.endsWith('/data/meson.build')).map((f) => f.content);
  const manifests = await loadManifests();
  assert.ok(manifests.length >= 4);
  let count = 0;
  for (const m of manifests) {
    const defined = assigned([...logic, ...data, m.pyconfig.setup ?? ''].join('\n'));
    for (const expr of mesonExpressions(m)) {
      count++;
      for (const name of identifiers(expr)) assert.ok(defined.has(name), `manifest ${m.series}: ${name} (in \`${expr}\`) is not defined by the emitted Meson`);
    }
  }
  assert.ok(count >= 20, `${count} expressions`);
  // The check itself sees through strings and calls.
  assert.equal(identifiers("py_system == 'linux' and cc.has_header('x.h') and get_option('y')"), ['py_system', 'cc']);
});

test.run();
