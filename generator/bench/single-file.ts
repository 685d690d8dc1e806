// `cpython-meson bench --single-file` (issue 14 item 5): the single-file interpreter against the
// normal static build of the same source, in one run. Three builds of one generated tree:
//   static               meson setup -Dprefer_static=true -Dtest_modules=false, installed into a
//                        DESTDIR (the stdlib byte-compiled, as a user has it): the baseline
//   single-file          cpython-meson build --single-file
//   single-file-minimal  cpython-meson build --single-file -D profile=minimal
// then the sizes (as built, and with the ELF part stripped) and the start-up times of
// `-c pass` and `-c "import json, asyncio"` (startup_times.py: alternating runs, medians of wall
// and CPU time). Writes <out>/single-file/results.json and README.md.
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CpmError, ExitCode } from '../errors.js';

export interface SingleFileOptions {
  version: string;
  /** Results go to <out>/single-file/, the trees to <out>/tmp/single-file/. */
  out: string;
  jobs: number;
  /** Timed runs per interpreter and command. */
  runs: number;
  /** Keep the trees; a kept build dir is rebuilt incrementally by the next run. */
  keep: boolean;
  progress: (line: string) => void;
}

interface Timing {
  wall_median_ms: number;
  cpu_median_ms: number;
  wall_ms: number[];
  cpu_ms: number[];
}

export interface SingleFileResults {
  date: string;
  cpythonVersion: string;
  machine: { cpu: string; cores: number; loadAtStart: number; loadAtEnd: number };
  /** seconds: this run's setup + ninja (+ install); reused: the build dir existed, so ninja had little or nothing to do. */
  builds: Record<string, { options: string[]; seconds: number; reused: boolean }>;
  sizes: {
    singleFile: { file: number; elfStripped: number; archive: number; archiveEntries: number };
    singleFileMinimal: { file: number; elfStripped: number; archive: number; archiveEntries: number };
    staticPython: { file: number; stripped: number };
  };
  startup: Record<string, { code: string; runs: number; timings: Record<string, Timing>; cpuRatio: number; wallRatio: number }>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

function beside(name: string): string {
  for (const candidate of [path.join(here, name), path.resolve(here, '../../../generator/bench', name)]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new CpmError(`generator/bench/${name} not found beside the bench module`, { exitCode: ExitCode.toolFailed });
}

function cliPath(): string {
  return path.resolve(here, '../../../bin/cpython-meson.js');
}

/** Runs a command with its output appended to `log`; a failure is a one-line error naming the log. */
function step(cmd: string, args: string[], log: string, cwd: string): Promise<number> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const fd = openSync(log, 'a');
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', fd, fd] });
    child.on('error', (err) => {
      closeSync(fd);
      reject(new CpmError(`${cmd} could not be started: ${err.message}`, { exitCode: ExitCode.toolFailed }));
    });
    child.on('close', (code) => {
      closeSync(fd);
      if (code === 0) resolve((Date.now() - t0) / 1000);
      else reject(new CpmError(`\`${[cmd, ...args].join(' ')}\` failed with exit status ${code} (log: ${log})`, { exitCode: ExitCode.toolFailed }));
    });
  });
}

function capture(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new CpmError(`\`${[cmd, ...args].join(' ')}\` failed: ${err.trim().split('\n').pop() ?? ''}`, { exitCode: ExitCode.toolFailed }))));
  });
}

async function strippedSize(file: string, scratch: string): Promise<number> {
  const out = path.join(scratch, `${path.basename(file)}.stripped`);
  await capture('strip', ['-o', out, file]);
  return statSync(out).size;
}

async function archiveInfo(build: string, version: string): Promise<{ archive: number; archiveEntries: number }> {
  const [major, minor] = version.split('.');
  const zip = path.join(build, `python${major}${minor}-stdlib.zip`);
  const n = await capture('python3', ['-c', 'import sys, zipfile; print(len(zipfile.ZipFile(sys.argv[1]).namelist()))', zip]);
  return { archive: statSync(zip).size, archiveEntries: Number(n.trim()) };
}

const mb = (n: number): string => `${(n / 1e6).toFixed(2)} MB`;
const ms = (n: number): string => `${n.toFixed(1)} ms`;

export function renderSingleFile(r: SingleFileResults): string {
  const s = r.sizes;
  const lines = [
    `# Single-file interpreter: CPython ${r.cpythonVersion}`,
    '',
    `${r.date} · ${r.machine.cpu} · ${r.machine.cores} cores · load ${r.machine.loadAtStart} at start, ${r.machine.loadAtEnd} at end`,
    '',
    'Written by `cpython-meson bench --single-file` ([docs/single-file.md](../../docs/single-file.md)). The baseline is the',
    'normal static build of the same tree (`-Dprefer_static=true -Dtest_modules=false`), installed with',
    '`meson install --destdir` (its stdlib byte-compiled beside it, as a user has it).',
    '',
    '## Sizes',
    '',
    '| file | as built | ELF part stripped | stdlib archive |',
    '|---|---|---|---|',
    `| single file, full profile | ${mb(s.singleFile.file)} | **${mb(s.singleFile.elfStripped)}** | ${mb(s.singleFile.archive)} (${s.singleFile.archiveEntries} entries) |`,
    `| single file, \`minimal\` profile | ${mb(s.singleFileMinimal.file)} | **${mb(s.singleFileMinimal.elfStripped)}** | ${mb(s.singleFileMinimal.archive)} (${s.singleFileMinimal.archiveEntries} entries) |`,
    `| normal static \`python\` (full; needs its lib/python${r.cpythonVersion.split('.').slice(0, 2).join('.')}/ beside it) | ${mb(s.staticPython.file)} | ${mb(s.staticPython.stripped)} | – |`,
    '',
    '## Start-up',
    '',
    `Median of ${Object.values(r.startup)[0]?.runs ?? 0} runs per interpreter and command, the interpreters alternating; CPU = user + system time of the process.`,
    '',
    '| command | interpreter | wall | CPU | CPU ratio | wall ratio |',
    '|---|---|---|---|---|---|',
  ];
  for (const [, st] of Object.entries(r.startup)) {
    const base = st.timings['static'];
    for (const [name, t] of Object.entries(st.timings)) {
      const cpu = base ? (t.cpu_median_ms / base.cpu_median_ms).toFixed(3) : '–';
      const wall = base ? (t.wall_median_ms / base.wall_median_ms).toFixed(3) : '–';
      lines.push(`| \`-c ${JSON.stringify(st.code).slice(1, -1)}\` | ${name} | ${ms(t.wall_median_ms)} | ${ms(t.cpu_median_ms)} | ${name === 'static' ? '1 (baseline)' : `**${cpu}×**`} | ${name === 'static' ? '1' : `${wall}×`} |`);
    }
  }
  // Issue 14's target: start-up no more than 10% slower than the normal static build.
  const verdicts = Object.values(r.startup).map((st) => `\`-c ${st.code}\` ${st.cpuRatio.toFixed(3)}× CPU, ${st.wallRatio.toFixed(3)}× wall (${Math.max(st.cpuRatio, st.wallRatio) <= 1.1 ? 'within' : 'over'} 10%)`);
  lines.push(
    '',
    `Target: no more than 10% slower start-up than the normal static build. ${verdicts.join('; ')}. Two things`,
    "keep imports from the archive cheap: the directory table appended with it spares zipimport the parsing of the",
    "archive's central directory (without it `-c pass` took 1.4-1.7× the CPU time), and the archive's own zipimporter",
    '(`_cpython_meson_zipimport`) reads and unmarshals each module once where the stock one does it twice',
    '([python/cpython#141276](https://github.com/python/cpython/issues/141276); without it `import json, asyncio` took',
    '1.13× the CPU time). Wall times follow the load of the shared machine more than CPU times do.',
  );
  lines.push('', '## Builds', '', '| build | options | seconds |', '|---|---|---|');
  for (const [name, b] of Object.entries(r.builds)) lines.push(`| ${name} | \`${b.options.join(' ')}\` | ${b.seconds.toFixed(0)}${b.reused ? ' (existing build dir: an incremental build, not a build time)' : ''} |`);
  lines.push('');
  return lines.join('\n');
}

export async function singleFileBench(pristine: string, options: SingleFileOptions): Promise<SingleFileResults> {
  const log = options.progress;
  const work = path.join(options.out, 'tmp', 'single-file');
  const outDir = path.join(options.out, 'single-file');
  await fs.mkdir(path.join(outDir, 'logs'), { recursive: true });
  await fs.mkdir(work, { recursive: true });
  const tree = path.join(work, `Python-${options.version}`);
  if (!existsSync(path.join(tree, 'Include/patchlevel.h'))) {
    log(`copying ${pristine} to ${tree}`);
    await capture('cp', ['-a', pristine, tree]);
  }
  const logs = path.join(outDir, 'logs');
  const loadAtStart = Number(os.loadavg()[0]?.toFixed(2) ?? 0);
  const builds: SingleFileResults['builds'] = {};
  const cli = cliPath();
  await step(process.execPath, [cli, 'generate', tree], path.join(logs, 'generate.log'), work);

  // The baseline: the normal static build, installed.
  const staticBuild = path.join(work, 'build-static');
  const staticOptions = ['-Dprefer_static=true', '-Dtest_modules=false', `-Dprefix=/opt/cpython-${options.version}`];
  log('building the normal static interpreter');
  let seconds = 0;
  const staticReused = existsSync(path.join(staticBuild, 'build.ninja'));
  if (!staticReused) seconds += await step('meson', ['setup', staticBuild, tree, ...staticOptions], path.join(logs, 'static-setup.log'), work);
  seconds += await step('ninja', ['-C', staticBuild, `-j${options.jobs}`], path.join(logs, 'static-ninja.log'), work);
  const destdir = path.join(work, 'static-install');
  await fs.rm(destdir, { recursive: true, force: true });
  seconds += await step('meson', ['install', '-C', staticBuild, '--destdir', destdir, '--quiet'], path.join(logs, 'static-install.log'), work);
  builds['static'] = { options: staticOptions, seconds, reused: staticReused };
  const staticPython = path.join(destdir, `opt/cpython-${options.version}`, 'bin', `python${options.version.split('.').slice(0, 2).join('.')}`);

  const singles: Record<string, string[]> = { 'single-file': [], 'single-file-minimal': ['-Dprofile=minimal'] };
  for (const [name, extra] of Object.entries(singles)) {
    log(`cpython-meson build --single-file ${extra.join(' ')}`);
    const reused = existsSync(path.join(work, `build-${name}`, 'build.ninja'));
    const t = await step(process.execPath, [cli, 'build', tree, path.join(work, `build-${name}`), '--single-file', ...extra], path.join(logs, `${name}.log`), work);
    builds[name] = { options: ['--single-file', ...extra], seconds: t, reused };
  }
  const one = path.join(work, 'build-single-file', 'python');
  const oneMin = path.join(work, 'build-single-file-minimal', 'python');
  const scratch = path.join(work, 'scratch');
  await fs.mkdir(scratch, { recursive: true });
  const elfStripped = async (build: string): Promise<number> =>
    statSync(path.join(build, 'python')).size - statSync(path.join(build, 'python-bare')).size + (await strippedSize(path.join(build, 'python-bare'), scratch));
  const sizes: SingleFileResults['sizes'] = {
    singleFile: { file: statSync(one).size, elfStripped: await elfStripped(path.dirname(one)), ...(await archiveInfo(path.dirname(one), options.version)) },
    singleFileMinimal: { file: statSync(oneMin).size, elfStripped: await elfStripped(path.dirname(oneMin)), ...(await archiveInfo(path.dirname(oneMin), options.version)) },
    staticPython: { file: statSync(staticPython).size, stripped: await strippedSize(staticPython, scratch) },
  };

  // Copies alone in a scratch directory, as a user runs them.
  const aloneDir = path.join(scratch, 'alone');
  await fs.mkdir(aloneDir, { recursive: true });
  const aloneOne = path.join(aloneDir, 'python');
  const aloneMin = path.join(aloneDir, 'python-minimal');
  await fs.copyFile(one, aloneOne);
  await fs.copyFile(oneMin, aloneMin);
  await fs.chmod(aloneOne, 0o755);
  await fs.chmod(aloneMin, 0o755);
  const timer = beside('startup_times.py');
  const startup: SingleFileResults['startup'] = {};
  const commands: [string, string, string[]][] = [
    ['pass', 'pass', [`single-file=${aloneOne}`, `single-file-minimal=${aloneMin}`]],
    ['json-asyncio', 'import json, asyncio', [`single-file=${aloneOne}`]],
  ];
  for (const [key, code, pythons] of commands) {
    log(`start-up: -c ${JSON.stringify(code)}, ${options.runs} runs each`);
    const json = await capture('python3', [timer, String(options.runs), code, `static=${staticPython}`, ...pythons]);
    const timings = JSON.parse(json) as Record<string, Timing>;
    const base = timings['static'];
    const cand = timings['single-file'];
    startup[key] = {
      code,
      runs: options.runs,
      timings,
      cpuRatio: base && cand ? Number((cand.cpu_median_ms / base.cpu_median_ms).toFixed(3)) : 0,
      wallRatio: base && cand ? Number((cand.wall_median_ms / base.wall_median_ms).toFixed(3)) : 0,
    };
  }
  const results: SingleFileResults = {
    date: new Date().toISOString(),
    cpythonVersion: options.version,
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, loadAtStart, loadAtEnd: Number(os.loadavg()[0]?.toFixed(2) ?? 0) },
    builds,
    sizes,
    startup,
  };
  await fs.writeFile(path.join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await fs.writeFile(path.join(outDir, 'README.md'), renderSingleFile(results));
  if (!options.keep) await fs.rm(work, { recursive: true, force: true });
  return results;
}
