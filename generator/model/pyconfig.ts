// pyconfig.h: the macros of pyconfig.h.in plus the manifest's exceptions, turned into the checks
// that the emitted Tools/meson/pyconfig/meson.build runs at `meson setup` time.
//
// A macro's check follows from autoheader's comment (see generator/scan/pyconfig-in.ts):
// HAVE_SYS_FOO_H is a header check, HAVE_FOO a function check, HAVE_DECL_* a declaration, and so
// on. The manifest (PyconfigSpec) overrides that where the derived check is wrong, decides the
// macros whose comment says nothing checkable, and names the macros left undefined on purpose.
// Everything is grouped and sorted here, so templates only loop and output is byte-stable.
import { CpmError } from '../errors.js';
import type { MesonExpr, PyconfigCheck, PyconfigCheckContext, PyconfigSpec } from '../manifest/types.js';
import type { ParsedPyconfigIn, PyconfigMacro } from '../scan/types.js';

export interface HeaderEntry {
  macro: string;
  header: string;
}
export interface FunctionEntry {
  macro: string;
  function: string;
}
export interface TypeEntry {
  macro: string;
  typeName: string;
}
export interface MemberEntry {
  macro: string;
  aggregate: string;
  member: string;
}
export interface SymbolEntry {
  macro: string;
  symbol: string;
}
export interface LibraryEntry {
  macro: string;
  library: string;
}
export interface CodeEntry {
  macro: string;
  code: string;
  why: string;
}

/** Checks of one kind that share their prologue and arguments: one foreach in the emitted file. */
export interface CheckGroup<T> {
  /**
   * C text after confdefs; null for the default: autoconf's default includes (AC_INCLUDES_DEFAULT),
   * or, for functions, nothing (autoconf's link test without a declaration).
   */
  prologue: string | null;
  /** The manifest's reasons for the checks of a non-default group (for the emitted comment). */
  why: string[];
  checks: T[];
}

/** A test program, emitted one by one with its reason. */
export interface PyconfigTest {
  macro: string;
  kind: 'compiles' | 'links' | 'runs';
  /** The whole translation unit; the emitted check puts confdefs in front. */
  code: string;
  args: string[];
  why: string;
}

/** The manifest's answers of the run tests for one cross target (PyconfigSpec.crossAnswers). */
export interface PyconfigCrossAnswers {
  target: string;
  /** Sorted by macro; only macros of this checkout's run tests. */
  answers: { macro: string; defined: boolean }[];
}

export interface PyconfigValue {
  macro: string;
  /** C token sequence. */
  value: string;
  /** The manifest's reason; '' for the checkPrefix defines. */
  why: string;
}

export interface PyconfigExpr {
  macro: string;
  /** Meson expression giving the value (an int or a string). */
  value: MesonExpr;
  /** Meson condition; the macro stays undefined when it is false. null: always. */
  when: MesonExpr | null;
  /** Defined only when this dependency (a name in pyconfig_deps) is found; null: no such condition. */
  dependency: string | null;
  /** Macros the checks must have defined (only for `late` entries). */
  needs: string[];
  /** The value is wrapped in double quotes (a C string literal). */
  quote: boolean;
  why: string;
}

/** Checks that need libraries the extension modules use: they run only when all `deps` are found. */
export interface PyconfigLibraryGroup {
  /** Names in the emitted pyconfig_deps (the root's py_deps plus what the spec's setup adds). */
  deps: string[];
  /** C text after confdefs; null: autoconf's default includes. */
  prologue: string | null;
  args: string[];
  why: string[];
  headers: HeaderEntry[];
  functions: FunctionEntry[];
  types: TypeEntry[];
  symbols: SymbolEntry[];
  compiles: CodeEntry[];
  links: CodeEntry[];
}

export interface PyconfigModel {
  /** pyconfig.h.in as the scanner read it. */
  file: string;
  /** Its text (emit turns it into pyconfig.h.meson). */
  text: string;
  /** Lines of the spec's checkPrefix that are not #define lines: the start of confdefs. */
  prologue: string;
  /** Fixed values: the checkPrefix defines, then the value checks; they start confdefs. */
  values: PyconfigValue[];
  /** Option- and dependency-driven macros, decided before the checks (and added to confdefs). */
  options: PyconfigExpr[];
  /** The spec's setup statements (Meson code, placed verbatim before the checks). */
  setup: string;
  /** AC_INCLUDES_DEFAULT's headers, in autoconf's order, checked first. */
  defaultHeaders: HeaderEntry[];
  headers: CheckGroup<HeaderEntry>[];
  functions: CheckGroup<FunctionEntry>[];
  libraries: LibraryEntry[];
  sizes: CheckGroup<TypeEntry>[];
  alignments: CheckGroup<TypeEntry>[];
  types: CheckGroup<TypeEntry>[];
  members: CheckGroup<MemberEntry>[];
  /** HAVE_DECL_*: defined to 0 or 1. */
  declarations: CheckGroup<SymbolEntry>[];
  /** Defined to 1 when the symbol is declared (PY_CHECK_FUNC and friends). */
  symbols: CheckGroup<SymbolEntry>[];
  tests: PyconfigTest[];
  /** Per cross target, sorted by target. */
  crossAnswers: PyconfigCrossAnswers[];
  libraryGroups: PyconfigLibraryGroup[];
  /** Macros that need earlier results (`needs`), decided after every check. */
  late: PyconfigExpr[];
  /** Macros left undefined on purpose, with the reason. */
  undefined: { macro: string; why: string }[];
  /** Per target, sorted by target: what its config.site leaves undefined (PyconfigSpec.configSite). */
  configSite: PyconfigSiteTarget[];
  stats: PyconfigStats;
}

/** The macros one target's config.site leaves undefined without running their check. */
export interface PyconfigSiteTarget {
  target: string;
  /** Sorted by macro; only macros of this checkout's pyconfig.h.in. */
  macros: { macro: string; why: string }[];
}

export interface PyconfigStats {
  /** Unique macros of pyconfig.h.in. */
  macros: number;
  /** Decided by the check its comment implies. */
  derived: number;
  /** Decided by a manifest check or a checkPrefix define. */
  manifest: number;
  /** Left undefined on purpose (manifest `undefined`). */
  undefined: number;
  /** Neither: reported by `generate`, left undefined. */
  unaccounted: number;
}

interface Groups {
  headers: Map<string, CheckGroup<HeaderEntry>>;
  functions: Map<string, CheckGroup<FunctionEntry>>;
  sizes: Map<string, CheckGroup<TypeEntry>>;
  alignments: Map<string, CheckGroup<TypeEntry>>;
  types: Map<string, CheckGroup<TypeEntry>>;
  members: Map<string, CheckGroup<MemberEntry>>;
  declarations: Map<string, CheckGroup<SymbolEntry>>;
  symbols: Map<string, CheckGroup<SymbolEntry>>;
}

/** Byte order, not locale order: the output must not depend on the machine that generates. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const byMacro = <T extends { macro: string }>(a: T, b: T): number => cmp(a.macro, b.macro);

/** The C text a check context puts after confdefs, or null for the default includes. */
function contextPrologue(ctx: PyconfigCheckContext, extraHeaders: string[] = []): string | null {
  const headers = [...(ctx.headers ?? []), ...extraHeaders];
  if (headers.length === 0 && ctx.prologue === undefined) return null;
  const lines = headers.map((h) => `#include <${h}>`);
  let text = lines.length > 0 ? `${lines.join('\n')}\n` : '';
  if (ctx.prologue !== undefined) text += ctx.prologue.endsWith('\n') || ctx.prologue === '' ? ctx.prologue : `${ctx.prologue}\n`;
  return text;
}

function addTo<T>(map: Map<string, CheckGroup<T>>, prologue: string | null, why: string | undefined, entry: T): void {
  const key = JSON.stringify(prologue);
  let g = map.get(key);
  if (!g) {
    g = { prologue, why: [], checks: [] };
    map.set(key, g);
  }
  if (why && !g.why.includes(why)) g.why.push(why);
  g.checks.push(entry);
}

/** Default group first, then by prologue and arguments; checks by macro. */
function sortGroups<T extends { macro: string }>(map: Map<string, CheckGroup<T>>): CheckGroup<T>[] {
  const groups = [...map.values()];
  for (const g of groups) {
    g.checks.sort(byMacro);
    g.why.sort(cmp);
  }
  return groups.sort((a, b) => {
    if ((a.prologue === null) !== (b.prologue === null)) return a.prologue === null ? -1 : 1;
    return cmp(a.prologue ?? '', b.prologue ?? '');
  });
}

/** `#define NAME VALUE` lines of checkPrefix become values; other lines stay a verbatim prologue. */
function splitCheckPrefix(text: string): { defines: Map<string, string>; rest: string } {
  const defines = new Map<string, string>();
  const rest: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)(?:\s+(.*?))?\s*$/.exec(line);
    if (m?.[1]) defines.set(m[1], m[2] ?? '');
    else if (line.trim() !== '') rest.push(line);
  }
  return { defines, rest: rest.length > 0 ? `${rest.join('\n')}\n` : '' };
}

export function buildPyconfigModel(parsed: ParsedPyconfigIn, spec: PyconfigSpec): { model: PyconfigModel; unaccounted: string[] } {
  const file = parsed.file;
  const { defines, rest } = splitCheckPrefix(spec.checkPrefix);
  for (const name of Object.keys(spec.checks)) {
    if (Object.hasOwn(spec.undefined, name)) throw new CpmError(`manifest pyconfig: ${name} has both a check and an undefined-reason`);
    if (defines.has(name)) throw new CpmError(`manifest pyconfig: ${name} is both defined by checkPrefix and checked`);
  }
  for (const name of defines.keys()) {
    if (Object.hasOwn(spec.undefined, name)) throw new CpmError(`manifest pyconfig: ${name} is defined by checkPrefix and listed as undefined`);
  }

  const groups: Groups = {
    headers: new Map(),
    functions: new Map(),
    sizes: new Map(),
    alignments: new Map(),
    types: new Map(),
    members: new Map(),
    declarations: new Map(),
    symbols: new Map(),
  };
  const defaultHeaderMacros = new Map<string, HeaderEntry>();
  const libraries: LibraryEntry[] = [];
  const tests: PyconfigTest[] = [];
  const options: PyconfigExpr[] = [];
  const late: PyconfigExpr[] = [];
  const undefinedList: { macro: string; why: string }[] = [];
  const libraryGroups = new Map<string, PyconfigLibraryGroup>();
  // Macros of the library groups: a config.site cannot skip them (they run only with their libraries).
  const libraryMacros = new Set<string>();
  const unaccounted: string[] = [];
  const stats: PyconfigStats = { macros: 0, derived: 0, manifest: 0, undefined: 0, unaccounted: 0 };

  const values: PyconfigValue[] = [...defines].map(([macro, value]) => ({ macro, value, why: '' }));
  const prefixHeaders = new Set(spec.prefixHeaders);

  const seen = new Set<string>();
  for (const macro of parsed.macros) {
    if (seen.has(macro.name)) continue;
    seen.add(macro.name);
    stats.macros++;
    const name = macro.name;
    const check = spec.checks[name];
    if (defines.has(name)) {
      stats.manifest++;
    } else if (check) {
      stats.manifest++;
      place(name, check);
    } else if (Object.hasOwn(spec.undefined, name)) {
      stats.undefined++;
      undefinedList.push({ macro: name, why: spec.undefined[name] ?? '' });
    } else if (derive(macro)) {
      stats.derived++;
    } else {
      stats.unaccounted++;
      unaccounted.push(name);
    }
  }

  function derive(macro: PyconfigMacro): boolean {
    const k = macro.kind;
    const name = macro.name;
    switch (k.type) {
      case 'header':
        if (prefixHeaders.has(k.header)) defaultHeaderMacros.set(k.header, { macro: name, header: k.header });
        else addTo(groups.headers, null, undefined, { macro: name, header: k.header });
        return true;
      case 'function':
        addTo(groups.functions, null, undefined, { macro: name, function: k.function });
        return true;
      case 'declaration':
        addTo(groups.declarations, null, undefined, { macro: name, symbol: k.symbol });
        return true;
      case 'member':
        addTo(groups.members, null, undefined, { macro: name, aggregate: k.aggregate, member: k.member });
        return true;
      case 'type':
        addTo(groups.types, null, undefined, { macro: name, typeName: k.typeName });
        return true;
      case 'sizeof':
        addTo(groups.sizes, null, undefined, { macro: name, typeName: k.typeName });
        return true;
      case 'alignof':
        addTo(groups.alignments, null, undefined, { macro: name, typeName: k.typeName });
        return true;
      case 'library':
        libraries.push({ macro: name, library: k.library });
        return true;
      case 'other':
        return false;
    }
  }

  function libraryGroup(ctx: PyconfigCheckContext, prologue: string | null): PyconfigLibraryGroup {
    const deps = [...(ctx.deps ?? [])].sort(cmp);
    const args = ctx.args ?? [];
    const key = JSON.stringify([deps, prologue, args]);
    let g = libraryGroups.get(key);
    if (!g) {
      g = { deps, prologue, args, why: [], headers: [], functions: [], types: [], symbols: [], compiles: [], links: [] };
      libraryGroups.set(key, g);
    }
    if (ctx.why && !g.why.includes(ctx.why)) g.why.push(ctx.why);
    return g;
  }

  function unsupportedDeps(name: string, kind: string): never {
    throw new CpmError(`manifest pyconfig: ${name}: a ${kind} check cannot take deps (only header, function, header_symbol, declared, type, compiles and links can)`);
  }

  function place(name: string, c: PyconfigCheck): void {
    const hasDeps = 'deps' in c && (c.deps?.length ?? 0) > 0;
    if (hasDeps) libraryMacros.add(name);
    const takesArgs = hasDeps || c.kind === 'compiles' || c.kind === 'links' || c.kind === 'runs';
    if ('args' in c && (c.args?.length ?? 0) > 0 && !takesArgs) {
      throw new CpmError(`manifest pyconfig: ${name}: only compiles, links, runs and library (deps) checks can take args`);
    }
    switch (c.kind) {
      case 'value':
        values.push({ macro: name, value: c.value, why: c.why });
        return;
      case 'expr': {
        const needs = c.needs ?? [];
        const e = { macro: name, value: c.value, when: c.when ?? null, dependency: null, needs, quote: c.quote ?? false, why: c.why };
        (needs.length > 0 ? late : options).push(e);
        return;
      }
      case 'dependency':
        options.push({ macro: name, value: '1', when: null, dependency: c.dependency, needs: [], quote: false, why: c.why });
        return;
      case 'header': {
        const prologue = contextPrologue(c);
        if (hasDeps) libraryGroup(c, prologue).headers.push({ macro: name, header: c.header });
        else addTo(groups.headers, prologue, c.why, { macro: name, header: c.header });
        return;
      }
      case 'function': {
        const prologue = contextPrologue(c);
        if (hasDeps) libraryGroup(c, prologue).functions.push({ macro: name, function: c.function });
        else addTo(groups.functions, prologue, c.why, { macro: name, function: c.function });
        return;
      }
      case 'header_symbol':
      case 'declared': {
        const prologue = c.kind === 'header_symbol' ? contextPrologue(c, [c.header]) : contextPrologue(c);
        if (hasDeps) libraryGroup(c, prologue).symbols.push({ macro: name, symbol: c.symbol });
        else addTo(groups.symbols, prologue, c.why, { macro: name, symbol: c.symbol });
        return;
      }
      case 'type': {
        const prologue = contextPrologue(c);
        if (hasDeps) libraryGroup(c, prologue).types.push({ macro: name, typeName: c.typeName });
        else addTo(groups.types, prologue, c.why, { macro: name, typeName: c.typeName });
        return;
      }
      case 'compiles':
      case 'links': {
        const prologue = contextPrologue(c) ?? '';
        // The entry carries its own reason; the group's comment gathers those of the other checks.
        if (hasDeps) libraryGroup({ ...c, why: undefined }, prologue)[c.kind].push({ macro: name, code: c.code, why: c.why });
        else tests.push({ macro: name, kind: c.kind, code: prologue + c.code, args: c.args ?? [], why: c.why });
        return;
      }
      case 'runs':
        tests.push({ macro: name, kind: 'runs', code: (contextPrologue(c) ?? '') + c.code, args: c.args ?? [], why: c.why });
        return;
      case 'sizeof':
      case 'alignof':
      case 'declaration':
      case 'member': {
        if (hasDeps) unsupportedDeps(name, c.kind);
        const prologue = contextPrologue(c);
        if (c.kind === 'member') addTo(groups.members, prologue, c.why, { macro: name, aggregate: c.aggregate, member: c.member });
        else if (c.kind === 'declaration') addTo(groups.declarations, prologue, c.why, { macro: name, symbol: c.symbol });
        else addTo(c.kind === 'sizeof' ? groups.sizes : groups.alignments, prologue, c.why, { macro: name, typeName: c.typeName });
        return;
      }
    }
  }

  // AC_INCLUDES_DEFAULT's headers keep autoconf's order; a header of prefixHeaders that
  // pyconfig.h.in has no macro for is still checked (under a HAVE_ name of autoconf's making).
  const defaultHeaders: HeaderEntry[] = spec.prefixHeaders.map(
    (h) => defaultHeaderMacros.get(h) ?? { macro: `HAVE_${h.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`, header: h },
  );

  const libGroups = [...libraryGroups.values()];
  for (const g of libGroups) {
    for (const list of [g.headers, g.functions, g.types, g.symbols, g.compiles, g.links] as { macro: string }[][]) list.sort(byMacro);
    g.why.sort(cmp);
  }
  libGroups.sort((a, b) => {
    const d = cmp(a.deps.join(','), b.deps.join(','));
    if (d !== 0) return d;
    if ((a.prologue === null) !== (b.prologue === null)) return a.prologue === null ? -1 : 1;
    return cmp(JSON.stringify([a.prologue, a.args]), JSON.stringify([b.prologue, b.args]));
  });

  const runMacros = new Set(tests.filter((t) => t.kind === 'runs').map((t) => t.macro));
  const crossAnswers: PyconfigCrossAnswers[] = Object.entries(spec.crossAnswers ?? {})
    .map(([target, answers]) => ({
      target,
      answers: Object.entries(answers)
        .map(([macro, defined]) => {
          const check = spec.checks[macro];
          // A run test of another series (the table is shared) is left out.
          if (check !== undefined && check.kind !== 'runs') {
            throw new CpmError(`manifest pyconfig: crossAnswers['${target}'].${macro}: a ${check.kind} check, not a 'runs' one`);
          }
          return { macro, defined };
        })
        .filter((a) => runMacros.has(a.macro))
        .sort(byMacro),
    }))
    .sort((a, b) => cmp(a.target, b.target));

  const configSite: PyconfigSiteTarget[] = Object.entries(spec.configSite ?? {})
    .map(([target, macros]) => ({
      target,
      macros: Object.entries(macros)
        .filter(([macro]) => seen.has(macro))
        .map(([macro, why]) => {
          if (libraryMacros.has(macro)) {
            throw new CpmError(`manifest pyconfig: configSite['${target}'].${macro}: a check with deps (a library's), which a config.site cannot skip`);
          }
          return { macro, why };
        })
        .sort(byMacro),
    }))
    .sort((a, b) => cmp(a.target, b.target));

  const model: PyconfigModel = {
    file,
    text: parsed.text,
    prologue: rest,
    values: values.sort(byMacro),
    options: options.sort(byMacro),
    setup: (spec.setup ?? '').trim(),
    defaultHeaders,
    headers: sortGroups(groups.headers),
    functions: sortGroups(groups.functions),
    libraries: libraries.sort(byMacro),
    sizes: sortGroups(groups.sizes),
    alignments: sortGroups(groups.alignments),
    types: sortGroups(groups.types),
    members: sortGroups(groups.members),
    declarations: sortGroups(groups.declarations),
    symbols: sortGroups(groups.symbols),
    tests: tests.sort(byMacro),
    crossAnswers,
    libraryGroups: libGroups,
    late: late.sort(byMacro),
    undefined: undefinedList.sort(byMacro),
    configSite,
    stats,
  };
  return { model, unaccounted: unaccounted.sort(cmp) };
}
