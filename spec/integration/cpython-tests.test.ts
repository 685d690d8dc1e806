// CPython's own test suite, run with the interpreter Meson built.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuild, py } from './shared.js';

const CORE_TESTS = [
  'test_grammar', 'test_dict', 'test_list', 'test_unicode', 'test_bytes', 'test_importlib',
  'test_frozen', 'test_compile', 'test_exceptions', 'test_sys',
];

test(`CPython's ${CORE_TESTS.join(' ')} pass`, async () => {
  const built = await ensureBuild('builtin');
  const r = py(built, ['-m', 'test', '-j2', '--timeout=900', ...CORE_TESTS]);
  const tail = r.stdout.split('\n').slice(-40).join('\n');
  assert.is(r.status, 0, `regrtest failed:\n${tail}\n${r.stderr.slice(-3000)}`);
  assert.match(r.stdout, /Result: SUCCESS/);
  assert.match(r.stdout, new RegExp(`All ${CORE_TESTS.length} tests OK`));
});

test.run();
