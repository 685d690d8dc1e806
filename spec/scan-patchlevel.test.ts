import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePatchlevel, readVersion } from '../generator/scan/patchlevel.js';
import { fixture, fixtureCheckout, readFixture, throwsCpm } from './scan-helpers.js';

test('readVersion reads a final release from Include/patchlevel.h', () => {
  assert.equal(readVersion(fixtureCheckout), {
    major: 3,
    minor: 13,
    micro: 15,
    releaseLevel: 'final',
    serial: 0,
    full: '3.13.15',
    semver: '3.13.15',
  });
});

test('pre-releases get a semver pre-release tag (alpha via macro name, candidate via hex value)', () => {
  const alpha = parsePatchlevel('alpha.h', readFixture('patchlevel/alpha.h'));
  assert.is(alpha.releaseLevel, 'alpha');
  assert.is(alpha.serial, 1);
  assert.is(alpha.full, '3.14.0a1+');
  assert.is(alpha.semver, '3.14.0-alpha.1');
  const rc = parsePatchlevel('candidate.h', readFixture('patchlevel/candidate.h'));
  assert.is(rc.releaseLevel, 'candidate');
  assert.is(rc.semver, '3.12.0-candidate.2');
});

test('an unknown release level is an error naming the file and line', () => {
  throwsCpm(() => parsePatchlevel('bad-level.h', readFixture('patchlevel/bad-level.h')), 'bad-level.h: line 5:', 'PY_RELEASE_LEVEL_DELTA');
});

test('a missing define is an error naming the file and the macro', () => {
  throwsCpm(() => parsePatchlevel('no-micro.h', readFixture('patchlevel/no-micro.h')), 'no-micro.h:', 'expected #define PY_MICRO_VERSION');
});

test('readVersion on a directory without patchlevel.h is a one-line error', () => {
  throwsCpm(() => readVersion(fixture('setup')), 'patchlevel.h', 'cannot read');
});

test.run();
