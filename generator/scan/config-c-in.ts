// Reads Modules/config.c.in: the modules _PyImport_Inittab already lists (marshal, _imp, ...),
// and checks the two markers makesetup inserts before.
import { CpmError, parseError } from '../errors.js';

export const CONFIG_C_IN_MARKERS = ['ADDMODULE MARKER 1', 'ADDMODULE MARKER 2'] as const;

/** Replaces C comments with spaces (keeping newlines, so offsets and line numbers hold). */
function blankComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, ' '));
}

/** Module names in _PyImport_Inittab of config.c.in, in order; `file` names it in errors. */
export function readConfigCInModules(text: string, file = 'Modules/config.c.in'): string[] {
  for (const marker of CONFIG_C_IN_MARKERS) {
    if (!text.includes(marker)) throw new CpmError(`expected the "${marker}" comment (makesetup inserts the static modules there)`, { file });
  }
  const code = blankComments(text);
  const table = /\b_PyImport_Inittab\s*\[\s*\]\s*=\s*\{/.exec(code);
  if (!table) throw new CpmError('expected "struct _inittab _PyImport_Inittab[] = {"', { file });
  const lineAt = (offset: number): number => code.slice(0, offset).split('\n').length;
  const start = table.index + table[0].length;
  const end = code.indexOf('};', start);
  if (end < 0) throw parseError(file, lineAt(table.index), 'expected "};" to close _PyImport_Inittab');

  const names: string[] = [];
  const body = code.slice(start, end);
  const entry = /\{([^{}]*)\}/g;
  for (let m = entry.exec(body); m; m = entry.exec(body)) {
    const inner = (m[1] ?? '').trim();
    if (/^0\s*,\s*0$/.test(inner) || /^NULL\s*,\s*NULL$/.test(inner)) continue; // sentinel
    const e = /^"([A-Za-z_][A-Za-z0-9_.]*)"\s*,\s*([A-Za-z_][A-Za-z0-9_]*|0)$/.exec(inner);
    if (!e?.[1]) throw parseError(file, lineAt(start + m.index), `expected {"name", initfunc} in _PyImport_Inittab, got {${inner}}`);
    names.push(e[1]);
  }
  return names;
}
