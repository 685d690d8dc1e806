// Reads variable assignments out of Makefile.pre.in and expands object lists.
//
// Rules (docs: cpython-build-facts.md, section 2):
// - Backslash continuations are joined first (object lists are tab-indented continuation lines);
//   after joining, a line that starts with a tab is a recipe and is skipped.
// - `NAME = value`, `:=`, `::=`, `?=` and `+=` are assignments; `#` starts a comment outside
//   `$(...)`; `\#` is a literal `#`.
// - Rules, `include` and conditional directives and configure placeholder lines
//   (`@MODULE_BLOCK@`) are skipped. `define ... endef` bodies are recorded as '=' assignments.
// - `:=` values are stored unexpanded like '=' values: Makefile.pre.in never redefines a
//   variable that a `:=` value refers to, so the difference does not show.
import { CpmError, parseError } from '../errors.js';
import type { MakeAssignment, ParsedMakefile } from './types.js';

interface LogicalLine {
  text: string;
  /** Physical line (1-based) that starts at each offset of `text`, in ascending offset order. */
  segments: { offset: number; line: number }[];
  /** The first physical line began with a tab. */
  tabLed: boolean;
}

function lineAt(l: LogicalLine, offset: number): number {
  let line = l.segments[0]?.line ?? 1;
  for (const s of l.segments) {
    if (s.offset > offset) break;
    line = s.line;
  }
  return line;
}

/** Joins backslash-newline continuations the way make does (the pair and surrounding blanks become one space). */
function logicalLines(text: string): LogicalLine[] {
  const physical = text.split(/\r?\n/);
  const out: LogicalLine[] = [];
  let cur: LogicalLine | null = null;
  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i] ?? '';
    const continues = /\\$/.test(raw);
    const body = continues ? raw.slice(0, -1) : raw;
    if (cur === null) {
      cur = { text: continues ? body.replace(/[ \t]+$/, '') : body, segments: [{ offset: 0, line: i + 1 }], tabLed: raw.startsWith('\t') };
    } else {
      const piece = body.replace(/^[ \t]+/, '');
      const trimmed = continues ? piece.replace(/[ \t]+$/, '') : piece;
      cur.text += ' ';
      cur.segments.push({ offset: cur.text.length, line: i + 1 });
      cur.text += trimmed;
    }
    if (!continues) {
      out.push(cur);
      cur = null;
    }
  }
  if (cur !== null) out.push(cur);
  return out;
}

/** Offset of the `#` that starts a comment, ignoring `\#` and `#` inside `$(...)`/`${...}`; -1 if none. */
function commentStart(text: string): number {
  const stack: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '#') {
      i++;
    } else if (c === '$') {
      const n = text[i + 1];
      if (n === '$') i++;
      else if (n === '(' || n === '{') {
        stack.push(n === '(' ? ')' : '}');
        i++;
      }
    } else if (stack.length > 0 && c === stack[stack.length - 1]) {
      stack.pop();
    } else if (c === '#' && stack.length === 0) {
      return i;
    }
  }
  return -1;
}

/**
 * Index of the character closing the reference opened at `open` (the `(` or `{` after `$`),
 * counting nested brackets of the same kind as make does; -1 if unterminated.
 */
function closingIndex(text: string, open: number): number {
  const o = text[open];
  const c = o === '(' ? ')' : '}';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === o) depth++;
    else if (text[i] === c) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Offset (within `text`) of the first unterminated `$(` / `${`, or -1. */
function firstUnterminated(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') continue;
    const n = text[i + 1];
    if (n === '$') {
      i++;
    } else if (n === '(' || n === '{') {
      const close = closingIndex(text, i + 1);
      if (close < 0) return i;
      // Check the inside too: "$(A $(B)" closes A at B's bracket in make's counting only when balanced.
      const inner = firstUnterminated(text.slice(i + 2, close));
      if (inner >= 0) return i + 2 + inner;
      i = close;
    }
  }
  return -1;
}

const DIRECTIVE = /^(?:-include|sinclude|include|ifeq|ifneq|ifdef|ifndef|else|endif|vpath|unexport)(?:\s|$)/;
const ASSIGNMENT = /^([A-Za-z_.][A-Za-z0-9_.-]*)[ \t]*(\+=|\?=|::=|:=|!=|=)/;

/** Parses Makefile.pre.in (or any Makefile); `file` names it in errors and in the result. */
export function parseMakefile(file: string, text: string): ParsedMakefile {
  const assignments: MakeAssignment[] = [];
  const variables: Record<string, string> = Object.create(null) as Record<string, string>;
  const lines = logicalLines(text);

  const record = (a: MakeAssignment): void => {
    assignments.push(a);
    const had = Object.hasOwn(variables, a.name);
    if (a.op === '+=') variables[a.name] = had && variables[a.name] !== '' ? `${variables[a.name]} ${a.value}` : a.value;
    else if (a.op === '?=') {
      if (!had) variables[a.name] = a.value;
    } else variables[a.name] = a.value;
  };

  for (let li = 0; li < lines.length; li++) {
    const l = lines[li] as LogicalLine;
    if (l.tabLed) continue; // a recipe (or a tab-indented comment, e.g. after LIBMPDEC_OBJS)
    const cut = commentStart(l.text);
    const code = cut >= 0 ? l.text.slice(0, cut) : l.text;
    const lead = code.length - code.replace(/^[ \t]+/, '').length;
    let stmt = code.slice(lead).replace(/[ \t]+$/, '');
    let stmtOffset = lead;
    if (stmt === '') continue;
    const startLine = lineAt(l, stmtOffset);

    // Configure placeholder lines such as "@MODULE_BLOCK@" or "@EXPORT_...@export X".
    if (stmt.startsWith('@')) continue;
    if (DIRECTIVE.test(stmt)) continue;

    const prefix = /^(?:export|override)[ \t]+/.exec(stmt);
    if (prefix) {
      stmt = stmt.slice(prefix[0].length);
      stmtOffset += prefix[0].length;
    }

    const def = /^define[ \t]+([A-Za-z_.][A-Za-z0-9_.-]*)[ \t]*(=|:=|::=|\?=|\+=)?$/.exec(stmt);
    if (def?.[1]) {
      const body: string[] = [];
      let end = li + 1;
      while (end < lines.length && (lines[end] as LogicalLine).text.trim() !== 'endef') {
        body.push((lines[end] as LogicalLine).text);
        end++;
      }
      if (end >= lines.length) throw parseError(file, startLine, `expected "endef" for "define ${def[1]}"`);
      const op = def[2] === '::=' ? ':=' : ((def[2] ?? '=') as MakeAssignment['op']);
      record({ name: def[1], op, value: body.join('\n'), line: startLine });
      li = end;
      continue;
    }

    const m = ASSIGNMENT.exec(stmt);
    if (m?.[1] && m[2]) {
      const name = m[1];
      if (m[2] === '!=') throw parseError(file, startLine, `shell assignment "${name} !=" is not supported (expected =, :=, ?= or +=)`);
      const afterOp = m[0].length;
      const rest = stmt.slice(afterOp);
      const valueLead = rest.length - rest.replace(/^[ \t]+/, '').length;
      const value = rest.slice(valueLead);
      const valueOffset = stmtOffset + afterOp + valueLead;
      const bad = firstUnterminated(value);
      if (bad >= 0) {
        throw parseError(file, lineAt(l, valueOffset + bad), `unterminated "${value.slice(bad, bad + 2)}" reference in the value of ${name} (expected a closing "${value[bad + 1] === '(' ? ')' : '}'}")`);
      }
      const op = m[2] === '::=' ? ':=' : (m[2] as MakeAssignment['op']);
      record({ name, op, value: value.replace(/\\#/g, '#'), line: startLine });
      continue;
    }
    if (prefix) continue; // "export NAME" without a value
    if (stmt.includes(':')) continue; // a rule (targets: prerequisites), possibly target-specific
    throw parseError(file, startLine, `expected a variable assignment (NAME = value), a rule or a directive, got "${stmt.length > 60 ? `${stmt.slice(0, 57)}...` : stmt}"`);
  }
  return { file, assignments, variables };
}

export interface ExpandOptions {
  /** Values of configure's @NAME@ substitutions (by NAME, without the @), also used for variables the file does not assign. */
  substitutions: Record<string, string>;
  /** Variables left out of the expansion entirely (e.g. MODOBJS, owned by the module step). */
  stopAt: string[];
}

const MAKE_FUNCTIONS = new Set([
  'abspath', 'addprefix', 'addsuffix', 'and', 'basename', 'call', 'dir', 'error', 'eval', 'file', 'filter', 'filter-out',
  'findstring', 'firstword', 'flavor', 'foreach', 'if', 'info', 'intcmp', 'join', 'lastword', 'let', 'notdir', 'or',
  'origin', 'patsubst', 'realpath', 'shell', 'sort', 'strip', 'subst', 'suffix', 'value', 'warning', 'wildcard', 'word',
  'wordlist', 'words',
]);

/**
 * Expands `$(name)` of a parsed Makefile into words: `$(VAR)`/`${VAR}` recursively (also inside
 * words, e.g. `Python/$(DYNLOADFILE)`), `$(VAR:.a=.b)` suffix substitution, `$$`, and configure's
 * `@NAME@` from `opts.substitutions`. Variables in `opts.stopAt` expand to nothing.
 */
export function expandVariable(mf: ParsedMakefile, name: string, opts: ExpandOptions): string[] {
  const stopAt = new Set(opts.stopAt);
  const memo = new Map<string, string>();

  const lineOf = (v: string, containing?: string): number | undefined => {
    const all = mf.assignments.filter((a) => a.name === v);
    const hit = containing === undefined ? undefined : [...all].reverse().find((a) => a.value.includes(containing));
    return (hit ?? all[all.length - 1])?.line;
  };
  const fail = (v: string, message: string, containing?: string): CpmError => {
    const line = lineOf(v, containing);
    return new CpmError(line === undefined ? message : `line ${line}: ${message}`, { file: mf.file });
  };

  const substituteAts = (raw: string, v: string): string =>
    raw.replace(/@([A-Za-z_][A-Za-z0-9_]*)@/g, (whole: string, sub: string) => {
      if (!Object.hasOwn(opts.substitutions, sub)) {
        throw fail(v, `${whole} in ${v} has no value in the manifest's core.substitutions`, whole);
      }
      return opts.substitutions[sub] ?? '';
    });

  const expandVar = (v: string, stack: string[], from: string): string => {
    if (stopAt.has(v)) return '';
    const done = memo.get(v);
    if (done !== undefined) return done;
    if (stack.includes(v)) {
      throw fail(v, `${v} refers to itself (${[...stack.slice(stack.indexOf(v)), v].join(' -> ')})`);
    }
    let result: string;
    if (Object.hasOwn(mf.variables, v)) {
      result = expandText(substituteAts(mf.variables[v] ?? '', v), v, [...stack, v]);
    } else if (Object.hasOwn(opts.substitutions, v)) {
      result = expandText(opts.substitutions[v] ?? '', v, [...stack, v]);
    } else {
      throw fail(from, `$(${v}) in ${from} is not assigned in the file and has no value in the manifest's core.substitutions`, `(${v})`);
    }
    memo.set(v, result);
    return result;
  };

  const expandText = (text: string, ctx: string, stack: string[]): string => {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (c !== '$') {
        out += c;
        continue;
      }
      const n = text[i + 1];
      if (n === undefined) {
        out += '$';
      } else if (n === '$') {
        out += '$';
        i++;
      } else if (n === '(' || n === '{') {
        const close = closingIndex(text, i + 1);
        if (close < 0) throw fail(ctx, `unterminated "$${n}" reference in ${ctx}`);
        const content = text.slice(i + 2, close);
        const fn = /^([a-z-]+)[ \t]/.exec(content);
        if (fn?.[1] && MAKE_FUNCTIONS.has(fn[1])) {
          throw fail(ctx, `make function $(${fn[1]} ...) in ${ctx} is not supported (expected plain variable references)`);
        }
        const ref = expandText(content, ctx, stack);
        const subst = /^([^:=]+):([^=]*)=(.*)$/s.exec(ref);
        if (subst?.[1] !== undefined && subst[2] !== undefined && subst[3] !== undefined) {
          const from = subst[2];
          const to = subst[3];
          out += expandVar(subst[1].trim(), stack, ctx)
            .split(/\s+/)
            .filter(Boolean)
            .map((w) => (from !== '' && w.endsWith(from) ? w.slice(0, -from.length) + to : w))
            .join(' ');
        } else {
          out += expandVar(ref.trim(), stack, ctx);
        }
        i = close;
      } else {
        out += expandVar(n, stack, ctx);
        i++;
      }
    }
    return out;
  };

  if (!stopAt.has(name) && !Object.hasOwn(mf.variables, name)) {
    throw new CpmError(`expected an assignment to ${name}`, { file: mf.file });
  }
  return expandVar(name, [], name)
    .split(/\s+/)
    .filter((w) => w !== '');
}

/**
 * Maps object files to their sources: `X.o` -> `X.c`, unless `overrides` names the object
 * (e.g. `Python/asm_trampoline.o` -> `Python/asm_trampoline.S`).
 */
export function objectsToSources(objects: string[], overrides: Record<string, string>): string[] {
  return objects.map((o) => {
    const override = Object.hasOwn(overrides, o) ? overrides[o] : undefined;
    if (override !== undefined) return override;
    if (!/[^/]\.o$/.test(o)) throw new CpmError(`expected an object file name ending in .o, got "${o}"`);
    return `${o.slice(0, -2)}.c`;
  });
}

/** One per-module freeze rule between the "BEGIN/END: freezing modules" markers. */
export interface FreezeRule {
  /** e.g. "Python/frozen_modules/importlib._bootstrap.h" */
  header: string;
  /** First prerequisite, e.g. "Lib/importlib/_bootstrap.py". */
  source: string;
  line: number;
}

/** Reads the per-module freeze rules between "# BEGIN: freezing modules" and "# END: freezing modules". */
export function readFreezeRules(file: string, text: string): FreezeRule[] {
  const lines = text.split(/\r?\n/);
  const begin = lines.findIndex((l) => /^#\s*BEGIN: freezing modules\s*$/.test(l));
  const end = lines.findIndex((l, i) => i > begin && /^#\s*END: freezing modules\s*$/.test(l));
  if (begin < 0) throw new CpmError('expected a "# BEGIN: freezing modules" marker', { file });
  if (end < 0) throw parseError(file, begin + 1, 'expected a matching "# END: freezing modules" marker');
  const rules: FreezeRule[] = [];
  for (let i = begin + 1; i < end; i++) {
    const l = lines[i] ?? '';
    if (l.startsWith('\t') || l.trim() === '' || l.startsWith('#')) continue;
    const m = /^(\S+\.h):\s*(\S+)/.exec(l);
    if (!m?.[1] || !m[2]) throw parseError(file, i + 1, 'expected a rule "<header>.h: <source> ..." between the freezing-modules markers');
    rules.push({ header: m[1], source: m[2], line: i + 1 });
  }
  return rules;
}
