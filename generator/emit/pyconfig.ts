// Renders Tools/meson/pyconfig/meson.build from the PyconfigModel with
// meson-templates/pyconfig.meson.build.ejs. This module spells the model's data as Meson
// literals, laid out the way `meson format` (Meson 1.7, default settings: 4-space indent,
// 80 columns) lays them out; the template only loops over the results.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import type { CheckGroup, CodeEntry, PyconfigExpr, PyconfigLibraryGroup, PyconfigModel, PyconfigTest } from '../model/pyconfig.js';

/** <repo>/meson-templates, from dist/generator/emit/. */
const templatesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../meson-templates');
const TEMPLATE = 'pyconfig.meson.build.ejs';

const INDENT = '    ';
const LINE = 80;

export interface RenderOptions {
  /** GENERATED_MARKER, for the first line. */
  marker?: string;
  /** The build model the file belongs to, for the header line. */
  model?: { generator: { name: string; version: string }; version: { full: string }; series: string };
}

// ---------------------------------------------------------------------------------------------
// Meson literals

/**
 * A Meson string: '...' for one line (a trailing newline spelled \n), '''...''' for text of
 * several lines (no escapes inside; it starts on a line of its own).
 */
export function mesonString(value: string): string {
  const lines = value.replace(/\n$/, '').split('\n');
  if (lines.length > 1 && !value.includes("'''")) return `'''${value.startsWith('\n') ? '' : '\n'}${value}'''`;
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** A C token sequence as a Meson value: an int when it is a plain decimal number, else a string. */
export function mesonValue(value: string): string {
  return /^(0|[1-9][0-9]{0,8})$/.test(value) ? value : mesonString(value);
}

interface Entry {
  key: string;
  /** An already-spelled Meson value (may span lines, already indented for its position). */
  value: string;
  /** Comment lines placed above the entry. */
  comment?: string[];
}

/** `key: value` entries of a dict whose opening brace sits in column `column` of a line indented by `level`. */
function dict(entries: Entry[], level: number, column: number, trailing = 0): string {
  if (entries.length === 0) return '{}';
  const flat = `{${entries.map((e) => `${mesonString(e.key)}: ${e.value}`).join(', ')}}`;
  const anyComment = entries.some((e) => (e.comment?.length ?? 0) > 0);
  if (!anyComment && !flat.includes('\n') && column + flat.length + trailing <= LINE) return flat;
  const pad = INDENT.repeat(level + 1);
  const lines: string[] = [];
  for (const e of entries) {
    for (const c of e.comment ?? []) lines.push(`${pad}#${c ? ` ${c}` : ''}`);
    lines.push(`${pad}${mesonString(e.key)}: ${e.value},`);
  }
  return `{\n${lines.join('\n')}\n${INDENT.repeat(level)}}`;
}

/** An array of already-spelled values, kept on one line when it fits (as in a dict entry at `level`). */
function array(items: string[], level: number, column: number, trailing = 0): string {
  if (items.length === 0) return '[]';
  const flat = `[${items.join(', ')}]`;
  if (!flat.includes('\n') && column + flat.length + trailing <= LINE) return flat;
  const pad = INDENT.repeat(level + 1);
  return `[\n${items.map((i) => `${pad}${i},`).join('\n')}\n${INDENT.repeat(level)}]`;
}

/** A value inside a multi-line dict at `level`: the entry line is `<pad>'key': value,`. */
function entryColumn(level: number, key: string): number {
  return INDENT.length * (level + 1) + mesonString(key).length + 2;
}

/** Comment lines (without '#'), wrapped at 100 columns minus the indentation. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    const words = para.split(/\s+/).filter(Boolean);
    let cur = '';
    for (const w of words) {
      if (cur && cur.length + 1 + w.length > width) {
        out.push(cur);
        cur = w;
      } else {
        cur = cur ? `${cur} ${w}` : w;
      }
    }
    if (cur) out.push(cur);
  }
  return out;
}

function commentBlock(text: string, level = 0): string {
  const pad = INDENT.repeat(level);
  return wrap(text, 98 - pad.length)
    .map((l) => `${pad}# ${l}`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// View model: what the template places

interface GroupView {
  comment: string;
  /** Meson expression of the C text after confdefs. */
  prologue: string;
  dict: string;
}

interface ExprView {
  dict: string;
}

function prologueExpr(prologue: string | null, fallback: string): string {
  return prologue === null ? fallback : mesonString(prologue);
}

function groupComment(defaultText: string, g: { prologue: string | null; why: string[] }, otherText: string): string {
  if (g.prologue === null) return commentBlock(defaultText);
  return commentBlock(g.why.length > 0 ? g.why.join(' ') : otherText);
}

function groups<T extends { macro: string }>(
  list: CheckGroup<T>[],
  value: (e: T, column: number) => string,
  fallback: string,
  defaultText: string,
  otherText: string,
  column: number,
): GroupView[] {
  return list.map((g) => ({
    comment: groupComment(defaultText, g, otherText),
    prologue: prologueExpr(g.prologue, fallback),
    dict: dict(
      g.checks.map((e) => ({ key: e.macro, value: value(e, entryColumn(0, e.macro)) })),
      0,
      column,
    ),
  }));
}

function exprDict(list: PyconfigExpr[]): string {
  return dict(
    list.map((e) => {
      const value = e.quote ? `'"@0@"'.format(${e.value})` : e.value;
      const col = entryColumn(0, e.macro);
      return { key: e.macro, value: array([e.when ?? 'true', value], 1, col), comment: wrap(e.why, 94) };
    }),
    0,
    'foreach macro, v : '.length,
  );
}

function codeDict(list: (CodeEntry | PyconfigTest)[], level: number, column: number): string {
  return dict(
    list.map((t) => ({ key: t.macro, value: mesonString(ensureNewlines(t.code)), comment: wrap(t.why, 98 - INDENT.length * (level + 1) - 2) })),
    level,
    column,
  );
}

/** Triple-quoted C code reads best starting and ending on its own line. */
function ensureNewlines(code: string): string {
  let c = code.startsWith('\n') ? code : `\n${code}`;
  if (!c.endsWith('\n')) c += '\n';
  return c;
}

function libraryDict(g: PyconfigLibraryGroup): string {
  const level = 1;
  const e: Entry[] = [
    {
      key: 'deps',
      value: array(g.deps.map(mesonString), 2, entryColumn(level, 'deps')),
      comment: g.why.length > 0 ? wrap(g.why.join(' '), 86) : undefined,
    },
  ];
  if (g.prologue !== null) e.push({ key: 'prefix', value: mesonString(g.prologue) });
  if (g.args.length > 0) e.push({ key: 'args', value: array(g.args.map(mesonString), 2, entryColumn(level, 'args')) });
  const sub = (key: string, items: { macro: string; v: string }[]): void => {
    if (items.length > 0) e.push({ key, value: dict(items.map((i) => ({ key: i.macro, value: mesonString(i.v) })), 2, entryColumn(level, key)) });
  };
  sub('headers', g.headers.map((h) => ({ macro: h.macro, v: h.header })));
  sub('functions', g.functions.map((f) => ({ macro: f.macro, v: f.function })));
  sub('types', g.types.map((t) => ({ macro: t.macro, v: t.typeName })));
  sub('symbols', g.symbols.map((s) => ({ macro: s.macro, v: s.symbol })));
  if (g.compiles.length > 0) e.push({ key: 'compiles', value: codeDict(g.compiles, 2, entryColumn(level, 'compiles')) });
  if (g.links.length > 0) e.push({ key: 'links', value: codeDict(g.links, 2, entryColumn(level, 'links')) });
  return dict(e, level, INDENT.length);
}

interface TestGroupView {
  args: string;
  dict: string;
}

/** Compile and link tests, grouped by their compiler arguments. */
function testGroups(tests: PyconfigTest[], kind: 'compiles' | 'links'): TestGroupView[] {
  const byArgs = new Map<string, PyconfigTest[]>();
  for (const t of tests.filter((x) => x.kind === kind)) {
    const key = JSON.stringify(t.args);
    byArgs.set(key, [...(byArgs.get(key) ?? []), t]);
  }
  return [...byArgs.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, list]) => ({
      args: array((list[0]?.args ?? []).map(mesonString), 0, 'args = '.length),
      dict: codeDict(list, 0, 'foreach macro, code : '.length),
    }));
}

/** Run tests: macro -> [result when the host cannot run programs, compiler arguments, program]. */
function runsDict(tests: PyconfigTest[]): string {
  return dict(
    tests
      .filter((t) => t.kind === 'runs')
      .map((t) => {
        const cross = typeof t.crossValue === 'boolean' ? String(t.crossValue) : t.crossValue;
        const items = [cross, array(t.args.map(mesonString), 2, 0), mesonString(ensureNewlines(t.code))];
        return { key: t.macro, value: array(items, 1, entryColumn(0, t.macro)), comment: wrap(t.why, 94) };
      }),
    0,
    'foreach macro, test : '.length,
  );
}

export interface PyconfigView {
  header: string[];
  source: string;
  setup: string;
  /** Meson string starting confdefs (the non-#define lines of checkPrefix, usually none). */
  confdefs: string;
  values: string;
  options: ExprView;
  late: ExprView;
  defaultHeaders: string;
  headers: GroupView[];
  functions: GroupView[];
  libraries: string;
  sizes: GroupView[];
  alignments: GroupView[];
  types: GroupView[];
  members: GroupView[];
  declarations: GroupView[];
  symbols: GroupView[];
  tests: { compiles: TestGroupView[]; links: TestGroupView[]; runs: string };
  libraryGroups: string;
  undefinedCount: number;
  /** Comment lines naming the root meson.build's variables the file uses. */
  uses: string;
  stats: PyconfigModel['stats'];
}

export function pyconfigView(m: PyconfigModel, options: RenderOptions = {}): PyconfigView {
  const marker = options.marker ?? '@generated by cpython-meson';
  const b = options.model;
  const header = b
    ? [`# ${marker} ${b.generator.version} from CPython ${b.version.full} (manifest ${b.series}).`]
    : [`# ${marker} from ${path.basename(m.file)}.`];
  header.push('# Do not edit: regenerate with `cpython-meson generate <checkout>`.');

  const fe = 'foreach macro, header : '.length;
  return {
    header,
    source: path.basename(m.file),
    setup: m.setup,
    confdefs: mesonString(m.prologue),
    values: dict(
      m.values.map((v) => ({ key: v.macro, value: mesonValue(v.value), comment: wrap(v.why, 94) })),
      0,
      'foreach macro, value : '.length,
    ),
    options: { dict: exprDict(m.options) },
    late: { dict: exprDict(m.late) },
    defaultHeaders: dict(
      m.defaultHeaders.map((h) => ({ key: h.macro, value: mesonString(h.header) })),
      0,
      fe,
    ),
    headers: groups(
      m.headers,
      (e) => mesonString(e.header),
      'pyconfig_includes',
      'Headers: "Define to 1 if you have the <...> header file." AC_CHECK_HEADERS compiles each after the default includes.',
      'Headers configure.ac checks with its own includes in front.',
      fe,
    ),
    functions: groups(
      m.functions,
      (e) => mesonString(e.function),
      "''",
      "Functions: \"Define to 1 if you have the `...' function.\" AC_CHECK_FUNCS links a call without a declaration (glibc's __stub_ macros mark the ones that only fail with ENOSYS).",
      'Functions configure.ac checks with a declaration in scope (PY_CHECK_FUNC and the like).',
      'foreach macro, func : '.length,
    ),
    libraries: dict(
      m.libraries.map((l) => ({ key: l.macro, value: mesonString(l.library) })),
      0,
      'foreach macro, lib : '.length,
    ),
    sizes: groups(
      m.sizes,
      (e) => mesonString(e.typeName),
      'pyconfig_includes',
      "Sizes: \"The size of `...', as computed by sizeof.\" (AC_CHECK_SIZEOF; 0 when the type does not exist).",
      'Sizes configure.ac computes with its own includes.',
      'foreach macro, type : '.length,
    ),
    alignments: groups(
      m.alignments,
      (e) => mesonString(e.typeName),
      'pyconfig_includes',
      "Alignments: \"The normal alignment of `...', in bytes.\" (AC_CHECK_ALIGNOF).",
      'Alignments configure.ac computes with its own includes.',
      'foreach macro, type : '.length,
    ),
    types: groups(
      m.types,
      (e) => mesonString(e.typeName),
      'pyconfig_includes',
      "Types: \"Define to 1 if the system has the type `...'.\" (AC_CHECK_TYPES).",
      'Types configure.ac checks with its own includes.',
      'foreach macro, type : '.length,
    ),
    members: groups(
      m.members,
      (e, col) => array([mesonString(e.aggregate), mesonString(e.member)], 1, col),
      'pyconfig_includes',
      "Struct members: \"Define to 1 if `...' is a member of `...'.\" (AC_CHECK_MEMBERS).",
      'Struct members configure.ac checks with its own includes.',
      'foreach macro, member : '.length,
    ),
    declarations: groups(
      m.declarations,
      (e) => mesonString(e.symbol),
      'pyconfig_includes',
      "Declarations: \"Define to 1 if you have the declaration of `...', and to 0 if you don't.\" (AC_CHECK_DECLS).",
      'Declarations configure.ac checks with its own includes.',
      'foreach macro, symbol : '.length,
    ),
    symbols: groups(
      m.symbols,
      (e) => mesonString(e.symbol),
      'pyconfig_includes',
      'Symbols that must be declared (a function, variable or macro).',
      'Symbols configure.ac requires to be declared by these includes.',
      'foreach macro, symbol : '.length,
    ),
    tests: { compiles: testGroups(m.tests, 'compiles'), links: testGroups(m.tests, 'links'), runs: runsDict(m.tests) },
    libraryGroups: array(
      m.libraryGroups.map((g) => libraryDict(g)),
      0,
      'foreach g : '.length,
    ),
    undefinedCount: m.undefined.length,
    uses: commentBlock(`Uses from the root meson.build: ${rootVariables(m).join(', ')}. Defines pyconfig_data, for configure_file(input: 'pyconfig.h.meson').`),
    stats: m.stats,
  };
}

/** The root meson.build's variables the emitted file reads: cc, py_deps and those the manifest's Meson code names. */
export function rootVariables(m: PyconfigModel): string[] {
  const code = [m.setup, ...[...m.options, ...m.late].flatMap((e) => [e.value, e.when ?? '']), ...m.tests.map((t) => String(t.crossValue))];
  const names = new Set(['cc', 'py_deps']);
  for (const text of code) for (const match of text.matchAll(/\bpy_[a-z0-9_]+\b/g)) names.add(match[0]);
  return [...names].sort((a, b) => (a === 'cc' ? -1 : b === 'cc' ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

/** The text of Tools/meson/pyconfig/meson.build. */
export function renderPyconfigMeson(m: PyconfigModel, options: RenderOptions = {}): string {
  const file = path.join(templatesDir, TEMPLATE);
  const text = readFileSync(file, 'utf8');
  return ejs.render(text, { v: pyconfigView(m, options) }, { filename: file });
}
