// Hand edits that survive `generate`, and how an edited generated file is told apart.
//
// Keep blocks: lines between a "cpython-meson: begin keep" and a "cpython-meson: end keep"
// comment line (`# ...` in Meson and Python files, `/* ... */` in pyconfig.h.meson) are the
// user's. When a file is regenerated, each block of the existing file is carried into the new
// content:
//   - a named block (`begin keep NAME`) fills the generated block of the same name, when the
//     generated content has one (a template may offer empty named blocks);
//   - any other block goes back after the generated line that preceded it: the nearest non-blank
//     generated line before it (its text and which occurrence of that text), then as many blank
//     lines as were between them. If that line is no longer generated, the block goes after the
//     last occurrence of its text, else to the end of the file (with a note).
//   At one position, filled named blocks come first, then the other blocks in their old order.
// So a file whose generated part did not change is rewritten byte for byte as it was.
//
// Edit detection: the marker line (the line carrying GENERATED_MARKER in the first MARKER_LINES
// generated lines) ends with ` [sha256:<16 hex>]`, the start of the SHA-256 of the generated
// lines: the whole file without its keep blocks and without that token. An existing file whose
// lines no longer hash to its token was edited outside its keep blocks. Files written before the
// hash existed (a marker without a token) count as unedited.
import { createHash } from 'node:crypto';
import { parseError } from '../errors.js';
import { GENERATED_MARKER } from './marker.js';

/** How many lines a file's head may hold before the marker; files without it there are not ours. */
export const MARKER_LINES = 5;
export const KEEP_BEGIN = 'cpython-meson: begin keep';
export const KEEP_END = 'cpython-meson: end keep';

const KEEP_LINE = /^\s*(?:#|\/\*)\s*cpython-meson: (begin|end) keep(?:\s+([A-Za-z0-9_.-]+))?\s*(?:\*\/)?\s*$/;
const HASH_TOKEN = / \[sha256:([0-9a-f]{16})\]/;

export interface KeepBlock {
  /** The name after "begin keep", or null. */
  name: string | null;
  /** The block's lines, its begin and end lines included. */
  lines: string[];
  /** Index into the generated lines before which the block stood. */
  at: number;
  /** The nearest non-blank generated line before the block (null: none), and which occurrence of that text it is (0: the first). */
  anchor: string | null;
  occurrence: number;
  /** Blank generated lines between the anchor and the block. */
  blanks: number;
  /** 1-based line of the begin line in the file. */
  line: number;
}

export interface KeepSplit {
  /** The file's lines (split at '\n') without its keep blocks. */
  generated: string[];
  blocks: KeepBlock[];
}

/** A keep-block line: which end and its name, or null for any other line. */
function keepLine(line: string): { kind: 'begin' | 'end'; name: string | null } | null {
  const m = KEEP_LINE.exec(line);
  return m ? { kind: m[1] === 'begin' ? 'begin' : 'end', name: m[2] ?? null } : null;
}

/**
 * Splits `text` into its generated lines and its keep blocks. Unbalanced markers throw: a
 * CpmError (exit 2) naming `file` and the line when `file` is given (a file on disk), else a
 * plain Error (generated content: a bug).
 */
export function splitKeep(text: string, file?: string): KeepSplit {
  const fail = (line: number, what: string): Error => (file === undefined ? new Error(`generated content, line ${line}: ${what}`) : parseError(file, line, what));
  const generated: string[] = [];
  const blocks: KeepBlock[] = [];
  let open: KeepBlock | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const k = keepLine(line);
    if (open) {
      open.lines.push(line);
      if (k?.kind === 'begin') throw fail(i + 1, `"${KEEP_BEGIN}" inside the keep block begun on line ${open.line}; expected "${KEEP_END}" first`);
      if (k?.kind === 'end') {
        if (k.name !== null && k.name !== open.name) throw fail(i + 1, `"${KEEP_END} ${k.name}" closes the keep block begun on line ${open.line} (${open.name ?? 'unnamed'}); expected the same name or none`);
        blocks.push(open);
        open = null;
      }
      continue;
    }
    if (k?.kind === 'end') throw fail(i + 1, `"${KEEP_END}" without a "${KEEP_BEGIN}" before it`);
    if (k?.kind === 'begin') {
      let a = generated.length - 1;
      while (a >= 0 && (generated[a] ?? '').trim() === '') a--;
      const anchor = a >= 0 ? (generated[a] ?? '') : null;
      const occurrence = anchor === null ? 0 : generated.slice(0, a).filter((l) => l === anchor).length;
      open = { name: k.name, lines: [line], at: generated.length, anchor, occurrence, blanks: generated.length - 1 - a, line: i + 1 };
      continue;
    }
    generated.push(line);
  }
  if (open) throw fail(open.line, `"${KEEP_BEGIN}" without a matching "${KEEP_END}"`);
  return { generated, blocks };
}

/** The generated lines of `text`, keep blocks left out, never throwing on unbalanced markers. */
function generatedLinesLenient(text: string): string[] {
  try {
    return splitKeep(text).generated;
  } catch {
    return text.split('\n');
  }
}

/** Index of the marker line among the first MARKER_LINES generated lines, or -1. */
function markerIndex(generated: readonly string[]): number {
  return generated.slice(0, MARKER_LINES).findIndex((l) => l.includes(GENERATED_MARKER));
}

/** True when `content` carries GENERATED_MARKER in its first MARKER_LINES lines (keep blocks not counted). */
export function isGenerated(content: string): boolean {
  return markerIndex(generatedLinesLenient(content)) !== -1;
}

/** The first 16 hex digits of the SHA-256 of the generated lines, the hash token left out of the marker line. */
function hashOf(generated: readonly string[], marker: number): string {
  const lines = generated.map((l, i) => (i === marker ? l.replace(HASH_TOKEN, '') : l));
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
}

/** `line` with the token added at its end (before a closing comment delimiter). */
function withToken(line: string, hash: string): string {
  const bare = line.replace(HASH_TOKEN, '');
  const close = /\s*(\*\/|-->)\s*$/.exec(bare);
  const token = ` [sha256:${hash}]`;
  return close ? `${bare.slice(0, close.index)}${token}${bare.slice(close.index)}` : `${bare}${token}`;
}

/**
 * Whether an existing file of ours was edited outside its keep blocks: 'edited' when its hash
 * token does not match its generated lines, 'unedited' when it does, 'unknown' without a token
 * (written before the hash existed) or without a marker.
 */
export function editState(split: KeepSplit): 'edited' | 'unedited' | 'unknown' {
  const marker = markerIndex(split.generated);
  if (marker === -1) return 'unknown';
  const token = HASH_TOKEN.exec(split.generated[marker] ?? '');
  if (!token) return 'unknown';
  return token[1] === hashOf(split.generated, marker) ? 'unedited' : 'edited';
}

export interface Merged {
  /** The content to write: the generated content, stamped with its hash, with the existing keep blocks. */
  content: string;
  /** Keep blocks carried over from the existing file. */
  kept: number;
  /** One line per block that could not go back where it was. */
  notes: string[];
}

/**
 * The content to write for `generatedContent` given the existing file's keep blocks (`existing`
 * null: a new file). Deterministic: the same generated content and the same existing blocks give
 * the same bytes.
 */
export function mergeKeep(generatedContent: string, existing: KeepSplit | null): Merged {
  const gen = splitKeep(generatedContent);
  const lines = [...gen.generated];
  const marker = markerIndex(lines);
  if (marker !== -1) lines[marker] = withToken(lines[marker] ?? '', hashOf(lines, marker));

  // Blocks to put before generated line p, in order.
  const before = new Map<number, string[][]>();
  const put = (p: number, block: string[]): void => {
    const list = before.get(p) ?? [];
    list.push(block);
    before.set(p, list);
  };
  const theirs = [...(existing?.blocks ?? [])];
  const notes: string[] = [];
  let kept = 0;
  for (const own of gen.blocks) {
    const i = own.name === null ? -1 : theirs.findIndex((b) => b.name === own.name);
    const match = i === -1 ? undefined : theirs.splice(i, 1)[0];
    if (match) kept++;
    put(own.at, match ? [own.lines[0] ?? '', ...match.lines.slice(1, -1), own.lines[own.lines.length - 1] ?? ''] : own.lines);
  }
  // The last element of a text ending in '\n' is the empty string after it, not a line.
  const end = lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  for (const b of theirs) {
    kept++;
    let p: number;
    if (b.anchor === null) {
      p = 0;
    } else {
      // The marker line's hash token changes with the content: it never counts in the comparison.
      const anchor = b.anchor.replace(HASH_TOKEN, '');
      const hits = lines.flatMap((l, i) => (i < end && l.replace(HASH_TOKEN, '') === anchor ? [i] : []));
      const hit = hits[b.occurrence] ?? hits[hits.length - 1];
      if (hit === undefined) {
        notes.push(`the keep block from line ${b.line} followed "${b.anchor.trim()}", which is no longer generated; it is kept at the end of the file`);
        put(end, b.lines);
        continue;
      }
      if (hits[b.occurrence] === undefined) {
        notes.push(`the keep block from line ${b.line} followed occurrence ${b.occurrence + 1} of "${b.anchor.trim()}", which is no longer generated; it follows the last one`);
      }
      p = hit + 1;
    }
    for (let k = 0; k < b.blanks && p < end && (lines[p] ?? '').trim() === ''; k++) p++;
    put(p, b.lines);
  }
  const out: string[] = [];
  for (let p = 0; p <= lines.length; p++) {
    for (const block of before.get(p) ?? []) out.push(...block);
    if (p < lines.length) out.push(lines[p] ?? '');
  }
  return { content: out.join('\n'), kept, notes };
}
