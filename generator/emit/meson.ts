// The one Meson printer: spells values (strings, numbers, booleans, arrays, dicts, calls, raw
// expressions) the way `meson format` (Meson 1.7) lays them out, so generated data files pass
// `meson format --check-only` without running Meson. A value stays on one line when it fits in
// 80 columns; otherwise one element per line with a trailing comma, one indent deeper, and the
// same rule applies to each element. Indentation comes only from nesting and `indent` (4 in the
// checkout, as meson format's default; 2 for WrapDB's .editorconfig).

/** A Meson expression written as is (manifest expressions such as `py_system == 'linux'`). */
export interface MesonRaw {
  kind: 'raw';
  code: string;
}

export interface MesonEntry {
  key: string;
  value: MesonValue;
  /** Comment placed above the entry (wrapped; forces the dict onto several lines). */
  comment?: string;
}

export interface MesonDict {
  kind: 'dict';
  entries: MesonEntry[];
}

/** `left + right` (e.g. a record of defaults merged with what differs). */
export interface MesonPlus {
  kind: 'plus';
  left: MesonValue;
  right: MesonValue;
}

/** `name(args, key: value)`. */
export interface MesonCall {
  kind: 'call';
  name: string;
  args: MesonValue[];
  kwargs: [string, MesonValue][];
}

/** An array element with a comment above it. */
export interface MesonCommented {
  kind: 'commented';
  comment: string;
  value: MesonValue;
}

/**
 * A list of names (no blanks, no quotes): `['a', 'b']` when it fits on its line, else a
 * `'''...'''.split()` block of words filling the lines (meson format would put each element of a
 * broken array on its own line).
 */
export interface MesonNames {
  kind: 'names';
  names: readonly string[];
}

export type MesonValue = string | number | boolean | MesonRaw | MesonDict | MesonPlus | MesonCall | MesonCommented | MesonNames | readonly MesonValue[];

export const raw = (code: string): MesonRaw => ({ kind: 'raw', code });
export const plus = (left: MesonValue, right: MesonValue): MesonPlus => ({ kind: 'plus', left, right });
export const call = (name: string, args: MesonValue[], kwargs: [string, MesonValue][] = []): MesonCall => ({ kind: 'call', name, args, kwargs });
export const commented = (comment: string, value: MesonValue): MesonCommented => ({ kind: 'commented', comment, value });
export function names(list: readonly string[]): MesonNames {
  for (const n of list) if (n === '' || /[\s'\\]/.test(n)) throw new Error(`not a name for a '''...'''.split() list: ${JSON.stringify(n)}`);
  return { kind: 'names', names: list };
}

/** `defaults + {what differs}`: a uniform record spelled short (just `defaults` when nothing differs). */
export function record(defaultsVar: string, defaults: readonly [string, MesonValue][], values: readonly [string, MesonValue][]): MesonValue {
  const p = new MesonPrinter();
  for (const [k] of values) if (!defaults.some(([d]) => d === k)) throw new Error(`${defaultsVar} has no key ${k}`);
  const differs = values.filter(([k, v]) => p.value(v) !== p.value(defaults.find(([d]) => d === k)?.[1] as MesonValue));
  return differs.length === 0 ? raw(defaultsVar) : plus(raw(defaultsVar), dict(differs));
}

/** A dict from [key, value] pairs or entries with comments. */
export function dict(entries: readonly ([string, MesonValue] | MesonEntry)[]): MesonDict {
  return { kind: 'dict', entries: entries.map((e) => (Array.isArray(e) ? { key: e[0] as string, value: e[1] as MesonValue } : (e as MesonEntry))) };
}

const LINE = 80;
/** Comments are wrapped at this width (as the hand-written files are). */
const COMMENT_LINE = 100;

export { byCodePoint } from '../util/order.js';

/**
 * A Meson string: '...' for one line (a trailing newline spelled \n), '''...''' for text of
 * several lines (no escapes inside; a leading newline is added so the text starts on its own line).
 */
export function mesonString(value: string): string {
  const lines = value.replace(/\n$/, '').split('\n');
  if (lines.length > 1 && !value.includes("'''")) return `'''${value.startsWith('\n') ? '' : '\n'}${value}'''`;
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

export class MesonPrinter {
  constructor(readonly indent: number = 4) {}

  private pad(level: number): string {
    return ' '.repeat(this.indent * level);
  }

  /** `value` printed where its first character sits in `column` of a line indented `level` deep, followed by `trailing` characters. */
  value(v: MesonValue, level = 0, column = this.indent * level, trailing = 0): string {
    const flat = this.flat(v);
    if (flat !== null && column + flat.length + trailing <= LINE) return flat;
    return this.broken(v, level, column, trailing);
  }

  /** The one-line spelling, or null when the value cannot be on one line (comments, multi-line strings). */
  private flat(v: MesonValue): string | null {
    if (typeof v === 'string') {
      const s = mesonString(v);
      return s.includes('\n') ? null : s;
    }
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) {
      const items = (v as readonly MesonValue[]).map((x) => this.flat(x));
      return items.some((x) => x === null) ? null : `[${items.join(', ')}]`;
    }
    const o = v as Exclude<MesonValue, string | number | boolean | readonly MesonValue[]>;
    switch (o.kind) {
      case 'raw':
        return o.code.includes('\n') ? null : o.code;
      case 'commented':
        return null;
      case 'names':
        return `[${o.names.map((n) => mesonString(n)).join(', ')}]`;
      case 'plus': {
        const l = this.flat(o.left);
        const r = this.flat(o.right);
        return l === null || r === null ? null : `${l} + ${r}`;
      }
      case 'dict': {
        if (o.entries.some((e) => e.comment)) return null;
        const items = o.entries.map((e) => {
          const x = this.flat(e.value);
          return x === null ? null : `${mesonString(e.key)}: ${x}`;
        });
        return items.some((x) => x === null) ? null : `{${items.join(', ')}}`;
      }
      case 'call': {
        const items = [...o.args.map((a) => this.flat(a)), ...o.kwargs.map(([k, x]) => (this.flat(x) === null ? null : `${k}: ${this.flat(x)}`))];
        return items.some((x) => x === null) ? null : `${o.name}(${items.join(', ')})`;
      }
    }
  }

  private broken(v: MesonValue, level: number, column: number, trailing: number): string {
    const inner = this.pad(level + 1);
    const close = this.pad(level);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return typeof v === 'string' ? mesonString(v) : String(v);
    if (Array.isArray(v)) {
      const items = (v as readonly MesonValue[]).map((x) => this.element(x, level + 1));
      return items.length === 0 ? '[]' : `[\n${items.join('\n')}\n${close}]`;
    }
    const o = v as Exclude<MesonValue, string | number | boolean | readonly MesonValue[]>;
    switch (o.kind) {
      case 'raw':
        return o.code;
      case 'commented':
        return this.value(o.value, level, column, trailing);
      case 'names': {
        const pad = this.pad(level + 1);
        const lines: string[] = [];
        for (const n of o.names) {
          const last = lines.length - 1;
          if (last >= 0 && (lines[last] ?? '').length + 1 + n.length <= LINE) lines[last] += ` ${n}`;
          else lines.push(`${pad}${n}`);
        }
        return `'''\n${lines.join('\n')}\n${close}'''.split()`;
      }
      case 'plus': {
        const left = this.value(o.left, level, column);
        const last = left.split('\n').pop() ?? '';
        const at = (left.includes('\n') ? last.length : column + left.length) + 3;
        return `${left} + ${this.value(o.right, level, at, trailing)}`;
      }
      case 'dict': {
        if (o.entries.length === 0) return '{}';
        const lines: string[] = [];
        for (const e of o.entries) {
          if (e.comment) lines.push(this.comment(e.comment, level + 1));
          const key = mesonString(e.key);
          lines.push(`${inner}${key}: ${this.value(e.value, level + 1, inner.length + key.length + 2)},`);
        }
        return `{\n${lines.join('\n')}\n${close}}`;
      }
      case 'call': {
        const items = [
          ...o.args.map((a) => this.element(a, level + 1)),
          ...o.kwargs.map(([k, x]) => `${inner}${k}: ${this.value(x, level + 1, inner.length + k.length + 2)},`),
        ];
        return `${o.name}(\n${items.join('\n')}\n${close})`;
      }
    }
  }

  /** One element of a broken array or call: on its own line, with its comment above it. */
  private element(x: MesonValue, level: number): string {
    const pad = this.pad(level);
    const c = typeof x === 'object' && !Array.isArray(x) && (x as MesonCommented).kind === 'commented' ? (x as MesonCommented) : null;
    const body = `${pad}${this.value(c ? c.value : x, level, pad.length)},`;
    return c ? `${this.comment(c.comment, level)}\n${body}` : body;
  }

  /** `name = value`, with a comment above it when given. */
  assign(name: string, v: MesonValue, comment?: string): string {
    const line = `${name} = ${this.value(v, 0, name.length + 3)}`;
    return comment ? `${this.comment(comment)}\n${line}` : line;
  }

  /** Meson statements written with meson format's 4-space indent (manifest code), at this printer's indent. */
  statements(code: string): string {
    return code.replace(/^((?: {4})+)/gm, (lead: string) => this.pad(lead.length / 4));
  }

  /** A statement (call) on its own line at level 0. */
  statement(v: MesonCall): string {
    return this.value(v);
  }

  /** A comment block: `# ` lines wrapped at 100 columns; blank lines of `text` are kept as `#`. */
  comment(text: string, level = 0): string {
    const pad = this.pad(level);
    const out: string[] = [];
    for (const para of text.split('\n')) {
      const words = para.split(/\s+/).filter(Boolean);
      if (words.length === 0) {
        out.push(`${pad}#`);
        continue;
      }
      let cur = '';
      for (const w of words) {
        if (cur && pad.length + 2 + cur.length + 1 + w.length > COMMENT_LINE) {
          out.push(`${pad}# ${cur}`);
          cur = w;
        } else {
          cur = cur ? `${cur} ${w}` : w;
        }
      }
      out.push(`${pad}# ${cur}`);
    }
    return out.join('\n');
  }
}
