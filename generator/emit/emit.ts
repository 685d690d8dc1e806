// Emits the Meson project from a BuildModel, as WrapDB's OpenSSL port is shaped: the Meson logic
// is hand-written (meson-templates/, copied as it is under a generated-file header), and this
// module writes only data: Tools/meson/data/meson.build (source lists, the module, frozen-module
// and library tables), Tools/meson/pyconfig/data/meson.build (the pyconfig.h checks), the
// dependency options of meson.options, pyconfig.h.meson, and the pyconfig test programs as C files
// (Tools/meson/pyconfig/checks/<MACRO>.c; for WrapDB inline in the pyconfig data file).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildModel, DependencyModel, ModuleModel, SourceWithArgs } from '../model/types.js';
import { GENERATED_MARKER } from './marker.js';
import { byCodePoint, call, commented, dict, MesonPrinter, raw, record, type MesonDict, type MesonValue } from './meson.js';
import { pyconfigFiles } from './pyconfig.js';
import { GENERATED_FROM_VAR, generatedFrom } from './stale.js';
import type { GeneratedFile } from './types.js';
import { wrapFiles } from './wraps.js';


/** <repo>/meson-templates, from dist/generator/emit/. */
export const templatesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../meson-templates');

/** The hand-written logic files, by their path in meson-templates/ (the same path in the checkout). */
export const LOGIC_FILES = [
  'meson.build',
  'Modules/meson.build',
  'Programs/meson.build',
  'Python/frozen_modules/meson.build',
  'Tools/meson/cpython_meson.py',
  'Tools/meson/cpython_meson_embedded.h.meson',
  'Tools/meson/dependencies/meson.build',
  'Tools/meson/pyconfig/meson.build',
] as const;

/** The generated data files. */
export const DATA_FILES = ['Tools/meson/data/meson.build', 'Tools/meson/pyconfig/data/meson.build', 'meson.options'] as const;

/** project() needs its version as a literal; the hand-written meson.build carries this placeholder. */
export const VERSION_PLACEHOLDER = "'@CPYTHON_VERSION@'";

export interface EmitOptions {
  /** Indent of the data files: 4 (meson format's default) in a checkout, 2 for WrapDB. */
  indent?: number;
  /**
   * The pyconfig test programs inline in Tools/meson/pyconfig/data/meson.build as multi-line
   * strings instead of C files under Tools/meson/pyconfig/checks/ (WrapDB permits no .c files).
   */
  inlinePrograms?: boolean;
}

const DO_NOT_EDIT = '# Do not edit: regenerate with `cpython-meson generate <checkout>`.';

function readTemplate(rel: string): string {
  return readFileSync(path.join(templatesDir, rel), 'utf8');
}

/** A hand-written file as it lands in the checkout: its text under the generated-file header (after a #! line). */
function logicFile(rel: string, m: BuildModel): string {
  let text = readTemplate(rel);
  // A C header template takes the same two lines as one C comment.
  const header = rel.endsWith('.h.meson')
    ? `/* ${GENERATED_MARKER} ${m.generator.version}: meson-templates/${rel}, copied as it is.\n * ${DO_NOT_EDIT.slice(2)} */\n`
    : `# ${GENERATED_MARKER} ${m.generator.version}: meson-templates/${rel}, copied as it is.\n${DO_NOT_EDIT}\n`;
  if (rel === 'meson.build') {
    if (text.split(VERSION_PLACEHOLDER).length !== 2) throw new Error(`meson-templates/meson.build must carry ${VERSION_PLACEHOLDER} once`);
    text = text.replace(VERSION_PLACEHOLDER, new MesonPrinter().value(m.version.full));
  }
  if (text.startsWith('#!')) {
    const nl = text.indexOf('\n') + 1;
    return text.slice(0, nl) + header + text.slice(nl);
  }
  return header + text;
}

export function emit(m: BuildModel, options: EmitOptions = {}): GeneratedFile[] {
  const p = new MesonPrinter(options.indent ?? 4);
  const header = [`# ${GENERATED_MARKER} ${m.generator.version} from CPython ${m.version.full} (manifest ${m.series}).`, DO_NOT_EDIT, '#'];
  const files: GeneratedFile[] = [
    { path: 'Tools/meson/data/meson.build', content: renderData(m, header, p) },
    { path: 'meson.options', content: renderOptions(m, header, p) },
    ...pyconfigFiles(m.pyconfig, header, `${GENERATED_MARKER} ${m.generator.version} from CPython ${m.version.full} (manifest ${m.series})`, p, {
      inlinePrograms: options.inlinePrograms === true,
    }),
  ];
  for (const rel of LOGIC_FILES) {
    const dest = rel === 'Python/frozen_modules/meson.build' ? `${m.frozen.headerDir}/meson.build` : rel;
    files.push({ path: dest, content: logicFile(rel, m) });
  }
  // Wrap fallbacks of the dependencies, and our overlays (subprojects/).
  files.push(...wrapFiles(m.dependencies, m.generator.version));
  return files.sort((a, b) => byCodePoint(a.path, b.path));
}

/** meson.options: the hand-written options, then one feature option per library and the bundled-copy switches. */
function renderOptions(m: BuildModel, header: string[], p: MesonPrinter): string {
  const opts: MesonValue[] = [];
  for (const d of m.dependencies.filter((x) => x.names.length > 0)) {
    opts.push(call('option', [d.option], [['type', 'feature'], ['value', 'auto'], ['description', `${d.title} (${d.license}) for the modules that use it`]]));
  }
  for (const d of m.dependencies.filter((x) => x.bundled?.systemOption)) {
    const b = d.bundled!;
    opts.push(
      call('option', [b.systemOption!], [
        ['type', 'boolean'],
        ['value', b.systemDefault],
        ['description', `Use the system ${d.title} (or its wrap) instead of the copy bundled in the checkout; the bundled copy remains the fallback`],
      ]),
    );
  }
  const fixed = readTemplate('meson.options');
  return `${[...header.slice(0, 2), ''].join('\n')}${fixed}${p.comment('External libraries (the manifest\'s dependencies).')}\n${opts.map((o) => p.value(o)).join('\n')}\n`;
}

/** Paths inside Modules/ are written relative to Modules/, where Modules/meson.build lives. */
function relModules(p: string): string {
  return p.startsWith('Modules/') ? p.slice('Modules/'.length) : `../${p}`;
}

const sorted = (xs: string[]): string[] => [...xs].sort(byCodePoint);

/** Every key a module record has, with its default; a module's entry states what differs. */
const MODULE_DEFAULTS: [string, MesonValue][] = [
  ['sources', []],
  ['include_directories', []],
  ['c_args', []],
  ['deps', []],
  ['optional_deps', []],
  ['optional_c_args', dict([])],
  ['dep_choice', dict([['option', ''], ['choices', dict([])]])],
  ['headers', []],
  ['functions', []],
  ['when', true],
  ['when_reason', 'not supported on this platform'],
  ['bootstrap', false],
  ['shared_only', false],
  ['test', false],
];

/** Every key a dependency record has, with its default. */
const DEPENDENCY_DEFAULTS: [string, MesonValue][] = [
  ['title', ''],
  ['names', []],
  ['version', []],
  ['libraries', []],
  ['header', []],
  ['license', ''],
  ['package', ''],
  ['gpl', false],
  ['wrap', ''],
  ['system_option', ''],
  ['link_only', false],
  ['link_check', ''],
  ['static_extras', []],
  ['requires', []],
  ['when', true],
  ['when_reason', ''],
];

function moduleRecord(mod: ModuleModel): MesonValue {
  return record('py_module', MODULE_DEFAULTS, [
    ['sources', mod.sources.map(relModules)],
    ['include_directories', mod.includeDirs.map(relModules)],
    ['c_args', mod.cArgs],
    ['deps', mod.deps],
    ['optional_deps', mod.optionalDeps.map((o) => o.name)],
    ['optional_c_args', dict(mod.optionalDeps.filter((o) => o.cArgs.length > 0).map((o): [string, MesonValue] => [o.name, o.cArgs]))],
    ['dep_choice', dict([['option', mod.depChoice?.option ?? ''], ['choices', dict(Object.entries(mod.depChoice?.choices ?? {}))]])],
    ['headers', mod.headers],
    ['functions', mod.functions],
    ['when', raw(mod.when ?? 'true')],
    ['when_reason', mod.whenReason ?? 'not supported on this platform'],
    ['bootstrap', mod.kind === 'bootstrap'],
    ['shared_only', mod.section === 'shared' || mod.test || mod.sharedOnly !== null],
    ['test', mod.test],
  ]);
}

function dependencyRecord(d: DependencyModel): MesonValue {
  return record('py_dependency', DEPENDENCY_DEFAULTS, [
    ['title', d.title],
    ['names', d.names],
    ['version', d.version ? [d.version] : []],
    ['libraries', d.fallbackLibraries],
    ['header', d.fallbackHeader ? [d.fallbackHeader] : []],
    ['license', d.license],
    ['package', d.debianPackage ?? d.title],
    ['gpl', d.gpl],
    ['wrap', d.wrap ?? ''],
    ['system_option', d.bundled?.systemOption ?? ''],
    ['link_only', d.linkOnly],
    ['link_check', d.linkCheck ?? ''],
    ['static_extras', d.staticExtras],
    ['requires', d.requires],
    ['when', raw(d.only?.when ?? 'true')],
    ['when_reason', d.only?.reason ?? ''],
  ]);
}

/** src -> {define: Meson expression}: each source is compiled with -D<define>="<value>". */
function sourceArgs(items: SourceWithArgs[]): MesonDict {
  return dict(items.map((s): [string, MesonValue] => [s.source, dict(s.args.map((a): [string, MesonValue] => [a.define, raw(a.value)]))]));
}

/** The text of Tools/meson/data/meson.build. */
function renderData(m: BuildModel, header: string[], p: MesonPrinter): string {
  const c = m.core;
  const setupFiles = [...new Set(m.modules.map((x) => x.origin.replace(/:\d+$/, '')))].sort(byCodePoint).join(' and ');
  const df = m.frozen.deepfreeze;
  const statements: [string, MesonValue, string][] = [
    [
      GENERATED_FROM_VAR,
      generatedFrom(m),
      "What this file was made from: the generator, the manifest, and each file read from the checkout with its sha256 (setup stops when one has changed since: meson.build's staleness guard).",
    ],
    ['py_core_flags_base', c.flags.base, "Flags configure adds when the compiler accepts them (the manifest's core.flags): BASECFLAGS,"],
    ['py_core_flags_nodist', c.flags.nodist, 'and CFLAGS_NODIST (CPython\'s own objects).'],
    ['py_core_c_args', c.coreArgs, 'Arguments of every core object.'],
    ['py_core_include_dirs', c.includeDirs, 'Include directories of the core and the modules.'],
    [
      'py_system_libraries',
      c.systemLibraries.map((l) =>
        commented(l.reason, dict([
          ['name', l.name],
          ['dependency', l.dependency ?? ''],
          ['key', l.dependency ?? `lib${l.name}`],
          ['required', l.required],
          ['when', raw(l.when ?? 'true')],
          ['checks', l.checks ?? false],
        ])),
      ),
      "System libraries the core links (configure's LIBS, LIBM): cc.find_library(name), or dependency(dependency), where 'when' holds; key: their name in py_deps; checks: pyconfig's link tests link it too (configure's LIBS).",
    ],
    [
      'py_system_args',
      dict(c.systemArgs.map((a) => ({ key: a.system, value: dict([['c_args', a.cArgs], ['link_args', a.linkArgs]]), comment: a.reason }))),
      "What configure adds on a host system (host_machine.system()) to every compile (CFLAGS_NODIST) and link (LDFLAGS_NODIST).",
    ],
    [
      'py_core_sources',
      dict(c.groups.map((g) => ({ key: g.variable, value: sorted(g.sources), comment: `Makefile.pre.in: ${g.variable}` }))),
      `Makefile.pre.in: ${c.bootstrapVar} without the module objects and the sources below, by the variable each source comes from.`,
    ],
    [
      'py_core_conditional',
      c.conditional.map((x) => commented(x.reason, dict([['source', x.source], ['when', raw(x.when)]]))),
      'Core objects present only under a setup-time condition.',
    ],
    ['py_core_source_args', sourceArgs(c.sourceArgs), 'Sources with their own -D arguments (explicit rules in Makefile.pre.in; values from the manifest).'],
    ['py_frozen_source_args', sourceArgs(c.frozenSourceArgs), 'The same, for sources that include the frozen headers.'],
    [
      'py_core_stubs',
      dict(c.stubs.map((st) => ({ key: st.source, value: dict([['stub', st.stub], ['unless', st.unless]]), comment: st.reason }))),
      'Sources of py_core_source_args replaced by a stub when the pyconfig.h macro \'unless\' names is undefined.',
    ],
    ['py_frozen_dependent', sorted(c.frozenDependent), 'The other objects of LIBRARY_OBJS that include the frozen headers.'],
    ['py_programs', dict([['python', c.programs.python], ['freeze_module', c.programs.freezeModule], ['getpath_noop', c.programs.getpathNoop]]), 'Main programs.'],
    ['py_config_c_in', c.configCIn, 'The built-in module table, and the Setup files it is made from (installed to LIBPL).'],
    ['py_setup_files', m.setupFiles, ''],
    ['py_frozen_dir', m.frozen.headerDir, 'Where the frozen headers are written.'],
    ['py_frozen_modules', dict(m.frozen.modules.map((f): [string, MesonValue] => [f.name, f.source])), `${m.frozen.origin}: FROZEN, plus getpath, in CPython's order: name -> source.`],
    [
      'py_deepfreeze',
      dict([
        ['enabled', df !== null],
        ['script', df?.script ?? ''],
        ['output', df?.output.replace(/^.*\//, '') ?? ''],
        ['args', (df?.modules ?? []).map((f) => `@OUTDIR@/${f.header.replace(/^.*\//, '')}:${f.name}`)],
      ]),
      "3.11/3.12: deepfreeze (DEEPFREEZE_OBJS) over the frozen headers; 'enabled' is false for series without it.",
    ],
    ['py_dependency', dict(DEPENDENCY_DEFAULTS), 'External libraries of the extension modules (the manifest\'s dependencies), each record py_dependency plus what differs.'],
    ['py_dependencies', dict(m.dependencies.filter((d) => d.names.length > 0).map((d): [string, MesonValue] => [d.name, dependencyRecord(d)])), ''],
    [
      'py_bundled',
      dict(
        m.dependencies
          .filter((d) => d.bundled)
          .map((d) => ({
            key: d.name,
            comment: `Makefile.pre.in: ${d.bundled!.objectsVar}`,
            value: dict([
              ['sources', d.bundled!.sources.map(relModules)],
              ['include_directories', d.bundled!.includeDirs.map(relModules)],
              ['c_args', dict(Object.entries(d.bundled!.cArgs).map(([k, v]): [string, MesonValue] => [k, raw(v)]))],
              ['license', d.license],
            ]),
          })),
      ),
      'Libraries bundled in the checkout (paths relative to Modules/): their objects, and their arguments with the condition for each.',
    ],
    ['py_module', dict(MODULE_DEFAULTS), `Extension modules of ${setupFiles}, with what the manifest adds; each record py_module plus what differs (paths relative to Modules/).`],
    ['py_modules', dict(m.modules.map((mod): [string, MesonValue] => [mod.name, moduleRecord(mod)])), ''],
  ];
  const body = statements.map(([name, value, comment]) => p.assign(name, value, comment || undefined)).join('\n');
  return `${[...header, p.comment('What Meson builds for this checkout, read from it and its manifest; the hand-written meson.build, Modules/meson.build, Tools/meson/dependencies/meson.build and Python/frozen_modules/meson.build use it.'), ''].join('\n')}\n${body}\n`;
}
