// Writes generated files into the checkout: atomically, deterministically (sorted by path), and
// never over a file cpython-meson did not generate, nor over a generated file edited outside its
// keep blocks, unless forced. The keep blocks of an existing file are carried into the new content
// and every written file carries the hash of its generated lines in its marker line (keep.ts).
// Every file is checked before any is written, so a refusal leaves the tree untouched. In check
// mode nothing is written and the report says which files would be created or changed, with a
// short line diff of each.
import { constants as fsConstants } from 'node:fs';
import { access, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CpmError, ExitCode } from '../errors.js';
import { editState, isGenerated, KEEP_BEGIN, KEEP_END, mergeKeep, splitKeep } from './keep.js';
import type { GeneratedFile } from './types.js';

export { isGenerated, KEEP_BEGIN, KEEP_END, MARKER_LINES } from './keep.js';

export interface WriteOptions {
  /** Write nothing; report what would be created or changed. */
  check?: boolean;
  /** Overwrite files that exist without the generated marker, or were edited outside their keep blocks. */
  force?: boolean;
}

/** 'created' and 'updated' mean "would be" in check mode. */
export type WriteStatus = 'created' | 'updated' | 'unchanged';

export interface FileReport {
  /** Path relative to the checkout, forward slashes. */
  path: string;
  status: WriteStatus;
  /** The existing file lacked GENERATED_MARKER (only possible with force, or in check mode). */
  foreign: boolean;
  /** The existing file was generated but edited outside its keep blocks (only possible with force, or in check mode). */
  edited: boolean;
  /** Keep blocks carried over from the existing file. */
  kept: number;
  /** Keep blocks that could not go back where they were, one line each. */
  notes: string[];
  /** Lines added / removed relative to the existing file (all lines of a created file count as added). */
  added: number;
  removed: number;
  /** Unified-style diff of at most DIFF_LINE_LIMIT changed lines: check mode only (null otherwise and when unchanged). */
  diff: string | null;
}

export interface WriteReport {
  check: boolean;
  /** One entry per file, sorted by path. */
  files: FileReport[];
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Something was (or in check mode would be) created or updated. */
  differs: boolean;
}

/** Changed lines shown per file in check mode. */
export const DIFF_LINE_LIMIT = 20;

interface Planned {
  file: GeneratedFile;
  abs: string;
  existing: string | null;
  existingMode: number | null;
  /** What is written: the generated content stamped with its hash, with the existing keep blocks. */
  content: string;
  status: WriteStatus;
  foreign: boolean;
  edited: boolean;
  kept: number;
  notes: string[];
}

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function unwritable(rel: string, err: unknown, dirRel?: string): CpmError {
  const code = errnoCode(err);
  const why =
    code === 'EACCES' || code === 'EPERM' ? 'permission denied' :
    code === 'EROFS' ? 'read-only file system' :
    code === 'ENOTDIR' ? 'a parent path is not a directory' :
    code === 'ENOSPC' ? 'no space left on device' :
    code === 'EISDIR' ? 'is a directory' :
    (err instanceof Error ? err.message : String(err));
  const what = dirRel === undefined ? 'a writable file in a writable directory' : `directory ${dirRel} to be writable`;
  return new CpmError(`cannot write: ${why}; expected ${what}`, { file: rel, exitCode: ExitCode.refused });
}

function validateRelative(p: string): void {
  if (p === '' || p.includes('\\') || p.startsWith('/') || p.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new Error(`generated file path ${JSON.stringify(p)} is not a clean relative path`);
  }
}

/** The deepest existing ancestor of `abs` (abs itself excluded) must be a writable directory. */
async function checkWritableParent(root: string, rel: string, abs: string): Promise<void> {
  let dir = path.dirname(abs);
  for (;;) {
    try {
      const st = await stat(dir);
      if (!st.isDirectory()) {
        throw new CpmError(`cannot write: ${path.relative(root, dir) || '.'} is not a directory`, { file: rel, exitCode: ExitCode.refused });
      }
      await access(dir, fsConstants.W_OK | fsConstants.X_OK);
      return;
    } catch (err) {
      if (err instanceof CpmError) throw err;
      if (errnoCode(err) === 'ENOENT' && path.dirname(dir) !== dir) {
        dir = path.dirname(dir);
        continue;
      }
      throw unwritable(rel, err, path.relative(root, dir) || '.');
    }
  }
}

async function plan(root: string, file: GeneratedFile): Promise<Planned> {
  const abs = path.join(root, ...file.path.split('/'));
  let existing: string | null = null;
  let existingMode: number | null = null;
  try {
    const st = await stat(abs);
    if (st.isDirectory()) {
      throw new CpmError('exists and is a directory; expected a file cpython-meson generates here', { file: file.path, exitCode: ExitCode.refused });
    }
    existing = await readFile(abs, 'utf8');
    existingMode = st.mode & 0o7777;
  } catch (err) {
    if (err instanceof CpmError) throw err;
    const code = errnoCode(err);
    if (code !== 'ENOENT') {
      if (code === 'ENOTDIR') {
        throw new CpmError('cannot write: a parent path is not a directory', { file: file.path, exitCode: ExitCode.refused });
      }
      throw unwritable(file.path, err);
    }
  }
  const split = existing === null ? null : splitKeep(existing, file.path);
  const merged = mergeKeep(file.content, split);
  const base = { file, abs, existing, existingMode, content: merged.content, kept: merged.kept, notes: merged.notes };
  if (existing === merged.content) return { ...base, status: 'unchanged', foreign: false, edited: false };
  const foreign = existing !== null && !isGenerated(existing);
  const edited = split !== null && !foreign && editState(split) === 'edited';
  return { ...base, status: existing === null ? 'created' : 'updated', foreign, edited };
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

/** Line diff: common prefix/suffix trimmed, LCS on the middle (whole middle replaced when too large). */
function diffLines(a: string[], b: string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  const ops: Op[] = [];
  for (let i = 0; i < pre; i++) ops.push({ kind: ' ', line: a[i] ?? '', a: i, b: i });
  const n = am.length;
  const m = bm.length;
  if (n * m > 4_000_000) {
    for (let i = 0; i < n; i++) ops.push({ kind: '-', line: am[i] ?? '', a: pre + i, b: pre });
    for (let j = 0; j < m; j++) ops.push({ kind: '+', line: bm[j] ?? '', a: pre + n, b: pre + j });
  } else {
    // lcs[i][j] = LCS length of am[i..] and bm[j..], stored row-major.
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = am[i] === bm[j] ? (lcs[(i + 1) * w + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * w + j] ?? 0, lcs[i * w + j + 1] ?? 0);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && am[i] === bm[j]) {
        ops.push({ kind: ' ', line: am[i] ?? '', a: pre + i, b: pre + j });
        i++;
        j++;
      } else if (i < n && (j >= m || (lcs[(i + 1) * w + j] ?? 0) >= (lcs[i * w + j + 1] ?? 0))) {
        // Removals before additions, as diff -u prints them.
        ops.push({ kind: '-', line: am[i] ?? '', a: pre + i, b: pre + j });
        i++;
      } else {
        ops.push({ kind: '+', line: bm[j] ?? '', a: pre + i, b: pre + j });
        j++;
      }
    }
  }
  for (let k = 0; k < suf; k++) ops.push({ kind: ' ', line: a[a.length - suf + k] ?? '', a: a.length - suf + k, b: b.length - suf + k });
  return ops;
}

export interface LineDiff {
  added: number;
  removed: number;
  /** Unified-style hunks (`@@ -a,b +c,d @@`, 2 lines of context), cut after `limit` changed lines. */
  text: string;
}

/** A small unified-style diff from `before` to `after`, labelled with `label`. */
export function lineDiff(label: string, before: string | null, after: string, limit = DIFF_LINE_LIMIT): LineDiff {
  const a = splitLines(before ?? '');
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const added = ops.filter((o) => o.kind === '+').length;
  const removed = ops.filter((o) => o.kind === '-').length;
  const context = 2;
  const out: string[] = [`--- ${before === null ? '/dev/null' : `a/${label}`}`, `+++ b/${label}`];
  let shown = 0;
  let k = 0;
  while (k < ops.length && shown < limit) {
    if (ops[k]?.kind === ' ') {
      k++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change
    // that is at most 2*context lines away.
    const start = Math.max(0, k - context);
    let end = k;
    let last = k;
    while (end < ops.length) {
      if (ops[end]?.kind !== ' ') last = end;
      else if (end - last > 2 * context) break;
      end++;
    }
    end = Math.min(ops.length, last + context + 1);
    const hunk: string[] = [];
    let cut = false;
    for (let h = start; h < end; h++) {
      const op = ops[h];
      if (!op) continue;
      if (op.kind !== ' ') {
        if (shown >= limit) {
          cut = true;
          break;
        }
        shown++;
      }
      hunk.push(`${op.kind}${op.line}`);
    }
    const first = ops[start];
    const aStart = first ? first.a : 0;
    const bStart = first ? first.b : 0;
    const aLen = hunk.filter((l) => !l.startsWith('+')).length;
    const bLen = hunk.filter((l) => !l.startsWith('-')).length;
    out.push(`@@ -${aLen === 0 ? aStart : aStart + 1},${aLen} +${bLen === 0 ? bStart : bStart + 1},${bLen} @@`, ...hunk);
    if (cut) break;
    k = end;
  }
  const remaining = added + removed - shown;
  if (remaining > 0) out.push(`... ${remaining} more changed line${remaining === 1 ? '' : 's'} not shown`);
  return { added, removed, text: out.join('\n') };
}

async function writeAtomically(p: Planned): Promise<void> {
  const dir = path.dirname(p.abs);
  const tmp = path.join(dir, `${path.basename(p.abs)}.cpython-meson-tmp-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw unwritable(p.file.path, err);
  }
  try {
    const fh = await open(tmp, 'w', p.existingMode ?? 0o666);
    try {
      await fh.writeFile(p.content, 'utf8');
      if (p.existingMode !== null) await fh.chmod(p.existingMode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, p.abs);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw unwritable(p.file.path, err);
  }
}

/**
 * Writes `files` under `root` (see the module comment). Throws CpmError exit 3 when a file exists
 * without the generated marker or was edited outside its keep blocks (unless `force`), or cannot
 * be written; exit 2 when an existing file's keep markers do not pair up. Nothing is written then.
 */
export async function writeGenerated(root: string, files: readonly GeneratedFile[], options: WriteOptions = {}): Promise<WriteReport> {
  const check = options.check ?? false;
  const force = options.force ?? false;
  const absRoot = path.resolve(root);
  const sorted = [...files].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    const f = sorted[i];
    if (!f) continue;
    validateRelative(f.path);
    if (i > 0 && sorted[i - 1]?.path === f.path) throw new Error(`generated file ${f.path} is emitted twice`);
  }

  // Phase 1: read and judge every file; nothing is written yet.
  const planned: Planned[] = [];
  for (const f of sorted) planned.push(await plan(absRoot, f));
  const toWrite = planned.filter((p) => p.status !== 'unchanged');

  if (!check) {
    const foreign = toWrite.filter((p) => p.foreign);
    const firstForeign = foreign[0];
    if (firstForeign && !force) {
      const more = foreign.length > 1 ? ` (and ${foreign.length - 1} more: ${foreign.slice(1).map((p) => p.file.path).join(', ')})` : '';
      throw new CpmError(`exists and was not generated by cpython-meson; use --force to overwrite${more}`, {
        file: firstForeign.file.path,
        exitCode: ExitCode.refused,
      });
    }
    const edited = toWrite.filter((p) => p.edited);
    const firstEdited = edited[0];
    if (firstEdited && !force) {
      const more = edited.length > 1 ? ` (and ${edited.length - 1} more: ${edited.slice(1).map((p) => p.file.path).join(', ')})` : '';
      throw new CpmError(
        `was edited outside its keep blocks (its lines no longer match the sha256 in its marker line); move them into a keep block (between "${KEEP_BEGIN}" and "${KEEP_END}" comment lines), or use --force to overwrite them${more}`,
        { file: firstEdited.file.path, exitCode: ExitCode.refused },
      );
    }
    for (const p of toWrite) {
      if (p.existing !== null) {
        try {
          await access(p.abs, fsConstants.W_OK);
        } catch (err) {
          throw unwritable(p.file.path, err);
        }
      }
      await checkWritableParent(absRoot, p.file.path, p.abs);
    }
    // Phase 2: write.
    for (const p of toWrite) await writeAtomically(p);
  }

  const reports: FileReport[] = planned.map((p) => {
    const keep = { kept: p.kept, notes: p.notes };
    if (p.status === 'unchanged') return { path: p.file.path, status: p.status, foreign: false, edited: false, ...keep, added: 0, removed: 0, diff: null };
    const d = lineDiff(p.file.path, p.existing, p.content);
    return { path: p.file.path, status: p.status, foreign: p.foreign, edited: p.edited, ...keep, added: d.added, removed: d.removed, diff: check ? d.text : null };
  });
  const pick = (s: WriteStatus): string[] => reports.filter((r) => r.status === s).map((r) => r.path);
  const created = pick('created');
  const updated = pick('updated');
  return { check, files: reports, created, updated, unchanged: pick('unchanged'), differs: created.length + updated.length > 0 };
}

/**
 * Human-readable lines for a report: one line per created/updated file (with the diff in check
 * mode), then a summary line. Unchanged files are only counted.
 */
export function formatReport(report: WriteReport, checkoutArg: string): string[] {
  const lines: string[] = [];
  const total = report.files.length;
  for (const f of report.files) {
    if (f.status === 'unchanged') continue;
    const counts = f.status === 'created' ? `+${f.added}` : `+${f.added} -${f.removed}`;
    const foreign = f.foreign ? (report.check ? '; not generated by cpython-meson, generate refuses it without --force' : '; overwrote a file not generated by cpython-meson') : '';
    const edited = f.edited ? (report.check ? '; edited outside its keep blocks, generate refuses it without --force' : '; overwrote edits outside its keep blocks') : '';
    const kept = f.kept ? `; ${f.kept} keep block${f.kept === 1 ? '' : 's'} carried over` : '';
    if (report.check) {
      lines.push(`would ${f.status === 'created' ? 'create' : 'update'} ${f.path} (${counts}${foreign}${edited}${kept})`);
    } else {
      lines.push(`  ${f.status === 'created' ? 'created' : 'updated'}  ${f.path} (${counts}${foreign}${edited}${kept})`);
    }
    for (const note of f.notes) lines.push(`    note: ${note}`);
    if (report.check && f.diff) lines.push(...f.diff.split('\n').map((l) => `    ${l}`));
  }
  const nCreated = report.created.length;
  const nUpdated = report.updated.length;
  const nUnchanged = report.unchanged.length;
  if (report.check) {
    lines.push(
      report.differs
        ? `${nCreated + nUpdated} of ${total} generated files differ (${nCreated} would be created, ${nUpdated} updated); run \`cpython-meson generate ${checkoutArg}\` to update them`
        : `all ${total} generated files are up to date`,
    );
  } else {
    lines.push(`wrote ${nCreated + nUpdated} file${nCreated + nUpdated === 1 ? '' : 's'} (${nCreated} created, ${nUpdated} updated), ${nUnchanged} unchanged`);
  }
  return lines;
}
