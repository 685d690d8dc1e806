// Emits the Meson project from a BuildModel: each template in meson-templates/ renders one file.
// This module turns model data into Meson literals; templates only loop and place them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import type { BuildModel, DependencyModel, ModuleModel, SourceWithArgs } from '../model/types.js';
import type { GeneratedFile } from '../pipeline.js';
import { GENERATED_MARKER } from './marker.js';
import { renderPyconfigMeson } from './pyconfig.js';
import { args, array, byCodePoint, comment, dict, sortFiles, str, strArray } from './meson-syntax.js';

/** <repo>/meson-templates, from dist/generator/emit/. */
export const templatesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../meson-templates');

/** Compiler flags configure adds to BASECFLAGS/CFLAGS_NODIST when supported (Makefile: PY_CORE_CFLAGS). */
const CORE_FLAGS = [
  '-fno-strict-overflow',
  '-Wsign-compare',
  '-Wno-unused-parameter',
  '-Wno-missing-field-initializers',
  '-Wstrict-prototypes',
  '-Werror=implicit-function-declaration',
  '-fvisibility=hidden',
];

function render(name: string, data: Record<string, unknown>): string {
  const file = path.join(templatesDir, name);
  const text = readFileSync(file, 'utf8');
  return ejs.render(text, { ...data, str, array, args, strArray, dict, comment, sortFiles, marker: GENERATED_MARKER }, { filename: file });
}

export function emit(m: BuildModel): GeneratedFile[] {
  const versionShort = `${m.version.major}.${m.version.minor}`;
  const common = { m, versionShort, versionNodot: `${m.version.major}${m.version.minor}` };
  const files: GeneratedFile[] = [
    {
      path: 'meson.build',
      content: render('meson.build.ejs', {
        ...common,
        coreFlags: CORE_FLAGS.map(str),
        bootstrapVar: 'LIBRARY_OBJS_OMIT_FROZEN',
        sourceArgsTable: sourceArgsTable(m.core.sourceArgs),
        installConfigFiles: [m.core.configCIn, ...m.setupFiles],
        // The system libraries under the names the pyconfig checks use (threads, libm, libdl, ...).
        systemDepsDict: dict(
          m.core.systemLibraries.map((l): [string, string] => [l.dependency ?? `lib${l.name}`, `${l.name}_dep`]),
          0,
          11,
        ),
        frozenSourceArgsTable: sourceArgsTable(m.core.frozenSourceArgs),
      }),
    },
    {
      path: 'Tools/meson/dependencies/meson.build',
      content: render('dependencies.meson.build.ejs', {
        ...common,
        dependencyTable: dependencyTable(m.dependencies),
      }),
    },
    { path: 'meson.options', content: render('meson.options.ejs', { ...common, ...optionData(m.dependencies) }) },
    { path: 'pyconfig.h.meson', content: m.pyconfigTemplate },
    { path: 'Tools/meson/pyconfig/meson.build', content: renderPyconfigMeson(m.pyconfig, { marker: GENERATED_MARKER, model: m }) },
    { path: 'Tools/meson/cpython_meson.py', content: render('cpython_meson.py.ejs', common) },
    { path: `${m.frozen.headerDir}/meson.build`, content: render('frozen_modules.meson.build.ejs', common) },
    {
      path: 'Modules/meson.build',
      content: render('Modules.meson.build.ejs', {
        ...common,
        setupFiles: [...new Set(m.modules.map((x) => x.origin.replace(/:\d+$/, '')))].sort().join(' and '),
        modules: m.modules.map((mod) => ({ name: mod.name, dict: moduleDict(mod) })),
        bundledTable: bundledTable(m.dependencies),
      }),
    },
  ];
  return files.sort((a, b) => byCodePoint(a.path, b.path));
}

/** Paths inside Modules/ are written relative to Modules/, where Modules/meson.build lives. */
function relModules(p: string): string {
  return p.startsWith('Modules/') ? p.slice('Modules/'.length) : `../${p}`;
}

function moduleDict(mod: ModuleModel): string {
  // Entries sit at column 8 inside `py_modules = {` (meson format's 4-space indent).
  const at = (key: string) => 8 + key.length + 4;
  const entries: [string, string][] = [['sources', strArray(mod.sources.map(relModules), 8, at('sources'))]];
  if (mod.includeDirs.length) entries.push(['include_directories', strArray(mod.includeDirs.map(relModules), 8, at('include_directories'))]);
  if (mod.cArgs.length) entries.push(['c_args', strArray(mod.cArgs, 8, at('c_args'))]);
  if (mod.deps.length) entries.push(['deps', strArray(mod.deps, 8, at('deps'))]);
  if (mod.optionalDeps.length) entries.push(['optional_deps', strArray(mod.optionalDeps, 8, at('optional_deps'))]);
  if (mod.headers.length) entries.push(['headers', strArray(mod.headers, 8, at('headers'))]);
  if (mod.functions.length) entries.push(['functions', strArray(mod.functions, 8, at('functions'))]);
  if (mod.when) entries.push(['when', mod.when]);
  if (mod.kind === 'bootstrap') entries.push(['bootstrap', 'true']);
  if (mod.section === 'shared' || mod.test) entries.push(['shared_only', 'true']);
  if (mod.test) entries.push(['test', 'true']);
  return dict(entries, 4, 4 + mod.name.length + 4);
}

function dependencyTable(deps: DependencyModel[]): string {
  const rows = deps
    .filter((d) => d.names.length > 0)
    .map((d): [string, string] => {
      const e: [string, string][] = [
        ['title', str(d.title)],
        ['names', strArray(d.names, 8, 17)],
        ['version', d.version ? str(d.version) : '[]'],
        ['libraries', strArray(d.fallbackLibraries, 8, 21)],
        ['header', d.fallbackHeader ? str(d.fallbackHeader) : '[]'],
        ['license', str(d.license)],
        ['package', str(d.debianPackage ?? d.title)],
      ];
      if (d.bundled?.systemOption) e.push(['system_option', str(d.bundled.systemOption)]);
      if (d.linkOnly) e.push(['link_only', 'true']);
      return [d.name, dict(e, 4, 4 + d.name.length + 4)];
    });
  return dict(rows, 0, 20);
}

function bundledTable(deps: DependencyModel[]): string {
  const rows = deps
    .filter((d) => d.bundled)
    .map((d): [string, string] => {
      const b = d.bundled!;
      return [
        d.name,
        dict(
          [
            ['sources', strArray(b.sources.map(relModules), 8, 19)],
            ['include_directories', strArray(b.includeDirs.map(relModules), 8, 31)],
            ['c_args', dict(Object.entries(b.cArgs), 8, 22)],
            ['license', str(d.license)],
          ],
          4,
          4 + d.name.length + 4,
        ),
      ];
    });
  return dict(rows, 0, 20);
}

function sourceArgsTable(items: SourceWithArgs[]): string {
  return dict(
    items.map((s): [string, string] => [s.source, dict(s.args.map((a): [string, string] => [a.define, a.value]), 4, 4 + s.source.length + 4)]),
    0,
    22,
  );
}

function optionData(deps: DependencyModel[]) {
  return {
    options: deps.filter((d) => d.names.length > 0).map((d) => ({ name: d.option, description: `${d.title} (${d.license}) for the modules that use it` })),
    systemOptions: deps
      .filter((d) => d.bundled?.systemOption)
      .map((d) => ({
        name: d.bundled!.systemOption!,
        value: d.bundled!.systemDefault,
        description: `Use the system ${d.title} instead of the copy bundled in the checkout`,
      })),
  };
}

