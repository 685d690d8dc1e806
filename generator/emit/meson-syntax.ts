// Helpers that spell Meson literals the way `meson format` (Meson 1.7) lays them out, so emitted
// files pass `meson format --check-only` without running Meson at generate time.

/** A Meson string literal. */
export function str(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

const LINE = 80;

/**
 * An array of already-spelled Meson values. Kept on one line when it fits within 80 columns from
 * `column`; otherwise one element per line, indented by `indent + 4`, with a trailing comma.
 */
export function array(items: string[], indent: number, column = indent): string {
  if (items.length === 0) return '[]';
  const flat = `[${items.join(', ')}]`;
  if (column + flat.length <= LINE && !flat.includes('\n')) return flat;
  const pad = ' '.repeat(indent + 4);
  return `[\n${items.map((i) => `${pad}${i},`).join('\n')}\n${' '.repeat(indent)}]`;
}

/** An array of strings. */
export function strArray(items: string[], indent: number, column = indent): string {
  return array(items.map(str), indent, column);
}

/** A dict of already-spelled values, one entry per line (as meson format lays out multi-entry dicts that do not fit). */
export function dict(entries: [string, string][], indent: number, column = indent): string {
  if (entries.length === 0) return '{}';
  const flat = `{${entries.map(([k, v]) => `${str(k)}: ${v}`).join(', ')}}`;
  if (column + flat.length <= LINE && !flat.includes('\n')) return flat;
  const pad = ' '.repeat(indent + 4);
  return `{\n${entries.map(([k, v]) => `${pad}${str(k)}: ${v},`).join('\n')}\n${' '.repeat(indent)}}`;
}

/** A comment block, wrapped at 100 columns, each line prefixed with `# `. */
export function comment(text: string, indent = 0): string {
  const pad = ' '.repeat(indent);
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && pad.length + 2 + cur.length + 1 + w.length > 100) {
      lines.push(cur);
      cur = w;
    } else {
      cur = cur ? `${cur} ${w}` : w;
    }
  }
  if (cur) lines.push(cur);
  return lines.map((l) => `${pad}# ${l}`).join('\n');
}

/**
 * Arguments of a call: on one line when `(a, b)` fits within 80 columns from `column`, otherwise
 * one per line at `indent + 4` with a trailing comma and the closing parenthesis at `indent`.
 * Returns the text between the parentheses (the caller writes them).
 */
export function args(items: string[], indent: number, column = indent): string {
  const flat = items.join(', ');
  if (column + flat.length + 2 <= LINE && !flat.includes('\n')) return flat;
  const pad = ' '.repeat(indent + 4);
  return `\n${items.map((i) => `${pad}${i},`).join('\n')}\n${' '.repeat(indent)}`;
}

/** Code-point order, as Python sorts strings (meson format sorts files() arguments this way). */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** files() arguments in the order `meson format` puts them. */
export function sortFiles(paths: string[]): string[] {
  return [...paths].sort(byCodePoint);
}
