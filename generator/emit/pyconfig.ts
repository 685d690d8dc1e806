// The pyconfig.h files of the emitted project: Tools/meson/pyconfig/data/meson.build (the check
// tables the hand-written meson-templates/Tools/meson/pyconfig/meson.build loops over, one table
// per kind of check, and pyconfig_programs, the test programs), pyconfig.h.meson (pyconfig.h.in
// with #mesondefine lines), and the test programs as C files Tools/meson/pyconfig/checks/<MACRO>.c
// that the data file reads (for WrapDB, whose patch directories permit no .c files, the programs
// are inline in the data file instead; the logic reads pyconfig_programs either way).
import type { CheckGroup, CodeEntry, PyconfigExpr, PyconfigLibraryGroup, PyconfigModel, PyconfigTest } from '../model/pyconfig.js';
import { GENERATED_MARKER } from './marker.js';
import { byCodePoint, call, commented, dict, MesonPrinter, mesonString, names, raw, record, type MesonValue } from './meson.js';
import type { GeneratedFile } from './types.js';

/** A C token sequence as a Meson value: an int when it is a plain decimal number, else a string. */
function cValue(value: string): MesonValue {
  return /^(0|[1-9][0-9]{0,8})$/.test(value) ? Number(value) : value;
}

/**
 * autoconf's macro for a checked name (AS_TR_CPP: upper case, `*` -> P, any other character that
 * is not a letter or digit -> _), as the pyconfig logic spells it:
 * `prefix + name.replace('*', 'P').underscorify().to_upper()`.
 */
export function autoconfMacro(prefix: string, name: string): string {
  return prefix + name.replace(/\*/g, 'P').replace(/[^A-Za-z0-9]/g, '_').toUpperCase();
}

/** Every key of a check group record, with its default (pyconfig_group). */
const GROUP_DEFAULTS: [string, MesonValue][] = [
  ['includes', false],
  ['prologue', ''],
  ['names', []],
  ['checks', dict([])],
];

/**
 * Group records: the default includes or not, the C text after them, then the checks: 'names'
 * when the macro is autoconf's name for it (`prefix` given), 'checks' (macro -> what is checked) else.
 */
function groups<T extends { macro: string }>(list: CheckGroup<T>[], value: (e: T) => MesonValue, defaultIncludes: boolean, prefix?: string): MesonValue[] {
  return list.map((g) => {
    const nameOf = (e: T): string | null => {
      const v = value(e);
      return typeof v === 'string' && /^[^\s'\\]+$/.test(v) ? v : null;
    };
    const named = prefix === undefined ? [] : g.checks.filter((e) => nameOf(e) !== null && autoconfMacro(prefix, nameOf(e) ?? '') === e.macro);
    const record_ = record('pyconfig_group', GROUP_DEFAULTS, [
      ['includes', g.prologue === null && defaultIncludes],
      ['prologue', g.prologue ?? ''],
      ['names', names(named.map((e) => value(e) as string))],
      ['checks', dict(g.checks.filter((e) => !named.includes(e)).map((e): [string, MesonValue] => [e.macro, value(e)]))],
    ]);
    return g.why.length > 0 ? commented(g.why.join(' '), record_) : record_;
  });
}

function exprs(list: PyconfigExpr[], late: boolean): MesonValue {
  return dict(
    list.map((e) => {
      const when = e.dependency !== null ? raw(`pyconfig_deps[${mesonString(e.dependency)}].found()`) : raw(e.when ?? 'true');
      const value = raw(e.quote ? `'"@0@"'.format(${e.value})` : e.value);
      return { key: e.macro, value: late ? [when, value, e.needs] : [when, value], comment: e.why };
    }),
  );
}

/** Every key of a library group record, with its default (pyconfig_library_group). */
const LIBRARY_GROUP_DEFAULTS: [string, MesonValue][] = [
  ['deps', []],
  ['includes', false],
  ['prologue', ''],
  ['args', []],
  ['headers', dict([])],
  ['functions', dict([])],
  ['types', dict([])],
  ['symbols', dict([])],
  ['compiles', []],
  ['links', []],
];

function libraryGroup(g: PyconfigLibraryGroup): MesonValue {
  const record_ = record('pyconfig_library_group', LIBRARY_GROUP_DEFAULTS, [
    ['deps', g.deps],
    ['includes', g.prologue === null],
    ['prologue', g.prologue ?? ''],
    ['args', g.args],
    ['headers', dict(g.headers.map((h): [string, MesonValue] => [h.macro, h.header]))],
    ['functions', dict(g.functions.map((f): [string, MesonValue] => [f.macro, f.function]))],
    ['types', dict(g.types.map((t): [string, MesonValue] => [t.macro, t.typeName]))],
    ['symbols', dict(g.symbols.map((s): [string, MesonValue] => [s.macro, s.symbol]))],
    ['compiles', names(g.compiles.map((c) => c.macro))],
    ['links', names(g.links.map((c) => c.macro))],
  ]);
  return g.why.length > 0 ? commented(g.why.join(' '), record_) : record_;
}

/** Compile or link tests grouped by their compiler arguments: [{'args': [...], 'checks': [macro, ...]}]. */
function testGroups(tests: PyconfigTest[], kind: 'compiles' | 'links'): MesonValue {
  const byArgs = new Map<string, PyconfigTest[]>();
  for (const t of tests.filter((x) => x.kind === kind)) {
    const key = JSON.stringify(t.args);
    byArgs.set(key, [...(byArgs.get(key) ?? []), t]);
  }
  return [...byArgs.entries()]
    .sort(([a], [b]) => byCodePoint(a, b))
    .map(([, list]) => dict([
      ['args', list[0]?.args ?? []],
      ['checks', names(list.map((t) => t.macro))],
    ]));
}

/** Run tests: macro -> compiler arguments. */
function runs(tests: PyconfigTest[]): MesonValue {
  return dict(tests.filter((t) => t.kind === 'runs').map((t): [string, MesonValue] => [t.macro, t.args]));
}

/** The manifest's answers of the run tests per cross target: target -> macro -> defined. */
function crossAnswers(m: PyconfigModel): MesonValue {
  return dict(m.crossAnswers.map((c): [string, MesonValue] => [c.target, dict(c.answers.map((a): [string, MesonValue] => [a.macro, a.defined]))]));
}

/** What each target's config.site leaves undefined: target -> macros, each under its reason. */
function siteUndefined(m: PyconfigModel): MesonValue {
  return dict(m.configSite.map((t): [string, MesonValue] => [t.target, t.macros.map((x) => commented(x.why, x.macro))]));
}

/** Where the test programs go, relative to the checkout: one C file per macro. */
export const PYCONFIG_CHECKS_DIR = 'Tools/meson/pyconfig/checks';

/** The data file's path in the checkout. */
export const PYCONFIG_DATA_FILE = 'Tools/meson/pyconfig/data/meson.build';

export interface PyconfigEmitOptions {
  /**
   * The test programs inline in the data file as multi-line strings, not as C files under
   * checks/ read with fs.read(): a WrapDB patch directory permits no .c files.
   */
  inlinePrograms?: boolean;
}

const VERB = { compiles: 'compiles', links: 'links', runs: 'runs and exits with 0' } as const;

/** A test program: its macro, the program (ending in one newline), and what it tests (configure.ac's test it mirrors). */
interface Program {
  macro: string;
  code: string;
  what: string;
}

/** The test programs of the pyconfig checks, one per macro: the library groups' and then the tests'. */
function programs(m: PyconfigModel): Program[] {
  const list: (readonly [string, 'compiles' | 'links' | 'runs', CodeEntry | PyconfigTest])[] = [
    ...m.libraryGroups.flatMap((g) => [...g.compiles.map((c) => [c.macro, 'compiles', c] as const), ...g.links.map((c) => [c.macro, 'links', c] as const)]),
    ...m.tests.map((t) => [t.macro, t.kind, t] as const),
  ];
  const seen = new Set<string>();
  return list.map(([macro, kind, t]) => {
    if (seen.has(macro)) throw new Error(`pyconfig: two test programs for ${macro}`);
    seen.add(macro);
    const code = `${t.code.replace(/^\n+/, '').replace(/\n*$/, '')}\n`;
    const why = t.why === '' || /[.)]$/.test(t.why) ? t.why : `${t.why}.`;
    return { macro, code, what: `${why} ${macro} is defined when this program ${VERB[kind]}.`.trim() };
  });
}

/**
 * The test programs of the pyconfig checks as C files, Tools/meson/pyconfig/checks/<MACRO>.c: a
 * first line carrying `marker`, a line saying what the program tests (configure.ac's test it
 * mirrors), then the program. The data file reads each into pyconfig_programs; the logic compiles
 * it after confdefs (the macros decided before it).
 */
export function pyconfigCheckFiles(m: PyconfigModel, marker: string): GeneratedFile[] {
  return programs(m).map(({ macro, code, what }) => ({
    path: `${PYCONFIG_CHECKS_DIR}/${macro}.c`,
    content: `/* ${marker}. Do not edit: regenerate with \`cpython-meson generate <checkout>\`. */\n/* ${what.replace(/\*\//g, '* /')} */\n${code}`,
  }));
}

/**
 * pyconfig_programs, macro -> the text of its test program: in a checkout `fs.read()` of the C file
 * checks/<MACRO>.c (relative to data/, where the table is), with `inlinePrograms` the program
 * itself as a multi-line string under a comment saying what it tests.
 */
function programTable(m: PyconfigModel, inline: boolean): MesonValue {
  return dict(
    programs(m).map(({ macro, code, what }) =>
      inline
        ? { key: macro, value: code, comment: what }
        : { key: macro, value: call('fs.read', [`../${PYCONFIG_CHECKS_DIR.replace(/^.*\//, '')}/${macro}.c`]) },
    ),
  );
}

/**
 * The pyconfig files of the emitted project: the data file (under `header`, at the printer's
 * indent), pyconfig.h.meson, and unless `inlinePrograms` the test programs as C files
 * (`marker` on their first line).
 */
export function pyconfigFiles(m: PyconfigModel, header: string[], marker: string, p = new MesonPrinter(), options: PyconfigEmitOptions = {}): GeneratedFile[] {
  return [
    { path: PYCONFIG_DATA_FILE, content: renderPyconfigData(m, header, p, options) },
    { path: 'pyconfig.h.meson', content: pyconfigTemplate(m, GENERATED_MARKER) },
    ...(options.inlinePrograms ? [] : pyconfigCheckFiles(m, marker)),
  ];
}

/** The identifiers the manifest's Meson code in the pyconfig model names (for the header comment). */
export function rootVariables(m: PyconfigModel): string[] {
  const code = [m.setup, ...[...m.options, ...m.late].flatMap((e) => [e.value, e.when ?? ''])];
  const names = new Set(['cc', 'py_deps']);
  for (const text of code) for (const match of text.matchAll(/\bpy_[a-z0-9_]+\b/g)) names.add(match[0]);
  return [...names].sort((a, b) => (a === 'cc' ? -1 : b === 'cc' ? 1 : byCodePoint(a, b)));
}

/** The text of Tools/meson/pyconfig/data/meson.build, under the given header lines. */
export function renderPyconfigData(m: PyconfigModel, header: string[], p = new MesonPrinter(), options: PyconfigEmitOptions = {}): string {
  const inline = options.inlinePrograms === true;
  const s = m.stats;
  const out: string[] = [
    ...header,
    p.comment(
      `The checks of pyconfig.h, one per macro of ${m.file.replace(/^.*[\\/]/, '')}: ${s.derived} derived from autoheader's comment, ` +
        `${s.manifest} given by the manifest (cpython-manifests/common/pyconfig.ts, which follows configure.ac, with the reasons), ` +
        `${s.undefined} left undefined on purpose. Tools/meson/pyconfig/meson.build runs them, one loop per table, in this order. ` +
        `Group records (pyconfig_group plus what differs): 'includes' (autoconf's default includes first), 'prologue' (C text after them), ` +
        `'names' (checked names whose macro is autoconf's: sys/foo.h -> HAVE_SYS_FOO_H), 'checks' (macro -> what is checked). ` +
        `pyconfig_programs holds the test programs, macro -> C text${inline ? '' : ' (read from the C files in checks/, one per macro)'}. ` +
        `The manifest's Meson code uses ${rootVariables(m).join(', ')}.`,
    ),
    '',
  ];
  if (m.setup !== '') out.push(p.comment("Setup statements of the manifest, shared by the checks (pyconfig 'setup')."), p.statements(m.setup), '');
  const tables: [string, MesonValue, string][] = [
    ['pyconfig_prologue', m.prologue, "Lines of the manifest's checkPrefix that are not #define lines: the start of confdefs."],
    ['pyconfig_values', dict(m.values.map((v) => ({ key: v.macro, value: cValue(v.value), comment: v.why }))), 'Fixed values: the feature-test macros configure defines before its checks, and constants.'],
    ['pyconfig_options', exprs(m.options, false), 'Options and libraries: macro -> [condition, value].'],
    ['pyconfig_default_headers', dict(m.defaultHeaders.map((h): [string, MesonValue] => [h.macro, h.header])), "autoconf's default includes (AC_INCLUDES_DEFAULT), in its order."],
    ['pyconfig_group', dict(GROUP_DEFAULTS), 'Every key of a group record, with its default.'],
    ['pyconfig_headers', groups(m.headers, (e) => e.header, true, 'HAVE_'), 'Headers: "Define to 1 if you have the <...> header file." (AC_CHECK_HEADERS).'],
    ['pyconfig_library_group', dict(LIBRARY_GROUP_DEFAULTS), 'Every key of a library group record, with its default.'],
    ['pyconfig_library_groups', m.libraryGroups.map(libraryGroup), "Checks against the extension modules' libraries, run when all 'deps' are found."],
    ['pyconfig_functions', groups(m.functions, (e) => e.function, false, 'HAVE_'), "Functions: \"Define to 1 if you have the `...' function.\" (AC_CHECK_FUNCS links a call without a declaration)."],
    ['pyconfig_libraries', dict(m.libraries.map((l): [string, MesonValue] => [l.macro, l.library])), "Libraries: \"Define to 1 if you have the `...' library (-l...).\" (AC_CHECK_LIB)."],
    ['pyconfig_sizes', groups(m.sizes, (e) => e.typeName, true, 'SIZEOF_'), "Sizes: \"The size of `...', as computed by sizeof.\" (AC_CHECK_SIZEOF)."],
    ['pyconfig_alignments', groups(m.alignments, (e) => e.typeName, true, 'ALIGNOF_'), "Alignments: \"The normal alignment of `...', in bytes.\" (AC_CHECK_ALIGNOF)."],
    ['pyconfig_types', groups(m.types, (e) => e.typeName, true, 'HAVE_'), "Types: \"Define to 1 if the system has the type `...'.\" (AC_CHECK_TYPES)."],
    ['pyconfig_members', groups(m.members, (e) => [e.aggregate, e.member], true), "Struct members: \"Define to 1 if `...' is a member of `...'.\" (AC_CHECK_MEMBERS)."],
    ['pyconfig_declarations', groups(m.declarations, (e) => e.symbol, true, 'HAVE_DECL_'), "Declarations: \"Define to 1 if you have the declaration of `...'.\" (AC_CHECK_DECLS)."],
    ['pyconfig_symbols', groups(m.symbols, (e) => e.symbol, true), 'Symbols that must be declared (a function, variable or macro).'],
    ['pyconfig_compiles', testGroups(m.tests, 'compiles'), 'Test programs configure.ac compiles, grouped by compiler arguments.'],
    ['pyconfig_links', testGroups(m.tests, 'links'), 'Test programs configure.ac links, grouped by compiler arguments.'],
    ['pyconfig_runs', runs(m.tests), 'Test programs configure.ac runs: macro -> compiler arguments.'],
    [
      'pyconfig_cross_answers',
      crossAnswers(m),
      "The run tests' answers for cross targets whose programs cannot run at setup (the manifest's crossAnswers, like CPython's config.site files): target -> macro -> defined.",
    ],
    ['pyconfig_late', exprs(m.late, true), 'Decided after the checks: macro -> [condition, value, macros the checks must have defined].'],
    [
      'pyconfig_site_undefined',
      siteUndefined(m),
      "What a target's config.site forces (the manifest's configSite, like CPython's Tools/wasm/config.site-wasm32-wasi): target -> macros left undefined there without their check.",
    ],
    [
      'pyconfig_programs',
      programTable(m, inline),
      `The test programs of pyconfig_library_groups ('compiles', 'links'), pyconfig_compiles, pyconfig_links and pyconfig_runs: macro -> C text${inline ? '' : ', read from checks/<macro>.c'}.`,
    ],
  ];
  out.push(tables.map(([name, value, comment]) => p.assign(name, value, comment)).join('\n\n'));
  return `${out.join('\n')}\n`;
}

/**
 * The text of pyconfig.h.meson: pyconfig.h.in with each `#undef NAME` (also the indented
 * `# undef NAME` of autoconf's guarded blocks) turned into `#mesondefine NAME`, everything else
 * kept, under a first line carrying `marker`.
 */
export function pyconfigTemplate(parsed: { file: string; text: string }, marker: string): string {
  const eol = parsed.text.includes('\r\n') ? '\r\n' : '\n';
  const body = parsed.text.replace(/^([ \t]*)#[ \t]*undef[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*$/gm, '$1#mesondefine $2');
  return `/* ${marker} from ${parsed.file.replace(/^.*[\\/]/, '')}: configure_file() turns each #mesondefine into a #define or a comment. */${eol}${body}`;
}
