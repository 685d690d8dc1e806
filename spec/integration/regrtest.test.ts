// CPython's suite through `meson test` (suite quick), and what the build tree provides for the
// suite as configure + make's does: Programs/_testembed (test_embed), python-gdb.py (test_gdb),
// the Makefile sysconfig names (test_sysconfig), here and installed into LIBPL.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuild, py, run, type Built } from './shared.js';

/** The build by its real path: getpath finds the checkout through VPATH from the real directory of python. */
function real(built: Built): Built {
  const build = realpathSync(built.build);
  return { ...built, build, python: path.join(build, 'python') };
}

/** The environment of a developer's shell without any PYTHON* variable leaking into the tests. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PYTHON')));
}

test('meson test --suite quick runs the 10 core test modules of CPython and they pass', async () => {
  const built = await ensureBuild('builtin');
  const list = run('meson', ['test', '-C', built.build, '--list', '--no-rebuild'], { env: cleanEnv() });
  assert.is(list.status, 0, list.stderr);
  const regrtest = list.stdout.split('\n').filter((l) => /^cpython:.*regrtest.* \/ /.test(l));
  assert.ok(regrtest.length > 400, `every test file of Lib/test is a Meson test, got ${regrtest.length}`);
  assert.ok(list.stdout.includes(' / test.test_asyncio.test_base_events'), 'split packages as regrtest schedules them');

  const r = run('meson', ['test', '-C', built.build, '--suite', 'quick', '--print-errorlogs', '--no-rebuild'], { env: cleanEnv(), timeout: 20 * 60 * 1000 });
  const out = `${r.stdout}\n${r.stderr}`;
  assert.is(r.status, 0, `meson test --suite quick failed:\n${out.slice(-8000)}`);
  assert.is(/^Ok:\s+(\d+)/m.exec(r.stdout)?.[1], '10', out.slice(-3000));
  assert.is(/^Fail:\s+(\d+)/m.exec(r.stdout)?.[1], '0', out.slice(-3000));
});

test('test_embed runs its 82 tests with Programs/_testembed', async () => {
  const built = real(await ensureBuild('builtin'));
  assert.ok(existsSync(path.join(built.build, 'Programs/_testembed')), 'Programs/_testembed is built');
  const r = py(built, ['-m', 'test', '-v', '--timeout=900', 'test_embed']);
  const tail = r.stdout.split('\n').slice(-30).join('\n');
  assert.is(r.status, 0, `test_embed failed:\n${tail}\n${r.stderr.slice(-3000)}`);
  assert.not.match(r.stdout, /_testembed' doesn't exist/);
  const ran = /^Ran (\d+) tests?/m.exec(r.stdout)?.[1];
  assert.is(ran, '82', tail);
  // What remains skipped is skipped under configure + make too: Windows only (2), debug builds
  // only (2), test_init_read_set (disabled since 3.11); never for the missing program.
  const skips = r.stdout.split('\n').filter((l) => / \.\.\. skipped /.test(l));
  assert.ok(skips.length <= 5, `skipped:\n${skips.join('\n')}`);
});

test('test_gdb (test_misc) and test_sysconfig pass: python-gdb.py and the Makefile are in the build tree', async () => {
  const built = real(await ensureBuild('builtin'));
  assert.ok(existsSync(path.join(built.build, 'python-gdb.py')));
  assert.ok(existsSync(path.join(built.build, 'Makefile')));
  const r = py(built, ['-m', 'test', '--timeout=900', 'test_sysconfig', 'test_gdb.test_misc']);
  const tail = r.stdout.split('\n').slice(-30).join('\n');
  assert.is(r.status, 0, `failed:\n${tail}\n${r.stderr.slice(-3000)}`);
  assert.match(r.stdout, /All 2 tests OK/, `none skipped as a whole:\n${tail}`);

  // The Makefile has the values of _sysconfigdata and is installed into LIBPL.
  const check = py(built, ['-c', [
    'import sysconfig',
    'from sysconfig.__main__ import _parse_makefile',
    'm = _parse_makefile(sysconfig.get_makefile_filename())',
    'v = sysconfig.get_config_vars()',
    "bad = [k for k in m if k not in ('srcdir', 'XMLLIBSUBDIRS', 'LIBSUBDIRS', 'TESTSUBDIRS') and str(v.get(k)) != str(m[k])]",
    "assert not bad, bad",
    "assert len(m) > 100, len(m)",
    "print(len(m))",
  ].join('\n')]);
  assert.is(check.status, 0, check.stderr);
  const installed = run('meson', ['introspect', '--installed', built.build]);
  const libpl = /"([^"]*\/config-3\.\d+[^"/]*)\/Makefile"/.exec(installed.stdout);
  assert.ok(libpl, 'the Makefile is installed into LIBPL');
});

test.run();
