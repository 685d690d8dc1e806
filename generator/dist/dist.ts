// `cpython-meson dist <builddir> --out <dir>`: stages `meson install --destdir` of a built tree
// and writes a distribution in the spirit of python-build-standalone:
//   <out>/python/install/       the installed tree (relocatable)
//   <out>/python/build/         object files, config.c and static libraries to relink with
//   <out>/python/licenses/      the CPython license
//   <out>/python/PYTHON.json    what it is and how to relink it (docs/distribution.md)
//   <out>/cpython-<version>-<triple>.tar.zst (or .tar.gz) of python/
// Tools that fail exit 4 with the command; a directory that is not a configured build exits 2.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CpmError, ExitCode } from '../errors.js';
import { findTool } from '../util/tools.js';
import { parseDistInfo, parseIntrospection, parseJson, type IntroTarget } from './introspect.js';
import { buildPythonJson, type RuntimeFacts } from './python-json.js';

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

// Run by the staged interpreter: its version and sysconfig paths (relative to the install root).
const FACTS_SCRIPT = `
import json, os, sys, sysconfig
root = sys.argv[1]
keys = ['SOABI', 'EXT_SUFFIX', 'MULTIARCH', 'HOST_GNU_TYPE', 'LDVERSION', 'LDLIBRARY', 'LIBPL', 'VERSION']
print(json.dumps({
    'version': '%d.%d.%d' % sys.version_info[:3],
    'abiflags': sys.abiflags,
    'cacheTag': sys.implementation.cache_tag,
    'paths': {k: os.path.relpath(v, root) for k, v in sysconfig.get_paths().items()},
    'configVars': {k: str(sysconfig.get_config_var(k)) for k in keys if sysconfig.get_config_var(k) is not None},
    'builtinModuleNames': sorted(sys.builtin_module_names),
}))
`;

function runtimeFacts(text: string, file: string): RuntimeFacts {
  const v = parseJson(text, file);
  const bad = (): never => {
    throw new CpmError('unexpected output from the staged interpreter', { file });
  };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad();
  const str = (x: unknown): string => (typeof x === 'string' ? x : bad());
  const record = (x: unknown, prefix: string): Record<string, string> => {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return bad();
    return Object.fromEntries(Object.entries(x).map(([k, val]) => [k, `${prefix}${str(val)}`]));
  };
  const names = v.builtinModuleNames;
  return {
    version: str(v.version),
    abiflags: str(v.abiflags),
    cacheTag: str(v.cacheTag),
    paths: Object.fromEntries(Object.entries(record(v.paths, 'install/')).map(([k, p]) => [k, path.posix.normalize(p)])),
    configVars: record(v.configVars, ''),
    builtinModuleNames: Array.isArray(names) ? names.map(str) : bad(),
  };
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
    const factsText = await run(exe, ['-I', '-c', FACTS_SCRIPT, installDir], { PATH: env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' });
    const runtime = runtimeFacts(factsText, exe);

    const objects = new Map<IntroTarget, string[]>();
    const suffix = 'o';
    for (const t of intro.targets) objects.set(t, await objectsIn(t, suffix));
    const licensePath = 'licenses/LICENSE.cpython.txt';
    const { json, files } = buildPythonJson({
      intro,
      info,
      buildDir,
      prefix,
      objectsOf: (t) => objects.get(t) ?? [],
      runtime,
      generator: deps.generator,
      licensePath,
    });

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
    const pythonJson = path.join(pythonDir, 'PYTHON.json');
    await writeFile(pythonJson, `${JSON.stringify(json, null, 2)}\n`);
    deps.out(`wrote ${pythonJson}`);

    let archive: string | null = null;
    if (options.archive !== 'none') {
      const tar = await tool('tar', env, 'needed to write the archive');
      const zstd = options.archive === 'gz' ? null : await findTool('zstd', { env });
      if (options.archive === 'zst' && !zstd) throw new CpmError('zstd not found on PATH (--archive zst); install zstd or use --archive gz', { exitCode: ExitCode.toolFailed });
      const ext = zstd ? 'tar.zst' : 'tar.gz';
      archive = path.join(outDir, `cpython-${json.python_version}-${json.target_triple}.${ext}`);
      await rm(archive, { force: true });
      await run(tar, [zstd ? '--zstd' : '--gzip', '-cf', archive, '-C', outDir, 'python'], env);
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
