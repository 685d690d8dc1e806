// `cpython-meson dist <builddir> --out <dir>`: stages `meson install --destdir` of a built tree
// and writes a distribution in the spirit of python-build-standalone:
//   <out>/python/install/       the installed tree (relocatable)
//   <out>/python/build/         object files, config.c and static libraries to relink with
//   <out>/python/licenses/      the CPython license
//   <out>/python/PYTHON.json    what it is and how to relink it: python-build-standalone's format 8
//   <out>/python/cpython-meson.json  this project's facts beyond that format (docs/distribution.md)
//   <out>/cpython-<version>-<triple>.tar.zst (or .tar.gz) of python/
// Tools that fail exit 4 with the command; a directory that is not a configured build exits 2.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crossBinaries, onPath, recordedCrossFiles } from '../cli/cross.js';
import { CpmError, ExitCode } from '../errors.js';
import { findTool } from '../util/tools.js';
import { parseDistInfo, parseIntrospection, parseJson, type IntroTarget } from './introspect.js';
import { PBS_FORMAT_VERSION, pathsNamed, validatePbsPythonJson } from './pbs-format.js';
import { buildPythonJson, parseInittab, type RuntimeFacts } from './python-json.js';

export type ArchiveKind = 'auto' | 'zst' | 'gz' | 'none';

export interface DistOptions {
  builddir: string;
  out: string;
  archive: ArchiveKind;
  force: boolean;
}

export interface DistDeps {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** "cpython-meson <version>", recorded in PYTHON.json. */
  generator: string;
}

export const DIST_INFO_FILE = 'cpython-meson-dist.json';
/** This project's facts beside PYTHON.json (which admits no key of its own). */
export const CPM_JSON_FILE = 'cpython-meson.json';

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const tail = (stderr || stdout || err.message).trim().split('\n').slice(-3).join(' | ');
        reject(new CpmError(`\`${[cmd, ...args].join(' ')}\` failed: ${tail}`, { exitCode: ExitCode.toolFailed }));
        return;
      }
      resolve(stdout);
    });
  });
}

async function tool(name: string, env: NodeJS.ProcessEnv, why: string): Promise<string> {
  const found = await findTool(name, { env });
  if (!found) throw new CpmError(`${name} not found on PATH (${why})`, { exitCode: ExitCode.toolFailed });
  return found;
}

/** The object files in a target's private directory (<output>.p), sorted. */
async function objectsIn(target: IntroTarget, suffix: string): Promise<string[]> {
  const out = target.filename[0];
  if (!out) return [];
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith(`.${suffix}`)) found.push(p);
    }
  };
  await walk(`${out}.p`);
  return found.sort();
}

// Run by the staged interpreter: what it says about itself. argv: the install root (python/install)
// and the configured prefix. Paths in python_paths are relative to python/; the config vars keep
// the configured prefix where the relocated _sysconfigdata reports the staged root.
const FACTS_SCRIPT = `
import importlib.machinery as m, importlib.util, json, os, sys, sysconfig, warnings
root, prefix = sys.argv[1], sys.argv[2]
roots = sorted({root, os.path.realpath(root)}, key=len, reverse=True)
def configured(value):
    for r in roots:
        value = value.replace(r + '/', prefix.rstrip('/') + '/').replace(r, prefix)
    return value
def rel(p):
    return os.path.normpath(os.path.join('install', os.path.relpath(p, root)))
paths = sysconfig.get_paths()
stdlib = paths['stdlib']
tests = []
for d, dirs, files in os.walk(stdlib):
    dirs[:] = sorted(x for x in dirs if x != '__pycache__' and x != 'site-packages' and x != 'lib-dynload')
    r = os.path.relpath(d, stdlib)
    if r == '.':
        continue
    if '__init__.py' not in files:
        dirs[:] = []
    elif os.path.basename(d) in ('test', 'tests', 'idle_test'):
        tests.append(r.replace(os.sep, '.'))
        dirs[:] = []
with warnings.catch_warnings():
    warnings.simplefilter('ignore')
    debug_bytecode = list(getattr(m, 'DEBUG_BYTECODE_SUFFIXES', m.BYTECODE_SUFFIXES))
    optimized_bytecode = list(getattr(m, 'OPTIMIZED_BYTECODE_SUFFIXES', m.BYTECODE_SUFFIXES))
libpl = sysconfig.get_config_var('LIBPL')
impl = sys.implementation
print(json.dumps({
    'version': '%d.%d.%d' % sys.version_info[:3],
    'abiflags': sys.abiflags,
    'implName': impl.name,
    'cacheTag': impl.cache_tag,
    'hexversion': impl.hexversion,
    'implVersion': [str(x) for x in impl.version],
    'platform': sysconfig.get_platform(),
    'magic': importlib.util.MAGIC_NUMBER.hex(),
    'suffixes': {
        'bytecode': list(m.BYTECODE_SUFFIXES),
        'debug_bytecode': debug_bytecode,
        'extension': list(m.EXTENSION_SUFFIXES),
        'optimized_bytecode': optimized_bytecode,
        'source': list(m.SOURCE_SUFFIXES),
    },
    'paths': {k: rel(v) for k, v in paths.items()},
    'pathsAbstract': sysconfig.get_paths(expand=False),
    'configVars': {k: configured(str(v)) for k, v in sysconfig.get_config_vars().items()},
    'libpl': rel(libpl) if libpl and os.path.isdir(libpl) else None,
    'testPackages': tests,
    'builtinModuleNames': sorted(sys.builtin_module_names),
}))
`;

function runtimeFacts(text: string, file: string): RuntimeFacts {
  const v = parseJson(text, file);
  const bad = (what: string): never => {
    throw new CpmError(`unexpected output from the staged interpreter (${what})`, { file });
  };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad('not an object');
  const str = (x: unknown, what: string): string => (typeof x === 'string' ? x : bad(what));
  const strs = (x: unknown, what: string): string[] => (Array.isArray(x) ? x.map((e) => str(e, what)) : bad(what));
  const record = <T>(x: unknown, what: string, each: (e: unknown, what: string) => T): Record<string, T> => {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return bad(what);
    return Object.fromEntries(Object.entries(x).map(([k, e]) => [k, each(e, `${what}.${k}`)]));
  };
  return {
    version: str(v.version, 'version'),
    abiflags: str(v.abiflags, 'abiflags'),
    implName: str(v.implName, 'implName'),
    cacheTag: str(v.cacheTag, 'cacheTag'),
    hexversion: typeof v.hexversion === 'number' ? v.hexversion : bad('hexversion'),
    implVersion: strs(v.implVersion, 'implVersion'),
    platform: str(v.platform, 'platform'),
    magic: str(v.magic, 'magic'),
    suffixes: record(v.suffixes, 'suffixes', strs),
    paths: record(v.paths, 'paths', str),
    pathsAbstract: record(v.pathsAbstract, 'pathsAbstract', str),
    configVars: record(v.configVars, 'configVars', str),
    libpl: v.libpl === null ? null : str(v.libpl, 'libpl'),
    testPackages: strs(v.testPackages, 'testPackages'),
    builtinModuleNames: strs(v.builtinModuleNames, 'builtinModuleNames'),
  };
}

/** The test harness of the distribution (PYTHON.json run_tests): regrtest with the interpreter that runs it. */
const RUN_TESTS = `"""Run CPython's test suite (regrtest) with this distribution's interpreter.

    install/bin/python3 build/run_tests.py [regrtest arguments]

Without arguments: -j0 -w -u all,-largefile,-audio,-gui (every test, in parallel, re-running failures).
Written by cpython-meson dist (PYTHON.json run_tests).
"""
import os
import sys

args = sys.argv[1:] or ['-j0', '-w', '-u', 'all,-largefile,-audio,-gui']
os.execv(sys.executable, [sys.executable, '-m', 'test', *args])
`;

/**
 * crt_features of format 8: how the interpreter and the shared modules link the C runtime, read
 * from their dynamic sections and versioned symbols (objdump -p, objdump -T).
 */
async function crtFeatures(system: string, binaries: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  if (system === 'darwin') return ['libSystem'];
  if (system !== 'linux') return [];
  const objdump = await tool('objdump', env, 'needed to read how the binaries link the C library (crt_features)');
  const needed = new Set<string>();
  let glibcMax: number[] | null = null;
  let dynamic = false;
  for (const bin of binaries) {
    const headers = await run(objdump, ['-p', bin], env);
    for (const m of headers.matchAll(/^\s*NEEDED\s+(\S+)/gm)) if (m[1]) needed.add(m[1]);
    if (/^Dynamic Section:/m.test(headers)) dynamic = true;
    const symbols = await run(objdump, ['-T', bin], env).catch(() => '');
    for (const m of symbols.matchAll(/\bGLIBC_(\d+(?:\.\d+)*)\b/g)) {
      const v = (m[1] ?? '').split('.').map(Number);
      if (!glibcMax || compareVersions(v, glibcMax) > 0) glibcMax = v;
    }
  }
  if (!dynamic) return ['static'];
  if (needed.has('libc.so.6')) return glibcMax ? ['glibc-dynamic', `glibc-max-symbol-version:${glibcMax.join('.')}`] : ['glibc-dynamic'];
  if ([...needed].some((n) => /^libc\.musl-.*\.so\.1$|^libc\.so$/.test(n))) return ['musl-dynamic'];
  return [];
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Regular files (not symlinks) ending in .so under dir. */
async function sharedObjects(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && /\.so(\.\d+)*$/.test(e.name)) found.push(p);
    }
  };
  await walk(dir);
  return found.sort();
}

/**
 * The exe wrapper of a cross build, read from the cross files `meson setup` recorded in
 * meson-private/cmd_line.txt ([] for a native build): the staged interpreter runs through it, so
 * what it reports (platform, suffixes, config vars) is the target's.
 */
export async function exeWrapperOf(buildDir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const files = recordedCrossFiles(buildDir);
  if (files.length === 0) return [];
  let wrapper: string[] | null = null;
  for (const file of files) {
    if (!existsSync(file)) throw new CpmError(`the cross file of this build is gone; expected it to name the exe wrapper`, { file });
    wrapper = crossBinaries(await readFile(file, 'utf8'), file).get('exe_wrapper') ?? wrapper;
  }
  const first = wrapper?.[0];
  if (!wrapper || first === undefined) {
    throw new CpmError('a cross build whose cross file has no exe_wrapper: dist runs the staged interpreter to describe it', { file: files.join(', ') });
  }
  const found = onPath(first, env);
  if (found === null) throw new CpmError(`the cross file's exe wrapper ${first} is not on PATH; install it (docs/cross.md says which package)`, { file: files.join(', ') });
  return [found, ...wrapper.slice(1)];
}

export interface DistResult {
  pythonDir: string;
  pythonJson: string;
  archive: string | null;
}

export async function runDist(options: DistOptions, deps: DistDeps): Promise<DistResult> {
  const env = deps.env;
  const given = path.resolve(deps.cwd, options.builddir);
  const infoFile = path.join(given, 'meson-info', 'meson-info.json');
  if (!existsSync(infoFile)) throw new CpmError('not a configured Meson build directory (no meson-info/meson-info.json)', { file: options.builddir });
  const distInfoFile = path.join(given, DIST_INFO_FILE);
  if (!existsSync(distInfoFile)) {
    throw new CpmError(`no ${DIST_INFO_FILE}: configure this build from files generated by this cpython-meson (generate, then meson setup --reconfigure)`, { file: options.builddir });
  }
  // The directories as Meson knows them (the introspection's paths start with these).
  const mesonInfo = parseJson(await readFile(infoFile, 'utf8'), infoFile);
  const dirs = typeof mesonInfo === 'object' && mesonInfo !== null && !Array.isArray(mesonInfo) ? mesonInfo.directories : undefined;
  const dir = (key: string): string | null => (typeof dirs === 'object' && dirs !== null && !Array.isArray(dirs) && typeof dirs[key] === 'string' ? String(dirs[key]) : null);
  const sourceDir = dir('source');
  const buildDir = dir('build');
  if (!sourceDir || !buildDir) throw new CpmError('expected directories.source and directories.build', { file: infoFile });

  const meson = await tool('meson', env, 'needed to introspect and install the build');
  const info = parseDistInfo(await readFile(distInfoFile, 'utf8'), distInfoFile);

  const outDir = path.resolve(deps.cwd, options.out);
  const pythonDir = path.join(outDir, 'python');
  if (existsSync(pythonDir)) {
    if (!options.force) throw new CpmError('exists; pass --force to replace it', { file: pythonDir, exitCode: ExitCode.refused });
    await rm(pythonDir, { recursive: true, force: true });
  }
  await mkdir(outDir, { recursive: true });

  // Stage the install (meson install rebuilds what is out of date first), then move the prefix.
  deps.out(`staging meson install of ${buildDir}`);
  const stage = await mkdtemp(path.join(outDir, '.stage-'));
  try {
    await run(meson, ['install', '-C', buildDir, '--destdir', stage, '--quiet'], env);
    // Introspect after the install: a rebuild may have reconfigured the build.
    const intro = parseIntrospection(await run(meson, ['introspect', '--targets', '--dependencies', '--projectinfo', '--buildoptions', '--machines', buildDir], env));
    const prefix = intro.options.get('prefix');
    const bindir = intro.options.get('bindir');
    if (typeof prefix !== 'string' || !path.isAbsolute(prefix) || typeof bindir !== 'string') throw new CpmError('expected the prefix and bindir options in the introspection', { file: buildDir });
    await mkdir(pythonDir, { recursive: true });
    const installDir = path.join(pythonDir, 'install');
    await rename(path.join(stage, prefix), installDir);

    // The staged interpreter reports its own version and paths (and so proves it runs from there).
    const exe = path.join(installDir, bindir, 'python3');
    const wrapper = await exeWrapperOf(buildDir, env);
    const factsCmd = [...wrapper, exe, '-I', '-c', FACTS_SCRIPT, installDir, prefix];
    const factsText = await run(factsCmd[0] ?? exe, factsCmd.slice(1), { PATH: env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' });
    const runtime = runtimeFacts(factsText, exe);
    // The binaries of the distribution: the interpreter (a symlink python3 -> the real file) and the shared modules.
    const binaries = [await realpath(exe), ...(await sharedObjects(installDir))];
    const crt = await crtFeatures(intro.hostSystem, [...new Set(binaries)], env);

    const objects = new Map<IntroTarget, string[]>();
    const suffix = 'o';
    for (const t of intro.targets) objects.set(t, await objectsIn(t, suffix));
    const licensePath = 'licenses/LICENSE.cpython.txt';
    const runTests = 'build/run_tests.py';
    const { json, extra, files } = buildPythonJson({
      intro,
      info,
      buildDir,
      prefix,
      objectsOf: (t) => objects.get(t) ?? [],
      runtime,
      generator: deps.generator,
      licensePath,
      crtFeatures: crt,
      runTests,
      inittab: parseInittab(await readFile(path.join(buildDir, 'config.c'), 'utf8')),
    });
    // What python-build-standalone's reader would reject is a bug here: never write it.
    const invalid = validatePbsPythonJson(JSON.parse(JSON.stringify(json)));
    if (invalid.length) throw new CpmError(`the PYTHON.json written would not read as format ${PBS_FORMAT_VERSION}: ${invalid.slice(0, 5).join('; ')}`);

    for (const [dest, src] of files.copies) {
      const to = path.join(pythonDir, dest);
      await mkdir(path.dirname(to), { recursive: true });
      await copyFile(src, to);
    }
    if (files.archives.size) {
      const ar = await tool('ar', env, 'needed to archive the bundled libraries');
      for (const [dest, objs] of files.archives) {
        const to = path.join(pythonDir, dest);
        await mkdir(path.dirname(to), { recursive: true });
        await rm(to, { force: true });
        await run(ar, ['rcs', to, ...objs], env);
      }
    }
    await mkdir(path.join(pythonDir, 'licenses'), { recursive: true });
    await copyFile(path.join(sourceDir, 'LICENSE'), path.join(pythonDir, licensePath));
    await writeFile(path.join(pythonDir, runTests), RUN_TESTS);
    const missing = pathsNamed(json).filter((p) => !existsSync(path.join(pythonDir, p)));
    if (missing.length) throw new CpmError(`PYTHON.json names paths the distribution lacks: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` (${missing.length} in all)` : ''}`, { file: pythonDir });
    const pythonJson = path.join(pythonDir, 'PYTHON.json');
    await writeFile(pythonJson, `${JSON.stringify(json, null, 2)}\n`);
    await writeFile(path.join(pythonDir, CPM_JSON_FILE), `${JSON.stringify(extra, null, 2)}\n`);
    deps.out(`wrote ${pythonJson}`);

    let archive: string | null = null;
    if (options.archive !== 'none') {
      const tar = await tool('tar', env, 'needed to write the archive');
      const zstd = options.archive === 'gz' ? null : await findTool('zstd', { env });
      if (options.archive === 'zst' && !zstd) throw new CpmError('zstd not found on PATH (--archive zst); install zstd or use --archive gz', { exitCode: ExitCode.toolFailed });
      const ext = zstd ? 'tar.zst' : 'tar.gz';
      archive = path.join(outDir, `cpython-${json.python_version}-${json.target_triple}.${ext}`);
      await rm(archive, { force: true });
      // python/PYTHON.json first (python-build-standalone's validator reads it from the first entry), once.
      const rest = (await readdir(pythonDir)).filter((n) => n !== 'PYTHON.json').sort().map((n) => `python/${n}`);
      await run(tar, [zstd ? '--zstd' : '--gzip', '-cf', archive, '-C', outDir, 'python/PYTHON.json', ...rest], env);
      deps.out(`wrote ${archive}`);
    }
    return { pythonDir, pythonJson, archive };
  } catch (err) {
    // Never leave a half-written distribution behind.
    await rm(pythonDir, { recursive: true, force: true });
    throw err;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
