// The WrapDB contribution: the .wrap and releases.json formats, the SPDX and meson.build readers,
// the rules checker on small fixtures (spec/fixtures/wrapdb/good and bad, and violating variants),
// `cpython-meson wrapdb --check`, writeContribution on a synthetic tarball with a fake generator, and
// on a fixture checkout with the real pipeline (the pyconfig test programs inline, no .c files).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../generator/cli/main.js';
import { checkContribution, formatCheckReport, isPermittedFile, type RuleId } from '../generator/wrapdb/check.js';
import { basePyconfig } from '../cpython-manifests/common/pyconfig.js';
import { generate } from '../generator/pipeline.js';
import { WRAPDB_EMIT_OPTIONS, writeContribution, type GeneratedTree } from '../generator/wrapdb/contribution.js';
import { findCalls, stringsOf } from '../generator/wrapdb/meson-calls.js';
import { spdxProblems } from '../generator/wrapdb/spdx.js';
import {
  compareWrapVersions,
  encodeReleases,
  mergeReleases,
  parseIni,
  pythonOrgUrl,
  releasesEntry,
  renderWrap,
  splitNames,
} from '../generator/wrapdb/wrap-file.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(repoRoot, 'spec/fixtures/wrapdb');
const GOOD = path.join(fixtures, 'good');
const BAD = path.join(fixtures, 'bad');

function tmpdir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'cpm-wrapdb-test-'));
}

function errorRules(findings: readonly { rule: RuleId; severity: string }[]): string[] {
  return [...new Set(findings.filter((f) => f.severity === 'error').map((f) => f.rule))].sort();
}

const WRAP_TEXT = `[wrap-file]
directory = Python-3.13.15
source_url = https://www.python.org/ftp/python/3.13.15/Python-3.13.15.tar.xz
source_filename = Python-3.13.15.tar.xz
source_hash = 1e66a7945a48390ee4c2a4268a0e4185884059a13c4aab6d148aa208deea4a76
patch_directory = cpython

[provide]
dependency_names = python3-embed
program_names = python3
`;

test('renderWrap writes [wrap-file] and [provide] as WrapDB does, and parseIni reads it back', () => {
  const text = renderWrap({
    directory: 'Python-3.13.15',
    sourceUrl: pythonOrgUrl('3.13.15', 'Python-3.13.15.tar.xz'),
    sourceFilename: 'Python-3.13.15.tar.xz',
    sourceHash: '1e66a7945a48390ee4c2a4268a0e4185884059a13c4aab6d148aa208deea4a76',
    patchDirectory: 'cpython',
    dependencyNames: ['python3-embed'],
    programNames: ['python3'],
  });
  assert.is(text, WRAP_TEXT);
  assert.is(text, readFileSync(path.join(GOOD, 'subprojects/cpython.wrap'), 'utf8'));
  const ini = parseIni(text);
  assert.equal(
    ini.sections.map((s) => s.name),
    ['wrap-file', 'provide'],
  );
  assert.is(ini.sections[0]?.entries.get('patch_directory'), 'cpython');
  assert.equal(splitNames(ini.sections[1]?.entries.get('dependency_names')), ['python3-embed']);
});

test('python.org URLs drop the pre-release suffix from the directory', () => {
  assert.is(pythonOrgUrl('3.14.0rc1', 'Python-3.14.0rc1.tar.xz'), 'https://www.python.org/ftp/python/3.14.0/Python-3.14.0rc1.tar.xz');
  assert.is(pythonOrgUrl('3.11.2', 'Python-3.11.2.tgz'), 'https://www.python.org/ftp/python/3.11.2/Python-3.11.2.tgz');
});

test('parseIni follows configparser: comments, "key: value", continuation lines, lower-cased keys, strict duplicates', () => {
  const ini = parseIni('# comment\n[wrap-file]\nDirectory: foo\n; another\nsource_url = http://x/\n  continued\n\n[provide]\ndependency_names = a,  b ,c\n');
  const w = ini.sections[0]?.entries;
  assert.is(w?.get('directory'), 'foo');
  assert.is(w?.get('source_url'), 'http://x/\ncontinued');
  assert.equal(splitNames(ini.sections[1]?.entries.get('dependency_names')), ['a', 'b', 'c']);
  assert.equal(splitNames(''), []);
  assert.throws(() => parseIni('[a]\nx = 1\n[a]\n'), /line 3: section \[a\] appears twice/);
  assert.throws(() => parseIni('[a]\nx = 1\nX = 2\n'), /line 3: key "x" appears twice/);
  assert.throws(() => parseIni('x = 1\n'), /line 1: a key before the first \[section\]/);
  assert.throws(() => parseIni('[a]\njust words\n'), /line 2: expected "key = value"/);
});

test('versions order as WrapDB orders them (RPM-style, revision last)', () => {
  const versions = ['3.13.9-1', '3.13.15-1', '3.13.15-2', '3.12.10-3', '3.14.0-1'];
  assert.equal([...versions].sort((a, b) => -compareWrapVersions(a, b)), ['3.14.0-1', '3.13.15-2', '3.13.15-1', '3.13.9-1', '3.12.10-3']);
  assert.ok(compareWrapVersions('1.2.3-1', '1.2.3-1') === 0);
  // A letter sequence sorts before a number; a longer version is newer.
  assert.ok(compareWrapVersions('1.a-1', '1.1-1') < 0);
  assert.ok(compareWrapVersions('3.14.0rc1-1', '3.14.0-1') > 0);
  assert.throws(() => compareWrapVersions('3.13.15', '3.13.15-1'), /revision/);
});

test('releases.json: the entry, json.dumps(indent=2, sort_keys=True) layout, merging into an existing file', () => {
  const entry = releasesEntry('3.13.15', 1, ['python3-embed'], ['python3']);
  assert.equal(entry, { versions: ['3.13.15-1'], dependency_names: ['python3-embed'], program_names: ['python3'] });
  assert.is(
    encodeReleases({ cpython: entry }),
    '{\n  "cpython": {\n    "dependency_names": [\n      "python3-embed"\n    ],\n    "program_names": [\n      "python3"\n    ],\n    "versions": [\n      "3.13.15-1"\n    ]\n  }\n}\n',
  );
  const merged = mergeReleases({ zlib: { versions: ['1.3.1-1'] }, cpython: { versions: ['3.13.9-1', '3.13.15-1'] } }, 'cpython', releasesEntry('3.13.15', 2, ['python3-embed'], ['python3']));
  const text = encodeReleases(merged);
  const back = JSON.parse(text) as Record<string, { versions: string[] }>;
  assert.equal(Object.keys(back), ['cpython', 'zlib']);
  assert.equal(back.cpython?.versions, ['3.13.15-2', '3.13.15-1', '3.13.9-1']);
  assert.equal(back.zlib?.versions, ['1.3.1-1']);
});

test('SPDX expressions: valid ones pass, wrong case, unknown ids, operators, deprecated ids and syntax are reported', () => {
  for (const ok of ['PSF-2.0', 'Python-2.0', 'MIT OR Apache-2.0', '(MIT AND BSD-3-Clause) OR GPL-2.0-or-later', 'GPL-2.0-or-later WITH Classpath-exception-2.0', 'LicenseRef-custom', 'Apache-2.0 WITH LLVM-exception']) {
    assert.equal(spdxProblems(ok), [], ok);
  }
  assert.match(spdxProblems('mit').join(), /spelled "MIT"/);
  assert.match(spdxProblems('PSF').join(), /"PSF" is not an SPDX license identifier/);
  assert.match(spdxProblems('MIT and Apache-2.0').join(), /write the operator "and" as AND/);
  assert.match(spdxProblems('GPL-2.0').join(), /deprecated.*GPL-2.0-only/);
  assert.match(spdxProblems('(MIT OR ISC').join(), /missing "\)"/);
  assert.match(spdxProblems('MIT ISC').join(), /unexpected "ISC"/);
  assert.match(spdxProblems('LLVM-exception').join(), /an SPDX exception, usable only after WITH/);
  assert.match(spdxProblems('Apache-2.0 WITH MIT').join(), /"MIT" is not an SPDX exception/);
  assert.match(spdxProblems('').join(), /empty/);
});

test('findCalls reads literal arguments of project() and test(), and nothing from comments or methods', () => {
  const src = `# project('not', 'this')
project(
  'demo', 'c',  # a comment with ) and '
  version: '1.0',
  license: 'MIT OR ISC',
  default_options: {'warning_level': '2', 'buildtype': 'release'},
  meson_version: '>=1.3.0',
)
x = '''multi
test('not a call')
line'''
t = obj.test('method', suite: 'cpython')
test('a', exe, suite: ['cpython', 'slow'], args: ['-c', 'print(\\'hi\\')'])
test('b', exe, suite: 'x' + suffix)
test('c', exe, suite: f'@name@')
`;
  const [project, ...more] = findCalls(src, 'project');
  assert.is(more.length, 0);
  assert.is(project?.line, 2);
  assert.equal(project?.positional, [
    { kind: 'string', value: 'demo' },
    { kind: 'string', value: 'c' },
  ]);
  assert.equal(project?.kwargs.get('license'), { kind: 'string', value: 'MIT OR ISC' });
  const opts = project?.kwargs.get('default_options');
  assert.is(opts?.kind, 'dict');
  const tests = findCalls(src, 'test');
  assert.equal(
    tests.map((t) => t.line),
    [13, 14, 15],
  );
  assert.equal(stringsOf(tests[0]?.kwargs.get('suite')), ['cpython', 'slow']);
  assert.equal(stringsOf(tests[0]?.kwargs.get('args')), ['-c', "print('hi')"]);
  assert.equal(tests[1]?.kwargs.get('suite'), { kind: 'other', text: "'x' + suffix" });
  assert.is(stringsOf(tests[2]?.kwargs.get('suite')), null);
});

test('permitted file kinds are those of sanity_checks.py', () => {
  for (const ok of ['meson.build', 'meson.options', 'meson_options.txt', 'LICENSE.build', 'generator.sh', 'pyconfig.h.meson', 'python3.def']) assert.ok(isPermittedFile(ok), ok);
  for (const bad of ['cpython_meson.py', 'main.c', 'README.md', 'meson.build.in', 'config.h']) assert.not.ok(isPermittedFile(bad), bad);
});

test('checker: the good fixture passes, with cpython_meson.py reported as the exception it needs', async () => {
  const report = await checkContribution(GOOD);
  assert.ok(report.ok, formatCheckReport(report).join('\n'));
  assert.is(report.release, '3.13.15-2');
  assert.equal(
    report.findings.map((f) => [f.rule, f.severity, f.file]),
    [['permitted-files', 'exception', 'subprojects/packagefiles/cpython/Tools/meson/cpython_meson.py']],
  );
  const lines = formatCheckReport(report);
  assert.match(lines[lines.length - 1] ?? '', /^PASS: 0 error\(s\), 1 file\(s\) needing a WrapDB per-project exception, 0 check\(s\) skipped$/);
  assert.ok(lines.some((l) => /^ {2}ok +meson-format$/.test(l)), 'meson format ran and passed');
  // Without the requested exception the helper is an error; without meson the format rule is skipped.
  const strict = await checkContribution(GOOD, { exceptions: {}, meson: null });
  assert.not.ok(strict.ok);
  assert.equal(errorRules(strict.findings), ['permitted-files']);
  assert.ok(strict.findings.some((f) => f.rule === 'meson-format' && f.severity === 'skipped'));
});

test('checker: the bad fixture breaks every rule it was made to break', async () => {
  const report = await checkContribution(BAD);
  assert.not.ok(report.ok);
  assert.equal(errorRules(report.findings), [
    'default-options',
    'license',
    'meson-format',
    'no-tabs',
    'permitted-files',
    'project-version',
    'provide',
    'releases-json',
    'source-url',
    'test-suite',
    'wrap-file',
  ]);
  const messages = report.findings.map((f) => `${f.rule}: ${f.file}: ${f.message}`).join('\n');
  for (const re of [
    /releases-json: .*the project names are not sorted/,
    /releases-json: .*key "homepage" is not permitted/,
    /releases-json: .*not sorted newest first \(3\.13\.15-1 before 3\.13\.16-1\)/,
    /wrap-file: .*directory "Python\/3\.13\.15" contains a path separator/,
    /wrap-file: .*source_hash must be the sha256/,
    /wrap-file: .*method "cmake"/,
    /provide: .*no \[provide\] section/,
    /permitted-files: subprojects\/packagefiles\/cpython\/build\.sh/,
    /permitted-files: subprojects\/packagefiles\/cpython\/helper\.py/,
    /permitted-files: subprojects\/packagefiles\/cpython\/main\.c/,
    /no-tabs: subprojects\/packagefiles\/cpython\/meson\.build:4/,
    /license: .*legacy list syntax/,
    /default-options: .*buildtype is not permitted/,
    /default-options: .*prefer_static is not permitted/,
    /project-version: .*'3\.13\.0' is not the release's version 3\.13\.15/,
    /test-suite: .*no test\(\) with suite: 'cpython'/,
  ]) {
    assert.match(messages, re);
  }
  // c_std is allowed in default_options; only the listed options are reported.
  assert.not.match(messages, /c_std/);
});

test('checker: one violation in an otherwise good overlay fails it', async () => {
  const cases: Array<[string, (dir: string) => void, RuleId, RegExp]> = [
    ['a patch file', (d) => writeFileSync(path.join(d, 'subprojects/packagefiles/cpython/fix.patch'), '--- a\n+++ b\n'), 'permitted-files', /fix\.patch/],
    [
      'a non-SPDX license',
      (d) => {
        const f = path.join(d, 'subprojects/packagefiles/cpython/meson.build');
        writeFileSync(f, readFileSync(f, 'utf8').replace("'PSF-2.0'", "'PSF'"));
      },
      'license',
      /"PSF" is not an SPDX license identifier/,
    ],
    [
      '4-space indentation in meson.build',
      (d) => {
        const f = path.join(d, 'subprojects/packagefiles/cpython/Modules/meson.build');
        writeFileSync(f, "if true\n    x = 1\nendif\n");
      },
      'meson-format',
      /Modules\/meson\.build: not formatted/,
    ],
    [
      'a wrap providing another program',
      (d) => {
        const f = path.join(d, 'subprojects/cpython.wrap');
        writeFileSync(f, readFileSync(f, 'utf8').replace('program_names = python3', 'program_names = python3, python'));
      },
      'provide',
      /programs \(python3, python\) differ/,
    ],
    ['a missing patch directory', (d) => rmSync(path.join(d, 'subprojects/packagefiles'), { recursive: true }), 'patch-directory', /does not exist/],
  ];
  for (const [what, mutate, rule, re] of cases) {
    const dir = tmpdir();
    try {
      cpSync(GOOD, dir, { recursive: true });
      mutate(dir);
      const report = await checkContribution(dir);
      assert.not.ok(report.ok, what);
      assert.equal(errorRules(report.findings), [rule], what);
      assert.match(report.findings.map((f) => `${f.file}: ${f.message}`).join('\n'), re, what);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

function captured(): { out: string[]; err: string[]; deps: { out: (l: string) => void; err: (l: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, deps: { out: (l) => void out.push(l), err: (l) => void err.push(l) } };
}

test('cpython-meson wrapdb --check: exit 0 on the good fixture, 1 on the bad one, 2 on bad arguments', async () => {
  const good = captured();
  assert.is(await main(['wrapdb', '--check', GOOD], good.deps), 0);
  assert.match(good.out.join('\n'), /^PASS: 0 error\(s\)/m);
  const bad = captured();
  assert.is(await main(['wrapdb', '--check', BAD], bad.deps), 1);
  assert.match(bad.out.join('\n'), /^FAIL: 20 error\(s\)/m);
  const noOut = captured();
  assert.is(await main(['wrapdb', 'Python-3.13.15.tar.xz'], noOut.deps), 2);
  assert.match(noOut.err.join('\n'), /^cpython-meson: missing --out <dir> \(usage: cpython-meson wrapdb/);
  const both = captured();
  assert.is(await main(['wrapdb', 'x.tar.xz', '--check', GOOD], both.deps), 2);
  const rev = captured();
  assert.is(await main(['wrapdb', 'x.tar.xz', '--out', 'o', '--revision', '0'], rev.deps), 2);
  assert.match(rev.err.join('\n'), /--revision expects a positive integer/);
  const help = captured();
  assert.is(await main(['wrapdb', '--help'], help.deps), 0);
  assert.match(help.out.join('\n'), /dependency_names = python3-embed/);
});

// A formatted-the-default-way (4-space) overlay, as `cpython-meson generate` writes it.
const FAKE_FILES = [
  {
    path: 'meson.build',
    content: `# @generated by cpython-meson (test)
project(
    'cpython',
    'c',
    version: '3.13.15',
    license: 'PSF-2.0',
    meson_version: '>=1.3.0',
    default_options: ['c_std=c11'],
)
subdir('Modules')
python = executable('python', files('Programs/python.c', 'Modules/main.c'))
test('interpreter', python, args: ['-c', 'pass'], suite: 'cpython')
`,
  },
  { path: 'Modules/meson.build', content: "# @generated by cpython-meson (test)\nif true\n    names = ['_io']\nendif\n" },
  { path: 'meson.options', content: "option('profile', type: 'combo', choices: ['full', 'minimal'], value: 'full')\n" },
  { path: 'pyconfig.h.meson', content: '#mesondefine HAVE_UNISTD_H\n' },
  { path: 'Tools/meson/cpython_meson.py', content: '#!/usr/bin/env python3\n' },
  // Fallback wraps `generate` writes into a checkout; not part of a WrapDB overlay.
  { path: 'subprojects/zlib.wrap', content: '[wrap-file]\ndirectory = zlib-1.3.2\n\n[provide]\ndependency_names = zlib\n' },
  { path: 'subprojects/packagefiles/zlib/meson.build', content: "project('zlib', 'c')\n" },
];

function fakeTarball(dir: string, compress: 'J' | 'z'): string {
  const top = path.join(dir, 'src', 'Python-3.13.15');
  mkdirSync(path.join(top, 'Include'), { recursive: true });
  writeFileSync(path.join(top, 'Include/patchlevel.h'), '#define PY_VERSION "3.13.15"\n');
  const tarball = path.join(dir, compress === 'J' ? 'Python-3.13.15.tar.xz' : 'python3.13_3.13.15.orig.tar.gz');
  execFileSync('tar', [`-c${compress}f`, tarball, '--mtime=2025-01-01', '--owner=0', '--group=0', '-C', path.join(dir, 'src'), 'Python-3.13.15']);
  return tarball;
}

function fakeGenerate(seen: string[], emitOptions: unknown[] = []): (root: string, options: unknown) => Promise<GeneratedTree> {
  return async (root, options) => {
    seen.push(readFileSync(path.join(root, 'Include/patchlevel.h'), 'utf8'));
    emitOptions.push(options);
    return {
      version: { major: 3, minor: 13, micro: 15, releaseLevel: 'final', serial: 0, full: '3.13.15', semver: '3.13.15' },
      files: FAKE_FILES,
      warnings: ['a generator note'],
    };
  };
}

function readTree(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, readTree(dir, p));
    else out[p] = readFileSync(path.join(dir, p), 'utf8');
  }
  return out;
}

test('writeContribution: wrap with the tarball sha256, WrapDB-formatted overlay, releases entry, README; deterministic; passes the checker', async () => {
  const dir = tmpdir();
  try {
    const tarball = fakeTarball(dir, 'J');
    const seen: string[] = [];
    const emitOptions: unknown[] = [];
    const out = path.join(dir, 'contrib');
    const result = await writeContribution(tarball, out, { generate: fakeGenerate(seen, emitOptions), toolVersion: '9.9.9' });
    assert.equal(seen, ['#define PY_VERSION "3.13.15"\n'], 'the generator ran on the unpacked tarball');
    assert.equal(emitOptions, [{ indent: 2, inlinePrograms: true }], 'the generator is asked for the WrapDB layout');
    assert.equal(emitOptions, [WRAPDB_EMIT_OPTIONS]);
    assert.is(result.release, '3.13.15-1');
    assert.equal(result.warnings, ['a generator note']);
    assert.equal(result.written, [
      'README.md',
      'releases.json',
      'subprojects/cpython.wrap',
      'subprojects/packagefiles/cpython/Modules/meson.build',
      'subprojects/packagefiles/cpython/Tools/meson/cpython_meson.py',
      'subprojects/packagefiles/cpython/meson.build',
      'subprojects/packagefiles/cpython/meson.options',
      'subprojects/packagefiles/cpython/pyconfig.h.meson',
    ]);
    assert.equal(result.leftOut, ['subprojects/packagefiles/zlib/meson.build', 'subprojects/zlib.wrap']);
    assert.equal(result.fallbackWraps, ['zlib']);
    const sha = createHash('sha256').update(readFileSync(tarball)).digest('hex');
    const tree = readTree(out);
    assert.is(tree['subprojects/cpython.wrap'], WRAP_TEXT.replace(/source_hash = \w+/, `source_hash = ${sha}`));
    assert.equal(JSON.parse(tree['releases.json'] ?? ''), { cpython: { dependency_names: ['python3-embed'], program_names: ['python3'], versions: ['3.13.15-1'] } });
    // Reformatted for WrapDB: 2-space indent in meson.build, forced multi-line kwargs, sorted files().
    const mb = tree['subprojects/packagefiles/cpython/meson.build'] ?? '';
    assert.match(mb, /^project\(\n {2}'cpython',\n/m);
    assert.match(mb, /files\('Modules\/main\.c', 'Programs\/python\.c'\)/);
    assert.match(mb, /^test\(\n {2}'interpreter',\n/m);
    assert.is(tree['subprojects/packagefiles/cpython/Modules/meson.build'], "# @generated by cpython-meson (test)\nif true\n  names = ['_io']\nendif\n");
    assert.is(tree['subprojects/packagefiles/cpython/pyconfig.h.meson'], '#mesondefine HAVE_UNISTD_H\n');
    assert.match(tree['README.md'] ?? '', /'cpython': \{\n {8}'cpython_meson\.py',\n {4}\},/);
    assert.match(tree['README.md'] ?? '', /@generated by cpython-meson 9\.9\.9/);
    assert.match(tree['README.md'] ?? '', /falls back to a wrap of WrapDB's name: `zlib`/);
    const report = await checkContribution(out);
    assert.ok(report.ok, formatCheckReport(report).join('\n'));

    // Same inputs, same bytes.
    const again = path.join(dir, 'again');
    await writeContribution(tarball, again, { generate: fakeGenerate([]), toolVersion: '9.9.9' });
    assert.equal(readTree(again), tree);

    // Into a wrapdb checkout: releases.json is merged, a foreign README is left alone, stale overlay files go.
    const checkout = path.join(dir, 'wrapdb');
    mkdirSync(path.join(checkout, 'subprojects/packagefiles/cpython'), { recursive: true });
    writeFileSync(path.join(checkout, 'subprojects/packagefiles/cpython/old.build'), 'stale\n');
    writeFileSync(path.join(checkout, 'README.md'), '# WrapDB\n');
    writeFileSync(path.join(checkout, 'releases.json'), encodeReleases({ zlib: { versions: ['1.3.1-1'] }, cpython: { versions: ['3.13.9-1'] } }));
    const merged = await writeContribution(tarball, checkout, { generate: fakeGenerate([]), revision: 2 });
    assert.is(merged.release, '3.13.15-2');
    const releases = JSON.parse(readFileSync(path.join(checkout, 'releases.json'), 'utf8')) as Record<string, { versions: string[] }>;
    assert.equal(Object.keys(releases), ['cpython', 'zlib']);
    assert.equal(releases.cpython?.versions, ['3.13.15-2', '3.13.9-1']);
    assert.is(readFileSync(path.join(checkout, 'README.md'), 'utf8'), '# WrapDB\n');
    assert.ok(merged.written.includes('README.cpython.md'));
    assert.not.ok(readdirSync(path.join(checkout, 'subprojects/packagefiles/cpython')).includes('old.build'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeContribution: a gzip tarball maps to python.org .tgz; a non-tarball is refused', async () => {
  const dir = tmpdir();
  try {
    const tarball = fakeTarball(dir, 'z');
    const result = await writeContribution(tarball, path.join(dir, 'out'), { generate: fakeGenerate([]) });
    assert.is(result.wrap.sourceFilename, 'Python-3.13.15.tgz');
    assert.is(result.wrap.sourceUrl, 'https://www.python.org/ftp/python/3.13.15/Python-3.13.15.tgz');
    assert.is(result.wrap.directory, 'Python-3.13.15');
    const junk = path.join(dir, 'junk.tar.xz');
    writeFileSync(junk, 'not a tarball');
    let message = '';
    try {
      await writeContribution(junk, path.join(dir, 'out2'), { generate: fakeGenerate([]) });
    } catch (err) {
      message = err instanceof Error ? err.message : String(err);
    }
    assert.match(message, /neither an xz nor a gzip compressed tarball/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeContribution with the real pipeline: the pyconfig test programs are inline in the data file, no checks/*.c; permitted-files passes', async () => {
  const dir = tmpdir();
  try {
    // The cpython-3.13 fixture, its pyconfig.h.in extended by every macro the real manifest checks
    // (the fixture's own names none that has a test program).
    const top = path.join(dir, 'src', 'Python-3.13.15');
    cpSync(path.join(repoRoot, 'spec/fixtures/cpython-3.13'), top, { recursive: true });
    const inFile = path.join(top, 'pyconfig.h.in');
    const text = readFileSync(inFile, 'utf8');
    const named = new Set([...text.matchAll(/#\s*undef\s+(\w+)/g)].map((m) => m[1]));
    const extra = Object.keys(basePyconfig.checks).filter((n) => !named.has(n));
    writeFileSync(inFile, `${text}\n${extra.map((n) => `/* Something. */\n#undef ${n}\n`).join('\n')}`);

    // In a checkout the programs are C files under Tools/meson/pyconfig/checks/.
    const checkout = await generate(top);
    const programs = checkout.files.filter((f) => /^Tools\/meson\/pyconfig\/checks\/[A-Za-z0-9_]+\.c$/.test(f.path));
    assert.ok(programs.length > 30, `${programs.length} test programs`);
    const checkoutData = checkout.files.find((f) => f.path === 'Tools/meson/pyconfig/data/meson.build')?.content ?? '';
    for (const f of programs) {
      const read = new RegExp(`fs\\.read\\(\\s*'\\.\\./checks/${path.basename(f.path).replace('.', '\\.')}',?\\s*\\)`);
      assert.match(checkoutData, read, `${f.path} is read by the data file`);
    }

    const tarball = path.join(dir, 'Python-3.13.15.tar.xz');
    execFileSync('tar', ['-cJf', tarball, '--mtime=2025-01-01', '--owner=0', '--group=0', '-C', path.join(dir, 'src'), 'Python-3.13.15']);
    const out = path.join(dir, 'contrib');
    const result = await writeContribution(tarball, out, { toolVersion: '9.9.9' });
    const overlay = 'subprojects/packagefiles/cpython/';
    assert.equal(result.written.filter((f) => f.endsWith('.c') || f.includes('/checks/')), [], 'no C files in the overlay');
    const data = readFileSync(path.join(out, overlay, 'Tools/meson/pyconfig/data/meson.build'), 'utf8');
    assert.not.ok(data.includes('fs.read('), 'the overlay reads no files');
    for (const f of programs) {
      const macro = path.basename(f.path, '.c');
      // The program as the C file has it, after the file's two comment lines (marker, what it tests).
      const code = f.content.split('\n').slice(2).join('\n');
      assert.ok(data.includes(`'${macro}': '''\n${code}'''`), `${macro}: the program is inline`);
    }

    const report = await checkContribution(out);
    const permitted = report.findings.filter((f) => f.rule === 'permitted-files');
    assert.equal(
      permitted.map((f) => [f.severity, f.file]),
      [['exception', `${overlay}Tools/meson/cpython_meson.py`]],
      'only the one known exception',
    );
    assert.ok(report.ok, formatCheckReport(report).join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
