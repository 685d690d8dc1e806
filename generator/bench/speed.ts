// Interpreter speed for `cpython-meson bench`: runs the workloads of speed_workloads.py (pure
// standard library, written for this project, start-up included) on two interpreters, timing CPU time,
// alternating them process by process so that drifting machine load hits both alike, keeps the
// minimum of each, and reports per-workload time ratios and their geometric mean.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CpmError, ExitCode } from '../errors.js';

/** One interpreter under test. */
export interface Interpreter {
  /** Short name used in tables and the chart, e.g. "configure+make" or "meson". */
  label: string;
  python: string;
}

export interface WorkloadResult {
  name: string;
  /** Best CPU seconds per call (start-up: per `python -c pass` process) of the baseline and the candidate. */
  baselineSeconds: number;
  candidateSeconds: number;
  /** candidate / baseline: below 1 means the candidate is faster. */
  ratio: number;
}

export interface SpeedResult {
  baseline: string;
  candidate: string;
  /** Processes per workload and interpreter. */
  processes: number;
  workloads: WorkloadResult[];
  /** Geometric mean of the ratios (start-up included). */
  geometricMean: number;
}

export interface SpeedOptions {
  processes: number;
  /** Limit to these workloads (default: all of speed_workloads.py, start-up included). */
  only?: string[];
  progress?: (line: string) => void;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** speed_workloads.py lives beside this module in generator/bench/ (dist/ has no copy of it). */
export function workloadsScript(): string {
  for (const candidate of [path.join(here, 'speed_workloads.py'), path.resolve(here, '../../../generator/bench/speed_workloads.py')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new CpmError('generator/bench/speed_workloads.py not found beside the bench module', { exitCode: ExitCode.toolFailed });
}

/** A clean environment: no PYTHONHOME/PYTHONPATH help, no user site, fixed hash seed. */
function pythonEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', PYTHONHASHSEED: '0', PYTHONNOUSERSITE: '1' };
}

function runPython(python: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string; seconds: number }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(python, args, { cwd, env: pythonEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: Number(process.hrtime.bigint() - t0) / 1e9 }));
  });
}

function speedError(message: string): CpmError {
  return new CpmError(message, { exitCode: ExitCode.toolFailed });
}

/** The workload names the script offers, checked to be the same on both interpreters. */
export async function listWorkloads(python: string): Promise<string[]> {
  const script = workloadsScript();
  const r = await runPython(python, [script, '--list'], path.dirname(script));
  if (r.code !== 0) throw speedError(`${python} ${path.basename(script)} --list failed (exit ${r.code}): ${r.stderr.trim().split('\n').pop() ?? ''}`);
  return r.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
}

async function timeWorkload(python: string, name: string): Promise<number> {
  const script = workloadsScript();
  const r = await runPython(python, [script, name], path.dirname(script));
  if (r.code !== 0) throw speedError(`workload ${name} failed on ${python} (exit ${r.code}): ${r.stderr.trim().split('\n').pop() ?? ''}`);
  const parsed: unknown = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
  if (!parsed || typeof parsed !== 'object' || !('seconds' in parsed) || typeof parsed.seconds !== 'number') {
    throw speedError(`workload ${name} on ${python} printed no timing: ${r.stdout.slice(0, 200)}`);
  }
  return parsed.seconds;
}

export function geometricMean(values: number[]): number {
  if (values.length === 0) return NaN;
  return Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
}

/** Compares `candidate` against `baseline` on every workload and start-up. */
export async function compareSpeed(baseline: Interpreter, candidate: Interpreter, options: SpeedOptions): Promise<SpeedResult> {
  const names = await listWorkloads(baseline.python);
  const other = await listWorkloads(candidate.python);
  if (names.join() !== other.join()) throw speedError('the two interpreters list different workloads');
  const selected = names.filter((n) => !options.only || options.only.includes(n));
  const workloads: WorkloadResult[] = [];
  for (const name of selected) {
    const best = [Infinity, Infinity];
    for (let p = 0; p < options.processes; p++) {
      // Alternate which interpreter goes first, so neither always gets the warmer caches.
      const order = p % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) {
        const python = i === 0 ? baseline.python : candidate.python;
        const s = await timeWorkload(python, name);
        best[i] = Math.min(best[i] ?? Infinity, s);
      }
    }
    const [b, c] = best as [number, number];
    workloads.push({ name, baselineSeconds: b, candidateSeconds: c, ratio: c / b });
    options.progress?.(`speed ${name}: ${baseline.label} ${(b * 1000).toFixed(2)} ms, ${candidate.label} ${(c * 1000).toFixed(2)} ms, ratio ${(c / b).toFixed(3)}`);
  }
  return {
    baseline: baseline.label,
    candidate: candidate.label,
    processes: options.processes,
    workloads,
    geometricMean: geometricMean(workloads.map((w) => w.ratio)),
  };
}

/** Markdown table of one comparison. */
export function speedTable(r: SpeedResult): string[] {
  const ms = (s: number): string => (s * 1000 >= 100 ? (s * 1000).toFixed(0) : (s * 1000).toFixed(2));
  return [
    `| workload | ${r.baseline} (ms) | ${r.candidate} (ms) | ratio |`,
    '|---|---|---|---|',
    ...r.workloads.map((w) => `| ${w.name} | ${ms(w.baselineSeconds)} | ${ms(w.candidateSeconds)} | ${w.ratio.toFixed(3)}× |`),
    `| **geometric mean** | | | **${r.geometricMean.toFixed(3)}×** |`,
  ];
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A horizontal bar chart of time ratios, one group of bars per workload and one colour per
 * comparison, with the 1.0× line marked: bars left of it mean the candidate was faster.
 */
export function speedChartSvg(title: string, comparisons: { name: string; result: SpeedResult }[]): string {
  const colours = ['#4477aa', '#ee6677', '#228833', '#ccbb44'];
  const names = [...new Set(comparisons.flatMap((c) => c.result.workloads.map((w) => w.name))), 'geometric mean'];
  const ratio = (c: SpeedResult, n: string): number | undefined => (n === 'geometric mean' ? c.geometricMean : c.workloads.find((w) => w.name === n)?.ratio);
  const all = comparisons.flatMap((c) => names.map((n) => ratio(c.result, n)).filter((x): x is number => x !== undefined));
  const max = Math.max(1.2, Math.ceil(Math.max(...all) * 10) / 10);
  const min = Math.min(0.8, Math.floor(Math.min(...all) * 10) / 10, 1);
  const lo = Math.max(0, min);
  const left = 130;
  const width = 520;
  const barH = 9;
  const groupH = comparisons.length * barH + 6;
  const top = 48 + comparisons.length * 16;
  const axisY = top + names.length * groupH + 4;
  const height = axisY + 36;
  const x = (v: number): number => left + ((v - lo) / (max - lo)) * width;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 70}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  comparisons.forEach((c, i) => {
    const y = 30 + i * 16;
    out.push(`<rect x="10" y="${y}" width="12" height="10" fill="${colours[i % colours.length]}"/>`);
    out.push(`<text x="28" y="${y + 9}">${escapeXml(`${c.name}: ${c.result.candidate} / ${c.result.baseline} time, geometric mean ${c.result.geometricMean.toFixed(3)}×`)}</text>`);
  });
  for (let t = Math.ceil(lo * 10) / 10; t <= max + 1e-9; t += 0.1) {
    const tx = x(t);
    const strong = Math.abs(t - 1) < 1e-9;
    out.push(`<line x1="${tx.toFixed(1)}" y1="${top - 4}" x2="${tx.toFixed(1)}" y2="${axisY}" stroke="${strong ? '#000' : '#ddd'}" stroke-width="${strong ? 1.5 : 1}"/>`);
    out.push(`<text x="${tx.toFixed(1)}" y="${axisY + 13}" text-anchor="middle">${t.toFixed(1)}×</text>`);
  }
  names.forEach((n, gi) => {
    const gy = top + gi * groupH;
    const bold = n === 'geometric mean' ? ' font-weight="bold"' : '';
    out.push(`<text x="${left - 6}" y="${gy + (comparisons.length * barH) / 2 + 4}" text-anchor="end"${bold}>${escapeXml(n)}</text>`);
    comparisons.forEach((c, ci) => {
      const v = ratio(c.result, n);
      if (v === undefined) return;
      const y = gy + ci * barH;
      const x0 = x(Math.min(1, v));
      const x1 = x(Math.max(1, v));
      out.push(`<rect x="${x0.toFixed(1)}" y="${y}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${barH - 1}" fill="${colours[ci % colours.length]}"/>`);
      out.push(`<text x="${(x(Math.max(1, v)) + 3).toFixed(1)}" y="${y + barH - 1}" font-size="9">${v.toFixed(2)}</text>`);
    });
  });
  out.push(`<text x="${left}" y="${axisY + 30}" font-size="10" fill="#555">time ratio per workload; left of 1.0×: faster than the baseline</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
