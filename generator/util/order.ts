/** Code-point order, as Python sorts strings (never locale order: output must not depend on the machine). */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
