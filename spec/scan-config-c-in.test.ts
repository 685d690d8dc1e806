import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readConfigCInModules } from '../generator/scan/config-c-in.js';
import { readFixture, throwsCpm } from './scan-helpers.js';

test('lists the _PyImport_Inittab modules, skipping comments and the sentinel', () => {
  assert.equal(readConfigCInModules(readFixture('checkout/Modules/config.c.in')), ['marshal', '_imp', 'builtins', 'sys']);
});

test('a missing ADDMODULE marker is an error naming the file', () => {
  throwsCpm(
    () => readConfigCInModules(readFixture('config-c-in/no-marker-2.c.in'), 'no-marker-2.c.in'),
    'no-marker-2.c.in:',
    'ADDMODULE MARKER 2',
  );
});

test('a malformed table entry is an error naming the file and line', () => {
  throwsCpm(() => readConfigCInModules(readFixture('config-c-in/bad-entry.c.in'), 'bad-entry.c.in'), 'bad-entry.c.in: line 6:', '{marshal, PyMarshal_Init}');
});

test.run();
