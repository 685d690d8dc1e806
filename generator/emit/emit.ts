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
import { wrapFiles } from './wraps.js';

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
  // Wrap fallbacks of the dependencies, and our overlays (subprojects/).
  files.push(...wrapFiles(m.dependencies, m.generator.version));
  return files.sort((a, b) => byCodePoint(a.path, b.path));
}

/** Paths inside Modules/ are written relative to Modules/, where Modules/meson.build lives. */
function relModules(p: string): string {
  return p.startsWith('Modules/') ? p.slice('Modules/'.length) : `../${p}`;
}

export function moduleDict(mod: ModuleModel): string {
  // Entries sit at column 8 inside `py_modules = {` (meson format's 4-space indent).
  const at = (key: string) => 8 + key.length + 4;
  const entries: [string, string][] = [['sources', strArray(mod.sources.map(relModules), 8, at('sources'))]];
  if (mod.includeDirs.length) entries.push(['include_directories', strArray(mod.includeDirs.map(relModules), 8, at('include_directories'))]);
  if (mod.cArgs.length) entries.push(['c_args', strArray(mod.cArgs, 8, at('c_args'))]);
  if (mod.deps.length) entries.push(['deps', strArray(mod.deps, 8, at('deps'))]);
  if (mod.optionalDeps.length) {
    entries.push(['optional_deps', strArray(mod.optionalDeps.map((o) => o.name), 8, at('optional_deps'))]);
    const rows = mod.optionalDeps
      .filter((o) => o.cArgs.length > 0)
      .map((o): [string, string] => [o.name, strArray(o.cArgs, 12, 12 + str(o.name).length + 2)]);
    if (rows.length) entries.push(['optional_c_args', dict(rows, 8, at('optional_c_args'))]);
  }
  if (mod.depChoice) {
    const choices = dict(
      Object.entries(mod.depChoice.choices).map(([k, v]): [string, string] => [k, str(v)]),
      12,
      12 + str('choices').length + 2,
    );
    entries.push(['dep_choice', dict([['option', str(mod.depChoice.option)], ['choices', choices]], 8, at('dep_choice'))]);
  }
  if (mod.headers.length) entries.push(['headers', strArray(mod.headers, 8, at('headers'))]);
  if (mod.functions.length) entries.push(['functions', strArray(mod.functions, 8, at('functions'))]);
  if (mod.when) entries.push(['when', mod.when]);
  if (mod.whenReason) entries.push(['when_reason', str(mod.whenReason)]);
  if (mod.kind === 'bootstrap') entries.push(['bootstrap', 'true']);
  if (mod.section === 'shared' || mod.test) entries.push(['shared_only', 'true']);
  if (mod.test) entries.push(['test', 'true']);
  return dict(entries, 4, 4 + mod.name.length + 4);
}

/**
 * The table Tools/meson/dependencies/meson.build loops over: one dict per library with a
 * pkg-config name (bundled-only libraries such as HACL* have none). Optional keys are left out
 * when they do not apply, so the emitted file stays short; the template reads them with get().
 */
export function dependencyTable(deps: DependencyModel[]): string {
  const rows = deps
    .filter((d) => d.names.length > 0)
    .map((d): [string, string] => {
      const e: [string, string][] = [];
      const add = (key: string, value: (column: number) => string): void => {
        e.push([key, value(8 + str(key).length + 2)]);
      };
      add('title', () => str(d.title));
      add('names', (c) => strArray(d.names, 8, c));
      add('version', (c) => strArray(d.version ? [d.version] : [], 8, c));
      add('libraries', (c) => strArray(d.fallbackLibraries, 8, c));
      add('header', () => (d.fallbackHeader ? str(d.fallbackHeader) : '[]'));
      add('license', () => str(d.license));
      add('package', () => str(d.debianPackage ?? d.title));
      if (d.gpl) add('gpl', () => 'true');
      if (d.wrap) add('wrap', () => str(d.wrap ?? ''));
      if (d.bundled?.systemOption) add('system_option', () => str(d.bundled?.systemOption ?? ''));
      if (d.linkOnly) add('link_only', () => 'true');
      if (d.linkCheck) add('link_check', () => str(d.linkCheck ?? ''));
      if (d.staticExtras.length) add('static_extras', (c) => strArray(d.staticExtras, 8, c));
      if (d.requires.length) add('requires', (c) => strArray(d.requires, 8, c));
      if (d.only) {
        const only = d.only;
        add('when', () => only.when);
        add('when_reason', () => str(only.reason));
      }
      return [d.name, dict(e, 4, 4 + str(d.name).length + 2)];
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
        description: `Use the system ${d.title} (or its wrap) instead of the copy bundled in the checkout; the bundled copy remains the fallback`,
      })),
  };
}

