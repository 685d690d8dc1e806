// CPython's own test suite, run with the interpreter Meson built.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuild, py } from './shared.js';

const CORE_TESTS = [
  'test_grammar', 'test_dict', 'test_list', 'test_unicode', 'test_bytes', 'test_importlib',
  'test_frozen', 'test_compile', 'test_exceptions', 'test_sys',
];

/** Test modules CPython renamed: test_unicode became test_str in 3.13. */
const RENAMED: Record<string, string> = { test_unicode: 'test_str' };

function resolveTests(src: string, names: string[]): string[] {
  return names.map((name) => {
    const exists = existsSync(path.join(src, 'Lib/test', `${name}.py`)) || existsSync(path.join(src, 'Lib/test', name));
    const renamed = RENAMED[name];
    if (!exists && renamed) {
      console.log(`  (${name} does not exist in this CPython; running its successor ${renamed})`);
      return renamed;
    }
    return name;
  });
}

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
