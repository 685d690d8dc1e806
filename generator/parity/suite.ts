// Full-suite parity: CPython's whole test suite (`python -m test --junit-xml`) run on both builds
// of one source tree, compared per test case. A case that passes under configure + make and fails,
// errors or is skipped here (or does not run here at all) is a regression; the reverse is an
// improvement. Test files that differ are run once more on both builds, alone, to tell a
// reproducible difference from a flaky one (timing tests on a loaded machine).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { byCodePoint } from '../util/order.js';
import { cleanEnv } from '../util/run.js';

/** What one test case did, as regrtest's JUnit XML records it (Lib/test/libregrtest/testresult.py). */
export type CaseStatus = 'pass' | 'fail' | 'error' | 'skip' | 'xfail' | 'xpass';

export interface CaseResult {
  status: CaseStatus;
  /** The skip reason, or the first line of the failure's message. */
  reason: string;
}

/** What one test file did, from regrtest's progress lines ("[ 12/481] test_x skipped -- reason"). */
export interface FileResult {
  /** passed, failed, skipped, resource denied, env changed, no tests run, timeout, crashed … as regrtest words it. */
  outcome: string;
  detail: string;
}

export interface SuiteRun {
  /** The regrtest command line, for the report. */
  command: string[];
  seconds: number | null;
  exitStatus: number | null;
  cases: Record<string, CaseResult>;
  files: Record<string, FileResult>;
  /** regrtest's closing "Total tests: run=… skipped=…" line. */
  totals: string;
  /** regrtest's verdict line ("Result: FAILURE"), its word. */
  result: string;
}

export interface CaseDifference {
  id: string;
  file: string;
  theirs: CaseResult | null;
  ours: CaseResult | null;
  /** After running the file again alone on both builds: still different, or the same (flaky). */
  confirmed: boolean | null;
}

export interface SuiteComparison {
  casesTheirs: number;
  casesOurs: number;
  /** Pass under configure + make; fail, error, skip or absent here. Target: none. */
  regressions: CaseDifference[];
  /** Pass here; fail, error, skip or absent under configure + make. */
  improvements: CaseDifference[];
  /** Test files whose outcome differs (skipped whole, failed, crashed). */
  fileDifferences: Array<{ file: string; theirs: FileResult | null; ours: FileResult | null }>;
}

// --- JUnit XML ---------------------------------------------------------------------------

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

interface XmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A small parser for the XML ElementTree writes: elements, attributes, text; no DTD, no CDATA. */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { tag: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const token = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<\?[^>]*\?>|<!--[\s\S]*?-->|([^<]+)/g;
  const attr = /([\w.:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = token.exec(xml)) !== null) {
    if (m.index !== consumed) throw new Error(`malformed XML at offset ${consumed}`);
    consumed = token.lastIndex;
    const top = stack[stack.length - 1] as XmlElement;
    if (m[5] !== undefined) {
      top.text += unescapeXml(m[5]);
      continue;
    }
    if (m[2] === undefined) continue; // declaration or comment
    if (m[1] === '/') {
      if (top.tag !== m[2] || stack.length === 1) throw new Error(`malformed XML: </${m[2]}> closes <${top.tag}>`);
      stack.pop();
      continue;
    }
    const el: XmlElement = { tag: m[2], attrs: {}, children: [], text: '' };
    for (const a of (m[3] ?? '').matchAll(attr)) el.attrs[a[1] as string] = unescapeXml(a[3] ?? a[4] ?? '');
    top.children.push(el);
    if (m[4] !== '/') stack.push(el);
  }
  if (consumed !== xml.length) throw new Error(`malformed XML at offset ${consumed}`);
  if (stack.length !== 1) throw new Error(`malformed XML: <${(stack[stack.length - 1] as XmlElement).tag}> is never closed`);
  return root;
}

/**
 * One line saying why a case failed: the first line of the `message` attribute (the exception
 * without its traceback, "AssertionError: {...} != {...}"), else the traceback's last line.
 */
function reasonOf(el: XmlElement): string {
  const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
  const message = el.attrs.message;
  const line = message !== undefined && lines(message).length ? lines(message)[0] : lines(el.text).pop();
  return (line ?? '').slice(0, 300);
}

/** Test case id -> result, from regrtest's --junit-xml file. */
export function parseJunit(xml: string): Record<string, CaseResult> {
  const cases: Record<string, CaseResult> = {};
  const visit = (el: XmlElement): void => {
    if (el.tag === 'testcase') {
      const id = el.attrs.name ?? '';
      // regrtest leaves an empty <testcase /> when a test started and never reported (a crash).
      if (!id) return;
      const child = (tag: string) => el.children.find((c) => c.tag === tag);
      const error = child('error');
      const failure = child('failure');
      const skipped = child('skipped');
      const outcome = child('outcome');
      let result: CaseResult;
      if (error) result = { status: 'error', reason: reasonOf(error) };
      else if (failure) result = { status: 'fail', reason: reasonOf(failure) };
      else if (skipped) result = { status: 'skip', reason: skipped.text.trim().slice(0, 300) };
      else if (child('output')) result = { status: 'xfail', reason: 'expected failure' };
      else if (outcome && outcome.text.includes('UNEXPECTED_SUCCESS')) result = { status: 'xpass', reason: 'unexpected success' };
      else result = { status: 'pass', reason: '' };
      // A case that runs twice (regrtest re-runs, subtests) keeps its worst outcome.
      const before = cases[id];
      if (!before || before.status === 'pass') cases[id] = result;
      return;
    }
    for (const c of el.children) visit(c);
  };
  visit(parseXml(xml));
  return cases;
}

// --- regrtest's output ---------------------------------------------------------------------

/** regrtest's words for a test file's outcome (Lib/test/libregrtest/result.py, TestResult.__str__). */
const FILE_STATES = [
  'failed (uncaught exception)',
  'failed (reference leak)',
  'failed (env changed)',
  'skipped (resource denied)',
  'worker non-zero exit code',
  'worker bug',
  'ran no tests',
  'timed out',
  'interrupted',
  'passed',
  'failed',
  'skipped',
];

/** Test file -> outcome, from the progress lines of `python -m test -jN` ("[ 12/481] test_x skipped"). */
export function parseRegrtestLog(text: string): { files: Record<string, FileResult>; totals: string; result: string; seconds: number | null } {
  const files: Record<string, FileResult> = {};
  const progress = /\[\s*\d+\/\d+(?:\/\d+)?\]\s+(test[\w.]*)\s+(.*)$/;
  const skipReason = /^(test[\w.]*) skipped -- (.*)$/;
  const reasons: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const s = skipReason.exec(line);
    if (s) reasons[s[1] as string] = (s[2] ?? '').trim();
    const m = progress.exec(line);
    if (!m) continue;
    const rest = (m[2] ?? '').replace(/ -- running( \(\d+\))?: .*$/, '').trim();
    const state = FILE_STATES.find((st) => rest.startsWith(st)) ?? rest;
    // What follows the state: "(3 failures)", the worker's error, the duration "(1 min 2 sec)".
    const detail = rest
      .slice(state.length)
      .replace(/\s*\(((\d+(\.\d+)?) (hour|min|sec|ms)\s*)+\)$/, '')
      .trim()
      .replace(/^\((.*)\)$/, '$1');
    files[m[1] as string] = { outcome: state, detail };
  }
  for (const [file, reason] of Object.entries(reasons)) {
    const f = files[file];
    if (f && !f.detail) f.detail = reason;
  }
  const lines = text.split('\n');
  const totals = lines.find((l) => l.startsWith('Total tests:'))?.trim() ?? '';
  const result = /^Result: (\S+)/.exec(lines.find((l) => l.startsWith('Result: ')) ?? '')?.[1] ?? '';
  // "Total duration: 1 hour 2 min", "12 min 4 sec", "35.1 sec", "500 ms"
  const duration = /^Total duration: (.*)$/.exec(lines.find((l) => l.startsWith('Total duration: ')) ?? '')?.[1] ?? '';
  const unit: Record<string, number> = { hour: 3600, min: 60, sec: 1, ms: 0.001 };
  let seconds: number | null = null;
  for (const m of duration.matchAll(/([\d.]+) (hour|min|sec|ms)/g)) seconds = (seconds ?? 0) + Number(m[1]) * (unit[m[2] as string] ?? 0);
  return { files, totals, result, seconds };
}

// --- running ---------------------------------------------------------------------------------

export interface SuiteRunOptions {
  python: string;
  cwd: string;
  jobs: number;
  /** Files the run writes: <base>.xml and <base>.log. */
  base: string;
  /** Test files to run; all of them when empty. */
  tests: string[];
  /** Per test file, seconds (regrtest --timeout). */
  timeout: number;
  log: (line: string) => void;
}


export function regrtestCommand(o: Pick<SuiteRunOptions, 'python' | 'jobs' | 'base' | 'tests' | 'timeout'>): string[] {
  return [o.python, '-m', 'test', `-j${o.jobs}`, `--timeout=${o.timeout}`, `--junit-xml=${o.base}.xml`, ...o.tests];
}

/** Runs regrtest on one build; its exit status is recorded, not judged (some tests fail on both). */
export function runSuite(o: SuiteRunOptions): SuiteRun {
  const command = regrtestCommand(o);
  const t0 = Date.now();
  const r = spawnSync(command[0] as string, command.slice(1), { cwd: o.cwd, env: cleanEnv(), encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const seconds = (Date.now() - t0) / 1000;
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  writeFileSync(`${o.base}.log`, out);
  return readSuite(o.base, command, seconds, r.status);
}

/** A suite run already on disk (<base>.xml and <base>.log). */
export function readSuite(base: string, command: string[], seconds: number | null, exitStatus: number | null): SuiteRun {
  if (!existsSync(`${base}.xml`)) throw new Error(`regrtest wrote no ${base}.xml; its output is in ${base}.log`);
  const log = parseRegrtestLog(existsSync(`${base}.log`) ? readFileSync(`${base}.log`, 'utf8') : '');
  // A reused run has no wall time of its own: regrtest's "Total duration" stands in.
  return { command, seconds: seconds ?? log.seconds, exitStatus, cases: parseJunit(readFileSync(`${base}.xml`, 'utf8')), files: log.files, totals: log.totals, result: log.result };
}

// --- comparing ---------------------------------------------------------------------------------

/** The test file a case id belongs to: the longest regrtest file name that prefixes it. */
export function fileOf(id: string, files: readonly string[]): string {
  const bare = id.startsWith('test.') ? id.slice(5) : id;
  let best = '';
  for (const f of files) if ((bare === f || bare.startsWith(`${f}.`)) && f.length > best.length) best = f;
  return best || (bare.split('.')[0] ?? bare);
}

const passes = (c: CaseResult | null | undefined): boolean => c?.status === 'pass' || c?.status === 'xfail';

export function compareSuites(theirs: SuiteRun, ours: SuiteRun): SuiteComparison {
  const fileNames = [...new Set([...Object.keys(theirs.files), ...Object.keys(ours.files)])];
  const ids = [...new Set([...Object.keys(theirs.cases), ...Object.keys(ours.cases)])].sort(byCodePoint);
  const regressions: CaseDifference[] = [];
  const improvements: CaseDifference[] = [];
  for (const id of ids) {
    const a = theirs.cases[id] ?? null;
    const b = ours.cases[id] ?? null;
    const d = { id, file: fileOf(id, fileNames), theirs: a, ours: b, confirmed: null };
    if (passes(a) && !passes(b)) regressions.push(d);
    else if (passes(b) && !passes(a)) improvements.push(d);
  }
  const fileDifferences = fileNames
    .sort(byCodePoint)
    .map((file) => ({ file, theirs: theirs.files[file] ?? null, ours: ours.files[file] ?? null }))
    .filter((f) => (f.theirs?.outcome ?? 'not run') !== (f.ours?.outcome ?? 'not run'));
  return { casesTheirs: Object.keys(theirs.cases).length, casesOurs: Object.keys(ours.cases).length, regressions, improvements, fileDifferences };
}

/** Marks each difference confirmed (still there when its file runs again alone on both builds) or not. */
export function confirm(c: SuiteComparison, again: { theirs: SuiteRun; ours: SuiteRun }): void {
  for (const d of [...c.regressions, ...c.improvements]) {
    const a = again.theirs.cases[d.id];
    const b = again.ours.cases[d.id];
    const wasRegression = c.regressions.includes(d);
    d.confirmed = wasRegression ? passes(a) && !passes(b) : passes(b) && !passes(a);
  }
}

// --- report --------------------------------------------------------------------------------------

function describe(c: CaseResult | null): string {
  if (!c) return 'not run';
  return c.reason ? `${c.status}: ${c.reason.replace(/\|/g, '\\|').replace(/\n/g, ' ')}` : c.status;
}

function counts(run: SuiteRun): string {
  const n: Record<string, number> = {};
  for (const c of Object.values(run.cases)) n[c.status] = (n[c.status] ?? 0) + 1;
  return ['pass', 'fail', 'error', 'skip', 'xfail', 'xpass'].map((s) => `${n[s] ?? 0} ${s}`).join(', ');
}

export function renderSuiteMarkdown(title: string, theirs: SuiteRun, ours: SuiteRun, c: SuiteComparison, builds: [string[], string[]]): string {
  const confirmed = (ds: CaseDifference[]) => ds.filter((d) => d.confirmed !== false);
  const flaky = (ds: CaseDifference[]) => ds.filter((d) => d.confirmed === false);
  const table = (ds: CaseDifference[]) =>
    ds.length
      ? ['| test case | configure + make | cpython-meson |', '|---|---|---|', ...ds.map((d) => `| \`${d.id}\` | ${describe(d.theirs)} | ${describe(d.ours)} |`)]
      : ['(none)'];
  const secs = (r: SuiteRun) => (r.seconds === null ? 'n/a' : `${Math.round(r.seconds)} s`);
  const lines = [
    `# ${title}`,
    '',
    `Result: **${confirmed(c.regressions).length}** test case(s) pass under configure + make and fail, error, are skipped or do not run here` +
      ` (${flaky(c.regressions).length} more differed once and not when run again: flaky).`,
    '',
    '| | configure + make | cpython-meson |',
    '|---|---|---|',
    `| test cases recorded | ${c.casesTheirs} | ${c.casesOurs} |`,
    `| outcomes | ${counts(theirs)} | ${counts(ours)} |`,
    `| regrtest totals | ${theirs.totals || 'n/a'} | ${ours.totals || 'n/a'} |`,
    `| regrtest result | ${theirs.result || 'n/a'} | ${ours.result || 'n/a'} |`,
    `| time (regrtest's total duration) | ${secs(theirs)} | ${secs(ours)} |`,
    '',
    'Builds:',
    '',
    ...builds[0].map((cmd) => `    ${cmd}`),
    '',
    ...builds[1].map((cmd) => `    ${cmd}`),
    '',
    'Test runs (each in its build directory, clean environment; files with differences then ran again alone on both):',
    '',
    `    ${theirs.command.join(' ')}`,
    `    ${ours.command.join(' ')}`,
    '',
    '## Pass under configure + make, not here',
    '',
    ...table(confirmed(c.regressions)),
    '',
    '## Pass here, not under configure + make',
    '',
    ...table(confirmed(c.improvements)),
    '',
    '## Flaky: differed in the full run, the same when the file ran again alone',
    '',
    ...table([...flaky(c.regressions), ...flaky(c.improvements)]),
    '',
    '## Test files whose outcome differs',
    '',
    ...(c.fileDifferences.length
      ? [
          '| test file | configure + make | cpython-meson |',
          '|---|---|---|',
          ...c.fileDifferences.map(
            (f) =>
              `| ${f.file} | ${f.theirs ? `${f.theirs.outcome}${f.theirs.detail && f.theirs.detail !== f.theirs.outcome ? ` — ${f.theirs.detail}` : ''}` : 'not run'} | ${
                f.ours ? `${f.ours.outcome}${f.ours.detail && f.ours.detail !== f.ours.outcome ? ` — ${f.ours.detail}` : ''}` : 'not run'
              } |`,
          ),
        ]
      : ['(none)']),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

