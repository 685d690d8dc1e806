// One CPython build per test run, shared by every integration suite: the pristine source comes
// from the cache (Debian's source package, fetched once), is copied to a work tree, generated
// into, configured and built once per variant; later suites reuse the same build directory.
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { obtainCPython, defaultCacheDir } from '../../generator/util/cpython-source.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const cli = path.join(repoRoot, 'bin/cpython-meson.js');
export const CPYTHON_VERSION = process.env.CPYTHON_MESON_TEST_VERSION ?? '3.13.15';

export interface Built {
  src: string;
  build: string;
  python: string;
  setupSeconds: number;
  buildSeconds: number;
}

const cache = process.env.CPYTHON_MESON_CACHE ?? defaultCacheDir();
const builds = new Map<string, Built>();

export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: opts.timeout ?? 30 * 60 * 1000,
  });
}

/** A work copy of the pristine source (generated files land here, never in the cache's pristine tree). */
export async function workTree(name = 'src'): Promise<string> {
  const pristine = await obtainCPython(CPYTHON_VERSION, cache);
  const dir = path.join(cache, 'work', `Python-${CPYTHON_VERSION}-${name}`);
  if (!existsSync(path.join(dir, 'Include/patchlevel.h'))) {
    mkdirSync(path.dirname(dir), { recursive: true });
    cpSync(pristine, dir, { recursive: true });
  }
  return dir;
}

/**
 * The build variants of the integration suites and their Meson options: 'builtin' and 'shared'
 * choose -Dextensions; 'pydebug' is configure's --with-pydebug, 'shared-lib' its --enable-shared
 * (a shared libpython), 'free-threaded' its --disable-gil; both with Meson's default
 * prefer_static=false, since Debian's static archives (libgdbm.a, libfontconfig.a for the shared
 * _tkinter) are not PIC and cannot go into a shared library or module.
 */
export type Variant = 'builtin' | 'shared' | 'pydebug' | 'shared-lib' | 'free-threaded';
export const VARIANT_OPTIONS: Record<Variant, string[]> = {
  builtin: ['-Dextensions=builtin', '-Dprefer_static=true'],
  shared: ['-Dextensions=shared', '-Dprefer_static=true'],
  pydebug: ['-Dpydebug=true', '-Dprefer_static=true'],
  'shared-lib': ['-Dshared=true', '-Dprefer_static=false'],
  'free-threaded': ['-Dfree_threading=true', '-Dprefer_static=false'],
};

/**
 * Generate + meson setup + ninja, once per variant per process. The builds use the generated
 * project's defaults (configure's: -O3 -g, NDEBUG), as a plain `meson setup` does, plus the
 * variant's options (VARIANT_OPTIONS).
 */
export async function ensureBuild(variant: Variant = 'builtin', extraOptions: string[] = []): Promise<Built> {
  const key = `${variant} ${extraOptions.join(' ')}`;
  const done = builds.get(key);
  if (done) return done;
  const src = await workTree();
  const build = path.join(cache, 'work', `build-${CPYTHON_VERSION}-${variant}`);
  const gen = run(process.execPath, [cli, 'generate', src]);
  if (gen.status !== 0) throw new Error(`generate failed:\n${gen.stdout}\n${gen.stderr}`);
  const t0 = Date.now();
  const options = [...VARIANT_OPTIONS[variant], ...extraOptions];
  const setupArgs = existsSync(path.join(build, 'build.ninja'))
    ? ['setup', '--reconfigure', '--fatal-meson-warnings', ...options, build, src]
    : ['setup', '--fatal-meson-warnings', ...options, build, src];
  const setup = run('meson', setupArgs);
  if (setup.status !== 0) throw new Error(`meson setup failed:\n${setup.stdout.slice(-6000)}\n${setup.stderr}`);
  const t1 = Date.now();
  const ninja = run('ninja', ['-C', build]);
  if (ninja.status !== 0) throw new Error(`ninja failed:\n${ninja.stdout.slice(-8000)}\n${ninja.stderr}`);
  const t2 = Date.now();
  const built = { src, build, python: path.join(build, 'python'), setupSeconds: (t1 - t0) / 1000, buildSeconds: (t2 - t1) / 1000 };
  builds.set(key, built);
  return built;
}

/** Run the built interpreter with a clean environment (no PYTHONHOME/PYTHONPATH help). */
export function py(built: Built, args: string[], cwd?: string): SpawnSyncReturns<string> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', LANG: 'C.UTF-8' };
  return run(built.python, args, { cwd: cwd ?? built.build, env });
}

export function mesonVersion(): string {
  return execFileSync('meson', ['--version'], { encoding: 'utf8' }).trim();
}

/**
 * `cpython-meson build <src> <build> --optimized` (PGO + LTO), once per process; the build dir is
 * kept across runs of the suite like the others, but the pipeline always runs all its stages.
 */
let optimized: (Built & { output: string }) | null = null;
export async function ensureOptimizedBuild(): Promise<Built & { output: string }> {
  if (optimized) return optimized;
  const src = await workTree();
  const build = path.join(cache, 'work', `build-${CPYTHON_VERSION}-optimized`);
  const t0 = Date.now();
  const r = run(process.execPath, [cli, 'build', src, build, '--optimized', '-Dprefer_static=true'], { timeout: 60 * 60 * 1000 });
  if (r.status !== 0) throw new Error(`build --optimized failed (exit ${r.status}):\n${r.stdout.slice(-6000)}\n${r.stderr.slice(-3000)}`);
  optimized = { src, build, python: path.join(build, 'python'), setupSeconds: 0, buildSeconds: (Date.now() - t0) / 1000, output: r.stdout };
  return optimized;
}

/** The CPython test modules every build type must pass (issue: default, pydebug, optimized). */
export const CORE_TESTS = [
  'test_grammar', 'test_dict', 'test_list', 'test_unicode', 'test_bytes', 'test_importlib',
  'test_frozen', 'test_compile', 'test_exceptions', 'test_sys',
];

/** Test modules CPython renamed: test_unicode became test_str in 3.13. */
const RENAMED: Record<string, string> = { test_unicode: 'test_str' };

export function resolveTests(src: string, names: string[]): string[] {
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

/** The compile command of one source file from the build's compile_commands.json. */
export function compileCommand(build: string, source: string): string {
  const entries = JSON.parse(readFileSync(path.join(build, 'compile_commands.json'), 'utf8')) as { file: string; command: string }[];
  const hit = entries.find((e) => e.file.endsWith(`/${source}`) || e.file === source);
  if (!hit) throw new Error(`${source} is not in ${build}/compile_commands.json`);
  return hit.command;
}

/** Whether macro NAME ends up defined by the command's -D/-U flags (the last one wins, as in cc). */
export function definedByFlags(command: string, name: string): boolean {
  let defined = false;
  for (const w of command.split(/\s+/)) {
    if (w === `-D${name}` || w.startsWith(`-D${name}=`)) defined = true;
    if (w === `-U${name}`) defined = false;
  }
  return defined;
}

/**
 * The compile command configure + make use for Python/ceval.c: configure runs out of tree from the
 * pristine source into a temporary directory (once per argument list per process), then
 * `make -n Python/ceval.o` prints the command without running it.
 */
const configured = new Map<string, { command: string; makefile: string }>();
export async function configureCompileCommand(configureArgs: string[]): Promise<{ command: string; makefile: string }> {
  const key = configureArgs.join(' ');
  const done = configured.get(key);
  if (done) return done;
  const pristine = await obtainCPython(CPYTHON_VERSION, cache);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cpm-configure-'));
  try {
    const conf = run(path.join(pristine, 'configure'), configureArgs, { cwd: dir });
    if (conf.status !== 0) throw new Error(`configure ${key} failed:\n${conf.stdout.slice(-3000)}`);
    const make = run('make', ['-n', 'Python/ceval.o'], { cwd: dir });
    const line = make.stdout.split('\n').find((l) => /\s-o Python\/ceval\.o\s/.test(`${l} `));
    if (!line) throw new Error(`make -n Python/ceval.o printed no compile command:\n${make.stdout.slice(-3000)}\n${make.stderr.slice(-2000)}`);
    const result = { command: line, makefile: readFileSync(path.join(dir, 'Makefile'), 'utf8') };
    configured.set(key, result);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The flags of a compile command, without the compiler, include dirs, dependency and output arguments and the source. */
export function compileFlags(command: string): string[] {
  const words = command.trim().split(/\s+/).slice(1);
  const flags: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w === '-o' || w === '-MQ' || w === '-MF') {
      i++;
      continue;
    }
    if (w.startsWith('-I') || w === '-c' || w === '-MD' || w.endsWith('.c')) continue;
    flags.push(w);
  }
  return flags;
}

/**
 * `cpython-meson build <src> <build> --single-file` (-Dstdlib=embedded -Dprefer_static=true
 * -Dtest_modules=false), once per process, plus `extraOptions` (e.g. -D profile=minimal, which
 * gets its own build dir). <build>/python is the single file, <build>/python-bare the interpreter
 * without its archive.
 */
const singleFiles = new Map<string, Built & { output: string }>();
export async function ensureSingleFileBuild(extraOptions: string[] = []): Promise<Built & { output: string }> {
  const key = extraOptions.join(' ');
  const done = singleFiles.get(key);
  if (done) return done;
  const src = await workTree();
  const suffix = extraOptions.map((o) => o.replace(/^-D\s*/, '').replace(/[^A-Za-z0-9]+/g, '-')).join('-');
  const build = path.join(cache, 'work', `build-${CPYTHON_VERSION}-single-file${suffix ? `-${suffix}` : ''}`);
  const t0 = Date.now();
  const r = run(process.execPath, [cli, 'build', src, build, '--single-file', ...extraOptions]);
  if (r.status !== 0) throw new Error(`build --single-file failed (exit ${r.status}):\n${r.stdout.slice(-6000)}\n${r.stderr.slice(-3000)}`);
  const built = { src, build, python: path.join(build, 'python'), setupSeconds: 0, buildSeconds: (Date.now() - t0) / 1000, output: r.stdout };
  singleFiles.set(key, built);
  return built;
}
