// `npm run bench`: times cpython-meson (generate, meson setup, a clean ninja build, a no-op ninja)
// against CPython's own autotools build (./configure, make -jN, a no-op make) on the same pristine
// source in the same run, and writes <out>/results.json and <out>/results.md with the
// meson/autotools ratios. Speed targets are checked here, never by timed unit tests.
//
// Each side builds in its own fresh copy of the pristine tree (CPython's in-tree configure makes a
// tree unusable for any other build). Every step runs under GNU time (`/usr/bin/time`) for its
// CPU time and peak RSS; its output goes to <out>/logs/<side>-<step>.log. A failing step ends its
// side with a one-line error naming the command, the directory and the log; the other side still
// runs and the partial results are written.
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, realpathSync, writeSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CpmError, ExitCode } from '../errors.js';
import { DEFAULT_CPYTHON_VERSION, defaultCacheDir, obtainCPython } from '../util/cpython-source.js';
import { findTool, requireTools } from '../util/tools.js';
import { renderSingleFile, singleFileBench } from './single-file.js';
import { compareSpeed, speedChartSvg, speedTable, type SpeedResult } from './speed.js';

// ---------------------------------------------------------------------------------------------
// Types

type Side = 'meson' | 'autotools';
type Phase = 'prep' | 'build' | 'noop';
/**
 * What is compared: 'default' = `./configure && make` vs a plain `meson setup` + ninja;
 * 'optimized' = `./configure --enable-optimizations --with-lto && make` (profile-opt) vs
 * `cpython-meson build --optimized` (PGO + LTO).
 */
export type Profile = 'default' | 'optimized';
const PROFILES: readonly Profile[] = ['default', 'optimized'];

interface BenchOptions {
  version: string;
  out: string;
  jobs: number;
  cacheDir: string;
  only: Side | null;
  keep: boolean;
  mesonArgs: string[];
  profiles: Profile[];
  /** Processes per workload and interpreter in the speed comparison (0: no speed comparison). */
  speedProcesses: number;
  /** --compare BASELINE,CANDIDATE: only compare the speed of two existing interpreters. */
  compare: [string, string] | null;
  /** --single-file: the single-file interpreter against the normal static build (single-file.ts). */
  singleFile: boolean;
  /** --startup-runs N: timed runs per interpreter and command of --single-file. */
  startupRuns: number;
}

interface StepSpec {
  side: Side;
  /** Short name, used for the log file: configure, make, make-noop, generate, setup, ninja, ninja-noop. */
  name: string;
  phase: Phase;
  /** What the one-line error and the tables call the step, e.g. "make -j2". */
  label: string;
  command: string;
  args: string[];
  cwd: string;
}

interface StepResult {
  side: Side;
  name: string;
  phase: Phase;
  label: string;
  command: string[];
  /** The command as the tables show it: <work>/ for the run's work directory, node for this node. */
  display: string;
  cwd: string;
  /** Wall-clock seconds, measured around the child by this process. */
  seconds: number;
  /** CPU seconds of the step's whole process tree, from GNU time (%U, %S). */
  userSeconds: number;
  systemSeconds: number;
  /** Peak resident set of the largest single process in the step's tree, from GNU time (%M). */
  maxRssKiB: number;
  /** 1-minute load average when the step ended: well above --jobs means other processes competed for the CPUs. */
  loadAtEnd: number;
  log: string;
}

interface Artifacts {
  /** Path of the built interpreter, or null if none was found. */
  python: string | null;
  pythonBytes: number | null;
  /** True if `python` loads a shared libpython (ldd), null if unknown. */
  sharedLibpython: boolean | null;
  /** `python -c "import sys; print(sys.version)"` exited 0. */
  runs: boolean;
  sysVersion: string | null;
  runError: string | null;
  /** .o files (regular files) in the build tree after the clean build: one per compiled C (or asm) source. */
  objectFiles: number;
  /** .so files (regular files, not symlinks, not lib*.so) in the build tree: shared extension modules. */
  sharedModules: number;
  /** Meson only: the number of ninja edges the clean build ran ("[N/M]"), null for autotools. */
  ninjaSteps: number | null;
  /** Meson only: the no-op ninja printed "ninja: no work to do.". */
  noopDidNothing: boolean | null;
}

export interface SideResult {
  side: Side;
  status: 'ok' | 'failed' | 'skipped';
  /** One-line reason when status is failed. */
  error: string | null;
  /** The step that failed (null if the side failed before its first step) and its log. */
  failedStep: { name: string; label: string; phase: Phase; log: string } | null;
  /** The copy of the pristine tree this side built in, and its build directory. */
  tree: string | null;
  buildDir: string | null;
  steps: StepResult[];
  artifacts: Artifacts | null;
}

interface PhaseTotal {
  seconds: number;
  /** User + system CPU seconds. */
  cpuSeconds: number;
  maxRssKiB: number;
}

export interface Ratio {
  name: string;
  description: string;
  autotoolsSeconds: number | null;
  mesonSeconds: number | null;
  /** meson / autotools wall-clock time: below 1 means meson was faster. */
  ratio: number | null;
  autotoolsCpuSeconds: number | null;
  mesonCpuSeconds: number | null;
  /** meson / autotools user + system CPU time: the work done, less disturbed by other load than wall time. */
  cpuRatio: number | null;
}

interface MachineInfo {
  platform: string;
  kernel: string;
  arch: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  /** 1-minute load average when the run started: well above 0 means something else was running. */
  loadAverageAtStart: number;
}

interface ToolVersions {
  meson: string | null;
  ninja: string | null;
  gcc: string | null;
  make: string | null;
}

export interface BenchResults {
  tool: 'cpython-meson bench';
  date: string;
  cpythonVersion: string;
  source: string;
  jobs: number;
  machine: MachineInfo;
  tools: ToolVersions;
  profile: Profile;
  commands: { autotools: string[]; meson: string[] };
  sides: { autotools: SideResult; meson: SideResult };
  ratios: Ratio[];
  /** Interpreter speed, meson's python against autotools' (null when a side failed or it was skipped). */
  speed: SpeedResult | null;
  speedError: string | null;
  interpretation: string;
}

// ---------------------------------------------------------------------------------------------
// Constants and small helpers

const GNU_TIME = '/usr/bin/time';
/** GNU time output: elapsed, user, system seconds and max RSS in KiB. */
const TIME_FORMAT = '%e %U %S %M';
/** Variables that would leak a parent make's jobserver or ninja's status format into the steps. */
const SCRUBBED_ENV = ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES', 'GNUMAKEFLAGS', 'NINJA_STATUS'];


/** Repository root: the directory above dist/generator/bench or generator/bench that has package.json. */
function repoRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['../../..', '../..']) {
    const candidate = path.resolve(here, up);
    if (existsSync(path.join(candidate, 'package.json')) && existsSync(path.join(candidate, 'generator'))) return candidate;
  }
  return path.resolve(here, '../../..');
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function benchError(message: string, exitCode: (typeof ExitCode)[keyof typeof ExitCode] = ExitCode.toolFailed): CpmError {
  return new CpmError(message, { exitCode });
}

function errorLine(err: unknown): string {
  if (err instanceof CpmError) return err.oneLine();
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}

function mib(kib: number): number {
  return kib / 1024;
}

function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function load1(): number {
  return round(os.loadavg()[0] ?? 0, 2);
}

/** A one-line warning when other work shared the machine (load at start, or above --jobs + 1 after a step), else null. */
function contention(machine: MachineInfo, jobs: number, sides: SideResult[]): string | null {
  const busiest = Math.max(0, ...sides.flatMap((s) => s.steps.map((x) => x.loadAtEnd)));
  if (machine.loadAverageAtStart <= 0.5 && busiest <= jobs + 1) return null;
  return `other processes were using the machine (load ${machine.loadAverageAtStart} at start, up to ${busiest} after a step with -j${jobs}), so these timings are noisy; rerun on an idle machine`;
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SCRUBBED_ENV) delete env[name];
  return env;
}

/** Runs a short command to completion; ok is false if it cannot start, exits non-zero or times out. Never throws. */
function capture(command: string, args: string[], cwd?: string): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: childEnv(), encoding: 'utf8', timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ ok: err === null, stdout, stderr });
    });
  });
}

async function firstLineOf(command: string, args: string[]): Promise<string | null> {
  const r = await capture(command, args);
  if (!r.ok) return null;
  return r.stdout.trim().split('\n')[0]?.trim() || null;
}

// ---------------------------------------------------------------------------------------------
// Options

const OPTION_SPEC = {
  version: { type: 'string' },
  out: { type: 'string' },
  jobs: { type: 'string' },
  'cache-dir': { type: 'string' },
  only: { type: 'string' },
  'meson-arg': { type: 'string', multiple: true },
  keep: { type: 'boolean' },
  profile: { type: 'string' },
  'speed-processes': { type: 'string' },
  compare: { type: 'string' },
  'single-file': { type: 'boolean' },
  'startup-runs': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The parsed flags (their type is inferred from OPTION_SPEC); a bad flag is a one-line error. */
function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTION_SPEC, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw benchError(`${errorLine(err)}; see --help`, ExitCode.badInput);
  }
}

function parseOptions(argv: string[]): BenchOptions | null {
  const values = parseFlags(argv);
  if (values.help) return null;
  const version = values.version ?? DEFAULT_CPYTHON_VERSION;
  if (!/^\d+\.\d+\.\d+((a|b|rc)\d+)?$/.test(version)) throw benchError(`--version ${version}: expected X.Y.Z, e.g. 3.13.15`, ExitCode.badInput);
  const jobs = Number(values.jobs ?? '2');
  if (!Number.isInteger(jobs) || jobs < 1) throw benchError(`--jobs ${values.jobs}: expected a positive integer`, ExitCode.badInput);
  const only = values.only ?? null;
  if (only !== null && only !== 'meson' && only !== 'autotools') {
    throw benchError(`--only ${only}: expected "meson" or "autotools"`, ExitCode.badInput);
  }
  // npm runs scripts in the package root; resolve relative paths against where the user typed the command.
  const base = process.env.INIT_CWD ?? process.cwd();
  const profileArg = values.profile ?? 'all';
  if (profileArg !== 'all' && !PROFILES.includes(profileArg as Profile)) {
    throw benchError(`--profile ${profileArg}: expected default, optimized or all`, ExitCode.badInput);
  }
  const speedProcesses = Number(values['speed-processes'] ?? '5');
  if (!Number.isInteger(speedProcesses) || speedProcesses < 0) {
    throw benchError(`--speed-processes ${values['speed-processes']}: expected a non-negative integer`, ExitCode.badInput);
  }
  let compare: [string, string] | null = null;
  if (values.compare !== undefined) {
    const parts = values.compare.split(',').map((p) => path.resolve(base, p));
    if (parts.length !== 2 || parts.some((p) => !existsSync(p))) {
      throw benchError(`--compare ${values.compare}: expected BASELINE,CANDIDATE, two existing python executables`, ExitCode.badInput);
    }
    compare = [parts[0] as string, parts[1] as string];
  }
  const startupRuns = Number(values['startup-runs'] ?? '40');
  if (!Number.isInteger(startupRuns) || startupRuns < 1) {
    throw benchError(`--startup-runs ${values['startup-runs']}: expected a positive integer`, ExitCode.badInput);
  }
  return {
    singleFile: values['single-file'] ?? false,
    startupRuns,
    profiles: profileArg === 'all' ? [...PROFILES] : [profileArg as Profile],
    speedProcesses,
    compare,
    version,
    out: values.out ? path.resolve(base, values.out) : path.join(repoRoot(), 'bench-results'),
    jobs,
    cacheDir: values['cache-dir'] ? path.resolve(base, values['cache-dir']) : defaultCacheDir(),
    only,
    keep: values.keep ?? false,
    mesonArgs: values['meson-arg'] ?? [],
  };
}

// ---------------------------------------------------------------------------------------------
// Running a timed step

function parseGnuTime(text: string, file: string): { userSeconds: number; systemSeconds: number; maxRssKiB: number } {
  // When the command fails GNU time writes "Command exited with non-zero status N" first: use the last line.
  const last = text.trim().split('\n').pop() ?? '';
  const fields = last.trim().split(/\s+/).map(Number);
  if (fields.length !== 4 || fields.some((n) => !Number.isFinite(n))) {
    throw benchError(`${file}: expected "${TIME_FORMAT}" output from ${GNU_TIME}, got "${last}"`);
  }
  const [, user, sys, rss] = fields as [number, number, number, number];
  return { userSeconds: user, systemSeconds: sys, maxRssKiB: rss };
}

/** A command line with the work directory, the repository and node's path shortened. */
function displayCommand(argv: string[], workDir: string): string {
  const root = repoRoot();
  return argv
    .map((a) => (a === process.execPath ? 'node' : a))
    .map((a) => a.split(workDir).join('<work>').split(`${root}${path.sep}`).join(''))
    .join(' ');
}

/**
 * The line of a failed step's log that most likely names the cause, shortened: the first compiler
 * or meson error ("x.c:1:2: error: ...", "meson.build:3:0: ERROR: ..."), else the last non-empty line.
 */
async function causeFromLog(log: string): Promise<string> {
  const lines = (await fs.readFile(log, 'utf8').catch(() => '')).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const line = lines.find((l) => /(^|: )(fatal error|error|ERROR):/.test(l)) ?? lines[lines.length - 1] ?? '';
  return line.length > 240 ? `${line.slice(0, 237)}...` : line;
}

function spawnToLog(command: string, args: string[], cwd: string, logFd: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', logFd, logFd] });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
}

function stepLog(logsDir: string, spec: StepSpec): string {
  return path.join(logsDir, `${spec.side}-${spec.name}.log`);
}

async function runStep(spec: StepSpec, logsDir: string, scratchDir: string): Promise<StepResult> {
  const log = stepLog(logsDir, spec);
  const timeFile = path.join(scratchDir, `${spec.side}-${spec.name}.time`);
  const argv = [spec.command, ...spec.args];
  progress(`[${spec.side}] ${spec.label} ...`);
  const fd = openSync(log, 'w');
  let outcome: { code: number | null; signal: NodeJS.Signals | null };
  const started = process.hrtime.bigint();
  try {
    writeSync(fd, `$ ${argv.join(' ')}\n# cwd: ${spec.cwd}\n\n`);
    outcome = await spawnToLog(GNU_TIME, ['-f', TIME_FORMAT, '-o', timeFile, ...argv], spec.cwd, fd);
  } catch (err) {
    throw benchError(`${spec.label} could not start in ${spec.cwd}: ${errorLine(err)}`);
  } finally {
    closeSync(fd);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (outcome.code !== 0) {
    const how = outcome.signal ? `killed by ${outcome.signal}` : `exit ${outcome.code}`;
    const cause = await causeFromLog(log);
    throw benchError(`${spec.label} failed in ${spec.cwd} (${how}); see ${log}${cause ? `: ${cause}` : ''}`);
  }
  const usage = parseGnuTime(await fs.readFile(timeFile, 'utf8'), timeFile);
  progress(`[${spec.side}] ${spec.label}: ${fmtSeconds(seconds)}, max RSS ${fmtMiB(usage.maxRssKiB)}`);
  return {
    side: spec.side, name: spec.name, phase: spec.phase, label: spec.label, command: argv,
    display: displayCommand(argv, scratchDir), cwd: spec.cwd, seconds: round(seconds), ...usage, loadAtEnd: load1(), log,
  };
}

// ---------------------------------------------------------------------------------------------
// Preparing the trees

/** Fails if the cached pristine tree has been configured or built in place. */
async function checkPristine(tree: string): Promise<void> {
  if (!existsSync(path.join(tree, 'configure')) || !existsSync(path.join(tree, 'Include', 'patchlevel.h'))) {
    throw benchError(`${tree} is not a CPython source tree (no configure or Include/patchlevel.h)`, ExitCode.badInput);
  }
  for (const f of ['config.status', 'Makefile', 'pyconfig.h', 'python']) {
    if (existsSync(path.join(tree, f))) {
      throw benchError(`${tree} is not pristine (it has ${f}: configured or built in place); delete it so it is unpacked again`, ExitCode.badInput);
    }
  }
}

/** A fresh copy of the pristine tree; cp -a keeps mtimes, so no regeneration rule fires. */
async function copyTree(pristine: string, dest: string): Promise<void> {
  const r = await capture('cp', ['-a', pristine, dest]);
  if (!r.ok) throw benchError(`cp -a ${pristine} ${dest} failed: ${r.stderr.trim().split('\n')[0] ?? ''}`);
}

// ---------------------------------------------------------------------------------------------
// Inspecting the results of a build

async function walkFiles(dir: string, visit: (file: string) => void): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) await walkFiles(full, visit);
    else if (e.isFile()) visit(full);
  }
}

async function countBuildOutputs(dir: string): Promise<{ objectFiles: number; sharedModules: number }> {
  let objectFiles = 0;
  let sharedModules = 0;
  await walkFiles(dir, (f) => {
    if (f.endsWith('.o')) objectFiles += 1;
    else if (f.endsWith('.so') && !path.basename(f).startsWith('lib')) sharedModules += 1;
  });
  return { objectFiles, sharedModules };
}

async function findPython(buildDir: string, version: string): Promise<string | null> {
  const series = version.split('.').slice(0, 2).join('.');
  for (const name of ['python', 'python3', `python${series}`]) {
    const candidate = path.join(buildDir, name);
    const st = await fs.stat(candidate).catch(() => null);
    if (st?.isFile()) return candidate;
  }
  return null;
}

async function inspectPython(python: string, cwd: string): Promise<Pick<Artifacts, 'pythonBytes' | 'sharedLibpython' | 'runs' | 'sysVersion' | 'runError'>> {
  const st = await fs.stat(python);
  const ldd = await capture('ldd', [python]);
  const run = await capture(python, ['-c', 'import sys; print(sys.version)'], cwd);
  const runError = run.ok ? null : run.stderr.trim().split('\n').pop() || 'exited non-zero with no output';
  return {
    pythonBytes: st.size,
    sharedLibpython: ldd.ok ? /libpython/.test(ldd.stdout) : null,
    runs: run.ok,
    sysVersion: run.ok ? run.stdout.trim().replace(/\s+/g, ' ') : null,
    runError,
  };
}

async function inspectBuild(side: Side, buildDir: string, version: string, steps: StepResult[]): Promise<Artifacts> {
  const counts = await countBuildOutputs(buildDir);
  const python = await findPython(buildDir, version);
  const py = python
    ? await inspectPython(python, buildDir)
    : { pythonBytes: null, sharedLibpython: null, runs: false, sysVersion: null, runError: `no python executable in ${buildDir}` };
  let ninjaSteps: number | null = null;
  let noopDidNothing: boolean | null = null;
  if (side === 'meson') {
    const buildLog = steps.find((s) => s.name === 'ninja')?.log;
    const noopLog = steps.find((s) => s.name === 'ninja-noop')?.log;
    if (buildLog) ninjaSteps = ninjaEdgeCount(await fs.readFile(buildLog, 'utf8'));
    if (noopLog) noopDidNothing = (await fs.readFile(noopLog, 'utf8')).includes('ninja: no work to do.');
  }
  return { python, ...py, ...counts, ninjaSteps, noopDidNothing };
}

/** The largest M of ninja's "[N/M]" status lines: how many edges the build ran. */
function ninjaEdgeCount(log: string): number | null {
  let max: number | null = null;
  for (const m of log.matchAll(/^\[\d+\/(\d+)\]/gm)) {
    const total = Number(m[1]);
    if (max === null || total > max) max = total;
  }
  return max;
}

// ---------------------------------------------------------------------------------------------
// The two sides

interface SideContext {
  options: BenchOptions;
  pristine: string;
  workDir: string;
  logsDir: string;
  profile: Profile;
}

/** configure's options for a profile. */
const CONFIGURE_ARGS: Record<Profile, string[]> = { default: [], optimized: ['--enable-optimizations', '--with-lto'] };

function autotoolsSteps(tree: string, jobs: number, profile: Profile): StepSpec[] {
  const make = (name: string, phase: Phase, what: string): StepSpec => ({
    side: 'autotools', name, phase, label: `make -j${jobs}${what}`, command: 'make', args: [`-j${jobs}`], cwd: tree,
  });
  const configure = ['./configure', ...CONFIGURE_ARGS[profile]].join(' ');
  const steps: StepSpec[] = [
    { side: 'autotools', name: 'configure', phase: 'prep', label: configure, command: './configure', args: CONFIGURE_ARGS[profile], cwd: tree },
    // With --enable-optimizations, make's default target is profile-opt: instrumented build, training, rebuild.
    make('make', 'build', profile === 'optimized' ? ' (profile-opt)' : ''),
  ];
  if (profile === 'default') steps.push(make('make-noop', 'noop', ' (no-op)'));
  return steps;
}

function mesonSteps(tree: string, buildDir: string, jobs: number, mesonArgs: string[], profile: Profile): StepSpec[] {
  const cli = path.join(repoRoot(), 'bin', 'cpython-meson.js');
  if (profile === 'optimized') {
    return [
      { side: 'meson', name: 'generate', phase: 'prep', label: 'cpython-meson generate', command: process.execPath, args: [cli, 'generate', tree], cwd: path.dirname(tree) },
      {
        side: 'meson', name: 'build-optimized', phase: 'build', label: 'cpython-meson build --optimized', command: process.execPath,
        args: [cli, 'build', tree, buildDir, '--optimized', ...mesonArgs], cwd: path.dirname(buildDir),
      },
    ];
  }
  const ninja = (name: string, phase: Phase, what: string): StepSpec => ({
    side: 'meson', name, phase, label: `ninja -j${jobs}${what}`, command: 'ninja', args: ['-C', buildDir, `-j${jobs}`], cwd: path.dirname(buildDir),
  });
  return [
    { side: 'meson', name: 'generate', phase: 'prep', label: 'cpython-meson generate', command: process.execPath, args: [cli, 'generate', tree], cwd: path.dirname(tree) },
    {
      side: 'meson', name: 'setup', phase: 'prep', label: 'meson setup', command: 'meson',
      args: ['setup', buildDir, tree, ...mesonArgs], cwd: path.dirname(buildDir),
    },
    ninja('ninja', 'build', ''),
    ninja('ninja-noop', 'noop', ' (no-op)'),
  ];
}

/** Fails with one line if a tool this side runs is missing. */
async function preflight(side: Side): Promise<void> {
  if (side === 'autotools') {
    const missing: string[] = [];
    if (!(await findTool('make'))) missing.push('make');
    if (!(await findTool('gcc')) && !(await findTool('cc'))) missing.push('a C compiler');
    if (missing.length > 0) throw benchError(`not found on PATH: ${missing.join(', ')}; install them with: apt-get install build-essential`);
    return;
  }
  await requireTools();
  const cli = path.join(repoRoot(), 'bin', 'cpython-meson.js');
  if (!existsSync(cli)) throw benchError(`${cli} not found: the cpython-meson CLI is not in this checkout yet`);
}

function skippedSide(side: Side): SideResult {
  return { side, status: 'skipped', error: null, failedStep: null, tree: null, buildDir: null, steps: [], artifacts: null };
}

async function runSide(side: Side, ctx: SideContext): Promise<SideResult> {
  const tree = path.join(ctx.workDir, `${side}-src`);
  // Autotools builds in place (the plain `./configure && make` a user runs); meson out of tree.
  const buildDir = side === 'autotools' ? tree : path.join(ctx.workDir, 'meson-build');
  const result: SideResult = { side, status: 'ok', error: null, failedStep: null, tree, buildDir, steps: [], artifacts: null };
  try {
    await preflight(side);
    progress(`[${side}] copying the pristine tree to ${tree}`);
    await copyTree(ctx.pristine, tree);
    const specs = side === 'autotools'
      ? autotoolsSteps(tree, ctx.options.jobs, ctx.profile)
      : mesonSteps(tree, buildDir, ctx.options.jobs, ctx.options.mesonArgs, ctx.profile);
    for (const spec of specs) {
      result.failedStep = { name: spec.name, label: spec.label, phase: spec.phase, log: stepLog(ctx.logsDir, spec) };
      result.steps.push(await runStep(spec, ctx.logsDir, ctx.workDir));
      result.failedStep = null;
    }
    result.artifacts = await inspectBuild(side, buildDir, ctx.options.version, result.steps);
  } catch (err) {
    if (!(err instanceof CpmError)) throw err;
    result.status = 'failed';
    result.error = err.oneLine();
    progress(`[${side}] FAILED: ${result.error}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Aggregating

/** Time and peak RSS of the phases' steps; null unless every step of those phases completed. */
function phaseTotal(side: SideResult, phases: Phase[]): PhaseTotal | null {
  if (side.status === 'skipped') return null;
  if (side.failedStep && phases.includes(side.failedStep.phase)) return null;
  const steps = side.steps.filter((s) => phases.includes(s.phase));
  if (steps.length === 0) return null;
  return {
    seconds: round(steps.reduce((sum, s) => sum + s.seconds, 0)),
    cpuSeconds: round(steps.reduce((sum, s) => sum + s.userSeconds + s.systemSeconds, 0)),
    maxRssKiB: Math.max(...steps.map((s) => s.maxRssKiB)),
  };
}

const RATIO_DEFS: { name: string; description: string; phases: Phase[] }[] = [
  { name: 'configure', description: './configure vs cpython-meson generate + meson setup', phases: ['prep'] },
  { name: 'build', description: 'clean make -jN vs clean ninja -jN', phases: ['build'] },
  { name: 'noop', description: 'no-op make -jN vs no-op ninja -jN', phases: ['noop'] },
  { name: 'total', description: 'pristine tree to a built python: configure + build (no-op excluded)', phases: ['prep', 'build'] },
];

export function computeRatios(autotools: SideResult, meson: SideResult): Ratio[] {
  return RATIO_DEFS.map(({ name, description, phases }) => {
    const a = phaseTotal(autotools, phases);
    const m = phaseTotal(meson, phases);
    const ratio = a && m && a.seconds > 0 ? round(m.seconds / a.seconds, 4) : null;
    const cpuRatio = a && m && a.cpuSeconds > 0 ? round(m.cpuSeconds / a.cpuSeconds, 4) : null;
    return {
      name, description,
      autotoolsSeconds: a?.seconds ?? null, mesonSeconds: m?.seconds ?? null, ratio,
      autotoolsCpuSeconds: a?.cpuSeconds ?? null, mesonCpuSeconds: m?.cpuSeconds ?? null, cpuRatio,
    };
  });
}

function machineInfo(): MachineInfo {
  return {
    platform: os.platform(),
    kernel: os.release(),
    arch: os.arch(),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    loadAverageAtStart: load1(),
  };
}

async function toolVersions(): Promise<ToolVersions> {
  const [meson, ninja, gcc, make] = await Promise.all([
    firstLineOf('meson', ['--version']),
    firstLineOf('ninja', ['--version']),
    firstLineOf('gcc', ['--version']),
    firstLineOf('make', ['--version']),
  ]);
  return { meson, ninja, gcc, make };
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** Markdown-safe text for a table cell or a line: no pipes breaking the table, no newlines. */
function mdEscape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function fmtSeconds(s: number): string {
  if (s < 1) return `${s.toFixed(3)} s`;
  if (s < 10) return `${s.toFixed(2)} s`;
  return `${s.toFixed(1)} s`;
}

function fmtMiB(kib: number): string {
  return `${mib(kib).toFixed(0)} MiB`;
}

function fmtRatio(r: number | null): string {
  if (r === null) return '–';
  if (r === 0) return '0×';
  return r < 0.1 ? `${r.toPrecision(2)}×` : `${r.toFixed(2)}×`;
}

function fmtBytes(n: number | null): string {
  return n === null ? '–' : `${(n / 1024 ** 2).toFixed(1)} MiB`;
}

function fmtPhase(side: SideResult, phases: Phase[]): string {
  if (side.status === 'skipped') return 'skipped';
  const steps = side.steps.filter((s) => phases.includes(s.phase));
  const total = phaseTotal(side, phases);
  if (!total) return side.failedStep && phases.includes(side.failedStep.phase) ? `failed at ${side.failedStep.name}` : '–';
  const parts = steps.length > 1 ? `${steps.map((s) => fmtSeconds(s.seconds)).join(' + ')} = ` : '';
  return `${parts}${fmtSeconds(total.seconds)} (${fmtMiB(total.maxRssKiB)})`;
}

/** "0.62× the time (38% less)", "0.20× the time (5.0× faster)", "1.40× the time (40% more)". */
function describeRatio(r: number): string {
  if (Math.abs(r - 1) < 0.005) return 'the same time';
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
  if (r < 1) return `${fmtRatio(r)} the time (${r >= 0.5 ? `${pct(1 - r)} less` : `${(1 / r).toFixed(1)}× faster`})`;
  return `${fmtRatio(r)} the time (${r < 2 ? `${pct(r - 1)} more` : `${r.toFixed(1)}× slower`})`;
}

function stepTable(sides: SideResult[]): string[] {
  const rows = ['| side | step | command | wall | user CPU | sys CPU | max RSS | log |', '|---|---|---|---|---|---|---|---|'];
  for (const side of sides) {
    for (const s of side.steps) {
      rows.push(`| ${s.side} | ${s.name} | \`${s.display}\` | ${fmtSeconds(s.seconds)} | ${fmtSeconds(s.userSeconds)} | ${fmtSeconds(s.systemSeconds)} | ${fmtMiB(s.maxRssKiB)} | logs/${path.basename(s.log)} |`);
    }
  }
  return rows;
}

function artifactTable(a: SideResult, m: SideResult): string[] {
  const cell = (side: SideResult, f: (x: Artifacts) => string): string => (side.artifacts ? mdEscape(f(side.artifacts)) : '–');
  const rows: [string, (x: Artifacts) => string][] = [
    ['`python` runs (`import sys; print(sys.version)`)', (x) => (x.runs ? 'yes' : `**no**: ${x.runError ?? ''}`)],
    ['`sys.version`', (x) => x.sysVersion ?? '–'],
    ['`python` size (with -g)', (x) => fmtBytes(x.pythonBytes)],
    ['links a shared libpython', (x) => (x.sharedLibpython === null ? '–' : x.sharedLibpython ? 'yes' : 'no')],
    ['object files compiled (.o)', (x) => String(x.objectFiles)],
    ['shared extension modules (.so)', (x) => String(x.sharedModules)],
    ['ninja edges in the clean build', (x) => (x.ninjaSteps === null ? '–' : String(x.ninjaSteps))],
    ['no-op build did nothing', (x) => (x.noopDidNothing === null ? '–' : x.noopDidNothing ? 'yes (ninja: no work to do)' : '**no**')],
  ];
  return [
    `| | autotools${a.status === 'ok' ? '' : ` (${a.status})`} | meson${m.status === 'ok' ? '' : ` (${m.status})`} |`,
    '|---|---|---|',
    ...rows.map(([label, f]) => `| ${label} | ${cell(a, f)} | ${cell(m, f)} |`),
  ];
}

export function interpret(r: BenchResults): string {
  const { autotools: a, meson: m } = r.sides;
  const failed = [a, m].filter((s) => s.status === 'failed');
  if (failed.length > 0 || a.status !== 'ok' || m.status !== 'ok') {
    const why = failed.map((s) => `the ${s.side} side failed${s.failedStep ? ` at \`${s.failedStep.label}\` (logs/${path.basename(s.failedStep.log)})` : ' before its first step'}`);
    const skipped = [a, m].filter((s) => s.status === 'skipped').map((s) => `the ${s.side} side was skipped`);
    const quoted = failed.length > 0 ? '; the error is quoted below' : '';
    return `No full comparison this run: ${[...why, ...skipped].join('; ')}. The timings above are those of the steps that completed${quoted}.`;
  }
  const ratio = (name: string): Ratio => r.ratios.find((x) => x.name === name) as Ratio;
  const [prep, build, noop, total] = [ratio('configure'), ratio('build'), ratio('noop'), ratio('total')];
  const sentences: string[] = [];
  if (total.ratio !== null) {
    sentences.push(`From a pristine tree to a built \`python\`, Meson took ${fmtSeconds(total.mesonSeconds ?? 0)} against ${fmtSeconds(total.autotoolsSeconds ?? 0)} for autotools: ${describeRatio(total.ratio)}.`);
  }
  if (prep.ratio !== null) {
    sentences.push(`The configure stage (cpython-meson generate${r.profile === 'default' ? ' + meson setup' : ''} vs ./configure) took ${describeRatio(prep.ratio)}, and the ${r.profile === 'optimized' ? 'PGO + LTO pipeline' : `clean -j${r.jobs} build`} ${build.ratio === null ? 'could not be compared' : describeRatio(build.ratio)}.`);
  }
  const ao = a.artifacts;
  const mo = m.artifacts;
  if (ao && mo) {
    sentences.push(`The two builds compiled ${mo.objectFiles} (meson) and ${ao.objectFiles} (autotools) object files and ${mo.sharedModules} vs ${ao.sharedModules} shared modules, so a build-time ratio partly reflects different amounts of work, not only build-tool overhead.`);
  }
  if (noop.ratio !== null) {
    const did = mo?.noopDidNothing === false ? ' (ninja still found work to do: a rule is not idempotent)' : '';
    sentences.push(`A no-op rebuild took ${fmtSeconds(noop.mesonSeconds ?? 0)} with ninja${did} against ${fmtSeconds(noop.autotoolsSeconds ?? 0)} with make.`);
  }
  const peak = (s: SideResult): number => Math.max(...s.steps.map((x) => x.maxRssKiB));
  sentences.push(`The largest single process peaked at ${fmtMiB(peak(m))} on the Meson side and ${fmtMiB(peak(a))} on the autotools side.`);
  const broken = [a, m].filter((s) => !s.artifacts?.runs).map((s) => s.side);
  sentences.push(broken.length === 0 ? 'Both interpreters start.' : `The ${broken.join(' and ')} \`python\` does not start, so its timings do not describe a working build.`);
  const busy = contention(r.machine, r.jobs, [a, m]);
  if (busy) {
    const cpu = [prep, build, total].map((x) => `${x.name} ${fmtRatio(x.cpuRatio)}`).join(', ');
    sentences.push(`Caution: ${busy}. The CPU-time ratios, which contention disturbs less, are ${cpu}.`);
  }
  if (r.speed) {
    const worst = [...r.speed.workloads].sort((x, y) => y.ratio - x.ratio)[0];
    const best = [...r.speed.workloads].sort((x, y) => x.ratio - y.ratio)[0];
    sentences.push(`Meson's interpreter took ${describeRatio(r.speed.geometricMean)} of configure+make's (geometric mean over ${r.speed.workloads.length} workloads; from ${best?.name} ${fmtRatio(best?.ratio ?? null)} to ${worst?.name} ${fmtRatio(worst?.ratio ?? null)}).`);
  }
  sentences.push(`These are single wall-clock runs on a ${r.machine.cores}-core machine (meson side first, so it pays for the colder caches); differences of a few percent are within run-to-run noise.`);
  return sentences.join(' ');
}

export function renderMarkdown(r: BenchResults): string {
  const { autotools: a, meson: m } = r.sides;
  const row = (label: string, phases: Phase[], name: string): string => {
    const ratio = r.ratios.find((x) => x.name === name);
    return `| ${label} | ${fmtPhase(a, phases)} | ${fmtPhase(m, phases)} | ${fmtRatio(ratio?.ratio ?? null)} | ${fmtRatio(ratio?.cpuRatio ?? null)} |`;
  };
  const t = r.tools;
  const lines = [
    `# cpython-meson benchmark: CPython ${r.cpythonVersion}, ${r.profile} build`,
    '',
    `${r.date} · ${r.machine.cpu} · ${r.machine.cores} cores · ${r.machine.memoryGiB} GiB · ${r.machine.platform} ${r.machine.kernel} ${r.machine.arch} · load ${r.machine.loadAverageAtStart} at start  `,
    `${t.gcc ?? 'gcc ?'} · meson ${t.meson ?? '?'} · ninja ${t.ninja ?? '?'} · ${t.make ?? 'make ?'} · node ${r.machine.node} · -j${r.jobs}`,
    '',
    `Autotools: \`${r.commands.autotools.join(' && ')}\`  `,
    `Meson: \`${r.commands.meson.join(' && ')}\``,
    '',
    'Wall-clock time (peak RSS of the largest single process). Ratio = meson / autotools, below 1× means Meson was faster;',
    'CPU ratio = the same for user + system CPU time, which other load on the machine disturbs less.',
    '',
    '| stage | autotools | meson | ratio | CPU ratio |',
    '|---|---|---|---|---|',
    row('configure · generate + setup', ['prep'], 'configure'),
    row(r.profile === 'optimized' ? `PGO + LTO build (profile-opt vs build --optimized, -j${r.jobs})` : `clean build (-j${r.jobs})`, ['build'], 'build'),
    ...(r.profile === 'default' ? [row('no-op build', ['noop'], 'noop')] : []),
    row('total: pristine → python (configure + clean build)', ['prep', 'build'], 'total'),
    '',
    '## Interpreter speed',
    '',
    ...(r.speed
      ? [
          `The workloads of generator/bench/speed_workloads.py (pure standard library) and start-up (\`python -c pass\`), ${r.speed.processes} processes per workload and interpreter, alternating; best time of each; ratio = meson / configure+make.`,
          '',
          ...speedTable(r.speed),
          '',
          '![speed ratios](speed.svg)',
        ]
      : [r.speedError ? `Not compared: ${mdEscape(r.speedError)}` : 'Not compared this run (a side failed or was skipped, or --speed-processes 0).']),
    '',
    '## Steps',
    '',
    ...stepTable([a, m]),
    '',
    '## Builds',
    '',
    ...artifactTable(a, m),
    '',
    '## Interpretation',
    '',
    r.interpretation,
    '',
  ];
  for (const s of [a, m]) if (s.status === 'failed') lines.push(`**${s.side} failed:** ${mdEscape(s.error ?? '')}`, '');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

async function writeResults(out: string, results: BenchResults): Promise<string> {
  const md = renderMarkdown(results);
  await fs.writeFile(path.join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await fs.writeFile(path.join(out, 'results.md'), md);
  return md;
}

function describeCommands(options: BenchOptions, profile: Profile): { autotools: string[]; meson: string[] } {
  const j = `-j${options.jobs}`;
  if (profile === 'optimized') {
    return {
      autotools: [['./configure', ...CONFIGURE_ARGS.optimized].join(' '), `make ${j}`],
      meson: ['cpython-meson generate <src>', ['cpython-meson build <src> <build> --optimized', ...options.mesonArgs].join(' ')],
    };
  }
  return {
    autotools: ['./configure', `make ${j}`, `make ${j}`],
    meson: [
      'cpython-meson generate <src>',
      ['meson setup <build> <src>', ...options.mesonArgs].join(' '),
      `ninja -C <build> ${j}`,
      `ninja -C <build> ${j}`,
    ],
  };
}

interface RunContext {
  options: BenchOptions;
  pristine: string;
  date: string;
  machine: MachineInfo;
  tools: ToolVersions;
}

/** Builds both sides of one profile, compares their interpreters, writes <out>/<profile>/. */
async function benchProfile(profile: Profile, run: RunContext): Promise<{ results: BenchResults; problems: string[] }> {
  const { options } = run;
  const out = path.join(options.out, profile);
  const logsDir = path.join(out, 'logs');
  await fs.rm(logsDir, { recursive: true, force: true });
  await fs.mkdir(logsDir, { recursive: true });
  await fs.mkdir(path.join(options.out, 'tmp'), { recursive: true });
  const workDir = await fs.mkdtemp(path.join(options.out, 'tmp', `${profile}-`));
  const ctx: SideContext = { options, pristine: run.pristine, workDir, logsDir, profile };

  let autotools = skippedSide('autotools');
  let meson = skippedSide('meson');
  let speed: SpeedResult | null = null;
  let speedError: string | null = null;
  try {
    // Meson first: a generator failure shows up within seconds, and meson pays for the colder caches.
    if (options.only !== 'autotools') meson = await runSide('meson', ctx);
    if (options.only !== 'meson') autotools = await runSide('autotools', ctx);
    const a = autotools.artifacts;
    const m = meson.artifacts;
    if (options.speedProcesses > 0 && a?.runs && m?.runs && a.python && m.python) {
      progress(`[${profile}] interpreter speed: ${options.speedProcesses} processes per workload and interpreter`);
      try {
        speed = await compareSpeed(
          { label: 'configure+make', python: a.python },
          { label: 'meson', python: m.python },
          { processes: options.speedProcesses, progress: (l) => progress(`[${profile}] ${l}`) },
        );
      } catch (err) {
        speedError = errorLine(err);
        progress(`[${profile}] speed comparison FAILED: ${speedError}`);
      }
    }
  } finally {
    if (options.keep) progress(`kept the work trees in ${workDir}`);
    else await fs.rm(workDir, { recursive: true, force: true });
  }

  const results: BenchResults = {
    tool: 'cpython-meson bench',
    date: run.date,
    cpythonVersion: options.version,
    source: run.pristine,
    jobs: options.jobs,
    machine: run.machine,
    tools: run.tools,
    profile,
    commands: describeCommands(options, profile),
    sides: { autotools, meson },
    ratios: computeRatios(autotools, meson),
    speed,
    speedError,
    interpretation: '',
  };
  results.interpretation = interpret(results);
  await writeResults(out, results);
  if (speed) await fs.writeFile(path.join(out, 'speed.svg'), speedChartSvg(`CPython ${options.version}, ${profile} build: time of meson's python / configure+make's`, [{ name: profile, result: speed }]));
  const problems = [autotools, meson].flatMap((s) => {
    if (s.status === 'failed') return [`${profile} ${s.side}: ${s.error}`];
    if (s.artifacts && !s.artifacts.runs) return [`${profile} ${s.side}: the built python does not run: ${s.artifacts.runError}`];
    return [];
  });
  if (speedError) problems.push(`${profile} speed: ${speedError}`);
  return { results, problems };
}

/** <out>/README.md: one line per profile with the headline ratios, and the combined chart. */
export function renderSummary(all: BenchResults[]): string {
  const first = all[0];
  if (!first) return '';
  const lines = [
    `# cpython-meson benchmarks: CPython ${first.cpythonVersion}`,
    '',
    `${first.date} · ${first.machine.cpu} · ${first.machine.cores} cores · load ${first.machine.loadAverageAtStart} at start · ${first.tools.gcc ?? ''} · meson ${first.tools.meson ?? '?'}`,
    '',
    'Ratios are meson / configure+make on the same source in the same run: below 1× means the Meson side was faster.',
    '',
    '| profile | configure+make | meson | build wall | build CPU | interpreter time (geo. mean) | details |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of all) {
    const total = r.ratios.find((x) => x.name === 'total');
    const speed = r.speed ? `**${r.speed.geometricMean.toFixed(3)}×** over ${r.speed.workloads.length} workloads` : (r.speedError ?? '–');
    lines.push(`| ${r.profile} | \`${r.commands.autotools.slice(0, 2).join(' && ')}\` | \`${r.commands.meson.slice(0, 2).join(' && ')}\` | ${fmtRatio(total?.ratio ?? null)} | ${fmtRatio(total?.cpuRatio ?? null)} | ${speed} | [${r.profile}/results.md](${r.profile}/results.md) |`);
  }
  if (all.some((r) => r.speed)) lines.push('', '![interpreter time ratios](speed.svg)');
  lines.push('');
  return lines.join('\n');
}

async function bench(options: BenchOptions): Promise<number> {
  if (!existsSync(GNU_TIME)) throw benchError(`${GNU_TIME} not found: GNU time measures each step; install it with: apt-get install time`);
  await fs.mkdir(options.out, { recursive: true });
  if (options.compare) return compareOnly(options, options.compare);
  if (options.singleFile) {
    progress(`obtaining CPython ${options.version} (cache ${options.cacheDir})`);
    const pristine = await obtainCPython(options.version, options.cacheDir, { log: progress });
    await checkPristine(pristine);
    const r = await singleFileBench(pristine, { version: options.version, out: options.out, jobs: options.jobs, runs: options.startupRuns, keep: options.keep, progress });
    process.stdout.write(renderSingleFile(r));
    progress(`wrote ${path.join(options.out, 'single-file', 'README.md')}`);
    return ExitCode.ok;
  }
  const machine = machineInfo();
  if (machine.loadAverageAtStart > 0.5) {
    progress(`warning: load average ${machine.loadAverageAtStart} before the run: other processes will make the timings noisy`);
  }
  progress(`obtaining CPython ${options.version} (cache ${options.cacheDir})`);
  const pristine = await obtainCPython(options.version, options.cacheDir, { log: progress });
  await checkPristine(pristine);
  const run: RunContext = { options, pristine, date: new Date().toISOString(), machine, tools: await toolVersions() };
  const all: BenchResults[] = [];
  const problems: string[] = [];
  for (const profile of options.profiles) {
    const r = await benchProfile(profile, run);
    all.push(r.results);
    problems.push(...r.problems);
    process.stdout.write(renderMarkdown(r.results));
  }
  const speeds = all.filter((r) => r.speed).map((r) => ({ name: r.profile, result: r.speed as SpeedResult }));
  if (speeds.length) await fs.writeFile(path.join(options.out, 'speed.svg'), speedChartSvg(`CPython ${options.version}: time of meson's python / configure+make's`, speeds));
  await fs.writeFile(path.join(options.out, 'README.md'), renderSummary(all));
  progress(`wrote ${path.join(options.out, 'README.md')} and the per-profile results`);
  for (const p of problems) process.stderr.write(`cpython-meson bench: ${p}\n`);
  return problems.length === 0 ? ExitCode.ok : ExitCode.toolFailed;
}

/** --compare A,B: the speed comparison alone, for two interpreters built elsewhere. */
async function compareOnly(options: BenchOptions, [baseline, candidate]: [string, string]): Promise<number> {
  const out = path.join(options.out, 'compare');
  await fs.mkdir(out, { recursive: true });
  const speed = await compareSpeed(
    { label: 'baseline', python: baseline },
    { label: 'candidate', python: candidate },
    { processes: Math.max(1, options.speedProcesses), progress },
  );
  const md = [
    `# Interpreter speed: candidate / baseline`,
    '',
    `${new Date().toISOString()} · ${machineInfo().cpu} · load ${load1()}`,
    '',
    `- baseline: \`${baseline}\``,
    `- candidate: \`${candidate}\``,
    '',
    ...speedTable(speed),
    '',
  ].join('\n');
  await fs.writeFile(path.join(out, 'results.md'), md);
  await fs.writeFile(path.join(out, 'results.json'), `${JSON.stringify(speed, null, 2)}\n`);
  await fs.writeFile(path.join(out, 'speed.svg'), speedChartSvg('time of candidate / baseline', [{ name: 'compare', result: speed }]));
  process.stdout.write(md);
  return ExitCode.ok;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const options = parseOptions(argv);
    if (options === null) {
      // The help text lives in the command table (generator/cli/commands.ts).
      process.stdout.write('see: cpython-meson bench --help\n');
      return ExitCode.ok;
    }
    return await bench(options);
  } catch (err) {
    process.stderr.write(`cpython-meson bench: ${errorLine(err)}\n`);
    return err instanceof CpmError ? err.exitCode : ExitCode.toolFailed;
  }
}

// Run only as a script, so the pure functions above can be imported (e.g. to re-render results.json).
const invokedPath = process.argv[1];
if (invokedPath && existsSync(invokedPath) && import.meta.url === pathToFileURL(realpathSync(invokedPath)).href) {
  process.exitCode = await main(process.argv.slice(2));
}
