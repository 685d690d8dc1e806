// Reads function calls out of a meson.build without running Meson: enough of Meson's syntax
// (comments, strings, arrays, dicts, keyword arguments) to see what project() and test() are
// given. Arguments that are not literals (variables, concatenations, method calls) come back as
// { kind: 'other' } with their source text, so a rule can say it could not tell.

export type MesonValue =
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'array'; items: MesonValue[] }
  | { kind: 'dict'; entries: Array<[MesonValue, MesonValue]> }
  | { kind: 'other'; text: string };

export interface MesonCall {
  name: string;
  /** 1-based line of the function name. */
  line: number;
  positional: MesonValue[];
  kwargs: Map<string, MesonValue>;
}

type TokenKind = 'id' | 'string' | 'number' | 'punct' | 'eol';
interface Token {
  kind: TokenKind;
  /** Identifier name, decoded string value, number text or punctuation. */
  text: string;
  line: number;
  /** Offsets into the source, for the text of non-literal arguments. */
  start: number;
  end: number;
  /** f'...' strings are not literals. */
  fstring?: boolean;
}

const PUNCT = ['+=', '==', '!=', '<=', '>=', '(', ')', '[', ']', '{', '}', ',', ':', '.', '=', '<', '>', '?', '+', '-', '*', '/', '%'];

export class MesonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'MesonSyntaxError';
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

function decodeEscapes(raw: string, line: number): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? '';
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = raw[i + 1] ?? '';
    if (n in ESCAPES) {
      out += ESCAPES[n];
      i++;
    } else if (n === 'x' || n === 'u' || n === 'U') {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      const hex = raw.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new MesonSyntaxError(`bad \\${n} escape in a string`, line);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 1 + len;
    } else {
      // Meson keeps unknown escapes as written.
      out += c;
    }
  }
  return out;
}

/** Splits meson.build source into tokens; newlines inside (), [] and {} are dropped. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let depth = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (c === '\n') {
      if (depth === 0) tokens.push({ kind: 'eol', text: '\n', line, start: i, end: i + 1 });
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      line++;
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const fstring = (c === 'f' && src[i + 1] === "'") || false;
    if (c === "'" || fstring) {
      const start = i;
      const startLine = line;
      if (fstring) i++;
      if (src.startsWith("'''", i)) {
        const close = src.indexOf("'''", i + 3);
        if (close === -1) throw new MesonSyntaxError("unterminated ''' string", startLine);
        const raw = src.slice(i + 3, close);
        line += raw.split('\n').length - 1;
        i = close + 3;
        // Multi-line strings take no escapes.
        tokens.push({ kind: 'string', text: raw, line: startLine, start, end: i, fstring });
        continue;
      }
      let j = i + 1;
      while (j < src.length && src[j] !== "'") {
        if (src[j] === '\n') throw new MesonSyntaxError('newline in a string (use a multi-line string)', line);
        j += src[j] === '\\' ? 2 : 1;
      }
      if (j >= src.length) throw new MesonSyntaxError('unterminated string', line);
      tokens.push({ kind: 'string', text: decodeEscapes(src.slice(i + 1, j), line), line, start, end: j + 1, fstring });
      i = j + 1;
      continue;
    }
    const num = /^(?:0x[0-9a-fA-F]+|0o[0-7]+|0b[01]+|\d+)/.exec(src.slice(i, i + 40));
    if (num) {
      tokens.push({ kind: 'number', text: num[0], line, start: i, end: i + num[0].length });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 200));
    if (id) {
      tokens.push({ kind: 'id', text: id[0], line, start: i, end: i + id[0].length });
      i += id[0].length;
      continue;
    }
    const p = PUNCT.find((x) => src.startsWith(x, i));
    if (!p) throw new MesonSyntaxError(`unexpected character ${JSON.stringify(c)}`, line);
    if (p === '(' || p === '[' || p === '{') depth++;
    if (p === ')' || p === ']' || p === '}') depth = Math.max(0, depth - 1);
    tokens.push({ kind: 'punct', text: p, line, start: i, end: i + p.length });
    i += p.length;
  }
  return tokens;
}

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

class CallParser {
  private pos: number;
  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
    start: number,
  ) {
    this.pos = start;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  private isPunct(t: Token | undefined, text: string): boolean {
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }

  /** Skips one balanced expression up to (not including) a ',' , ':' or closer at this level. */
  private skipExpression(stops: readonly string[]): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (!t) throw new MesonSyntaxError('unterminated call', this.tokens[this.tokens.length - 1]?.line ?? 1);
      if (t.kind === 'punct') {
        if (depth === 0 && stops.includes(t.text)) return;
        if (t.text in CLOSERS) depth++;
        else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
      }
      this.pos++;
    }
  }

  /** One argument expression: a literal when it is only a literal, else 'other' with its text. */
  parseValue(stops: readonly string[]): MesonValue {
    const first = this.peek();
    if (!first) throw new MesonSyntaxError('unexpected end of file', 1);
    const begin = this.pos;
    const literal = this.tryLiteral();
    const next = this.peek();
    if (literal && next && next.kind === 'punct' && stops.includes(next.text)) return literal;
    this.pos = begin;
    this.skipExpression(stops);
    const last = this.tokens[this.pos - 1] ?? first;
    return { kind: 'other', text: this.src.slice(first.start, last.end) };
  }

  private tryLiteral(): MesonValue | null {
    const t = this.peek();
    if (!t) return null;
    if (t.kind === 'string' && !t.fstring) {
      this.pos++;
      return { kind: 'string', value: t.text };
    }
    if (t.kind === 'number') {
      this.pos++;
      return { kind: 'number', value: Number(t.text) };
    }
    if (t.kind === 'id' && (t.text === 'true' || t.text === 'false')) {
      this.pos++;
      return { kind: 'bool', value: t.text === 'true' };
    }
    if (this.isPunct(t, '[')) {
      this.pos++;
      const items: MesonValue[] = [];
      while (!this.isPunct(this.peek(), ']')) {
        items.push(this.parseValue([',', ']']));
        if (this.isPunct(this.peek(), ',')) this.pos++;
      }
      this.pos++;
      return { kind: 'array', items };
    }
    if (this.isPunct(t, '{')) {
      this.pos++;
      const entries: Array<[MesonValue, MesonValue]> = [];
      while (!this.isPunct(this.peek(), '}')) {
        const key = this.parseValue([':']);
        this.pos++;
        const value = this.parseValue([',', '}']);
        entries.push([key, value]);
        if (this.isPunct(this.peek(), ',')) this.pos++;
      }
      this.pos++;
      return { kind: 'dict', entries };
    }
    return null;
  }

  /** Parses `( args )` starting at '('; returns the arguments and leaves pos after ')'. */
  parseArguments(): { positional: MesonValue[]; kwargs: Map<string, MesonValue> } {
    this.pos++; // '('
    const positional: MesonValue[] = [];
    const kwargs = new Map<string, MesonValue>();
    while (!this.isPunct(this.peek(), ')')) {
      const t = this.peek();
      if (!t) throw new MesonSyntaxError('unterminated call', this.tokens[this.tokens.length - 1]?.line ?? 1);
      if (t.kind === 'id' && this.isPunct(this.peek(1), ':')) {
        this.pos += 2;
        kwargs.set(t.text, this.parseValue([',', ')']));
      } else {
        positional.push(this.parseValue([',', ')']));
      }
      if (this.isPunct(this.peek(), ',')) this.pos++;
    }
    this.pos++;
    return { positional, kwargs };
  }
}

/** Every call of the function `name` (not of a method of that name) in `src`, in order. */
export function findCalls(src: string, name: string): MesonCall[] {
  const tokens = tokenize(src);
  const calls: MesonCall[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const open = tokens[i + 1];
    const before = tokens[i - 1];
    if (!t || t.kind !== 'id' || t.text !== name || !open || open.kind !== 'punct' || open.text !== '(') continue;
    if (before && before.kind === 'punct' && before.text === '.') continue;
    const parser = new CallParser(src, tokens, i + 1);
    const { positional, kwargs } = parser.parseArguments();
    calls.push({ name, line: t.line, positional, kwargs });
  }
  return calls;
}

/** The strings of a string or array-of-strings value; null when any part is not a literal string. */
export function stringsOf(value: MesonValue | undefined): string[] | null {
  if (!value) return null;
  if (value.kind === 'string') return [value.value];
  if (value.kind !== 'array') return null;
  const out: string[] = [];
  for (const item of value.items) {
    const inner = stringsOf(item);
    if (inner === null) return null;
    out.push(...inner);
  }
  return out;
}

/** A value as Meson source (for messages). */
export function showValue(value: MesonValue): string {
  switch (value.kind) {
    case 'string':
      return `'${value.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    case 'bool':
      return String(value.value);
    case 'number':
      return String(value.value);
    case 'array':
      return `[${value.items.map(showValue).join(', ')}]`;
    case 'dict':
      return `{${value.entries.map(([k, v]) => `${showValue(k)}: ${showValue(v)}`).join(', ')}}`;
    case 'other':
      return value.text;
  }
}
