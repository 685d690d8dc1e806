// Emits the Meson project from a BuildModel: each template in meson-templates/ renders one file.
// This module turns model data into Meson literals; templates only loop and place them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import type { BuildModel, DependencyModel, ModuleModel, SourceWithArgs } from '../model/types.js';
import { GENERATED_MARKER, type GeneratedFile } from '../pipeline.js';
import { renderPyconfigMeson } from './pyconfig.js';
import { array, comment, dict, str, strArray } from './meson-syntax.js';

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
  return ejs.render(text, { ...data, str, array, strArray, dict, comment, marker: GENERATED_MARKER }, { filename: file });
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
        dependencyTable: dependencyTable(m.dependencies),
        bundledTable: bundledTable(m.dependencies),
        sourceArgsTable: sourceArgsTable(m.core.sourceArgs),
        frozenSourceArgsTable: sourceArgsTable(m.core.frozenSourceArgs),
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
      }),
    },
  ];
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Paths inside Modules/ are written relative to Modules/, where Modules/meson.build lives. */
function relModules(p: string): string {
  return p.startsWith('Modules/') ? p.slice('Modules/'.length) : `../${p}`;
}

function moduleDict(mod: ModuleModel): string {
  const entries: [string, string][] = [['sources', strArray(mod.sources.map(relModules), 4, 15)]];
  if (mod.includeDirs.length) entries.push(['include_directories', strArray(mod.includeDirs.map(relModules), 4, 27)]);
  if (mod.cArgs.length) entries.push(['c_args', strArray(mod.cArgs, 4, 14)]);
  if (mod.deps.length) entries.push(['deps', strArray(mod.deps, 4, 12)]);
  if (mod.optionalDeps.length) entries.push(['optional_deps', strArray(mod.optionalDeps, 4, 21)]);
  if (mod.when) entries.push(['when', mod.when]);
  if (mod.kind === 'bootstrap') entries.push(['bootstrap', 'true']);
  if (mod.section === 'shared' || mod.test) entries.push(['shared_only', 'true']);
  if (mod.test) entries.push(['test', 'true']);
  return dict(entries, 2, 4 + mod.name.length + 4);
}

function dependencyTable(deps: DependencyModel[]): string {
  const rows = deps
    .filter((d) => d.names.length > 0)
    .map((d): [string, string] => {
      const e: [string, string][] = [
        ['title', str(d.title)],
        ['names', strArray(d.names, 4)],
        ['version', d.version ? str(d.version) : '[]'],
        ['libraries', strArray(d.fallbackLibraries, 4)],
        ['header', d.fallbackHeader ? str(d.fallbackHeader) : '[]'],
        ['license', str(d.license)],
        ['package', str(d.debianPackage ?? d.title)],
      ];
      if (d.bundled?.systemOption) e.push(['system_option', str(d.bundled.systemOption)]);
      return [d.name, dict(e, 4)];
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
            ['sources', `files(${strArray(b.sources, 4, 15)})`],
            ['include_directories', strArray(b.includeDirs, 4, 27)],
            ['c_args', b.cArgs],
            ['license', str(d.license)],
          ],
          2,
        ),
      ];
    });
  return dict(rows, 0, 20);
}

function sourceArgsTable(items: SourceWithArgs[]): string {
  return dict(
    items.map((s): [string, string] => [s.source, dict(s.args.map((a): [string, string] => [a.define, a.value]), 2)]),
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

