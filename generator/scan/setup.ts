// Reads module lines out of Setup files (Modules/Setup.bootstrap.in, Modules/Setup.stdlib.in,
// Modules/Setup) the way Modules/makesetup does.
//
// - Backslash continuations are joined; everything from the first `#` is a comment (so a
//   commented-out module line, as in 3.11's Setup.stdlib.in, is not a module).
// - `*static*`, `*shared*`, `*disabled*`, `*noconfig*` and configure placeholders such as
//   `*@MODULE_BUILDTYPE@*` switch sections; lines before any marker are static (makesetup
//   starts every file in "doconfig" mode).
// - `NAME=value` lines define make variables (the first definition wins, as in makesetup).
// - Module lines: optional `@MODULE_<NAME>_TRUE@` guard, then words classified like makesetup.
//   Unlike makesetup, a module line containing `=` (e.g. `-DX=1`) is still a module line, and
//   `.S` files count as sources.
import { parseError } from '../errors.js';
import type { ParsedSetup, SetupModule } from './types.js';

const SECTIONS = new Set(['static', 'shared', 'disabled', 'noconfig']);
const SOURCE = /\.(?:c|C|cc|c\+\+|cxx|cpp|m|S)$/;
const SUBST = /^@[A-Za-z_][A-Za-z0-9_]*@$/;

/** Parses a Setup file; `file` names it in errors and in every module's `file`. */
export function parseSetup(file: string, text: string): ParsedSetup {
  const modules: SetupModule[] = [];
  const variables: Record<string, string> = Object.create(null) as Record<string, string>;
  let section = 'static';

  const physical = text.split(/\r?\n/);
  for (let i = 0; i < physical.length; i++) {
    const lineNo = i + 1;
    let line = physical[i] ?? '';
    while (/\\$/.test(line) && i + 1 < physical.length) {
      i++;
      line = `${line.slice(0, -1)} ${physical[i] ?? ''}`;
    }
    if (/\\$/.test(line)) line = line.slice(0, -1);
    const hash = line.indexOf('#');
    const code = (hash >= 0 ? line.slice(0, hash) : line).trim();
    if (code === '') continue;

    const marker = /^\*(.*)\*$/.exec(code);
    if (marker) {
      const name = marker[1] ?? '';
      if (SECTIONS.has(name) || SUBST.test(name)) {
        section = name;
        continue;
      }
      throw parseError(file, lineNo, `unknown section marker "${code}" (expected *static*, *shared*, *disabled*, *noconfig* or *@SUBST@*)`);
    }

    const def = /^([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*)$/.exec(code);
    if (def?.[1] !== undefined && def[2] !== undefined) {
      if (!Object.hasOwn(variables, def[1])) variables[def[1]] = def[2];
      continue;
    }
    if (/^(?:include)[ \t]/.test(code)) continue; // makesetup passes these through to the Makefile

    modules.push(parseModuleLine(file, lineNo, code, section));
  }
  return { file, modules, variables };
}

function parseModuleLine(file: string, line: number, code: string, section: string): SetupModule {
  let rest = code;
  let guard: string | null = null;
  const g = /^@MODULE_[A-Za-z0-9_]+_TRUE@/.exec(rest);
  if (g) {
    guard = g[0];
    rest = rest.slice(g[0].length);
  }
  let name: string | null = null;
  const sources: string[] = [];
  const cflags: string[] = [];
  const ldflags: string[] = [];
  const substitutions: string[] = [];
  let next: 'cflags' | 'ldflags' | null = null;

  for (const word of rest.split(/\s+/).filter(Boolean)) {
    if (next) {
      (next === 'cflags' ? cflags : ldflags).push(word);
      next = null;
      continue;
    }
    if (SUBST.test(word)) substitutions.push(word);
    else if (word === '-framework' || word === '-Xlinker' || word === '-rpath' || word === '--rpath' || word === '-u') {
      ldflags.push(word);
      next = 'ldflags';
    } else if (word === '-Xcompiler') next = 'cflags';
    else if (/^-[IDUCfF]/.test(word)) cflags.push(word);
    else if (/^-[A-Zl]/.test(word)) ldflags.push(word);
    else if (/\.(?:a|so|sl|def)$/.test(word) || /^\/.*\.o$/.test(word)) ldflags.push(word);
    // makesetup: a relative object names a source in Modules/ ("`basename $arg .o`.c").
    else if (/\.o$/.test(word)) sources.push(`${word.replace(/^.*\//, '').slice(0, -2)}.c`);
    else if (SOURCE.test(word)) sources.push(word);
    else if (/^\$[({].*_(?:CFLAGS|INCLUDES)[)}]$/.test(word)) cflags.push(word);
    else if (/^\$[({].*_(?:LIBS|LDFLAGS|RPATH)[)}]$/.test(word)) ldflags.push(word);
    else if (word.startsWith('$')) {
      // makesetup passes other make words to both the compiler and the linker.
      cflags.push(word);
      ldflags.push(word);
    } else if (word.includes('.')) {
      throw parseError(file, line, `bad word "${word}" in a module line (expected a source file, a flag or a library)`);
    } else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) {
      if (name !== null) {
        throw parseError(file, line, `expected one module name per line, found "${name}" and "${word}"`);
      }
      name = word;
    } else {
      throw parseError(file, line, `bad word "${word}" in a module line (expected a module name, a source file or a flag)`);
    }
  }
  if (next) throw parseError(file, line, 'expected a word after the last flag');
  if (name === null) throw parseError(file, line, 'expected a module name at the start of the line');
  if (sources.length === 0) throw parseError(file, line, `module ${name} has no source file (expected e.g. "${name} ${name}module.c")`);
  return { name, sources, cflags, ldflags, section, guard, substitutions, file, line };
}
