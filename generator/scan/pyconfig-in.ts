// Reads the macros of pyconfig.h.in (written by autoheader): every `#undef NAME` (also
// `# undef NAME` inside `#ifndef` guards) with the comment block above it, classified by the
// comment's autoconf wording. A macro listed twice (e.g. _DARWIN_C_SOURCE) is kept once, at its
// first occurrence.
import { parseError } from '../errors.js';
import type { ParsedPyconfigIn, PyconfigMacro, PyconfigMacroKind } from './types.js';

// autoconf < 2.72 quotes `like this'; 2.72 'like this'.
const Q = "[`']";
const NQ = "([^`']+)";
const PATTERNS: [RegExp, (m: RegExpExecArray) => PyconfigMacroKind][] = [
  [new RegExp(`^Define to 1 if you have the <([^>]+)> header file(?:, and it defines ${Q}DIR')?\\.$`), (m) => ({ type: 'header', header: m[1] ?? '' })],
  [new RegExp(`^Define (?:to 1 )?if you have the ${Q}${NQ}' function\\.$`), (m) => ({ type: 'function', function: m[1] ?? '' })],
  [new RegExp(`^Define to 1 if you have the declaration of ${Q}${NQ}'`), (m) => ({ type: 'declaration', symbol: m[1] ?? '' })],
  [
    new RegExp(`^Define to 1 if ${Q}${NQ}' is a member of ${Q}${NQ}'\\.$`),
    (m) => ({ type: 'member', member: m[1] ?? '', aggregate: m[2] ?? '' }),
  ],
  [new RegExp(`^Define to 1 if the system has the type ${Q}${NQ}'\\.$`), (m) => ({ type: 'type', typeName: m[1] ?? '' })],
  [new RegExp(`^The size of ${Q}${NQ}', as computed by sizeof\\.$`), (m) => ({ type: 'sizeof', typeName: m[1] ?? '' })],
  [new RegExp(`^The normal alignment of ${Q}${NQ}', in bytes\\.$`), (m) => ({ type: 'alignof', typeName: m[1] ?? '' })],
  [new RegExp(`^Define to 1 if you have the ${Q}${NQ}' library \\(-l[^)]*\\)\\.$`), (m) => ({ type: 'library', library: m[1] ?? '' })],
];

/** Classifies an autoheader comment (whitespace-collapsed, without the comment delimiters). */
export function classifyPyconfigComment(comment: string): PyconfigMacroKind {
  for (const [re, make] of PATTERNS) {
    const m = re.exec(comment);
    if (m) return make(m);
  }
  return { type: 'other' };
}

export function parsePyconfigIn(file: string, text: string): ParsedPyconfigIn {
  const macros: PyconfigMacro[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  let comment = '';
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    const open = l.indexOf('/*');
    if (open >= 0 && l.slice(0, open).trim() === '') {
      // A comment block (possibly several lines).
      let body = l.slice(open + 2);
      const start = i;
      while (!body.includes('*/')) {
        i++;
        if (i >= lines.length) throw parseError(file, start + 1, 'unterminated comment (expected "*/")');
        body += `\n${lines[i] ?? ''}`;
      }
      const close = body.indexOf('*/');
      if (body.slice(close + 2).trim() !== '') throw parseError(file, i + 1, 'expected nothing after "*/" on a comment line');
      comment = body.slice(0, close).replace(/\s+/g, ' ').trim();
      continue;
    }
    const m = /^\s*#\s*undef\b\s*(\S*)\s*(.*)$/.exec(l);
    if (!m) continue;
    const name = m[1] ?? '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || (m[2] ?? '') !== '') {
      throw parseError(file, i + 1, `expected "#undef NAME", got "${l.trim()}"`);
    }
    if (!seen.has(name)) {
      seen.add(name);
      macros.push({ name, comment, kind: classifyPyconfigComment(comment), line: i + 1 });
    }
    comment = '';
  }
  return { file, macros, text };
}
