import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseFreezeModules } from '../generator/scan/frozen.js';
import { readFreezeRules } from '../generator/scan/makefile.js';
import { fixtureCheckout, readFixture, throwsCpm } from './scan-helpers.js';

const FILE = 'Tools/build/freeze_modules.py';
const frozen = parseFreezeModules(FILE, readFixture('checkout/Tools/build/freeze_modules.py'), fixtureCheckout);
const get = (name: string) => {
  const f = frozen.find((x) => x.name === name);
  assert.ok(f, `${name} is frozen`);
  return f;
};

test('one entry per frozen source, in FROZEN order; aliases and the commented-out encodings glob make none', () => {
  assert.equal(
    frozen.map((f) => f.name),
    [
      'importlib._bootstrap',
      'importlib._bootstrap_external',
      'zipimport',
      'abc',
      'codecs',
      'io',
      'ntpath',
      'posixpath',
      'os',
      'importlib.util',
      '__hello__',
      '__phello__',
      '__phello__.ham',
      '__phello__.ham.eggs',
      '__phello__.spam',
      'frozen_only',
    ],
  );
  assert.not.ok(frozen.some((f) => ['os.path', '_frozen_importlib', '__hello_alias__', '__phello__.__init__'].includes(f.name)));
});

test('sources, headers and package flags', () => {
  assert.equal(get('importlib._bootstrap'), {
    name: 'importlib._bootstrap',
    source: 'Lib/importlib/_bootstrap.py',
    header: 'Python/frozen_modules/importlib._bootstrap.h',
    section: 'import system',
    bootstrap: true,
    isPackage: false,
  });
  assert.is(get('__phello__').source, 'Lib/__phello__/__init__.py');
  assert.ok(get('__phello__').isPackage);
  assert.is(get('__phello__.ham').source, 'Lib/__phello__/ham/__init__.py');
  assert.ok(get('__phello__.ham').isPackage);
  assert.is(get('__phello__.ham.eggs').source, 'Lib/__phello__/ham/eggs.py');
  assert.not.ok(get('__phello__.ham.eggs').isPackage);
  // The namespace directory (no __init__.py) and README.txt are not modules.
  assert.not.ok(frozen.some((f) => f.name.startsWith('__phello__.ns') || f.name.includes('README')));
});

test('frozen_only comes from Tools/freeze/flag.py via the FROZEN_ONLY constant', () => {
  assert.equal(get('frozen_only'), {
    name: 'frozen_only',
    source: 'Tools/freeze/flag.py',
    header: 'Python/frozen_modules/frozen_only.h',
    section: 'Test module',
    bootstrap: false,
    isPackage: false,
  });
});

test('BOOTSTRAP marks exactly the import-system modules; sections come from FROZEN (constants resolved)', () => {
  assert.equal(
    frozen.filter((f) => f.bootstrap).map((f) => f.name),
    ['importlib._bootstrap', 'importlib._bootstrap_external', 'zipimport'],
  );
  assert.equal(
    [...new Set(frozen.map((f) => f.section))],
    ['import system', 'stdlib - startup, without site (python -S)', 'stdlib - startup, with site', 'runpy - run module with -m', 'Test module'],
  );
});

test("the fixture Makefile's freeze rules agree with the parsed list", () => {
  const rules = readFreezeRules('Makefile.pre.in', readFixture('checkout/Makefile.pre.in'));
  for (const r of rules) {
    const f = frozen.find((x) => x.header === r.header);
    assert.ok(f, `${r.header} is produced`);
    assert.is(f.source, r.source);
  }
});

test('malformed freeze_modules.py files are errors naming the file (and the line where known)', () => {
  throwsCpm(() => parseFreezeModules('bad-spec.py', readFixture('frozen/bad-spec.py'), fixtureCheckout), 'bad-spec.py: line 6:', 'not a valid module name (not-a-module)');
  throwsCpm(() => parseFreezeModules('no-frozen.py', readFixture('frozen/no-frozen.py'), fixtureCheckout), 'no-frozen.py: expected a module-level "FROZEN = [...]" list');
  throwsCpm(
    () => parseFreezeModules('missing-source.py', readFixture('frozen/missing-source.py'), fixtureCheckout),
    'missing-source.py:',
    'frozen module nosuchmodule: expected its source Lib/nosuchmodule.py',
  );
  throwsCpm(
    () => parseFreezeModules('bad-bootstrap.py', readFixture('frozen/bad-bootstrap.py'), fixtureCheckout),
    'bad-bootstrap.py: line 5:',
    'BOOTSTRAP names importlib._bootstrap',
  );
  throwsCpm(
    () => parseFreezeModules('unknown-constant.py', readFixture('frozen/unknown-constant.py'), fixtureCheckout),
    'unknown-constant.py: line 2:',
    'cannot evaluate WHERE',
  );
});

test.run();
