// End to end on a real CPython 3.13 checkout: generate, meson setup (fatal warnings), ninja, and
// the interpreter runs from the build dir without PYTHONHOME.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CPYTHON_VERSION, cli, ensureBuild, py, run, workTree } from './shared.js';

test('generate is deterministic and --check finds nothing to change', async () => {
  const src = await workTree();
  const first = run(process.execPath, [cli, 'generate', src]);
  assert.is(first.status, 0, first.stderr);
  const files = ['meson.build', 'meson.options', 'pyconfig.h.meson', 'Modules/meson.build', 'Python/frozen_modules/meson.build', 'Tools/meson/pyconfig/meson.build', 'Tools/meson/cpython_meson.py'];
  const before = files.map((f) => readFileSync(path.join(src, f), 'utf8'));
  const second = run(process.execPath, [cli, 'generate', src]);
  assert.is(second.status, 0, second.stderr);
  const after = files.map((f) => readFileSync(path.join(src, f), 'utf8'));
  assert.equal(after, before, 'a second generate changed bytes');
  const check = run(process.execPath, [cli, 'generate', '--check', src]);
  assert.is(check.status, 0, `--check reported differences:\n${check.stdout}${check.stderr}`);
});

test('emitted meson files pass meson format --check-only', async () => {
  const src = await workTree();
  const files = ['meson.build', 'meson.options', 'Modules/meson.build', 'Python/frozen_modules/meson.build', 'Tools/meson/pyconfig/meson.build'];
  for (const f of files) {
    const r = run('meson', ['format', '--check-only', path.join(src, f)]);
    assert.is(r.status, 0, `${f} is not meson-format clean:\n${r.stdout}${r.stderr}`);
  }
});

test('meson setup --fatal-meson-warnings + ninja builds python, which runs from the build dir', async () => {
  const built = await ensureBuild('builtin');
  assert.ok(existsSync(built.python), 'build/python exists');
  const r = py(built, ['-c', 'import sys, encodings, json; print(3 + 4, sys.version)']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^7 ${CPYTHON_VERSION.replace(/\./g, '\\.')} `));
  assert.not.match(r.stderr, /Could not find platform/);
});

test('build-tree path configuration: stdlib from the source tree, platstdlib from pybuilddir.txt', async () => {
  const built = await ensureBuild('builtin');
  assert.is(readFileSync(path.join(built.build, 'pybuilddir.txt'), 'utf8').trim(), 'Modules');
  // -s: a user site-packages directory of whoever runs the tests (~/.local/lib/python3.X) is not ours to check.
  const r = py(built, ['-s', '-c', 'import sys, os; print(os.__file__); print(sys.path[-1]); import sysconfig; print(sysconfig.is_python_build())'], '/');
  assert.is(r.status, 0, r.stderr);
  const [osFile, last, isBuild] = r.stdout.trim().split('\n');
  assert.is(osFile, path.join(built.src, 'Lib/os.py'));
  assert.is(last, path.join(built.build, 'Modules'));
  assert.is(isBuild, 'True');
});

test('frozen modules are frozen and the builtin table lists the bootstrap modules', async () => {
  const built = await ensureBuild('builtin');
  const r = py(built, ['-c', "import sys, _imp, os; print(_imp.is_frozen('os'), _imp.is_frozen('zipimport'), os.__spec__.origin); print(' '.join(sorted(sys.builtin_module_names)))", '-X', 'frozen_modules=on']);
  assert.is(r.status, 0, r.stderr);
  const [frozen, names] = r.stdout.trim().split('\n');
  assert.match(frozen ?? '', /^True True frozen/);
  for (const m of ['_io', 'posix', '_sre', '_thread', 'marshal', '_imp', 'sys', 'builtins']) {
    assert.ok((names ?? '').split(' ').includes(m), `${m} is built in`);
  }
  const hello = py(built, ['-c', 'import __hello__; __hello__.main()']);
  assert.is(hello.stdout.trim(), 'Hello world!');
});

test('compile_commands.json covers the core sources', async () => {
  const built = await ensureBuild('builtin');
  const db = JSON.parse(readFileSync(path.join(built.build, 'compile_commands.json'), 'utf8')) as { file: string }[];
  const files = new Set(db.map((e) => path.basename(e.file)));
  for (const f of ['ceval.c', 'obmalloc.c', 'getpath.c', 'frozen.c', 'posixmodule.c', 'config.c']) assert.ok(files.has(f), `${f} in compile_commands.json`);
  assert.ok(readdirSync(path.join(built.build, 'Python/frozen_modules')).includes('importlib._bootstrap.h'));
});

test('editing a frozen module re-freezes only that header', async () => {
  const built = await ensureBuild('builtin');
  const dry = run('ninja', ['-C', built.build, '-n', '-d', 'explain', 'Python/frozen_modules/abc.h']);
  assert.is(dry.status, 0, dry.stderr);
  // A no-op build does nothing after a full build.
  const noop = run('ninja', ['-C', built.build]);
  assert.match(noop.stdout, /no work to do/);
  // Touching Lib/stat.py makes exactly the stat.h freeze step dirty (and what includes it).
  const statPy = path.join(built.src, 'Lib/stat.py');
  const now = new Date();
  const { utimesSync } = await import('node:fs');
  utimesSync(statPy, now, now);
  const plan = run('ninja', ['-C', built.build, '-n']);
  const steps = plan.stdout.split('\n').filter((l) => /Generating/.test(l));
  assert.equal(steps.length, 1, `only one freeze step expected:\n${plan.stdout}`);
  assert.match(steps[0] ?? '', /stat\.h/);
  const rebuild = run('ninja', ['-C', built.build]);
  assert.is(rebuild.status, 0, rebuild.stdout);
});

test.run();
