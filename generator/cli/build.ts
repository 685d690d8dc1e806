// `cpython-meson build`: tools check -> source (given checkout, or a copy of the pristine tree
// from the cache) -> generate -> meson setup -> ninja -> run the built python once.
// Each step prints a progress line and its elapsed seconds; a failing tool exits 4 naming the command.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { CpmError, ExitCode } from '../errors.js';
import { checkCPythonVersion, DEFAULT_CPYTHON_VERSION, defaultCacheDir, isCPythonTree, obtainCPython } from '../util/cpython-source.js';
import { requireTools, type Tools } from '../util/tools.js';
import { readProfileTask } from '../scan/profile-task.js';
import { OPTIMIZED_STAGES, optimizedBuild } from './optimize.js';
import { onPath, recordedCrossFiles, resolveCross } from './cross.js';
import { checkoutDir, parseArgs, usageError, type CliDeps, type CommandText } from './shared.js';

export interface BuildOptions {
  /** CPython checkout as given on the command line; null: obtain the pristine source. */
  checkout: string | null;
  /** Build directory as given; null: <checkout>/build, or ./build-cpython-<version> without a checkout. */
  builddir: string | null;
  /** Version to obtain when there is no checkout; null: DEFAULT_CPYTHON_VERSION. */
  cpythonVersion: string | null;
  /** "opt=val" strings, passed to meson setup as -Dopt=val. */
  mesonOptions: string[];
  force: boolean;
  /** PGO + LTO in three stages (configure's --enable-optimizations --with-lto); see cli/optimize.ts. */
  optimized?: boolean;
  /** Cross target: a cross file of meson-templates/cross/ (generator/cli/cross.ts). */
  cross?: string | null;
  /** With `cross`: the build machine's Python of the same X.Y (configure's --with-build-python). */
  buildPython?: string | null;
  /** <builddir>/python is one file carrying the stdlib (SINGLE_FILE_OPTIONS; docs/single-file.md). */
  singleFile?: boolean;
}

/**
 * What --single-file adds to meson setup: the stdlib zip appended to python, static libraries
 * where the system has them, no test modules (shared modules, which a single file cannot hold).
 * Options given with -D come after these, so they win.
 */
export const SINGLE_FILE_OPTIONS = ['stdlib=embedded', 'prefer_static=true', 'test_modules=false'] as const;

export interface BuildDeps extends CliDeps {
  /** Overridable for tests. */
  requireTools?: (options: { env: NodeJS.ProcessEnv }) => Promise<Tools>;
  /** meson's and ninja's output: straight to our stdout/stderr (default), or line by line through `out`. */
  toolOutput?: 'inherit' | 'lines';
}

/** The runner of `cpython-meson build`: parses the arguments, then runBuild(). */
export async function cmdBuild(args: readonly string[], deps: CliDeps, command: CommandText): Promise<number> {
  const a = parseArgs(command.usage, args, { flags: ['--force', '--optimized', '--single-file'], values: ['--cpython-version', '--cross', '--build-python'], defines: true });
  if (a.help) {
    deps.out(command.help());
    return ExitCode.ok;
  }
  if (a.positionals.length > 2) throw usageError(command.usage, `unexpected argument ${JSON.stringify(a.positionals[2])}`);
  return runBuild(
    {
      checkout: a.positionals[0] ?? null,
      builddir: a.positionals[1] ?? null,
      cpythonVersion: a.values.get('--cpython-version') ?? null,
      mesonOptions: a.defines,
      force: a.flags.has('--force'),
      optimized: a.flags.has('--optimized'),
      cross: a.values.get('--cross') ?? null,
      buildPython: a.values.get('--build-python') ?? null,
      singleFile: a.flags.has('--single-file'),
    },
    deps,
  );
}

export const HELLO_SCRIPT = "print('hello from', __import__('sys').version)";

/** A shell-readable rendering of a command, for progress and error lines. */
export function showCommand(cmd: string, args: readonly string[]): string {
  return [cmd, ...args].map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** Runs a command with its output streamed to ours; non-zero exit or spawn failure -> CpmError exit 4. */
function stream(cmd: string, args: readonly string[], deps: BuildDeps): Promise<void> {
  const shown = showCommand(cmd, args);
  const lines = deps.toolOutput === 'lines';
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', lines ? 'pipe' : 'inherit', lines ? 'pipe' : 'inherit'], env: deps.env });
    if (lines) {
      for (const s of [child.stdout, child.stderr]) {
        let partial = '';
        s?.setEncoding('utf8').on('data', (d: string) => {
          const parts = (partial + d).split('\n');
          partial = parts.pop() ?? '';
          for (const l of parts) deps.out(l);
        });
        s?.on('end', () => {
          if (partial) deps.out(partial);
        });
      }
    }
    child.on('error', (err) => {
      reject(new CpmError(`\`${shown}\` could not be started: ${err.message}`, { file: path.basename(cmd), exitCode: ExitCode.toolFailed }));
    });
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else {
        const how = signal ? `was killed by ${signal}` : `failed with exit status ${code}`;
        reject(new CpmError(`\`${shown}\` ${how} (see its output above)`, { file: path.basename(cmd), exitCode: ExitCode.toolFailed }));
      }
    });
  });
}

/** Runs a command collecting its output. */
function capture(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => {
      reject(new CpmError(`\`${showCommand(cmd, args)}\` could not be started: ${err.message}`, { file: cmd, exitCode: ExitCode.toolFailed }));
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** True when `builddir` holds a configured meson build. */
export function isConfiguredBuildDir(builddir: string): boolean {
  return existsSync(path.join(builddir, 'meson-private', 'coredata.dat'));
}

/** A private copy of the pristine tree (generated files never go into the cache's pristine tree). */
async function workCopy(pristine: string, version: string, cacheDir: string, log: (l: string) => void): Promise<string> {
  const work = path.join(cacheDir, 'work', `Python-${version}`);
  if (isCPythonTree(work, version)) return work;
  log(`      copying the pristine source to ${work}`);
  const tmp = `${work}.tmp-${process.pid}`;
  await mkdir(path.dirname(work), { recursive: true });
  await rm(tmp, { recursive: true, force: true });
  await cp(pristine, tmp, { recursive: true });
  await rm(work, { recursive: true, force: true });
  await rename(tmp, work);
  return work;
}

export async function runBuild(options: BuildOptions, deps: BuildDeps): Promise<number> {
  const start = Date.now();
  const out = deps.out;
  for (const d of options.mesonOptions) {
    if (!/^[A-Za-z_][\w.:-]*=/.test(d)) throw new CpmError(`expected opt=val, got ${JSON.stringify(d)}`, { file: '-D' });
  }
  if (options.checkout !== null && options.cpythonVersion !== null) {
    throw new CpmError('only applies when no <checkout> is given (the checkout says its own version)', { file: '--cpython-version' });
  }
  if (options.cpythonVersion !== null) checkCPythonVersion(options.cpythonVersion);
  const crossTarget = options.cross ?? null;
  if (crossTarget === null && options.buildPython) {
    throw new CpmError('only applies to a cross build (--cross <target>); a native build freezes with its own _freeze_module', { file: '--build-python' });
  }
  if (crossTarget !== null && options.optimized) {
    throw new CpmError('--optimized cannot cross-compile: its training run executes the interpreter on the build machine', { file: '--cross' });
  }
  if (options.singleFile && options.optimized) {
    throw new CpmError(
      'cannot be combined with --optimized yet: the PGO training runs the test suite (Lib/test), which the single file does not carry; build the PGO + LTO interpreter with -D stdlib=embedded by hand (docs/single-file.md)',
      { file: '--single-file' },
    );
  }
  // A missing cross compiler or C library fails before anything is generated.
  const cross = crossTarget !== null ? resolveCross(crossTarget, deps.env) : null;
  // tools, source, generate, [build python,] [setup, ninja | the optimized stages], hello
  const total = 3 + (crossTarget !== null ? 1 : 0) + (options.optimized ? OPTIMIZED_STAGES : 2) + 1;
  let stepStart = Date.now();
  const step = (n: number, what: string): void => {
    stepStart = Date.now();
    out(`[${n}/${total}] ${what}`);
  };
  const done = (what = 'done'): void => out(`      ${what} (${seconds(stepStart)}, ${seconds(start)} total)`);

  step(1, 'checking for meson, ninja and a C compiler');
  const tools = await (deps.requireTools ?? requireTools)({ env: deps.env });
  done(`meson ${tools.mesonVersion} (${tools.meson}), ninja (${tools.ninja}), C compiler (${tools.cc})`);
  for (const note of cross?.notes ?? []) deps.err(`cpython-meson: note: ${note}`);

  let checkout: string;
  let checkoutArg: string;
  let version: string;
  if (options.checkout !== null) {
    step(2, `source: ${options.checkout}`);
    checkout = checkoutDir(options.checkout, deps.cwd);
    checkoutArg = options.checkout;
    version = '';
    done(checkout);
  } else {
    version = options.cpythonVersion ?? DEFAULT_CPYTHON_VERSION;
    step(2, `obtaining the CPython ${version} source`);
    const cacheDir = defaultCacheDir(deps.env);
    const pristine = await obtainCPython(version, cacheDir, { log: (l) => out(`      ${l}`), env: deps.env });
    checkout = await workCopy(pristine, version, cacheDir, out);
    checkoutArg = checkout;
    done(checkout);
  }
  const builddir = options.builddir !== null
    ? path.resolve(deps.cwd, options.builddir)
    : options.checkout !== null
      ? path.join(checkout, 'build')
      : path.resolve(deps.cwd, `build-cpython-${version}`);

  // A checkout without a training task fails now, not after the instrumented build.
  const task = options.optimized ? readProfileTask(checkout) : null;

  step(3, `generating the Meson files into ${checkout}`);
  // Loaded here, not at the top: the writer pulls in the whole pipeline, and the tools check above
  // must work (and fail helpfully) without it.
  const { formatReport, writeGenerated } = await import('../emit/write.js');
  const result = await deps.generate(checkout);
  const report = await writeGenerated(checkout, result.files, { force: options.force });
  out(`      CPython ${result.version.full} (manifest ${result.manifestSeries})`);
  for (const line of formatReport(report, checkoutArg)) out(`    ${line}`);
  for (const w of result.warnings) deps.err(`cpython-meson: warning: ${w}`);
  done();

  const defines = [...(options.singleFile ? SINGLE_FILE_OPTIONS : []), ...options.mesonOptions].map((d) => `-D${d}`);
  let n = 4;
  // Cross: the build machine's Python of the same X.Y freezes the modules (-Dbuild_python).
  const setupArgs: string[] = [];
  if (cross) {
    const xy = `${result.version.major}.${result.version.minor}`;
    step(n++, `build machine's Python ${xy} (freezes the modules)`);
    const buildPython = await findBuildPython(xy, options.buildPython ?? null, { checkout, builddir: `${builddir}-build-python`, tools, deps, out });
    setupArgs.push('--cross-file', cross.file, `-Dbuild_python=${buildPython}`);
    done(buildPython);
  }
  if (task) {
    // The three stages of `make profile-opt` on one build dir (generator/cli/optimize.ts).
    await optimizedBuild({
      meson: tools.meson,
      ninja: tools.ninja,
      checkout,
      builddir,
      task,
      defines,
      env: deps.env,
      step: (what) => step(n++, what),
      done,
      out,
    });
  } else {
    if (isConfiguredBuildDir(builddir)) {
      // Meson cannot switch a build dir between machines: a kept one must be for the same target.
      const recorded = recordedCrossFiles(builddir);
      const wanted = cross ? [cross.file] : [];
      if (recorded.join('\n') !== wanted.join('\n')) {
        const was = recorded.length ? `for the cross file ${recorded.join(', ')}` : 'for a native build';
        throw new CpmError(`is configured ${was}; ${cross ? `--cross ${cross.target}` : 'a native build'} needs another build dir`, { file: builddir });
      }
      if (defines.length) {
        const args = ['setup', '--reconfigure', builddir, checkout, ...defines];
        step(n++, showCommand('meson', args));
        await stream(tools.meson, args, deps);
        done();
      } else {
        step(n++, `meson setup: ${builddir} is already configured; kept (ninja re-runs meson when the build files change)`);
      }
    } else {
      const args = ['setup', builddir, checkout, ...setupArgs, ...defines];
      step(n++, showCommand('meson', args));
      await stream(tools.meson, args, deps);
      done();
    }

    step(n++, showCommand('ninja', ['-C', builddir]));
    await stream(tools.ninja, ['-C', builddir], deps);
    done();
  }

  // <builddir>/python, or python.wasm for WASI (the cross target's interpreter).
  const python = path.join(builddir, cross?.interpreter ?? 'python');
  // A cross build's interpreter runs through the cross file's exe wrapper, or not at all.
  const wrapper = cross ? cross.exeWrapper : [];
  const helloCmd = [...(wrapper ?? []), python, '-c', HELLO_SCRIPT];
  step(n, wrapper === null ? `${python}: not run (no exe wrapper)` : showCommand(helloCmd[0] ?? python, helloCmd.slice(1)));
  if (!existsSync(python)) {
    throw new CpmError('does not exist although ninja succeeded; expected the build to link the interpreter there', { file: python, exitCode: ExitCode.toolFailed });
  }
  if (wrapper === null) {
    done('skipped');
    out(`built ${python} in ${seconds(start)}`);
    return ExitCode.ok;
  }
  const hello = await capture(helloCmd[0] ?? python, helloCmd.slice(1), deps.env, builddir);
  if (hello.code !== 0) {
    const last = hello.stderr.trim().split('\n').pop() ?? '';
    throw new CpmError(`\`${showCommand(helloCmd[0] ?? python, helloCmd.slice(1))}\` failed with exit status ${hello.code}: ${last}`, { file: python, exitCode: ExitCode.toolFailed });
  }
  for (const line of hello.stdout.trimEnd().split('\n')) out(`      ${line}`);
  done();
  out(`built ${python} in ${seconds(start)}`);
  return ExitCode.ok;
}

/** `python -c` printing X.Y, or null when it cannot run. */
async function pythonVersion(python: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  try {
    const r = await capture(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], env, process.cwd());
    return r.code === 0 ? r.stdout.trim() : null;
  } catch {
    return null;
  }
}

/**
 * The build machine's Python of version `xy` for a cross build: the one given (checked), else
 * python<xy> on PATH, else a native build of the same checkout without the test modules in
 * `builddir` (kept: the next cross build reuses it).
 */
async function findBuildPython(
  xy: string,
  given: string | null,
  ctx: { checkout: string; builddir: string; tools: Tools; deps: BuildDeps; out: (l: string) => void },
): Promise<string> {
  const { deps } = ctx;
  if (given !== null) {
    const python = path.resolve(deps.cwd, given);
    const v = await pythonVersion(python, deps.env);
    if (v !== xy) {
      throw new CpmError(`${v === null ? 'does not run' : `is Python ${v}`}; the cross build needs a Python ${xy} for the build machine (configure --with-build-python)`, { file: given });
    }
    return python;
  }
  const onpath = onPath(`python${xy}`, deps.env);
  if (onpath !== null && (await pythonVersion(onpath, deps.env)) === xy) return onpath;
  ctx.out(`      no python${xy} on PATH: building one natively from the same checkout in ${ctx.builddir}`);
  if (!isConfiguredBuildDir(ctx.builddir)) {
    // Not -Dprofile=minimal: meson install byte-compiles with it, and compileall needs _struct.
    await stream(ctx.tools.meson, ['setup', ctx.builddir, ctx.checkout, '-Dtest_modules=false'], deps);
  }
  await stream(ctx.tools.ninja, ['-C', ctx.builddir], deps);
  return path.join(ctx.builddir, 'python');
}
