// The staleness guard (generator/emit/stale.ts, the root meson.build's check): the scan records
// each input's sha256, the data file holds the record, `generate --check` reads it back and names
// the inputs changed since, in the line meson.build stops setup with. The real `meson setup` and
// `ninja` side is in spec/integration/stale.test.ts.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { templatesDir } from '../generator/emit/emit.js';
import { GENERATED_FROM_FILE, recordedInputs, staleMessage, staleness } from '../generator/emit/stale.js';
import { writeGenerated } from '../generator/emit/write.js';
import { generate } from '../generator/pipeline.js';
import { ExitCode } from '../generator/errors.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repoRoot, 'bin/cpython-meson.js');
const temps: string[] = [];

/** A generated copy of a fixture checkout. */
async function generatedCopy(fixture = 'cpython-3.13'): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cpm-stale-'));
  temps.push(dir);
  cpSync(path.join(repoRoot, 'spec/fixtures', fixture), dir, { recursive: true });
  await writeGenerated(dir, (await generate(dir)).files);
  return dir;
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

test('the scan records every file it read, in order, with the sha256 of its bytes', async () => {
  const dir = path.join(repoRoot, 'spec/fixtures/cpython-3.13');
  const r = await generate(dir);
  assert.equal(
    r.model.inputs.map((i) => i.path),
    ['Include/patchlevel.h', 'Makefile.pre.in', 'Modules/Setup.stdlib.in', 'Modules/Setup.bootstrap.in', 'Tools/build/freeze_modules.py', 'pyconfig.h.in', 'Modules/config.c.in'],
  );
  for (const i of r.model.inputs) assert.is(i.sha256, sha256(path.join(dir, i.path)), i.path);
  // 3.11 reads Modules/Setup too, and freeze_modules.py from Tools/scripts/ (the 3.12 fixture: Tools/build/).
  const r12 = await generate(path.join(repoRoot, 'spec/fixtures/cpython-3.12'));
  assert.ok(r12.model.inputs.some((i) => /^Tools\/(build|scripts)\/freeze_modules\.py$/.test(i.path)));
});

test('the data file records the generator, the manifest and the inputs; recordedInputs reads them back', async () => {
  const dir = await generatedCopy();
  const text = readFileSync(path.join(dir, GENERATED_FROM_FILE), 'utf8');
  assert.match(text, /^py_generated_from = \{\n {4}'generator': 'cpython-meson [^']+',\n {4}'manifest': 'cpython-manifests\/3\.13\.ts',\n {4}'inputs': \{\n/m);
  const r = await generate(dir);
  assert.equal([...(recordedInputs(text) ?? new Map<string, string>())], r.model.inputs.map((i) => [i.path, i.sha256]));
  assert.is(recordedInputs("py_core_c_args = []\n"), null, 'no record: null');
});

test('staleness: null when nothing changed or nothing was generated; the changed and deleted inputs otherwise', async () => {
  const dir = await generatedCopy();
  assert.is(await staleness(dir), null);
  const empty = mkdtempSync(path.join(os.tmpdir(), 'cpm-stale-empty-'));
  temps.push(empty);
  assert.is(await staleness(empty), null);

  appendFileSync(path.join(dir, 'Makefile.pre.in'), '# an edit\n');
  assert.is(await staleness(dir), `Makefile.pre.in changed since \`cpython-meson generate\` read it; run \`npx cpython-meson generate ${dir}\``);
  rmSync(path.join(dir, 'Modules/Setup.bootstrap.in'));
  writeFileSync(path.join(dir, 'Include/patchlevel.h'), readFileSync(path.join(dir, 'Include/patchlevel.h'), 'utf8').replace(/\n/g, '\r\n'));
  assert.is(
    await staleness(dir),
    `Include/patchlevel.h, Makefile.pre.in, Modules/Setup.bootstrap.in (deleted) changed since \`cpython-meson generate\` read them; run \`npx cpython-meson generate ${dir}\``,
    'in the recorded order; line endings count (Meson hashes bytes)',
  );
});

test("the hand-written meson.build spells staleMessage's line, and reads every input with fs.read() so ninja re-runs setup", () => {
  const logic = readFileSync(path.join(templatesDir, 'meson.build'), 'utf8');
  const format = /py_stale_message = '([^']*)'\.format\(/.exec(logic)?.[1];
  assert.ok(format, 'meson.build builds py_stale_message with format()');
  // @0@: the inputs joined with ', ', @1@: it/them, @2@: the source directory.
  assert.is(format.replace('@1@', 'it'), staleMessage(['@0@'], '@2@'));
  assert.ok(logic.includes("', '.join(py_stale_inputs)"));
  assert.match(logic, /foreach input, digest : py_generated_from\['inputs'\]\n(?:.*\n){0,4}\s+fs\.read\(input, encoding: 'latin-1'\)\n\s+if fs\.hash\(input, 'sha256'\) != digest/);
  assert.match(logic, /if get_option\('stale_check'\) == 'error'\n\s+error\(py_stale_message\)/);
  const options = readFileSync(path.join(templatesDir, 'meson.options'), 'utf8');
  assert.match(options, /'stale_check',\n\s+type: 'combo',\n\s+choices: \['error', 'warning'\],\n\s+value: 'error',/);
});

test('generate --check prints the staleness line first and exits 1; generate updates the record; --check then passes', async () => {
  const dir = await generatedCopy();
  appendFileSync(path.join(dir, 'Modules/Setup.stdlib.in'), '# an edit\n');
  const check = spawnSync(process.execPath, [bin, 'generate', '--check', '--quiet', dir], { encoding: 'utf8' });
  assert.is(check.status, ExitCode.differs, check.stderr);
  const lines = check.stdout.split('\n');
  assert.is(lines[0], staleMessage(['Modules/Setup.stdlib.in'], dir));
  assert.ok(lines.includes('would update Tools/meson/data/meson.build (+2 -2)'), 'the digest line and the marker line');
  const gen = spawnSync(process.execPath, [bin, 'generate', '--quiet', dir], { encoding: 'utf8' });
  assert.is(gen.status, 0, gen.stderr);
  assert.is(await staleness(dir), null);
  const clean = spawnSync(process.execPath, [bin, 'generate', '--check', dir], { encoding: 'utf8' });
  assert.is(clean.status, 0, clean.stdout);
  assert.not.match(clean.stdout, /changed since/);
});

test.after(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

test.run();
