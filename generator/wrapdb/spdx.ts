// SPDX license expressions (https://spdx.github.io/spdx-spec/v3.0.1/annexes/spdx-license-expressions/),
// as WrapDB checks project(license: ...) with license_expression's strict validation: license
// identifiers joined by AND / OR, grouped with parentheses, an optional `+`, and `WITH <exception>`.
//
// The identifier lists below are the commonly used part of the SPDX license list (3.x), not all
// of it: an identifier missing here is reported as unknown, with this caveat in the message.

export const SPDX_LICENSE_IDS: readonly string[] = [
  '0BSD', 'AFL-2.1', 'AFL-3.0', 'AGPL-3.0-only', 'AGPL-3.0-or-later', 'Apache-1.1', 'Apache-2.0', 'APSL-2.0',
  'Artistic-1.0', 'Artistic-1.0-Perl', 'Artistic-2.0', 'Beerware', 'BitTorrent-1.1', 'BlueOak-1.0.0', 'BSD-1-Clause',
  'BSD-2-Clause', 'BSD-2-Clause-Patent', 'BSD-3-Clause', 'BSD-3-Clause-Clear', 'BSD-4-Clause', 'BSD-Source-Code',
  'BSL-1.0', 'bzip2-1.0.6', 'CC-BY-3.0', 'CC-BY-4.0', 'CC-BY-SA-3.0', 'CC-BY-SA-4.0', 'CC0-1.0', 'CDDL-1.0', 'CDDL-1.1',
  'CECILL-2.1', 'CECILL-B', 'CECILL-C', 'curl', 'ECL-2.0', 'EFL-2.0', 'EPL-1.0', 'EPL-2.0', 'EUPL-1.1', 'EUPL-1.2',
  'FSFAP', 'FSFUL', 'FSFULLR', 'FTL', 'GFDL-1.3-only', 'GFDL-1.3-or-later', 'GPL-1.0-only', 'GPL-1.0-or-later',
  'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0-only', 'GPL-3.0-or-later', 'HPND', 'ICU', 'IJG', 'Imlib2', 'Info-ZIP',
  'IPA', 'IPL-1.0', 'ISC', 'JasPer-2.0', 'JSON', 'LGPL-2.0-only', 'LGPL-2.0-or-later', 'LGPL-2.1-only',
  'LGPL-2.1-or-later', 'LGPL-3.0-only', 'LGPL-3.0-or-later', 'Libpng', 'libpng-2.0', 'libtiff', 'LPPL-1.3c', 'MirOS',
  'MIT', 'MIT-0', 'MIT-CMU', 'MIT-Modern-Variant', 'MPL-1.1', 'MPL-2.0', 'MPL-2.0-no-copyleft-exception', 'MS-PL',
  'MS-RL', 'NCSA', 'Net-SNMP', 'NTP', 'OFL-1.1', 'OLDAP-2.8', 'OpenSSL', 'OSL-3.0', 'PHP-3.01', 'PostgreSQL',
  'PSF-2.0', 'Python-2.0', 'Python-2.0.1', 'Qhull', 'Ruby', 'SGI-B-2.0', 'SMLNJ', 'Sleepycat', 'SSPL-1.0',
  'Unicode-3.0', 'Unicode-DFS-2015', 'Unicode-DFS-2016', 'Unlicense', 'UPL-1.0', 'Vim', 'W3C', 'WTFPL', 'X11',
  'XFree86-1.1', 'Zlib', 'zlib-acknowledgement', 'ZPL-2.1',
];

export const SPDX_EXCEPTION_IDS: readonly string[] = [
  'Autoconf-exception-2.0', 'Autoconf-exception-3.0', 'Bison-exception-2.2', 'Bootloader-exception',
  'Classpath-exception-2.0', 'eCos-exception-2.0', 'FLTK-exception', 'Font-exception-2.0', 'freertos-exception-2.0',
  'GCC-exception-2.0', 'GCC-exception-3.1', 'GPL-3.0-linking-exception', 'GPL-3.0-linking-source-exception',
  'LGPL-3.0-linking-exception', 'Libtool-exception', 'Linux-syscall-note', 'LLVM-exception', 'OCaml-LGPL-linking-exception',
  'OpenJDK-assembly-exception-1.0', 'OpenSSL-exception', 'Qt-GPL-exception-1.0', 'Qt-LGPL-exception-1.1',
  'Swift-exception', 'u-boot-exception-2.0', 'Universal-FOSS-exception-1.0', 'WxWindows-exception-3.1',
];

/** Identifiers the SPDX list marks deprecated, with what replaces them. */
const DEPRECATED: Readonly<Record<string, string>> = {
  'GPL-2.0': 'GPL-2.0-only', 'GPL-2.0+': 'GPL-2.0-or-later', 'GPL-3.0': 'GPL-3.0-only', 'GPL-3.0+': 'GPL-3.0-or-later',
  'LGPL-2.0': 'LGPL-2.0-only', 'LGPL-2.0+': 'LGPL-2.0-or-later', 'LGPL-2.1': 'LGPL-2.1-only', 'LGPL-2.1+': 'LGPL-2.1-or-later',
  'LGPL-3.0': 'LGPL-3.0-only', 'LGPL-3.0+': 'LGPL-3.0-or-later', 'AGPL-3.0': 'AGPL-3.0-only', 'GFDL-1.3': 'GFDL-1.3-only',
};

const LICENSES = new Map(SPDX_LICENSE_IDS.map((id) => [id.toLowerCase(), id]));
const EXCEPTIONS = new Map(SPDX_EXCEPTION_IDS.map((id) => [id.toLowerCase(), id]));
const REF_RE = /^(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/;

/** Problems with an SPDX license expression; empty when it is valid. */
export function spdxProblems(expression: string): string[] {
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  if (expression.trim() === '' || tokens.length === 0) return ['the license expression is empty'];
  const problems: string[] = [];
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const isOperator = (t: string | undefined): boolean => t !== undefined && /^(AND|OR|WITH)$/i.test(t);

  const licenseId = (): void => {
    const t = peek();
    if (t === undefined || t === '(' || t === ')' || isOperator(t)) {
      problems.push(t === undefined ? 'expected a license identifier at the end' : `expected a license identifier, got ${JSON.stringify(t)}`);
      pos++;
      return;
    }
    pos++;
    if (REF_RE.test(t)) return;
    if (t in DEPRECATED) {
      problems.push(`${JSON.stringify(t)} is a deprecated SPDX identifier; use ${JSON.stringify(DEPRECATED[t])}`);
      return;
    }
    const id = t.endsWith('+') ? t.slice(0, -1) : t;
    const known = LICENSES.get(id.toLowerCase());
    if (known === undefined) {
      const asException = EXCEPTIONS.get(id.toLowerCase());
      problems.push(
        asException
          ? `${JSON.stringify(t)} is an SPDX exception, usable only after WITH`
          : `${JSON.stringify(t)} is not an SPDX license identifier (checked against cpython-meson's list of common identifiers)`,
      );
    } else if (known !== id) {
      problems.push(`${JSON.stringify(t)} is spelled ${JSON.stringify(known)} in the SPDX license list`);
    }
    if (peek() !== undefined && /^WITH$/i.test(peek() ?? '')) {
      const op = peek() ?? '';
      if (op !== 'WITH') problems.push(`write the operator ${JSON.stringify(op)} as WITH`);
      pos++;
      const exc = peek();
      pos++;
      if (exc === undefined || exc === '(' || exc === ')' || isOperator(exc)) {
        problems.push('expected an SPDX exception identifier after WITH');
        return;
      }
      const knownExc = EXCEPTIONS.get(exc.toLowerCase());
      if (knownExc === undefined) {
        problems.push(`${JSON.stringify(exc)} is not an SPDX exception identifier (checked against cpython-meson's list)`);
      } else if (knownExc !== exc) {
        problems.push(`${JSON.stringify(exc)} is spelled ${JSON.stringify(knownExc)} in the SPDX exception list`);
      }
    }
  };

  const primary = (): void => {
    if (peek() === '(') {
      pos++;
      expr();
      if (peek() === ')') pos++;
      else problems.push('missing ")"');
      return;
    }
    licenseId();
  };

  const binary = (op: 'AND' | 'OR', operand: () => void): void => {
    operand();
    while (peek() !== undefined && peek()?.toUpperCase() === op) {
      if (peek() !== op) problems.push(`write the operator ${JSON.stringify(peek())} as ${op}`);
      pos++;
      operand();
    }
  };
  const term = (): void => binary('AND', primary);
  const expr = (): void => binary('OR', term);

  expr();
  if (pos < tokens.length) problems.push(`unexpected ${JSON.stringify(tokens[pos])} (join licenses with AND or OR)`);
  return problems;
}
