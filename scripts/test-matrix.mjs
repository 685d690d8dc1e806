#!/usr/bin/env node
// npm run test:matrix — the build variants of docs/variants.md, one after the other, each built
// from one generated work tree and tested with CPython's core test modules; writes
// matrix-results/<date>.json and .md (commit, per variant: built?, test files and test cases
// passed/failed, build and test time).
//
//   node scripts/test-matrix.mjs [--variants a,b,...] [--src DIR] [--build-root DIR] [--jobs N]
//                                [--build-python PYTHON]
//
// --src: a CPython checkout to generate into (default: a work copy of the cached 3.13.15 source,
// as the integration tests use); --build-root: where the build dirs go (default:
// <cache>/work/matrix); a build dir that already has build.ninja is only re-run with ninja.
// Builds and tests run under `nice -n 15`. Exit status 1 when a variant fails to build or test.
// A cross variant (wasm32-wasi) builds with its cross file of meson-templates/cross/ and the build
// machine's Python of the same X.Y (--build-python, else <build-root>/release/python when that
// variant was built, else a minimal native build in <build-root>/build-python), and runs its
// tests through the cross file's exe_wrapper, one process (WASI has no subprocesses: no -j).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORE = ['test_grammar', 'test_dict', 'test_list', 'test_str', 'test_bytes', 'test_importlib', 'test_frozen', 'test_compile', 'test_exceptions', 'test_sys'];
// The runtime options CPython's CI uses; UBSan and TSan only log unless told to halt.
const ASAN = { ASAN_OPTIONS: 'detect_leaks=0:allocator_may_return_null=1:handle_segv=0' };
const UBSAN = { UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1' };
const TSAN = (src) => ({ TSAN_OPTIONS: `halt_on_error=1:handle_segv=0:suppressions=${path.join(src, 'Tools/tsan/suppressions.txt')}` });

/** name → Meson options, extra test modules, environment of the test run. */
const VARIANTS = {
  release: { options: [] },
  pydebug: { options: ['-Dpydebug=true'] },
  shared: { options: ['-Dshared=true', '-Dprefer_static=false'] },
  'free-threaded': { options: ['-Dfree_threading=true'], tests: ['test_free_threading', 'test_threading'] },
  'pydebug-asan': { options: ['-Dpydebug=true', '-Db_sanitize=address'], env: () => ASAN },
  asan: { options: ['-Db_sanitize=address'], env: () => ASAN },
  ubsan: { options: ['-Db_sanitize=undefined'], env: () => UBSAN },
  'asan-ubsan': { options: ['-Db_sanitize=address,undefined'], env: () => ({ ...ASAN, ...UBSAN }) },
  tsan: { options: ['-Db_sanitize=thread'], env: TSAN },
  'trace-refs': { options: ['-Dtrace_refs=true'] },
  assertions: { options: ['-Dassertions=true'] },
  'free-threaded-pydebug': { options: ['-Dfree_threading=true', '-Dpydebug=true'], tests: ['test_free_threading'] },
  // docs/cross.md, WASI: the core modules that run without subprocesses or threads, plus test_json.
  'wasm32-wasi': {
    options: [],
    cross: 'wasm32-wasi',
    only: ['test_grammar', 'test_dict', 'test_json', 'test_list', 'test_str', 'test_bytes', 'test_compile', 'test_exceptions'],
  },
};

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function sh(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, ...opts });
}

async function main() {
  const names = arg('--variants', Object.keys(VARIANTS).join(',')).split(',').filter(Boolean);
  for (const n of names) if (!VARIANTS[n]) throw new Error(`unknown variant ${n}; known: ${Object.keys(VARIANTS).join(', ')}`);
  const jobs = arg('--jobs', '2');
  const { obtainCPython, defaultCacheDir } = await import(path.join(root, 'dist/generator/util/cpython-source.js'));
  const cache = process.env.CPYTHON_MESON_CACHE ?? defaultCacheDir();
  let src = arg('--src', '');
  if (!src) {
    const pristine = await obtainCPython('3.13.15', cache);
    src = path.join(cache, 'work', 'Python-3.13.15-matrix');
    if (!existsSync(path.join(src, 'Include/patchlevel.h'))) {
      mkdirSync(path.dirname(src), { recursive: true });
      sh('cp', ['-a', pristine, src]);
    }
  }
  const buildRoot = arg('--build-root', path.join(cache, 'work', 'matrix'));
  mkdirSync(buildRoot, { recursive: true });
  // The build machine's Python of the checkout's X.Y, for the cross variants (found or built once).
  let buildPython = arg('--build-python', '');
  const nativePython = () => {
    if (buildPython) return buildPython;
    const release = path.join(buildRoot, 'release', 'python');
    if (existsSync(release)) return (buildPython = release);
    const dir = path.join(buildRoot, 'build-python');
    console.log(`== build-python: a minimal native build in ${dir}`);
    if (!existsSync(path.join(dir, 'build.ninja'))) sh('nice', ['-n', '15', 'meson', 'setup', dir, src, '-Dprofile=minimal', '-Dtest_modules=false'], { stdio: 'inherit' });
    if (sh('nice', ['-n', '15', 'ninja', '-C', dir], { stdio: 'inherit' }).status !== 0) throw new Error(`the native build in ${dir} failed`);
    return (buildPython = path.join(dir, 'python'));
  };
  const { resolveCross } = await import(path.join(root, 'dist/generator/cli/cross.js'));
  const gen = sh(process.execPath, [path.join(root, 'bin/cpython-meson.js'), 'generate', src]);
  if (gen.status !== 0) throw new Error(`generate failed:\n${gen.stdout}\n${gen.stderr}`);
  const commit = sh('git', ['-C', root, 'rev-parse', 'HEAD']).stdout.trim();
  const dirty = sh('git', ['-C', root, 'status', '--porcelain', '--', 'meson-templates', 'generator', 'cpython-manifests']).stdout.trim() !== '';
  const version = sh('sed', ['-n', 's/^#define PY_VERSION *"\\(.*\\)"/\\1/p', path.join(src, 'Include/patchlevel.h')]).stdout.trim();
  const started = new Date();
  // Variants of an earlier run of the same day that this run does not repeat are kept (each keeps
  // the commit it ran at).
  const date = started.toISOString().slice(0, 10);
  const outDir = path.join(root, 'matrix-results');
  const earlierFile = path.join(outDir, `${date}.json`);
  const earlier = existsSync(earlierFile) ? JSON.parse(readFileSync(earlierFile, 'utf8')).variants.filter((x) => !names.includes(x.variant)) : [];
  const results = [];
  const ok = (x) => x.built && x.testFilesFailed === 0 && x.testFiles > 0;
  // Written after every variant, so a matrix cut short still leaves its results.
  const write = () => {
    mkdirSync(outDir, { recursive: true });
    const all = [...earlier, ...results];
    const report = { date: started.toISOString(), commit, dirty, cpython: version, host: `${process.platform} ${process.arch}`, coreTests: CORE, variants: all };
    writeFileSync(path.join(outDir, `${date}.json`), `${JSON.stringify(report, null, 2)}\n`);
    const md = [
      `# Variant matrix ${date}`,
      '',
      `cpython-meson ${commit}${dirty ? ' (with uncommitted changes)' : ''} (each variant's \`commit\` in the JSON), CPython ${version}, ${report.host}. Each variant: \`meson setup\` with its options, \`ninja\`, then \`python -m test -j${jobs}\` with the core modules (${CORE.join(' ')}) plus the variant's own (a cross variant: its own list, through its exe_wrapper, in one process); builds ran under \`nice -n 15\` on a shared machine, so times include its load.`,
      '',
      '| variant | Meson options | built | build (s) | test files passed | test cases run (skipped) | tests (s) | result |',
      '|---|---|---|---|---|---|---|---|',
      ...all.map((x) => `| ${x.variant} | \`${x.options.join(' ') || '(defaults)'}\` | ${x.built ? 'yes' : 'no'} | ${x.reused ? `${x.buildSeconds.toFixed(0)} (existing build dir)` : x.buildSeconds.toFixed(0)} | ${x.built ? `${x.testFiles - x.testFilesFailed}/${x.testFiles}` : '—'} | ${x.testCases} (${x.testCasesSkipped}) | ${x.testSeconds.toFixed(0)} | ${ok(x) ? 'pass' : `FAIL${x.failedTests.length ? `: ${x.failedTests.join(' ')}` : ''}`} |`),
      '',
    ].join('\n');
    writeFileSync(path.join(outDir, `${date}.md`), md);
    return md;
  };
  for (const name of names) {
    const v = VARIANTS[name];
    // A build dir given as a symlink runs from its real place (the build tree finds the checkout
    // through a relative VPATH).
    const dir = existsSync(path.join(buildRoot, name)) ? realpathSync(path.join(buildRoot, name)) : path.join(buildRoot, name);
    const cross = v.cross ? resolveCross(v.cross, process.env) : null;
    const options = cross ? [...v.options, '--cross-file', cross.file, `-Dbuild_python=${nativePython()}`] : v.options;
    const result = { variant: name, commit, options: cross ? [`--cross ${v.cross}`, ...v.options] : v.options, built: false, setupSeconds: 0, buildSeconds: 0, testSeconds: 0, testFiles: 0, testFilesFailed: 0, testCases: 0, testCasesSkipped: 0, failedTests: [], log: '' };
    results.push(result);
    console.log(`== ${name}: ${v.options.join(' ') || '(defaults)'}`);
    let t = Date.now();
    result.reused = existsSync(path.join(dir, 'build.ninja'));
    if (!result.reused) {
      const setup = sh('nice', ['-n', '15', 'meson', 'setup', ...options, dir, src]);
      result.setupSeconds = (Date.now() - t) / 1000;
      if (setup.status !== 0) {
        result.log = `meson setup failed: ${(setup.stdout + setup.stderr).split('\n').filter((l) => l.includes('ERROR')).join(' ')}`;
        console.log(`   ${result.log}`);
        write();
        continue;
      }
    }
    t = Date.now();
    const ninja = sh('nice', ['-n', '15', 'ninja', '-C', dir]);
    result.buildSeconds = (Date.now() - t) / 1000;
    if (ninja.status !== 0) {
      result.log = `ninja failed: ${ninja.stdout.split('\n').filter((l) => l.startsWith('FAILED')).slice(0, 3).join(' ')}`;
      console.log(`   ${result.log}`);
      write();
      continue;
    }
    result.built = true;
    console.log(`   built in ${result.buildSeconds.toFixed(0)} s`);
    const tests = v.only ?? [...CORE, ...(v.tests ?? [])];
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', LANG: 'C.UTF-8', ...(v.env ? v.env(src) : {}) };
    t = Date.now();
    // A cross build's interpreter runs through the exe wrapper; WASI's in one process.
    const python = [...(cross?.exeWrapper ?? []), path.join(dir, cross?.interpreter ?? 'python')];
    const parallel = cross ? [] : [`-j${jobs}`, '--timeout=1800'];
    const r = sh('nice', ['-n', '15', ...python, '-m', 'test', ...parallel, ...tests], { cwd: dir, env, timeout: 3 * 60 * 60 * 1000 });
    result.testSeconds = (Date.now() - t) / 1000;
    const out = `${r.stdout}\n${r.stderr}`;
    const files = out.match(/Total test files: run=(\d+)\/(\d+)(?: failed=(\d+))?/);
    result.testFiles = files ? Number(files[1]) : 0;
    result.testFilesFailed = files ? Number(files[3] ?? 0) : tests.length;
    const cases = out.match(/Total tests: run=([\d,]+)(?: failures=([\d,]+))?(?: skipped=([\d,]+))?/);
    result.testCases = cases ? Number(cases[1].replace(/,/g, '')) : 0;
    result.testCasesSkipped = cases && cases[3] ? Number(cases[3].replace(/,/g, '')) : 0;
    const failedBlock = out.match(/\d+ tests? failed:\n((?:\s+\S.*\n)+)/);
    result.failedTests = failedBlock ? failedBlock[1].trim().split(/\s+/) : [];
    if (r.status !== 0 && result.testFilesFailed === 0) result.testFilesFailed = Math.max(1, result.failedTests.length);
    if (r.status !== 0) result.log = out.split('\n').slice(-30).join('\n');
    write();
    console.log(`   tests: ${result.testFiles - result.testFilesFailed}/${tests.length} files passed, ${result.testCases} test cases, ${result.testSeconds.toFixed(0)} s${r.status === 0 ? '' : ` (exit ${r.status})`}`);
  }
  const md = write();
  console.log(md);
  process.exit(results.every(ok) ? 0 : 1);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(2);
});
