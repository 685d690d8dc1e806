// `meson format` as WrapDB runs it: `meson format --configuration ./meson.format <file>` from the
// root of the wrapdb repository, whose meson.format turns on use_editor_config, so the repository's
// .editorconfig applies too (2-space indent in meson.build, 4 in meson.options). Files are staged
// in a temporary copy of that layout; the copies carry WrapDB's two config files at their root.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CpmError, ExitCode } from '../errors.js';
import { runTool } from '../util/run.js';

export { runTool, type ToolResult } from '../util/run.js';

/** mesonbuild/wrapdb's meson.format. */
export const WRAPDB_MESON_FORMAT = 'use_editor_config=true\nkwargs_force_multiline=true\nsort_files=true\n';

/** mesonbuild/wrapdb's .editorconfig. */
export const WRAPDB_EDITORCONFIG = `root = true

[*]
charset = utf-8
end_of_line = lf
indent_style = space
trim_trailing_whitespace = true
insert_final_newline = true

[*.py]
indent_size = 4

[meson.build]
indent_size = 2
`;

/** Files WrapDB formats and checks with meson format (tools/sanity_checks.py FORMAT_CHECK_FILES). */
export const FORMAT_CHECK_FILES: ReadonlySet<string> = new Set(['meson.build', 'meson_options.txt', 'meson.options']);

/** `meson format` appeared in Meson 1.5.0. */
export const MIN_MESON_FORMAT_VERSION = [1, 5, 0] as const;


/** True when `meson --version` output is at least 1.5.0 (has `meson format`). */
export function hasMesonFormat(version: string): boolean {
  const nums = (/^(\d+)\.(\d+)\.(\d+)/.exec(version.trim()) ?? []).slice(1).map(Number);
  if (nums.length !== 3) return false;
  for (let i = 0; i < 3; i++) {
    const a = nums[i] ?? 0;
    const b = MIN_MESON_FORMAT_VERSION[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

export interface StagedFile {
  /** Path relative to the patch directory, forward slashes. */
  path: string;
  content: string;
}

/** A temporary wrapdb-like tree: <tmp>/{meson.format,.editorconfig,subprojects/packagefiles/<name>/...}. */
async function stage<T>(name: string, files: readonly StagedFile[], fn: (root: string, rel: (f: StagedFile) => string) => Promise<T>): Promise<T> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'cpython-meson-wrapdb-'));
  try {
    await writeFile(path.join(root, 'meson.format'), WRAPDB_MESON_FORMAT);
    await writeFile(path.join(root, '.editorconfig'), WRAPDB_EDITORCONFIG);
    const rel = (f: StagedFile): string => path.posix.join('subprojects/packagefiles', name, f.path);
    for (const f of files) {
      const abs = path.join(root, rel(f));
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, f.content);
    }
    return await fn(root, rel);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function isFormatFile(p: string): boolean {
  return FORMAT_CHECK_FILES.has(path.posix.basename(p));
}

/** Formats the Meson files among `files` with WrapDB's configuration; other files come back unchanged. */
export async function formatForWrapdb(meson: string, name: string, files: readonly StagedFile[]): Promise<StagedFile[]> {
  const targets = files.filter((f) => isFormatFile(f.path));
  if (targets.length === 0) return [...files];
  return stage(name, files, async (root, rel) => {
    const r = await runTool(meson, ['format', '--inplace', '--configuration', './meson.format', ...targets.map(rel)], { cwd: root });
    if (r.status !== 0) {
      throw new CpmError(`\`meson format --inplace\` failed (exit ${r.status}): ${lastLine(r.stderr || r.stdout)}`, { file: meson, exitCode: ExitCode.toolFailed });
    }
    const out: StagedFile[] = [];
    for (const f of files) out.push(isFormatFile(f.path) ? { path: f.path, content: await readFile(path.join(root, rel(f)), 'utf8') } : f);
    return out;
  });
}

/** For each Meson file among `files`: null when WrapDB's meson format accepts it, else what it said. */
export async function checkWrapdbFormat(meson: string, name: string, files: readonly StagedFile[]): Promise<Map<string, string | null>> {
  const result = new Map<string, string | null>();
  const targets = files.filter((f) => isFormatFile(f.path));
  if (targets.length === 0) return result;
  return stage(name, targets, async (root, rel) => {
    // One run for all files; only when it complains, one run per file to say which.
    const all = await runTool(meson, ['format', '--check-only', '--configuration', './meson.format', ...targets.map(rel)], { cwd: root });
    if (all.status === 0) {
      for (const f of targets) result.set(f.path, null);
      return result;
    }
    for (const f of targets) {
      const r = await runTool(meson, ['format', '--check-only', '--configuration', './meson.format', rel(f)], { cwd: root });
      result.set(f.path, r.status === 0 ? null : lastLine(r.stderr || r.stdout) || `meson format --check-only exited ${r.status}`);
    }
    return result;
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter((l) => l.trim() !== '').pop()?.trim() ?? '';
}
