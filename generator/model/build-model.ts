// Merges what the scanner read from the checkout with the series manifest into one BuildModel.
import semver from 'semver';
import { CpmError } from '../errors.js';
import { byCodePoint } from '../util/order.js';
import { packageVersion } from '../util/package.js';
import type { Manifest, ModuleSpec } from '../manifest/types.js';
import { expandVariable, objectsToSources } from '../scan/makefile.js';
import type { ScanResult, SetupModule } from '../scan/types.js';
import { buildPyconfigModel } from './pyconfig.js';
import type { BuildModel, CoreModel, DependencyModel, FrozenModel, ModuleModel, SourceGroup } from './types.js';

export const GENERATOR = { name: 'cpython-meson', version: packageVersion() };

export interface ModelResult {
  model: BuildModel;
  warnings: string[];
}

export function buildModel(scan: ScanResult, manifest: Manifest): ModelResult {
  const warnings: string[] = [];
  const core = buildCore(scan, manifest);
  const frozen = buildFrozen(scan, manifest);
  const { model: pyconfig, unaccounted } = buildPyconfigModel(scan.pyconfig, manifest.pyconfig);
  if (unaccounted.length > 0) {
    warnings.push(
      `${scan.pyconfig.file}: ${unaccounted.length} macro(s) not accounted for by the ${manifest.series} manifest (left undefined): ${unaccounted.join(', ')}`,
    );
  }
  const dependencies = buildDependencies(scan, manifest);
  const modules = buildModules(scan, manifest, warnings);
  return {
    model: {
      generator: GENERATOR,
      version: scan.version,
      series: manifest.series,
      core,
      frozen,
      pyconfig,
      dependencies,
      modules,
      setupFiles: manifest.paths.setupFiles,
      inputs: scan.inputs,
    },
    warnings,
  };
}

function buildCore(scan: ScanResult, manifest: Manifest): CoreModel {
  const spec = manifest.core;
  const mf = scan.makefile;
  const opts = { substitutions: spec.substitutions, stopAt: spec.moduleVars };
  const configObject = manifest.paths.configCIn.replace(/\.c\.in$/, '.o');
  const withArgs = new Set(Object.keys(spec.sourceArgs));

  // Group the bootstrap objects by the Makefile variable they come from, in Makefile order.
  const raw = mf.variables[spec.bootstrapObjectsVar];
  if (raw === undefined) {
    throw new CpmError(`expected a ${spec.bootstrapObjectsVar} assignment (named by the ${manifest.series} manifest)`, { file: mf.file });
  }
  // Objects named directly in the variable (not through a sub-variable) form its own group.
  const bootstrapObjects = expandVariable(mf, spec.bootstrapObjectsVar, opts);
  const groups: SourceGroup[] = [];
  const grouped = new Set<string>();
  for (const word of raw.split(/\s+/).filter(Boolean)) {
    const ref = /^\$[({]([A-Za-z0-9_]+)[)}]$/.exec(word)?.[1];
    if (!ref || spec.moduleVars.includes(ref)) continue;
    const objects = expandVariable(mf, ref, opts);
    for (const o of objects) grouped.add(o);
    groups.push({ variable: ref, sources: objectsToSources(objects, spec.sourceOverrides) });
  }
  const loose = bootstrapObjects.filter((o) => !grouped.has(o));
  if (loose.length > 0) groups.unshift({ variable: spec.bootstrapObjectsVar, sources: objectsToSources(loose, spec.sourceOverrides) });
  const bootstrapSet = new Set(bootstrapObjects);
  const frozenDependentObjects = expandVariable(mf, spec.libraryObjectsVar, opts).filter((o) => !bootstrapSet.has(o));
  // deepfreeze.c (3.11/3.12) is written at build time (frozen.deepfreeze), not a file of the checkout.
  const generated = spec.programs.deepfreeze?.output;
  const frozenDependent = objectsToSources(frozenDependentObjects, spec.sourceOverrides).filter((s) => s !== generated);

  const configSource = objectsToSources([configObject], {})[0];
  const sourceArgs = Object.entries(spec.sourceArgs)
    .map(([source, args]) => ({ source, args }))
    .sort((a, b) => byCodePoint(a.source, b.source));
  const inCore = new Set(groups.flatMap((g) => g.sources).concat(frozenDependent));
  for (const { source } of sourceArgs) {
    if (!inCore.has(source)) {
      throw new CpmError(`the ${manifest.series} manifest gives arguments for ${source}, which no object list names`, { file: mf.file });
    }
  }
  for (const g of groups) g.sources = g.sources.filter((s) => s !== configSource && !withArgs.has(s));

  return {
    groups: groups.filter((g) => g.sources.length > 0),
    sourceArgs: sourceArgs.filter((s) => !frozenDependent.includes(s.source)),
    frozenSourceArgs: sourceArgs.filter((s) => frozenDependent.includes(s.source)),
    frozenDependent: frozenDependent.filter((s) => !withArgs.has(s)),
    conditional: spec.conditionalObjects.map((c) => ({ source: c.source, when: c.when, reason: c.reason })),
    bootstrapVar: spec.bootstrapObjectsVar,
    includeDirs: spec.includeDirs,
    coreArgs: spec.coreArgs,
    flags: spec.flags,
    programs: { python: spec.programs.python, freezeModule: spec.programs.freezeModule, getpathNoop: spec.programs.getpathNoop },
    systemLibraries: spec.systemLibraries,
    stubs: (spec.stubs ?? []).map((st) => {
      if (!sourceArgs.some((a) => a.source === st.source)) {
        throw new CpmError(`the ${manifest.series} manifest gives a stub for ${st.source}, which has no entry in core.sourceArgs`, { file: mf.file });
      }
      return { ...st };
    }).sort((a, b) => byCodePoint(a.source, b.source)),
    systemArgs: Object.entries(spec.systemArgs ?? {})
      .map(([system, a]) => ({ system, cArgs: a.cArgs, linkArgs: a.linkArgs, reason: a.reason }))
      .sort((a, b) => byCodePoint(a.system, b.system)),
    configCInModules: scan.configCInModules,
    configCIn: manifest.paths.configCIn,
  };
}

function buildFrozen(scan: ScanResult, manifest: Manifest): FrozenModel {
  const modules = scan.frozen.map((f) => ({ name: f.name, source: f.source, header: f.header, bootstrap: f.bootstrap }));
  const df = manifest.core.programs.deepfreeze;
  const deepfreeze = df ? { ...df, modules: modules.map((f) => ({ name: f.name, header: f.header })) } : null;
  for (const extra of manifest.frozen.extra) modules.push({ ...extra, bootstrap: true });
  return { modules, origin: manifest.paths.freezeModules, headerDir: manifest.frozen.headerDir, deepfreeze };
}

export function buildDependencies(scan: ScanResult, manifest: Manifest): DependencyModel[] {
  const mf = scan.makefile;
  const byName = Object.entries(manifest.dependencies).sort(([a], [b]) => byCodePoint(a, b));
  const models = byName.map(([name, d]): DependencyModel => {
    let bundled: DependencyModel['bundled'] = null;
    if (d.bundled) {
      if (mf.variables[d.bundled.objectsVar] === undefined) {
        throw new CpmError(`expected a ${d.bundled.objectsVar} assignment (the bundled ${d.title} of the ${manifest.series} manifest)`, {
          file: mf.file,
        });
      }
      const objects = expandVariable(mf, d.bundled.objectsVar, { substitutions: manifest.core.substitutions, stopAt: d.bundled.omitVars ?? [] });
      bundled = {
        systemOption: d.bundled.systemOption || null,
        systemDefault: d.bundled.systemDefault,
        objectsVar: d.bundled.objectsVar,
        sources: objectsToSources(objects, {}),
        includeDirs: d.bundled.includeDirs,
        cArgs: d.bundled.cArgs,
      };
    }
    for (const r of d.requires ?? []) {
      if (!manifest.dependencies[r]) {
        throw new CpmError(`the ${manifest.series} manifest: dependency ${name} requires ${r}, which it does not describe`);
      }
    }
    return {
      name,
      title: d.title,
      names: d.names,
      version: d.version ?? null,
      fallbackLibraries: d.fallbackLibraries ?? [],
      fallbackHeader: d.fallbackHeader ?? null,
      license: d.license,
      debianPackage: d.debianPackage ?? null,
      option: name,
      wrap: d.wrap ?? null,
      linkOnly: d.linkOnly ?? false,
      gpl: isCopyleft(d.license),
      linkCheck: d.linkCheck ?? null,
      staticExtras: d.staticExtras ?? [],
      requires: d.requires ?? [],
      only: d.only ?? null,
      bundled,
    };
  });
  return requiresFirst(models);
}

/** GPL in any version, but not LGPL: what -Dgpl=false leaves out. */
export function isCopyleft(license: string): boolean {
  return /(^|[^L])GPL/.test(license);
}

/**
 * Code-point order by name, except that a dependency comes after those it requires (the
 * emitted loop reads their results), so the order is deterministic and usable.
 */
function requiresFirst(deps: DependencyModel[]): DependencyModel[] {
  const byName = new Map(deps.map((d) => [d.name, d]));
  const out: DependencyModel[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (d: DependencyModel, chain: string[]): void => {
    const s = state.get(d.name);
    if (s === 'done') return;
    if (s === 'visiting') throw new CpmError(`dependency cycle in the manifest: ${[...chain, d.name].join(' -> ')}`);
    state.set(d.name, 'visiting');
    for (const r of d.requires) {
      const req = byName.get(r);
      if (req) visit(req, [...chain, d.name]);
    }
    state.set(d.name, 'done');
    out.push(d);
  };
  for (const d of deps) visit(d, []);
  return out;
}

export function buildModules(scan: ScanResult, manifest: Manifest, warnings: string[]): ModuleModel[] {
  const seen = new Map<string, ModuleModel>();
  const archives = new Map<string, string>();
  for (const [name, d] of Object.entries(manifest.dependencies)) if (d.bundled) archives.set(d.bundled.archive, name);

  for (const setup of scan.setup) {
    for (const line of setup.modules) {
      if (seen.has(line.name)) continue; // makesetup: the first rule for a module wins
      if (line.section === 'disabled' || line.section === 'noconfig') continue;
      const spec: ModuleSpec = manifest.modules[line.name] ?? {};
      if (spec.never) continue;
      seen.set(line.name, moduleFromSetup(line, spec, archives, manifest));
    }
  }
  // Modules no Setup file lists whose Setup line the manifest supplies (3.11's setup.py-built ones).
  const origin = `cpython-manifests/${manifest.series}.ts`;
  for (const [name, spec] of Object.entries(manifest.modules)) {
    if (seen.has(name) || spec.never || !spec.sources) continue;
    const line: SetupModule = { name, sources: spec.sources, cflags: [], ldflags: [], section: 'manifest', guard: null, substitutions: [], file: origin, line: 0 };
    seen.set(name, { ...moduleFromSetup(line, spec, archives, manifest), origin });
  }
  for (const [name, spec] of Object.entries(manifest.modules)) {
    if (spec.since !== undefined && semver.valid(spec.since) === null) {
      throw new Error(`the ${manifest.series} manifest: module ${name}: since ${JSON.stringify(spec.since)} is not a version`);
    }
    // A module that arrived later in the series is simply absent from an earlier release.
    const notYet = spec.since !== undefined && semver.lt(scan.version.semver, spec.since);
    if (!seen.has(name) && !spec.never && !notYet) {
      warnings.push(`the ${manifest.series} manifest describes module ${name}, which no Setup file lists (ignored)`);
    }
  }
  return [...seen.values()].sort((a, b) => byCodePoint(a.name, b.name));
}

/**
 * A module's setup-time condition: not on the host systems whose modulesNotOn lists it
 * (configure.ac's PY_STDLIB_MOD_SET_NA), and its own `when`.
 */
function platformCondition(name: string, spec: ModuleSpec, manifest: Manifest): { when: string | null; whenReason: string | null } {
  const notOn = Object.entries(manifest.modulesNotOn ?? {})
    .filter(([, na]) => na.modules.includes(name))
    .sort(([a], [b]) => byCodePoint(a, b));
  if (notOn.length === 0) return { when: spec.when ?? null, whenReason: spec.whenReason ?? null };
  const when = notOn.map(([sys]) => `py_system != '${sys}'`).join(' and ');
  const reason = notOn.map(([, na]) => na.reason).join('; ');
  if (spec.when === undefined) return { when, whenReason: reason };
  return { when: `${when} and (${spec.when})`, whenReason: `${reason}; elsewhere: ${spec.whenReason ?? 'not supported on this platform'}` };
}

function moduleFromSetup(line: SetupModule, spec: ModuleSpec, archives: Map<string, string>, manifest: Manifest): ModuleModel {
  const where = `${line.file}:${line.line}`;
  const cArgs: string[] = [];
  const includeDirs: string[] = [];
  const deps = [...(spec.deps ?? [])];
  const sources = line.sources.map((s) => `Modules/${s}`);

  const words = [...line.cflags, ...(spec.cArgs ?? [])];
  for (const sub of line.substitutions) {
    const value = spec.substitutions?.[sub];
    if (value === undefined) {
      throw new CpmError(`${where}: ${sub} has no value in the ${manifest.series} manifest (modules.${line.name}.substitutions)`, {
        file: line.file,
      });
    }
    for (const w of value.split(/\s+/).filter(Boolean)) (w.endsWith('.c') ? sources : words).push(w.endsWith('.c') ? `Modules/${w}` : w);
  }
  for (const w of words) {
    const resolved = w.replace(/^(-I)?\$\(srcdir\)\//, '$1');
    if (resolved.startsWith('-I')) {
      const dir = resolved.slice(2);
      if (!includeDirs.includes(dir)) includeDirs.push(dir);
    } else if (/\$[({]/.test(resolved)) {
      throw new CpmError(`${where}: cannot resolve make variable in "${w}" for module ${line.name}`, { file: line.file });
    } else if (!cArgs.includes(resolved)) {
      cArgs.push(resolved);
    }
  }
  for (const w of line.ldflags) {
    const archive = w.replace(/^\$\(srcdir\)\//, '');
    const dep = archives.get(archive);
    if (dep) {
      if (!deps.includes(dep)) deps.push(dep);
    } else {
      throw new CpmError(`${where}: linker word "${w}" of module ${line.name} is not a bundled library the manifest knows`, { file: line.file });
    }
  }
  const named = [...deps, ...Object.keys(spec.optionalDeps ?? {}), ...Object.values(spec.depChoice?.choices ?? {})];
  for (const d of named) {
    if (!manifest.dependencies[d]) {
      throw new CpmError(`the ${manifest.series} manifest: module ${line.name} uses dependency ${d}, which it does not describe`);
    }
  }
  const kind = line.section === 'static' ? 'bootstrap' : 'stdlib';
  return {
    name: line.name,
    sources,
    cArgs,
    includeDirs,
    deps,
    optionalDeps: Object.entries(spec.optionalDeps ?? {})
      .map(([name, args]) => ({ name, cArgs: args }))
      .sort((a, b) => byCodePoint(a.name, b.name)),
    depChoice: spec.depChoice ?? null,
    headers: spec.headers ?? [],
    functions: spec.functions ?? [],
    ...platformCondition(line.name, spec, manifest),
    kind,
    minimal: kind === 'bootstrap',
    test: spec.test ?? false,
    sharedOnly: spec.sharedOnly ?? null,
    origin: where,
    section: line.section,
  };
}
