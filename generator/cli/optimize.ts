// `cpython-meson build --optimized`: the three stages of configure's `--enable-optimizations
// --with-lto` (`make profile-opt`) done with Meson's own PGO and LTO options on one build dir:
//
//   1. instrumented build   meson setup -Doptimizations=true -Db_pgo=generate -Db_lto=false; ninja
//   2. training run         <builddir>/python $(PROFILE_TASK)   (configure.ac's default: -m test --pgo)
//   3. optimized rebuild    meson configure -Db_pgo=use -Db_lto=true; ninja
//   4. check                every object linked into python was compiled with profile data
//
// The instrumented build skips LTO (configure LTOs it too): the profile is recorded per
// translation unit before link-time optimization, so LTO there would only slow the build down.
// Every stage logs to <builddir>/meson-logs/pgo-<stage>.log; a failing stage, an empty profile or
// an object of the interpreter built without profile data (gcc's -Wmissing-profile) fails the
// command naming the stage and its log: never a silently unoptimized result.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { CpmError, ExitCode } from '../errors.js';
import type { ProfileTask } from '../scan/profile-task.js';
import { runTool } from '../util/run.js';
import { findTool } from '../util/tools.js';

export interface OptimizeContext {
  meson: string;
  ninja: string;
  checkout: string;
  builddir: string;
  /** The checkout's training task (scan/profile-task.ts), read by the caller before anything is built. */
  task: ProfileTask;
  /** The user's -Dopt=val arguments; they come after ours, so they win. */
  defines: string[];
  env: NodeJS.ProcessEnv;
  /** Starts a progress step ("[n/N] what") and ends it with its elapsed time. */
  step: (what: string) => void;
  done: (what?: string) => void;
  out: (line: string) => void;
}

export interface OptimizeReport {
  compiler: string;
  trainingArgs: string[];
  /** Objects linked into python, how many were compiled with profile data, how many have no code to profile. */
  interpreterObjects: number;
  profiledObjects: number;
  codelessObjects: number;
  /** Objects of shared extension modules the training run never loaded (no profile; like make). */
  unprofiledModuleObjects: number;
}

/** The stages `build --optimized` runs, for the progress counter. */
export const OPTIMIZED_STAGES = 4;

function stageError(stage: string, log: string, what: string): CpmError {
  return new CpmError(`${stage}: ${what} (log: ${log})`, { exitCode: ExitCode.toolFailed });
}

/** Runs a command with stdout+stderr into `log` (and, for ninja, its status lines to `out` every 30 s). */
function runLogged(cmd: string, args: string[], log: string, ctx: OptimizeContext, cwd?: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const file = createWriteStream(log);
    file.write(`$ ${[cmd, ...args].join(' ')}\n`);
    const child = spawn(cmd, args, { cwd, env: { ...ctx.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let last = '';
    let lastShown = Date.now();
    const onData = (d: Buffer): void => {
      file.write(d);
      const text = d.toString();
      const lines = text.split('\n').filter((l) => l.trim());
      if (lines.length) last = lines[lines.length - 1] ?? last;
      if (Date.now() - lastShown > 30_000) {
        lastShown = Date.now();
        ctx.out(`      ... ${last.slice(0, 110)}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => {
      file.end();
      reject(new CpmError(`${cmd}: ${err.message}`, { exitCode: ExitCode.toolFailed }));
    });
    child.on('close', (code) => file.end(() => resolve(code)));
  });
}

async function introspectCompiler(ctx: OptimizeContext): Promise<string> {
  const r = await runTool(ctx.meson, ['introspect', '--compilers', ctx.builddir], { env: ctx.env });
  try {
    const parsed = JSON.parse(r.stdout) as { host?: { c?: { id?: string } } };
    return parsed.host?.c?.id ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function walk(dir: string, visit: (file: string) => void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, visit);
    else visit(p);
  }
}

/** The object files (relative to the build dir) whose compile commands `ninja -t commands python` lists. */
async function interpreterObjects(ctx: OptimizeContext): Promise<string[]> {
  const r = await runTool(ctx.ninja, ['-C', ctx.builddir, '-t', 'commands', 'python'], { env: ctx.env });
  const objects = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    if (!/\s-c\s/.test(` ${line} `)) continue;
    const o = /\s-o\s+(\S+\.o)\b/.exec(line);
    if (o?.[1] && linkedIntoPython(o[1])) objects.add(o[1]);
  }
  return [...objects].sort();
}

/**
 * Whether an object (by Meson's private directory `<target>.p/`) is linked into python: objects
 * of libraries (`.a`, `.so`) and of python itself are; those of other programs the build needs
 * first (`_freeze_module`, whose frozen headers python depends on) are not.
 */
export function linkedIntoPython(object: string): boolean {
  const target = /^(?:.*\/)?([^/]+)\.p\//.exec(object)?.[1];
  if (target === undefined) return true;
  return target === 'python' || /\.(a|so)(\.|$)/.test(target);
}

/** Runs stages 1–4 on ctx.builddir (fresh or already configured) and returns what was checked. */
export async function optimizedBuild(ctx: OptimizeContext): Promise<OptimizeReport> {
  const { task } = ctx;
  const logs = path.join(ctx.builddir, 'meson-logs');
  const configured = existsSync(path.join(ctx.builddir, 'build.ninja'));

  // 1. Instrumented build.
  ctx.step(`instrumented build: meson ${configured ? 'configure' : 'setup'} -Doptimizations=true -Db_pgo=generate -Db_lto=false; ninja`);
  const genOptions = ['-Doptimizations=true', '-Db_pgo=generate', '-Db_lto=false', ...ctx.defines];
  await mkdir(logs, { recursive: true });
  let log = path.join(logs, 'pgo-setup.log');
  const setupArgs = configured ? ['configure', ctx.builddir, ...genOptions] : ['setup', ctx.builddir, ctx.checkout, ...genOptions];
  if ((await runLogged(ctx.meson, setupArgs, log, ctx)) !== 0) throw stageError('instrumented build', log, `meson ${setupArgs[0]} failed`);
  const compiler = await introspectCompiler(ctx);
  if (compiler !== 'gcc' && compiler !== 'clang') {
    throw new CpmError(`--optimized needs gcc or clang for PGO (Meson's b_pgo); this build's C compiler is "${compiler}": set CC=gcc`, { exitCode: ExitCode.toolFailed });
  }
  let profdata: string | null = null;
  if (compiler === 'clang') {
    profdata = (await findTool('llvm-profdata')) ?? null;
    if (!profdata) {
      throw new CpmError('--optimized with clang needs llvm-profdata on PATH to merge the profile: apt-get install llvm (or llvm-NN matching clang-NN)', { exitCode: ExitCode.toolFailed });
    }
  }
  // Profiles of an earlier training would be merged into this one (make's profile-removal).
  walk(ctx.builddir, (f) => {
    if (f.endsWith('.gcda') || f.endsWith('.profraw')) rmSync(f, { force: true });
  });
  log = path.join(logs, 'pgo-instrumented-ninja.log');
  if ((await runLogged(ctx.ninja, ['-C', ctx.builddir], log, ctx)) !== 0) throw stageError('instrumented build', log, 'ninja failed');
  // As with make, the runs of the instrumented freezer during the build stay in the profile
  // (deleting them before training was measured to change nothing).
  ctx.done();

  // 2. Training run: the interpreter runs CPython's profile task from the build dir.
  const python = path.join(ctx.builddir, 'python');
  ctx.step(`training run: ${['python', ...task.args].join(' ')} (PROFILE_TASK of ${task.origin})`);
  log = path.join(logs, 'pgo-training.log');
  const profiles = path.join(ctx.builddir, 'pgo-profiles');
  await rm(profiles, { recursive: true, force: true });
  const trainingEnv: NodeJS.ProcessEnv = compiler === 'clang' ? { LLVM_PROFILE_FILE: path.join(profiles, 'python-%p-%m.profraw') } : {};
  const code = await runLogged(python, task.args, log, ctx, ctx.builddir, trainingEnv);
  if (code !== 0) throw stageError('training run', log, `${['python', ...task.args].join(' ')} exited with status ${code}`);
  if (compiler === 'gcc') {
    let gcda = 0;
    walk(ctx.builddir, (f) => {
      if (f.endsWith('.gcda')) gcda++;
    });
    if (gcda === 0) throw stageError('training run', log, 'no profile data (.gcda files) was written: was the build instrumented?');
    ctx.done(`${gcda} profile files`);
  } else {
    const raw = existsSync(profiles) ? readdirSync(profiles).filter((f) => f.endsWith('.profraw')).map((f) => path.join(profiles, f)) : [];
    if (raw.length === 0) throw stageError('training run', log, `no profile data (.profraw files) in ${profiles}`);
    // Meson's -fprofile-use for clang reads default.profdata in the build directory.
    const merged = path.join(ctx.builddir, 'default.profdata');
    const mlog = path.join(logs, 'pgo-merge.log');
    if ((await runLogged(profdata as string, ['merge', `-output=${merged}`, ...raw], mlog, ctx)) !== 0) throw stageError('profile merge', mlog, 'llvm-profdata merge failed');
    ctx.done(`${raw.length} raw profiles merged into ${merged}`);
  }

  // 3. Optimized rebuild with the profile and LTO.
  ctx.step('optimized build: meson configure -Db_pgo=use -Db_lto=true; ninja');
  log = path.join(logs, 'pgo-configure.log');
  const useOptions = ['-Db_pgo=use', '-Db_lto=true', ...ctx.defines.filter((d) => !/^-Db_(pgo|lto)=/.test(d))];
  if ((await runLogged(ctx.meson, ['configure', ctx.builddir, ...useOptions], log, ctx)) !== 0) throw stageError('optimized build', log, 'meson configure failed');
  log = path.join(logs, 'pgo-optimized-ninja.log');
  if ((await runLogged(ctx.ninja, ['-C', ctx.builddir], log, ctx)) !== 0) throw stageError('optimized build', log, 'ninja failed');
  ctx.done();

  // 4. Check the profile was used for every object of the interpreter.
  ctx.step('checking that the interpreter was built with the profile');
  const objects = await interpreterObjects(ctx);
  const ninjaLog = await readFile(log, 'utf8');
  const missing = new Set<string>();
  for (const m of ninjaLog.matchAll(/[‘'"]([^’'"]+\.gcda)[’'"] profile count data file not found/g)) {
    missing.add(path.relative(ctx.builddir, path.resolve(ctx.builddir, m[1] ?? '')));
  }
  // gcc warns (-Wmissing-profile) for a translation unit with functions but no profile; a unit
  // without functions (data only, or code #ifdef'd out, e.g. Python/jit.c without the JIT) gets
  // neither a .gcda file nor a warning.
  let profiled = 0;
  let codeless = 0;
  const unprofiled: string[] = [];
  for (const o of objects) {
    const gcda = o.replace(/\.o$/, '.gcda');
    if (compiler !== 'gcc' || existsSync(path.join(ctx.builddir, gcda))) profiled++;
    else if (missing.has(gcda)) unprofiled.push(o);
    else codeless++;
  }
  if (unprofiled.length > 0) {
    throw stageError('profile check', log, `${unprofiled.length} of ${objects.length} objects linked into python have no profile data (first: ${unprofiled[0]})`);
  }
  const interpreterSet = new Set(objects.map((o) => o.replace(/\.o$/, '.gcda')));
  const moduleMissing = [...missing].filter((g) => !interpreterSet.has(g)).length;
  ctx.done(
    `profile check: ${profiled} objects linked into python compiled with profile data, ${codeless} with no code to profile, 0 missing` +
      (moduleMissing ? `; ${moduleMissing} objects of shared modules the training never loaded have none (as with make)` : ''),
  );
  return { compiler, trainingArgs: task.args, interpreterObjects: objects.length, profiledObjects: profiled, codelessObjects: codeless, unprofiledModuleObjects: moduleMissing };
}
