// CPython's own test suite, run with the interpreter Meson built.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CORE_TESTS, ensureBuild, py, resolveTests } from './shared.js';

test(`CPython's ${CORE_TESTS.join(' ')} pass`, async () => {
  const built = await ensureBuild('builtin');
  const tests = resolveTests(built.src, CORE_TESTS);
  const r = py(built, ['-m', 'test', '-j2', '--timeout=900', ...tests]);
  const tail = r.stdout.split('\n').slice(-40).join('\n');
  assert.is(r.status, 0, `regrtest failed:\n${tail}\n${r.stderr.slice(-3000)}`);
  assert.match(r.stdout, /Result: SUCCESS/);
  assert.match(r.stdout, new RegExp(`All ${tests.length} tests OK`));
});

test.run();
