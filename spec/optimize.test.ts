// Optimized builds without building: the PGO training task read from a checkout, the bad-input
// errors of `build --optimized`, the speed statistics and chart of the bench, and the WrapDB
// overlay's project() without the build-type defaults.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { geometricMean, speedChartSvg, speedTable, type SpeedResult } from '../generator/bench/speed.js';
import { CpmError } from '../generator/errors.js';
import { readProfileTask } from '../generator/scan/profile-task.js';
import { withoutBuildTypeDefaults } from '../generator/wrapdb/contribution.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture313 = path.join(repoRoot, 'spec/fixtures/cpython-3.13');

function checkoutWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cpm-opt-'));
  cpSync(fixture313, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

test('readProfileTask: configure.ac default PROFILE_TASK with $(TESTTIMEOUT) from Makefile.pre.in', () => {
  const dir = checkoutWith({
    'configure.ac': "if test -z \"$PROFILE_TASK\"\nthen\n\tPROFILE_TASK='-m test --pgo --timeout=$(TESTTIMEOUT)'\nfi\n",
    'Makefile.pre.in': 'TESTTIMEOUT=\t1200\nPROFILE_TASK=\t@PROFILE_TASK@\n',
  });
  try {
    const t = readProfileTask(dir);
    assert.equal(t.args, ['-m', 'test', '--pgo', '--timeout=1200']);
    assert.is(t.origin, 'configure.ac:3');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readProfileTask: an empty TESTTIMEOUT (3.13) gives --timeout= as make passes it', () => {
  const dir = checkoutWith({
    'configure.ac': "\tPROFILE_TASK='-m test --pgo --timeout=$(TESTTIMEOUT)'\n",
    'Makefile.pre.in': 'TESTTIMEOUT=\n',
  });
  try {
    assert.equal(readProfileTask(dir).args, ['-m', 'test', '--pgo', '--timeout=']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readProfileTask: no configure.ac, or no default, is a one-line error naming configure.ac', () => {
  const none = checkoutWith({});
  const without = checkoutWith({ 'configure.ac': 'AC_INIT([python])\n' });
  try {
    for (const dir of [none, without]) {
      try {
        readProfileTask(dir);
        assert.unreachable('expected an error');
      } catch (err) {
        assert.instance(err, CpmError);
        const line = (err as CpmError).oneLine();
        assert.ok(line.includes(path.join(dir, 'configure.ac')), line);
        assert.match(line, /PROFILE_TASK/);
        assert.not.match(line, /\n/);
      }
    }
  } finally {
    rmSync(none, { recursive: true, force: true });
    rmSync(without, { recursive: true, force: true });
  }
});

test('build --optimized on a checkout without PROFILE_TASK fails before building: exit 2, one line', () => {
  const dir = checkoutWith({});
  try {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/cpython-meson.js'), 'build', dir, path.join(dir, 'b'), '--optimized'], {
      encoding: 'utf8',
      env: { ...process.env, CPYTHON_MESON_DEBUG: '' },
      timeout: 60_000,
    });
    assert.is(r.status, 2, r.stdout + r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.is(lines.length, 1, r.stderr);
    assert.match(lines[0] ?? '', /configure\.ac.*PROFILE_TASK/);
    assert.not.match(r.stdout, /instrumented build/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const sample: SpeedResult = {
  baseline: 'configure+make',
  candidate: 'meson',
  processes: 3,
  workloads: [
    { name: 'nbody', baselineSeconds: 0.02, candidateSeconds: 0.01, ratio: 0.5 },
    { name: 'json_roundtrip', baselineSeconds: 0.01, candidateSeconds: 0.02, ratio: 2 },
    { name: 'startup', baselineSeconds: 0.008, candidateSeconds: 0.008, ratio: 1 },
  ],
  geometricMean: 1,
};

test('geometricMean: of time ratios', () => {
  assert.is(geometricMean([0.5, 2, 1]), 1);
  assert.ok(Math.abs(geometricMean([0.9, 0.9]) - 0.9) < 1e-12);
  assert.ok(Number.isNaN(geometricMean([])));
});

test('speedTable and speedChartSvg: every workload, the geometric mean, the 1.0x line', () => {
  const md = speedTable(sample).join('\n');
  for (const w of ['nbody', 'json_roundtrip', 'startup', 'geometric mean']) assert.ok(md.includes(w), md);
  assert.match(md, /\| nbody \| 20\.00 \| 10\.00 \| 0\.500× \|/);
  const svg = speedChartSvg('t <&>', [{ name: 'default', result: sample }]);
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(svg.includes('t &lt;&amp;&gt;'), 'title escaped');
  assert.is((svg.match(/<rect /g) ?? []).length, 2 + 4, 'background, legend, one bar per workload and the mean');
  assert.match(svg, /1\.0×<\/text>/);
});

test('withoutBuildTypeDefaults: the WrapDB overlay leaves buildtype and debug to the parent project', () => {
  const src = [
    'project(',
    "    'cpython',",
    '    # configure\'s defaults: -O3 -g and NDEBUG (OPT), no -fPIC on the static libpython.',
    '    default_options: [',
    "        'c_std=c11',",
    "        'buildtype=release',",
    "        'debug=true',",
    "        'b_ndebug=if-release',",
    '    ],',
    ')',
  ].join('\n');
  const out = withoutBuildTypeDefaults(src);
  assert.not.match(out, /buildtype=|debug=true/);
  assert.match(out, /'b_ndebug=if-release'/);
  assert.match(out, /parent project's buildtype applies/);
});

test.run();
