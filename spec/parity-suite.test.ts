// Full-suite parity (generator/parity/suite.ts): regrtest's JUnit XML and progress lines parsed,
// two runs compared per test case, differences confirmed or marked flaky by a second run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareSuites, confirm, fileOf, parseJunit, parseRegrtestLog, parseXml, renderSuiteMarkdown, type SuiteRun } from '../generator/parity/suite.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../spec/fixtures/parity');
const read = (f: string) => readFileSync(path.join(fixtures, f), 'utf8');

function suite(name: 'theirs' | 'ours'): SuiteRun {
  const { files, totals, result } = parseRegrtestLog(read(`${name}.log`));
  return { command: ['python', '-m', 'test'], seconds: 10, exitStatus: 0, cases: parseJunit(read(`${name}.xml`)), files, totals, result };
}

test('parseJunit: every outcome regrtest records, messages unescaped, last line of a failure', () => {
  const theirs = parseJunit(read('theirs.xml'));
  assert.equal(Object.keys(theirs).length, 6);
  assert.equal(theirs['test.test_embed.EmbeddingTests.test_bpo20891'], { status: 'pass', reason: '' });
  assert.equal(theirs['test.test_gdb.test_misc.PyListTests.test_basic'], { status: 'skip', reason: 'Python was compiled with optimizations' });
  assert.equal(theirs['test.test_socket.GeneralModuleTests.test_getaddrinfo'], { status: 'fail', reason: `AssertionError: 'a' != "b" & <c>` });
  assert.equal(theirs['test.test_zlib.ExpectedFail.test_x']?.status, 'xfail');
  const ours = parseJunit(read('ours.xml'));
  // the first line of the message attribute, not the last line of a multi-line message
  assert.equal(ours['test.test_gdb.test_misc.PyListTests.test_basic'], { status: 'error', reason: 'RuntimeError: gdb crashed' });
  // an empty <testcase /> (a test that started and never reported) is not a case
  assert.equal(Object.keys(ours).length, 5);
  assert.not.ok('' in ours);
  assert.equal(ours['test.test_zlib.ExpectedFail.test_x']?.status, 'xpass');
});

test('parseXml refuses what is not well formed', () => {
  assert.throws(() => parseXml('<a><b></a>'), /closes <b>/);
  assert.throws(() => parseXml('<a>'), /never closed/);
  assert.equal(parseXml('<a x="1&amp;2"/>').children[0]?.attrs, { x: '1&2' });
});

test('parseRegrtestLog: outcome, detail and skip reason per test file; durations and running lists dropped', () => {
  const { files, totals, result, seconds } = parseRegrtestLog(read('ours.log'));
  assert.is(result, 'SUCCESS');
  assert.is(seconds, 724);
  assert.equal(files.test_embed, { outcome: 'passed', detail: '' });
  assert.equal(files['test_gdb.test_misc'], { outcome: 'failed', detail: '1 error' });
  assert.equal(files.test_winreg, { outcome: 'skipped', detail: "No module named 'winreg'" });
  assert.equal(files.test_socket, { outcome: 'passed', detail: '' });
  assert.equal(files.test_urllib2net, { outcome: 'skipped (resource denied)', detail: '' });
  assert.equal(files.test_tools, { outcome: 'timed out', detail: '' });
  assert.is(totals, 'Total tests: run=5 failures=0 skipped=1');
});

test('fileOf: the longest regrtest file name that prefixes the case id', () => {
  const files = ['test_gdb', 'test_gdb.test_misc', 'test_embed'];
  assert.is(fileOf('test.test_gdb.test_misc.PyListTests.test_basic', files), 'test_gdb.test_misc');
  assert.is(fileOf('test.test_embed.EmbeddingTests.x', files), 'test_embed');
  assert.is(fileOf('test.test_unknown.A.b', files), 'test_unknown');
});

test('compareSuites: pass there and skip, absent or unexpected success here are regressions; the reverse improvements', () => {
  const c = compareSuites(suite('theirs'), suite('ours'));
  assert.equal(
    c.regressions.map((d) => [d.id, d.file, d.ours?.status ?? 'absent']),
    [
      ['test.test_embed.EmbeddingTests.test_bpo20891', 'test_embed', 'skip'],
      ['test.test_embed.EmbeddingTests.test_repeated_init', 'test_embed', 'absent'],
      ['test.test_zlib.ExpectedFail.test_x', 'test_zlib', 'xpass'],
    ],
  );
  assert.equal(c.improvements.map((d) => d.id), ['test.test_socket.GeneralModuleTests.test_getaddrinfo']);
  // skipped there and an error here: neither passes, so no difference is counted
  assert.not.ok([...c.regressions, ...c.improvements].some((d) => d.id.includes('PyListTests')));
  assert.equal(
    c.fileDifferences.map((f) => [f.file, f.theirs?.outcome, f.ours?.outcome]),
    [
      ['test_gdb.test_misc', 'passed', 'failed'],
      ['test_socket', 'failed', 'passed'],
      ['test_tools', 'passed', 'timed out'],
    ],
  );
});

test('confirm: a difference that goes away when its file runs again is flaky, and the report says so', () => {
  const theirs = suite('theirs');
  const ours = suite('ours');
  const c = compareSuites(theirs, ours);
  const againOurs: SuiteRun = { ...ours, cases: { ...ours.cases, 'test.test_zlib.ExpectedFail.test_x': { status: 'xfail', reason: 'expected failure' } } };
  confirm(c, { theirs, ours: againOurs });
  assert.equal(c.regressions.map((d) => d.confirmed), [true, true, false]);
  assert.equal(c.improvements.map((d) => d.confirmed), [true]);
  const md = renderSuiteMarkdown('Full test suite', theirs, ours, c, [['./configure'], ['meson setup b']]);
  assert.match(md, 'Result: **2** test case(s) pass under configure + make');
  assert.match(md, '(1 more differed once and not when run again: flaky)');
  assert.match(md, "| `test.test_embed.EmbeddingTests.test_bpo20891` | pass | skip: '/b/Programs/_testembed' doesn't exist |");
  assert.match(md, '| test_tools | passed | timed out |');
  assert.match(md, '| outcomes | 3 pass, 1 fail, 0 error, 1 skip, 1 xfail, 0 xpass |');
});

test.run();
