// Reads the FROZEN list of Tools/build/freeze_modules.py (3.12+) or Tools/scripts/freeze_modules.py
// (3.11) as text, without running Python, and resolves it the way the script's
// parse_frozen_specs()/_parse_spec() do.
//
// Spec formats (from _parse_spec's docstring):
//   frozenid                    -> Lib/<frozenid as path>.py
//   frozenid : modname          -> an alias when frozenid is already known, else frozenid's file
//   frozenid : modname = pyfile -> frozenid's source is pyfile (e.g. frozen_only = Tools/freeze/flag.py)
//   <pkg>, <pkg.*>, <pkg.**.*>  -> a package (Lib/<pkg>/__init__.py) plus its direct / recursive
//                                  submodules, listed in name order (submodule __init__ files are
//                                  aliases of their package)
//   frozenid : <modname>        -> modname is an alias package
// Only entries that produce a new frozen source (a header) are returned, in FROZEN order; aliases
// (e.g. "posixpath : os.path", "__hello__ : __hello_alias__") share their frozenid's header.
// f-strings may refer to module-level constants: string literals, os.path.join(ROOT_DIR, ...),
// and `'nt-value' if os.name == 'nt' else 'posix-value'` (evaluated for a POSIX host).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CpmError, parseError } from '../errors.js';
import type { FrozenModule } from './types.js';

/** Where the freezer writes headers, relative to the checkout. */
export const FROZEN_HEADER_DIR = 'Python/frozen_modules';

// ---------------------------------------------------------------------------------------------
// A tokenizer for the subset of Python the FROZEN list and the constants it uses are written in.

type Tok =
  | { kind: 'str'; value: string; prefix: string; line: number; col: number }
  | { kind: 'name'; value: string; line: number; col: number }
  | { kind: 'op'; value: string; line: number; col: number }
  | { kind: 'newline'; line: number; col: number };

function tokenize(file: string, text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  let depth = 0;
  let lineStart = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\n') {
      if (depth === 0) toks.push({ kind: 'newline', line, col: i - lineStart });
      line++;
      i++;
      lineStart = i;
    } else if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      line++;
      lineStart = i;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j] as string)) j++;
      const word = text.slice(i, j);
      const q = text[j];
      if ((q === '"' || q === "'") && /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/.test(word)) {
        i = readString(j, word);
      } else {
        toks.push({ kind: 'name', value: word, line, col: i - lineStart });
        i = j;
      }
    } else if (c === '"' || c === "'") {
      i = readString(i, '');
    } else if (/[0-9]/.test(c)) {
      let j = i;
      while (j < text.length && /[0-9A-Za-z_.]/.test(text[j] as string)) j++;
      toks.push({ kind: 'name', value: text.slice(i, j), line, col: i - lineStart });
      i = j;
    } else {
      const two = text.slice(i, i + 2);
      const op = ['==', '!=', '<=', '>=', '**', '//', '->', ':='].includes(two) ? two : c;
      if ('([{'.includes(op)) depth++;
      if (')]}'.includes(op)) depth = Math.max(0, depth - 1);
      toks.push({ kind: 'op', value: op, line, col: i - lineStart });
      i += op.length;
    }
  }
  toks.push({ kind: 'newline', line, col: i - lineStart });
  return toks;

  function readString(start: number, prefix: string): number {
    const startLine = line;
    const startCol = start - prefix.length - lineStart;
    const q = text[start] as string;
    const triple = text.slice(start, start + 3) === q.repeat(3);
    const close = triple ? q.repeat(3) : q;
    let j = start + close.length;
    let value = '';
    const raw = /[rR]/.test(prefix);
    for (;;) {
      if (j >= text.length) throw parseError(file, startLine, 'unterminated string literal');
      const ch = text[j] as string;
      if (text.startsWith(close, j)) {
        j += close.length;
        break;
      }
      if (ch === '\n') {
        if (!triple) throw parseError(file, startLine, 'unterminated string literal');
        line++;
        lineStart = j + 1;
      }
      if (ch === '\\' && !raw) {
        const n = text[j + 1] ?? '';
        const esc: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"', '\n': '' };
        if (n === '\n') {
          line++;
          lineStart = j + 2;
        }
        value += esc[n] ?? `\\${n}`;
        j += 2;
        continue;
      }
      value += ch;
      j++;
    }
    toks.push({ kind: 'str', value, prefix, line: startLine, col: startCol });
    return j;
  }
}

// ---------------------------------------------------------------------------------------------
// Values: strings (with the line they came from), lists, tuples.

type Value = { kind: 'str'; value: string; line: number } | { kind: 'list'; items: Value[]; line: number };

interface Ctx {
  file: string;
  root: string;
  toks: Tok[];
  /** Module-level `NAME = ...` statements: index of the first token of the value. */
  assigns: Map<string, number>;
  constants: Map<string, string>;
  evaluating: Set<string>;
}

function findAssignments(toks: Tok[]): Map<string, number> {
  const out = new Map<string, number>();
  let atStart = true;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    if (t.kind === 'newline') {
      atStart = true;
      continue;
    }
    const n = toks[i + 1];
    // Module level only: the name starts a statement in column 0.
    if (atStart && t.col === 0 && t.kind === 'name' && n?.kind === 'op' && n.value === '=') out.set(t.value, i + 2);
    atStart = false;
  }
  return out;
}

function constant(ctx: Ctx, name: string, line: number): string {
  const known = ctx.constants.get(name);
  if (known !== undefined) return known;
  const at = ctx.assigns.get(name);
  if (at === undefined || ctx.evaluating.has(name)) {
    throw parseError(ctx.file, line, `expected ${name} to be a module-level constant assigned a string`);
  }
  ctx.evaluating.add(name);
  const value = evalConstant(ctx, name, at);
  ctx.evaluating.delete(name);
  ctx.constants.set(name, value);
  return value;
}

/** The right-hand side of `NAME = ...` (tokens up to the end of the statement). */
function statementTokens(ctx: Ctx, at: number): Tok[] {
  const out: Tok[] = [];
  for (let i = at; i < ctx.toks.length; i++) {
    const t = ctx.toks[i] as Tok;
    if (t.kind === 'newline') break;
    out.push(t);
  }
  return out;
}

function evalConstant(ctx: Ctx, name: string, at: number): string {
  const ts = statementTokens(ctx, at);
  const line = ts[0]?.line ?? 1;
  const is = (t: Tok | undefined, kind: Tok['kind'], value?: string): boolean =>
    t !== undefined && t.kind === kind && (value === undefined || ('value' in t && t.value === value));
  const str = (t: Tok | undefined): string | null => (t?.kind === 'str' ? fstring(ctx, t) : null);

  // 'literal'
  if (ts.length === 1) {
    const s = str(ts[0]);
    if (s !== null) return s;
    if (ts[0]?.kind === 'name') return constant(ctx, ts[0].value, line);
  }
  // 'nt-value' if os.name == 'nt' else 'posix-value'  -> the POSIX branch
  const shape = ts.map((t) => (t.kind === 'str' ? "'" : 'value' in t ? t.value : '')).join(' ');
  if (shape === "' if os . name == ' else '" || shape === "' if os . name != ' else '") {
    const [a, , , , , cmp, b, , c] = ts;
    if (b?.kind === 'str' && b.value === 'nt' && cmp?.kind === 'op') {
      const yes = str(a);
      const no = str(c);
      if (yes !== null && no !== null) return cmp.value === '==' ? no : yes;
    }
  }
  // os.path.join(ROOT_DIR, 'a', 'b') -> <root>/a/b
  const head = ['os', '.', 'path', '.', 'join', '('].every((v, k) => is(ts[k], k % 2 === 0 && k < 5 ? 'name' : 'op', v));
  if (head && ts.length > 6 && is(ts[ts.length - 1], 'op', ')')) {
    const args: string[] = [];
    for (const t of ts.slice(6, -1)) {
      if (is(t, 'op', ',')) continue;
      if (t.kind === 'name' && t.value === 'ROOT_DIR') args.push(ctx.root);
      else if (t.kind === 'name') args.push(constant(ctx, t.value, t.line));
      else if (t.kind === 'str') args.push(fstring(ctx, t));
      else throw parseError(ctx.file, t.line, `cannot evaluate the os.path.join() arguments of ${name}`);
    }
    return path.join(...args);
  }
  throw parseError(ctx.file, line, `cannot evaluate ${name} (expected a string, os.path.join(ROOT_DIR, ...) or 'a' if os.name == 'nt' else 'b')`);
}

function fstring(ctx: Ctx, t: Extract<Tok, { kind: 'str' }>): string {
  if (!/[fF]/.test(t.prefix)) return t.value;
  return t.value.replace(/\{\{|\}\}|\{([^{}]*)\}|[{}]/g, (m: string, expr: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    if (expr !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(expr.trim())) return constant(ctx, expr.trim(), t.line);
    throw parseError(ctx.file, t.line, `unsupported f-string replacement "${m}" (expected {CONSTANT})`);
  });
}

/** Parses a literal list/tuple/string expression starting at `i`; returns the value and the next index. */
function parseValue(ctx: Ctx, i: number): { value: Value; next: number } {
  const t = ctx.toks[i];
  if (t === undefined) throw parseError(ctx.file, 1, 'unexpected end of file in FROZEN');
  if (t.kind === 'str') {
    // Adjacent string literals concatenate.
    let value = fstring(ctx, t);
    let j = i + 1;
    for (let n = ctx.toks[j]; n?.kind === 'str'; n = ctx.toks[++j]) value += fstring(ctx, n);
    return { value: { kind: 'str', value, line: t.line }, next: j };
  }
  if (t.kind === 'name') {
    return { value: { kind: 'str', value: constant(ctx, t.value, t.line), line: t.line }, next: i + 1 };
  }
  if (t.kind === 'op' && (t.value === '[' || t.value === '(' || t.value === '{')) {
    const close = t.value === '[' ? ']' : t.value === '(' ? ')' : '}';
    const items: Value[] = [];
    let j = i + 1;
    for (;;) {
      const n = ctx.toks[j];
      if (n === undefined || n.kind === 'newline') throw parseError(ctx.file, t.line, `expected "${close}" to close "${t.value}"`);
      if (n.kind === 'op' && n.value === close) return { value: { kind: 'list', items, line: t.line }, next: j + 1 };
      const item = parseValue(ctx, j);
      items.push(item.value);
      j = item.next;
      const sep = ctx.toks[j];
      if (sep?.kind === 'op' && sep.value === ',') j++;
      else if (!(sep?.kind === 'op' && sep.value === close)) {
        throw parseError(ctx.file, sep?.line ?? t.line, `expected "," or "${close}" in a literal list`);
      }
    }
  }
  throw parseError(ctx.file, t.line, `unexpected ${t.kind === 'newline' ? 'end of line' : `"${t.value}"`} (expected a string, a constant or a list)`);
}

// ---------------------------------------------------------------------------------------------
// _parse_spec()

const isModname = (s: string): boolean => s !== '' && s.split('.').every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p));

interface Source {
  frozenid: string;
  /** Absolute path. */
  pyfile: string;
  section: string;
}

function libFile(root: string, modname: string, ispkg: boolean): string {
  const parts = modname.split('.');
  return ispkg ? path.join(root, 'Lib', ...parts, '__init__.py') : `${path.join(root, 'Lib', ...parts)}.py`;
}

/** resolve_modules(): the module itself, then matching submodules (name order). */
function resolveModules(ctx: Ctx, spec: string, line: number): { frozenid: string; pyfile: string; ispkg: boolean }[] {
  let modname = spec;
  let match: string | null = null;
  let ispkg = false;
  if (spec.startsWith('<') && spec.endsWith('>')) {
    ispkg = true;
    modname = spec.slice(1, -1);
    const dot = modname.lastIndexOf('.');
    if (dot >= 0) {
      const base = modname.slice(0, dot);
      const last = modname.slice(dot + 1);
      if (base.endsWith('.**')) {
        modname = base.slice(0, -3);
        match = `**.${last}`;
      } else if (last !== '' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(last)) {
        modname = base;
        match = last;
      }
      // Otherwise (<a.b>) it names a nested package; the script's matcher would reject the
      // plain name, so no submodules are taken.
    }
    if (match !== null && match !== '*' && match !== '**.*') {
      throw parseError(ctx.file, line, `unsupported submodule pattern "${match}" in "${spec}" (expected * or **.*)`);
    }
  }
  if (!isModname(modname)) throw parseError(ctx.file, line, `not a valid module name (${spec})`);
  const pyfile = libFile(ctx.root, modname, ispkg);
  const out = [{ frozenid: modname, pyfile, ispkg }];
  if (match !== null) out.push(...iterSubmodules(ctx, modname, path.dirname(pyfile), match === '**.*', line));
  return out;
}

function iterSubmodules(ctx: Ctx, pkgname: string, pkgdir: string, recursive: boolean, line: number): { frozenid: string; pyfile: string; ispkg: boolean }[] {
  let entries: string[];
  try {
    entries = readdirSync(pkgdir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch {
    throw parseError(ctx.file, line, `package ${pkgname}: cannot list ${path.relative(ctx.root, pkgdir) || pkgdir}`);
  }
  const out: { frozenid: string; pyfile: string; ispkg: boolean }[] = [];
  for (const name of entries) {
    const full = path.join(pkgdir, name);
    if (name.endsWith('.py')) {
      out.push({ frozenid: `${pkgname}.${name.slice(0, -3)}`, pyfile: full, ispkg: false });
    } else if (statSync(full).isDirectory()) {
      const init = path.join(full, '__init__.py');
      if (!existsSync(init)) continue; // namespace packages are ignored
      out.push({ frozenid: `${pkgname}.${name}`, pyfile: init, ispkg: true });
      if (recursive) out.push(...iterSubmodules(ctx, `${pkgname}.${name}`, full, true, line));
    }
  }
  return out;
}

/** Yields (frozenid, pyfile|null) for each module a spec names, like _parse_spec + iter_subs. */
function parseSpec(ctx: Ctx, spec: string, line: number, known: Set<string>): { frozenid: string; pyfile: string | null }[] {
  const colon = spec.indexOf(':');
  let frozenid = (colon >= 0 ? spec.slice(0, colon) : spec).trim();
  const remainder = colon >= 0 ? spec.slice(colon + 1) : '';
  const eq = remainder.indexOf('=');
  const modname = (eq >= 0 ? remainder.slice(0, eq) : remainder).trim();
  let pyfile = (eq >= 0 ? remainder.slice(eq + 1) : '').trim();
  const bad = (why: string): CpmError => parseError(ctx.file, line, `bad FROZEN entry "${spec}": ${why}`);

  if (modname.startsWith('<') && modname.endsWith('>')) {
    if (!isModname(frozenid)) throw bad('expected a module name before ":"');
    if (!isModname(modname.slice(1, -1))) throw bad('expected a module name inside <...>');
    if (known.has(frozenid)) return [{ frozenid, pyfile: null }];
    if (!pyfile) pyfile = libFile(ctx.root, frozenid, false);
    return [{ frozenid, pyfile: path.resolve(ctx.root, pyfile) }];
  }
  if (pyfile) {
    if (!isModname(frozenid) || !isModname(modname)) throw bad('expected "frozenid : modname = pyfile"');
    if (known.has(frozenid)) throw bad(`${frozenid} is already frozen from another file`);
    return [{ frozenid, pyfile: path.resolve(ctx.root, pyfile) }];
  }
  if (known.has(frozenid)) {
    if (!isModname(frozenid) || (modname && !isModname(modname))) throw bad('expected "frozenid : modname"');
    return [{ frozenid, pyfile: null }];
  }
  if (modname && !isModname(modname)) throw bad('expected a module name after ":"');
  const [first, ...subs] = resolveModules(ctx, frozenid, line);
  if (!first) throw bad('nothing to freeze');
  frozenid = first.frozenid;
  const out: { frozenid: string; pyfile: string | null }[] = [{ frozenid, pyfile: first.pyfile }];
  if (first.ispkg) {
    // A submodule whose file is already a package's __init__.py is an alias of that package.
    const pkgfiles = new Map<string, string>([[first.pyfile, first.frozenid]]);
    for (const sub of subs) {
      const owner = pkgfiles.get(sub.pyfile);
      if (owner !== undefined) {
        out.push({ frozenid: owner, pyfile: null });
      } else {
        if (sub.ispkg) pkgfiles.set(sub.pyfile, sub.frozenid);
        out.push({ frozenid: sub.frozenid, pyfile: sub.pyfile });
      }
    }
  }
  return out;
}

/**
 * Parses the FROZEN list (and BOOTSTRAP set) of freeze_modules.py. `file` names the script in
 * errors; `root` is the checkout (for package globs, constants built from ROOT_DIR and the
 * check that each source exists). Returns one entry per frozen source, in FROZEN order.
 */
export function parseFreezeModules(file: string, text: string, root: string): FrozenModule[] {
  const toks = tokenize(file, text);
  const ctx: Ctx = { file, root: path.resolve(root), toks, assigns: findAssignments(toks), constants: new Map(), evaluating: new Set() };

  const frozenAt = ctx.assigns.get('FROZEN');
  if (frozenAt === undefined) throw new CpmError('expected a module-level "FROZEN = [...]" list', { file });
  const frozen = parseValue(ctx, frozenAt).value;
  if (frozen.kind !== 'list') throw parseError(file, frozen.line, 'expected FROZEN to be a list of (section, [specs]) tuples');

  const bootstrapAt = ctx.assigns.get('BOOTSTRAP');
  if (bootstrapAt === undefined) throw new CpmError('expected a module-level "BOOTSTRAP = {...}" set', { file });
  const bootstrapValue = parseValue(ctx, bootstrapAt).value;
  if (bootstrapValue.kind !== 'list' || bootstrapValue.items.some((v) => v.kind !== 'str')) {
    throw parseError(file, bootstrapValue.line, 'expected BOOTSTRAP to be a set of module names');
  }
  const bootstrap = new Set(bootstrapValue.items.map((v) => (v.kind === 'str' ? v.value : '')));

  const sources: Source[] = [];
  const known = new Set<string>();
  for (const entry of frozen.items) {
    const [sectionV, specsV, ...extra] = entry.kind === 'list' ? entry.items : [];
    if (entry.kind !== 'list' || sectionV?.kind !== 'str' || specsV?.kind !== 'list' || extra.length > 0) {
      throw parseError(file, entry.line, 'expected a FROZEN entry of the form (section, [specs])');
    }
    for (const specV of specsV.items) {
      if (specV.kind !== 'str') throw parseError(file, specV.line, 'expected a string spec in a FROZEN section');
      for (const item of parseSpec(ctx, specV.value, specV.line, known)) {
        if (known.has(item.frozenid)) continue; // an alias of an existing frozen source
        known.add(item.frozenid);
        sources.push({ frozenid: item.frozenid, pyfile: item.pyfile ?? libFile(ctx.root, item.frozenid, false), section: sectionV.value });
      }
    }
  }

  for (const name of bootstrap) {
    if (!known.has(name)) throw parseError(file, bootstrapValue.line, `BOOTSTRAP names ${name}, which FROZEN does not freeze`);
  }

  return sources.map((s) => {
    const source = path.relative(ctx.root, s.pyfile).split(path.sep).join('/');
    if (source.startsWith('../') || path.isAbsolute(source)) {
      throw new CpmError(`frozen module ${s.frozenid}: source ${s.pyfile} is outside the checkout`, { file });
    }
    if (!existsSync(s.pyfile)) throw new CpmError(`frozen module ${s.frozenid}: expected its source ${source} in the checkout`, { file });
    return {
      name: s.frozenid,
      source,
      header: `${FROZEN_HEADER_DIR}/${s.frozenid}.h`,
      section: s.section,
      bootstrap: bootstrap.has(s.frozenid),
      isPackage: path.basename(s.pyfile) === '__init__.py' && !s.frozenid.endsWith('.__init__'),
    };
  });
}
