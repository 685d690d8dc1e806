// `cpython-meson parity`: builds one CPython source tree twice on this machine, CPython's own
// way (configure + make, out of tree, default options) and ours (generate + meson setup +
// ninja, with the project's defaults (configure's -O3 -g) and -Dprefer_static=true), then asks each interpreter the same
// questions: which stdlib modules import, which extension modules are built in and which are
// shared, how big the executable is, which shared libraries it needs (ldd). The goal is that
// no module imports there and not here. The report goes to parity-results/ as markdown + json.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandText } from '../cli/shared.js';
import { CpmError, ExitCode } from '../errors.js';
import { byCodePoint } from '../util/order.js';
import { cleanEnv } from '../util/run.js';
import { DEFAULT_CPYTHON_VERSION, defaultCacheDir, isCPythonTree, obtainCPython } from '../util/cpython-source.js';
import { compareSuites, confirm, readSuite, regrtestCommand, renderSuiteMarkdown, runSuite, type SuiteComparison, type SuiteRun } from './suite.js';

/** <repo>, from dist/generator/parity/. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The shared libraries of the C library family: the only ones a static python may need. */
export const LIBC_FAMILY = ['libc', 'libm', 'libpthread', 'libdl', 'librt', 'libutil', 'ld-linux', 'linux-vdso', 'linux-gate'];

export interface ParityOptions {
  version: string;
  /** Existing configure+make build directory to measure instead of building one. */
  reference: string | null;
  workDir: string;
  outDir: string;
  jobs: number;
  /** Arguments for meson setup of our build (-Dopt=val, --buildtype=...). */
  mesonArgs: string[];
  /** Extra arguments for configure (--with-pydebug …), matching mesonArgs. */
  configureArgs: string[];
  /** Names this pair of builds (release, pydebug …): build directories and reports carry it. */
  name: string | null;
  /** Also run CPython's whole test suite on both builds and compare per test case. */
  fullSuite: boolean;
  /** Reuse a suite run already in the work directory instead of running it again. */
  reuseSuite: boolean;
  /** regrtest --timeout, seconds per test file. */
  timeout: number;
  log: (line: string) => void;
}

/** What the probe script reports about one interpreter. */
export interface Probe {
  version: string;
  builtin: string[];
  /** Extension modules found as files on sys.path (the build's shared modules). */
  shared: string[];
  /** sys.stdlib_module_names that import, with how: builtin, frozen, extension or source. */
  importable: Record<string, string>;
  /** Those that do not, with the error. */
  failed: Record<string, string>;
}

export interface BuildMeasure {
  kind: 'autotools' | 'meson';
  buildDir: string;
  python: string;
  commands: string[];
  /** Seconds per step (configure/make or generate/setup/ninja); null when the build was reused. */
  seconds: Record<string, number> | null;
  probe: Probe;
  binaryBytes: number;
  strippedBytes: number | null;
  sharedModuleBytes: number;
  ldd: string[];
  /** Library names ldd lists (libc.so.6 -> libc), in order. */
  lddLibraries: string[];
}

export interface ParityReport {
  cpython: string;
  machine: { platform: string; arch: string; cpus: number; cc: string; meson: string };
  theirs: BuildMeasure;
  ours: BuildMeasure;
  comparison: {
    /** Importable there, not here: the parity target is none. */
    missingHere: string[];
    /** Importable here, not there. */
    extraHere: string[];
    /** Extension modules (built in or shared) there and not here, and the reverse. */
    extensionsMissingHere: string[];
    extensionsExtraHere: string[];
    /** Libraries our python needs outside the libc family (target: none with prefer_static). */
    lddOutsideLibc: string[];
    ok: boolean;
  };
  /** With --full-suite: CPython's test suite on both builds, compared per test case. */
  suite?: { theirs: SuiteRun; ours: SuiteRun; comparison: SuiteComparison; again: { files: string[]; theirs: SuiteRun; ours: SuiteRun } | null };
}

/** Runs the interpreter it is given; prints one JSON object (see Probe). */
export const PROBE_SCRIPT = String.raw`
import contextlib, importlib, importlib.machinery, importlib.util, io, json, os, sys
# Importing these has side effects (printing the Zen, opening a web browser): find them only.
FIND_ONLY = {'antigravity', 'this'}
shared = set()
for entry in sys.path:
    if entry and os.path.isdir(entry):
        for f in os.listdir(entry):
            for suffix in importlib.machinery.EXTENSION_SUFFIXES:
                if f.endswith(suffix):
                    shared.add(f[: -len(suffix)])
                    break
importable, failed = {}, {}
sink = io.StringIO()
for name in sorted(sys.stdlib_module_names):
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            if name in FIND_ONLY:
                spec = importlib.util.find_spec(name)
                if spec is None:
                    raise ModuleNotFoundError(name)
            else:
                spec = importlib.import_module(name).__spec__
    except BaseException as e:
        failed[name] = f'{type(e).__name__}: {e}'.splitlines()[0][:200]
        continue
    origin = getattr(spec, 'origin', None) or ''
    if name in sys.builtin_module_names:
        kind = 'builtin'
    elif origin == 'frozen':
        kind = 'frozen'
    elif any(origin.endswith(s) for s in importlib.machinery.EXTENSION_SUFFIXES):
        kind = 'extension'
    else:
        kind = 'source'
    importable[name] = kind
print(json.dumps({
    'version': sys.version,
    'builtin': sorted(sys.builtin_module_names),
    'shared': sorted(shared),
    'importable': importable,
    'failed': failed,
}))
`;

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; log?: (l: string) => void } = {}): { status: number; out: string } {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.error) throw new CpmError(`cannot run ${cmd}: ${r.error.message}`, { exitCode: ExitCode.toolFailed });
  return { status: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function mustRun(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): number {
  const t0 = Date.now();
  const r = run(cmd, args, opts);
  if (r.status !== 0) {
    process.stderr.write(`${r.out.split('\n').slice(-40).join('\n')}\n`);
    throw new CpmError(`\`${[cmd, ...args].join(' ')}\` failed (exit ${r.status}) in ${opts.cwd ?? process.cwd()}; its last lines are above`, {
      exitCode: ExitCode.toolFailed,
    });
  }
  return (Date.now() - t0) / 1000;
}


export function probe(python: string, cwd: string): Probe {
  const r = spawnSync(python, ['-I', '-c', PROBE_SCRIPT], { cwd, env: cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Probe;
  } catch {
    throw new CpmError(`${python} did not answer the probe (exit ${r.status ?? r.signal}):\n${(r.stderr ?? '').slice(-2000)}`, {
      exitCode: ExitCode.toolFailed,
    });
  }
}

/** `ldd` lines, trimmed, and the library names they list (without .so.* and addresses). */
export function parseLdd(text: string): { lines: string[]; libraries: string[] } {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const libraries: string[] = [];
  for (const l of lines) {
    const first = l.split(/\s+/)[0] ?? '';
    const name = path.basename(first).replace(/\.so(\.[\w.]+)?$/, '');
    if (name) libraries.push(name);
  }
  return { lines, libraries };
}

/** Libraries outside the C library family (libc, libm, libpthread, libdl, librt, libutil, the loader). */
export function outsideLibc(libraries: string[]): string[] {
  return libraries.filter((lib) => !LIBC_FAMILY.some((f) => lib === f || lib.startsWith(`${f}-`) || lib.startsWith(`${f}.`)));
}

function strippedSize(file: string): number | null {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cpm-strip-'));
  try {
    const out = path.join(tmp, 'python');
    const r = run('strip', ['-o', out, file]);
    return r.status === 0 ? statSync(out).size : null;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function sharedModuleBytes(dirs: string[]): number {
  let total = 0;
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.so')) total += statSync(path.join(dir, f)).size;
  }
  return total;
}

function measure(kind: BuildMeasure['kind'], buildDir: string, commands: string[], seconds: Record<string, number> | null, moduleDirs: string[]): BuildMeasure {
  const python = path.join(buildDir, 'python');
  const ldd = parseLdd(run('ldd', [python]).out);
  return {
    kind,
    buildDir,
    python,
    commands,
    seconds,
    probe: probe(python, buildDir),
    binaryBytes: statSync(python).size,
    strippedBytes: strippedSize(python),
    sharedModuleBytes: sharedModuleBytes(moduleDirs),
    ldd: ldd.lines,
    lddLibraries: ldd.libraries,
  };
}

/** The version, and the name of this pair of builds when it has one: 3.13.15-pydebug. */
function tag(opts: Pick<ParityOptions, 'version' | 'name'>): string {
  return opts.name ? `${opts.version}-${opts.name}` : opts.version;
}

/** configure + make out of tree (reused when the build directory already has its python). */
function buildAutotools(source: string, opts: ParityOptions): BuildMeasure {
  const dir = opts.reference ?? path.join(opts.workDir, `autotools-${tag(opts)}`);
  const commands = [[`${source}/configure`, ...opts.configureArgs].join(' '), `make -j${opts.jobs}`];
  let seconds: Record<string, number> | null = null;
  if (!existsSync(path.join(dir, 'python'))) {
    if (opts.reference) throw new CpmError(`no python in the --reference build directory ${dir}`, { exitCode: ExitCode.badInput });
    mkdirSync(dir, { recursive: true });
    opts.log(`configure + make (CPython's own build) in ${dir} …`);
    seconds = {
      configure: mustRun(path.join(source, 'configure'), opts.configureArgs, { cwd: dir }),
      make: mustRun('make', [`-j${opts.jobs}`], { cwd: dir }),
    };
  } else {
    opts.log(`reusing CPython's own build in ${dir}`);
  }
  const libDirs = existsSync(path.join(dir, 'build')) ? readdirSync(path.join(dir, 'build')).filter((d) => d.startsWith('lib.')).map((d) => path.join(dir, 'build', d)) : [];
  return measure('autotools', dir, commands, seconds, libDirs);
}

/** A copy of the pristine tree, generate, meson setup (or reconfigure), ninja. */
function buildMeson(source: string, opts: ParityOptions): BuildMeasure {
  const tree = path.join(opts.workDir, `meson-src-${opts.version}`);
  const dir = path.join(opts.workDir, `meson-build-${tag(opts)}`);
  if (!isCPythonTree(tree, opts.version)) {
    rmSync(tree, { recursive: true, force: true });
    cpSync(source, tree, { recursive: true });
  }
  const cli = path.join(repoRoot, 'bin/cpython-meson.js');
  const setup = existsSync(path.join(dir, 'build.ninja')) ? ['setup', '--reconfigure'] : ['setup'];
  const setupArgs = [...setup, '--fatal-meson-warnings', ...opts.mesonArgs, dir, tree];
  opts.log(`cpython-meson generate + meson setup + ninja in ${dir} …`);
  const seconds = {
    generate: mustRun(process.execPath, [cli, 'generate', '--quiet', tree]),
    setup: mustRun('meson', setupArgs),
    ninja: mustRun('ninja', ['-C', dir, `-j${opts.jobs}`]),
  };
  const commands = [`cpython-meson generate ${tree}`, `meson ${setupArgs.join(' ')}`, `ninja -C ${dir} -j${opts.jobs}`];
  return measure('meson', dir, commands, seconds, [path.join(dir, 'Modules')]);
}

function firstLine(cmd: string, args: string[]): string {
  try {
    return run(cmd, args).out.split('\n')[0]?.trim() ?? '';
  } catch {
    return '';
  }
}

export function compare(theirs: BuildMeasure, ours: BuildMeasure): ParityReport['comparison'] {
  const there = new Set(Object.keys(theirs.probe.importable));
  const here = new Set(Object.keys(ours.probe.importable));
  const extThere = new Set([...theirs.probe.builtin, ...theirs.probe.shared]);
  const extHere = new Set([...ours.probe.builtin, ...ours.probe.shared]);
  const missingHere = [...there].filter((m) => !here.has(m)).sort(byCodePoint);
  const lddOutsideLibc = outsideLibc(ours.lddLibraries);
  return {
    missingHere,
    extraHere: [...here].filter((m) => !there.has(m)).sort(byCodePoint),
    extensionsMissingHere: [...extThere].filter((m) => !extHere.has(m)).sort(byCodePoint),
    extensionsExtraHere: [...extHere].filter((m) => !extThere.has(m)).sort(byCodePoint),
    lddOutsideLibc,
    ok: missingHere.length === 0,
  };
}

function mib(bytes: number | null): string {
  return bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function list(items: string[]): string {
  return items.length ? items.map((i) => `\`${i}\``).join(', ') : '(none)';
}

export function renderMarkdown(r: ParityReport): string {
  const row = (label: string, a: string, b: string) => `| ${label} | ${a} | ${b} |`;
  const secs = (m: BuildMeasure) =>
    m.seconds ? Object.entries(m.seconds).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ') : 'reused (built by an earlier run)';
  const extCount = (m: BuildMeasure) => m.probe.builtin.length + m.probe.shared.length;
  const lines = [
    `# Parity: CPython ${r.cpython}, configure + make vs cpython-meson`,
    '',
    `Machine: ${r.machine.platform} ${r.machine.arch}, ${r.machine.cpus} CPUs, ${r.machine.cc}, meson ${r.machine.meson}.`,
    '',
    `Result: ${r.comparison.ok ? '**parity** (no module importable there is missing here)' : `**${r.comparison.missingHere.length} module(s) missing here**`}.`,
    '',
    'Stdlib modules are the names in `sys.stdlib_module_names`, each imported by the build-tree',
    'interpreter (`python -I`, clean environment; `antigravity` and `this` are only looked up).',
    'Extension modules are `sys.builtin_module_names` plus the extension files on `sys.path`.',
    '',
    row('', "CPython's build (configure + make)", 'cpython-meson (Meson + ninja)'),
    '|---|---|---|',
    row('build directory', `\`${r.theirs.buildDir}\``, `\`${r.ours.buildDir}\``),
    row('time', secs(r.theirs), secs(r.ours)),
    row('stdlib modules importable', String(Object.keys(r.theirs.probe.importable).length), String(Object.keys(r.ours.probe.importable).length)),
    row('extension modules built in', String(r.theirs.probe.builtin.length), String(r.ours.probe.builtin.length)),
    row('extension modules shared', String(r.theirs.probe.shared.length), String(r.ours.probe.shared.length)),
    row('extension modules in all', String(extCount(r.theirs)), String(extCount(r.ours))),
    row('python binary', mib(r.theirs.binaryBytes), mib(r.ours.binaryBytes)),
    row('python binary, stripped', mib(r.theirs.strippedBytes), mib(r.ours.strippedBytes)),
    row('shared modules (.so) in all', mib(r.theirs.sharedModuleBytes), mib(r.ours.sharedModuleBytes)),
    row('ldd python', r.theirs.lddLibraries.join(' '), r.ours.lddLibraries.join(' ')),
    '',
    '## Differences',
    '',
    `- Importable there, missing here: ${list(r.comparison.missingHere)}`,
    `- Importable here, not there: ${list(r.comparison.extraHere)}`,
    `- Extension modules there, not here: ${list(r.comparison.extensionsMissingHere)}`,
    `- Extension modules here, not there: ${list(r.comparison.extensionsExtraHere)}`,
    `- Libraries our python needs outside the libc family: ${list(r.comparison.lddOutsideLibc)}`,
    '',
    '## Not importable (in either build)',
    '',
    '| module | configure + make | cpython-meson |',
    '|---|---|---|',
    ...[...new Set([...Object.keys(r.theirs.probe.failed), ...Object.keys(r.ours.probe.failed)])]
      .sort(byCodePoint)
      .map((m) => row(`\`${m}\``, r.theirs.probe.failed[m] ?? 'imports', r.ours.probe.failed[m] ?? 'imports')),
    '',
    '## Commands',
    '',
    ...[r.theirs, r.ours].flatMap((m) => [`${m.kind}:`, '', ...m.commands.map((c) => `    ${c}`), '']),
    '## ldd',
    '',
    ...[r.theirs, r.ours].flatMap((m) => [`${m.kind} (\`${m.python}\`):`, '', ...m.ldd.map((l) => `    ${l}`), '']),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

/**
 * CPython's whole test suite on both builds (reused from the work directory with --reuse-suite),
 * compared per test case; the files with differences run once more, alone, on both builds.
 */
function fullSuite(theirs: BuildMeasure, ours: BuildMeasure, opts: ParityOptions): NonNullable<ParityReport['suite']> {
  const one = (m: BuildMeasure, suffix: string, tests: string[]): SuiteRun => {
    const base = path.join(opts.workDir, `suite-${tag(opts)}-${m.kind}${suffix}`);
    const o = { python: m.python, cwd: m.buildDir, jobs: opts.jobs, base, tests, timeout: opts.timeout, log: opts.log };
    if (opts.reuseSuite && existsSync(`${base}.xml`)) {
      opts.log(`reusing ${base}.xml`);
      return readSuite(base, regrtestCommand(o), null, null);
    }
    opts.log(`${m.kind}: python -m test ${tests.length ? tests.join(' ') : '(the whole suite)'} …`);
    return runSuite(o);
  };
  const a = one(theirs, '', []);
  const b = one(ours, '', []);
  const comparison = compareSuites(a, b);
  const files = [...new Set([...comparison.regressions, ...comparison.improvements].map((d) => d.file))].sort(byCodePoint);
  let again: { files: string[]; theirs: SuiteRun; ours: SuiteRun } | null = null;
  if (files.length) {
    again = { files, theirs: one(theirs, '-again', files), ours: one(ours, '-again', files) };
    confirm(comparison, again);
  }
  return { theirs: a, ours: b, comparison, again };
}

/** The suite report's JSON: counts and differences, not every test case (those stay in the XML files). */
function suiteSummary(s: NonNullable<ParityReport['suite']>): Record<string, unknown> {
  const strip = (r: SuiteRun) => ({ command: r.command, seconds: r.seconds, exitStatus: r.exitStatus, totals: r.totals, cases: Object.keys(r.cases).length });
  return {
    theirs: strip(s.theirs),
    ours: strip(s.ours),
    regressions: s.comparison.regressions,
    improvements: s.comparison.improvements,
    fileDifferences: s.comparison.fileDifferences,
    rerunFiles: s.again?.files ?? [],
  };
}

export async function runParity(opts: ParityOptions): Promise<ParityReport> {
  const source = await obtainCPython(opts.version, defaultCacheDir(), { log: opts.log });
  mkdirSync(opts.workDir, { recursive: true });
  const theirs = buildAutotools(source, opts);
  const ours = buildMeson(source, opts);
  const report: ParityReport = {
    cpython: opts.version,
    machine: {
      platform: `${os.type()} ${os.release()}`,
      arch: os.arch(),
      cpus: os.availableParallelism(),
      cc: firstLine('cc', ['--version']),
      meson: firstLine('meson', ['--version']),
    },
    theirs,
    ours,
    comparison: compare(theirs, ours),
  };
  if (opts.fullSuite) report.suite = fullSuite(theirs, ours, opts);
  mkdirSync(opts.outDir, { recursive: true });
  const base = path.join(opts.outDir, `parity-${tag(opts)}`);
  // Every test case stays in the JUnit files of the work directory; the report keeps the summary.
  const summary = report.suite ? suiteSummary(report.suite) : null;
  const json = summary ? { ...report, suite: summary } : report;
  writeFileSync(`${base}.json`, `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(`${base}.md`, renderMarkdown(report));
  opts.log(`wrote ${base}.md and ${base}.json`);
  if (report.suite) {
    const suiteBase = path.join(opts.outDir, `suite-${tag(opts)}`);
    const title = `Full test suite: CPython ${tag(opts)}, configure + make vs cpython-meson`;
    writeFileSync(`${suiteBase}.md`, renderSuiteMarkdown(title, report.suite.theirs, report.suite.ours, report.suite.comparison, [theirs.commands, ours.commands]));
    writeFileSync(`${suiteBase}.json`, `${JSON.stringify({ cpython: opts.version, name: opts.name, ...summary }, null, 2)}\n`);
    opts.log(`wrote ${suiteBase}.md and ${suiteBase}.json`);
  }
  return report;
}

/** Command-line entry: parses `args` (after "parity"); usage and help come from the command table. */
export async function cmdParity(args: readonly string[], io: { out: (line: string) => void; err: (line: string) => void }, command: CommandText): Promise<number> {
  const opts: ParityOptions = {
    version: DEFAULT_CPYTHON_VERSION,
    reference: null,
    workDir: path.join(defaultCacheDir(), 'parity'),
    outDir: path.join(repoRoot, 'parity-results'),
    jobs: os.availableParallelism(),
    mesonArgs: [],
    configureArgs: [],
    name: null,
    fullSuite: false,
    reuseSuite: false,
    timeout: 1200,
    log: io.out,
  };
  const defines: string[] = [];
  const value = (i: number, name: string): string => {
    const v = args[i];
    if (v === undefined || v.startsWith('-')) throw new CpmError(`option ${name} expects a value (usage: ${command.usage})`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-h' || a === '--help') {
      io.out(command.help());
      return ExitCode.ok;
    } else if (a === '--cpython-version') opts.version = value(++i, a);
    else if (a === '--reference') opts.reference = path.resolve(value(++i, a));
    else if (a === '--work') opts.workDir = path.resolve(value(++i, a));
    else if (a === '--out') opts.outDir = path.resolve(value(++i, a));
    else if (a === '--jobs') opts.jobs = Number(value(++i, a));
    else if (a === '--name') opts.name = value(++i, a);
    else if (a === '--full-suite') opts.fullSuite = true;
    else if (a === '--reuse-suite') opts.reuseSuite = true;
    else if (a === '--timeout') opts.timeout = Number(value(++i, a));
    else if (a.startsWith('--configure-arg=')) opts.configureArgs.push(a.slice('--configure-arg='.length));
    else if (a === '-D') defines.push(value(++i, a));
    else if (a.startsWith('-D') && a.length > 2) defines.push(a.slice(2));
    else throw new CpmError(`unexpected argument ${JSON.stringify(a)} (usage: ${command.usage})`);
  }
  if (!Number.isInteger(opts.jobs) || opts.jobs < 1) throw new CpmError(`--jobs expects a positive integer (usage: ${command.usage})`);
  if (!Number.isInteger(opts.timeout) || opts.timeout < 1) throw new CpmError(`--timeout expects a positive number of seconds (usage: ${command.usage})`);
  if (opts.name !== null && !/^[\w.+-]+$/.test(opts.name)) throw new CpmError(`--name expects letters, digits, '.', '+', '-' or '_' (it names directories), got ${JSON.stringify(opts.name)}`);
  const given = new Set(defines.map((d) => d.slice(0, d.indexOf('='))));
  // No --buildtype: the generated project's defaults are configure's (-O3 -g, NDEBUG); an explicit
  // --buildtype=release would also turn Meson's `debug` off, and gdb's tests need the -g configure has.
  opts.mesonArgs = [
    ...(given.has('prefer_static') ? [] : ['-Dprefer_static=true']),
    ...defines.map((d) => `-D${d}`),
  ];
  const r = await runParity(opts);
  const c = r.comparison;
  io.out(
    `importable: ${Object.keys(r.theirs.probe.importable).length} (configure + make) vs ${Object.keys(r.ours.probe.importable).length} (cpython-meson); ` +
      `built in ${r.theirs.probe.builtin.length} vs ${r.ours.probe.builtin.length}, shared ${r.theirs.probe.shared.length} vs ${r.ours.probe.shared.length}`,
  );
  if (!c.ok) io.err(`cpython-meson: parity: missing here: ${c.missingHere.join(', ')}`);
  if (c.lddOutsideLibc.length) io.out(`our python needs: ${c.lddOutsideLibc.join(', ')}`);
  let suiteOk = true;
  if (r.suite) {
    const sc = r.suite.comparison;
    const real = sc.regressions.filter((d) => d.confirmed !== false);
    io.out(
      `test cases: ${sc.casesTheirs} (configure + make) vs ${sc.casesOurs} (cpython-meson); ` +
        `${real.length} pass there and not here, ${sc.improvements.filter((d) => d.confirmed !== false).length} the reverse, ` +
        `${[...sc.regressions, ...sc.improvements].filter((d) => d.confirmed === false).length} flaky`,
    );
    suiteOk = real.length === 0;
    if (!suiteOk) io.err(`cpython-meson: parity: ${real.length} test case(s) pass under configure + make and not here, e.g. ${real.slice(0, 3).map((d) => d.id).join(', ')}`);
  }
  return c.ok && suiteOk ? ExitCode.ok : ExitCode.differs;
}
