// PYTHON.json: the description of a distribution (docs/distribution.md), built from Meson's
// introspection, cpython-meson-dist.json and what the staged interpreter reports about itself.
// Pure: the caller finds the object files and the interpreter's facts, and copies the files this
// module lists.
import path from 'node:path';
import { CpmError } from '../errors.js';
import type { DistInfo, IntroDependency, Introspection, IntroTarget } from './introspect.js';

/** Version of the PYTHON.json format written here. */
export const PYTHON_JSON_VERSION = '1';

/** What the staged interpreter says about itself (sysconfig and sys), paths relative to the install root. */
export interface RuntimeFacts {
  version: string;
  abiflags: string;
  cacheTag: string;
  /** sysconfig.get_paths() (stdlib, platstdlib, purelib, platlib, include, platinclude, scripts, data). */
  paths: Record<string, string>;
  /** A few sysconfig config vars: SOABI, EXT_SUFFIX, MULTIARCH, HOST_GNU_TYPE, LDLIBRARY, ... */
  configVars: Record<string, string>;
  builtinModuleNames: string[];
}

export interface Link {
  name: string;
  /** A system library the linker finds itself (-lm, -pthread, a shared library). */
  system?: true;
  /** A static library shipped in the distribution (relative to the python/ directory). */
  path_static?: string;
  /** A library bundled in the CPython checkout and built with it. */
  bundled?: true;
}

export interface Library {
  /** The manifest's name of the dependency (a meson option of the same name). */
  name: string;
  /** Meson's names for it (pkg-config modules, libraries, ...) as the module's target uses them. */
  meson_names: string[];
  type: string;
  version: string | null;
  license: string | null;
}

export interface ExtensionVariant {
  variant: 'default';
  builtin: boolean;
  in_core: false;
  required: boolean;
  init_fn: string;
  objs: string[];
  links: Link[];
  libraries: Library[];
  licenses: string[];
  shared_lib: string | null;
}

export interface PythonJson {
  version: string;
  generator: string;
  os: string;
  arch: string;
  target_triple: string;
  python_implementation_name: 'cpython';
  python_version: string;
  python_major_minor_version: string;
  python_tag: string;
  python_abi_tag: string;
  python_cache_tag: string;
  python_soabi: string;
  python_ext_suffix: string;
  python_exe: string;
  python_stdlib: string;
  python_include: string;
  python_paths: Record<string, string>;
  configured_prefix: string;
  libpython_link_mode: 'static';
  python_extension_module_loading: string[];
  licenses: string[];
  license_path: string;
  build_info: {
    object_file_format: string;
    core: { objs: string[]; links: Link[]; static_lib: string | null; shared_lib: null };
    main_object: string | null;
    inittab_object: string;
    inittab_source: string;
    inittab_cflags: string[];
    extensions: Record<string, ExtensionVariant[]>;
  };
}

/** Files the distribution needs beside the staged install, relative to the python/ directory. */
export interface DistFiles {
  /** dest (relative) -> source (absolute): object files, config.c, static libraries. */
  copies: Map<string, string>;
  /** dest (relative) -> objects (absolute): static libraries to create from a bundled library's objects. */
  archives: Map<string, string[]>;
}

export interface DistInput {
  intro: Introspection;
  info: DistInfo;
  buildDir: string;
  /** The configured prefix (the staged install's root is install/). */
  prefix: string;
  /** Object files of a target (absolute paths, sorted). */
  objectsOf: (target: IntroTarget) => string[];
  runtime: RuntimeFacts;
  generator: string;
  /** Where the CPython license is put, relative to python/. */
  licensePath: string;
}

/** The file name of a library without lib prefix and extension: /usr/lib/libssl.a -> ssl. */
function libraryName(file: string): string {
  return path.basename(file).replace(/^lib/, '').replace(/\.(a|so(\.\d+)*|dylib)$/, '');
}

/** Link entries for a dependency's link arguments; static archives are shipped under build/lib/. */
export function linksOf(args: readonly string[], copies: Map<string, string>): Link[] {
  const links: Link[] = [];
  for (const arg of args) {
    if (arg === '-pthread') links.push({ name: 'pthread', system: true });
    else if (arg.startsWith('-l') && arg.length > 2) links.push({ name: arg.slice(2), system: true });
    else if (path.isAbsolute(arg) && arg.endsWith('.a')) {
      const dest = `build/lib/${path.basename(arg)}`;
      copies.set(dest, arg);
      links.push({ name: libraryName(arg), path_static: dest });
    } else if (path.isAbsolute(arg) && /\.so(\.\d+)*$/.test(arg)) links.push({ name: libraryName(arg), system: true });
    // -L, -Wl,... and other flags carry no library.
  }
  return links;
}

function dedupe(links: Link[]): Link[] {
  const seen = new Set<string>();
  return links.filter((l) => {
    const key = JSON.stringify(l);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function buildPythonJson(input: DistInput): { json: PythonJson; files: DistFiles } {
  const { intro, info, buildDir, runtime } = input;
  const files: DistFiles = { copies: new Map(), archives: new Map() };
  const byName = new Map(intro.targets.map((t) => [t.name, t]));
  const depByName = new Map<string, IntroDependency>();
  for (const d of intro.dependencies) if (!depByName.has(d.name)) depByName.set(d.name, d);
  const target = (name: string, what: string): IntroTarget => {
    const t = byName.get(name);
    if (!t) throw new CpmError(`the build has no target ${JSON.stringify(name)} (${what}); reconfigure it with the generated meson.build`, { file: buildDir });
    return t;
  };
  const inBuild = (file: string): string => {
    const rel = path.relative(buildDir, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new CpmError(`object file outside the build directory: ${file}`, { file: buildDir });
    const dest = `build/${rel.split(path.sep).join('/')}`;
    files.copies.set(dest, file);
    return dest;
  };
  const installed = (t: IntroTarget): string | null => {
    const file = t.installFilename[0];
    if (!file) return null;
    const rel = path.relative(input.prefix, file);
    return rel.startsWith('..') || path.isAbsolute(rel) ? null : `install/${rel.split(path.sep).join('/')}`;
  };
  const rel = (key: string): string => {
    const p = runtime.paths[key];
    if (p === undefined) throw new CpmError(`the staged interpreter reported no sysconfig path ${key}`, { file: buildDir });
    return p;
  };

  // Core: the core targets and libpython's own objects, except the inittab (config.c).
  const configC = path.join(buildDir, 'config.c');
  const coreTargets = [...info.coreTargets.map((n) => target(n, 'core')), target(info.libpythonTarget, 'libpython')];
  const inittab = coreTargets.find((t) => t.sources.includes(configC));
  if (!inittab) throw new CpmError('no core target compiles config.c (the inittab)', { file: buildDir });
  const coreObjs = coreTargets.filter((t) => t !== inittab).flatMap((t) => input.objectsOf(t).map(inBuild));
  const inittabObject = input.objectsOf(inittab).map(inBuild)[0];
  if (!inittabObject) throw new CpmError(`target ${inittab.name} has no object file; build it first (ninja -C ${buildDir})`, { file: buildDir });
  files.copies.set('build/config.c', configC);
  const internal = new Set(intro.dependencies.filter((d) => d.type === 'internal').map((d) => d.name));
  const coreDepNames = [...new Set(coreTargets.filter((t) => info.coreTargets.includes(t.name)).flatMap((t) => t.dependencies))].filter((n) => !internal.has(n));
  const coreLinks = dedupe(coreDepNames.flatMap((n) => linksOf(depByName.get(n)?.linkArgs ?? [], files.copies)));
  const main = target(info.mainTarget, 'the interpreter');
  const mainObject = input.objectsOf(main).map(inBuild)[0] ?? null;

  // Extension modules: their objects, the libraries of their dependencies and the licenses.
  // A library found by cc.find_library has no name in cpython-meson-dist.json (Meson < 1.5 cannot
  // tell it) and often no entry in the introspected dependencies: its name is the one the module's
  // target uses that nothing else explains, and its archive is the one the interpreter links.
  const coreNames = new Set(coreDepNames);
  const generated = (n: string): boolean => internal.has(n) || /^dep\d+$/.test(n);
  const linkArgsOf = (name: string): string[] => {
    const dep = depByName.get(name);
    if (dep && dep.linkArgs.length) return dep.linkArgs;
    const archive = main.linkParameters.find((p) => path.isAbsolute(p) && [`lib${name}.a`, `lib${name}.so`].includes(path.basename(p)));
    return archive ? [archive] : [`-l${name}`];
  };
  const extensions: Record<string, ExtensionVariant[]> = {};
  for (const [name, mod] of [...info.modules].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const t = target(mod.target, `module ${name}`);
    const links: Link[] = [];
    const libraries: Library[] = [];
    const claimed = new Set<string>();
    const known = (n: string): boolean => n !== '' && (depByName.has(n) || t.dependencies.includes(n));
    // The names the target uses for a dependency: its own, else what nothing else explains (all
    // of it for an internal dependency that gathers several, as tcltk does).
    const resolve = (key: string, given: string, type: string): string[] => {
      for (const n of [given, key, key.replace(/^lib/, '')]) if (known(n) && !generated(n)) return [n];
      const left = [...new Set(t.dependencies)].filter((n) => !coreNames.has(n) && !generated(n) && !claimed.has(n));
      return left.length === 1 || type === 'internal' ? left : [];
    };
    for (const key of mod.deps) {
      const dep = info.dependencies.get(key);
      if (!dep) continue;
      const bundled = dep.target !== null && byName.has(dep.target) ? dep.target : null;
      let names = [dep.name || key];
      if (bundled) {
        const dest = `build/lib/lib${bundled}.a`;
        files.archives.set(dest, input.objectsOf(target(bundled, `bundled ${key}`)));
        links.push({ name: bundled, path_static: dest, bundled: true });
      } else {
        names = resolve(key, dep.name, dep.type);
        for (const n of names) {
          claimed.add(n);
          links.push(...linksOf(linkArgsOf(n), files.copies));
        }
      }
      const found = bundled || names.length !== 1 ? undefined : depByName.get(names[0] ?? '');
      libraries.push({
        name: key,
        meson_names: names,
        type: bundled ? 'bundled' : dep.type,
        version: found && found.version !== '' && found.version !== 'unknown' ? found.version : null,
        license: dep.license === '' ? null : dep.license,
      });
    }
    // A library the target uses that cpython-meson-dist.json does not list for the module (a
    // selection it does not know about): named from the introspection, licensed by name.
    for (const n of new Set(t.dependencies)) {
      if (coreNames.has(n) || generated(n) || claimed.has(n)) continue;
      claimed.add(n);
      const entry = [...info.dependencies].find(([key, d]) => d.name === n || key === n || key.replace(/^lib/, '') === n);
      links.push(...linksOf(linkArgsOf(n), files.copies));
      const found = depByName.get(n);
      libraries.push({
        name: entry ? entry[0] : n,
        meson_names: [n],
        type: found?.type ?? entry?.[1].type ?? 'library',
        version: found && found.version !== '' && found.version !== 'unknown' ? found.version : null,
        license: entry && entry[1].license !== '' ? entry[1].license : null,
      });
    }
    const licenses = [...new Set(libraries.map((l) => l.license).filter((l): l is string => l !== null))];
    extensions[name] = [
      {
        variant: 'default',
        builtin: mod.kind === 'builtin',
        in_core: false,
        required: mod.required,
        init_fn: mod.initFn,
        objs: input.objectsOf(t).map(inBuild),
        links: dedupe(links),
        libraries,
        licenses,
        shared_lib: mod.kind === 'shared' ? installed(t) : null,
      },
    ];
  }

  const [major, minor] = runtime.version.split('.');
  const nodot = `${major ?? ''}${minor ?? ''}`;
  const ldversion = runtime.configVars.LDVERSION ?? `${major}.${minor}${runtime.abiflags}`;
  const loading = ['builtin'];
  if ([...info.modules.values()].some((m) => m.kind === 'shared')) loading.push('shared-library');
  const json: PythonJson = {
    version: PYTHON_JSON_VERSION,
    generator: input.generator,
    os: intro.hostSystem,
    arch: intro.hostCpuFamily,
    target_triple: runtime.configVars.HOST_GNU_TYPE ?? `${intro.hostCpu}-unknown-${intro.hostSystem}`,
    python_implementation_name: 'cpython',
    python_version: runtime.version,
    python_major_minor_version: `${major}.${minor}`,
    python_tag: `cp${nodot}`,
    python_abi_tag: `cp${nodot}${runtime.abiflags}`,
    python_cache_tag: runtime.cacheTag,
    python_soabi: runtime.configVars.SOABI ?? '',
    python_ext_suffix: runtime.configVars.EXT_SUFFIX ?? '',
    python_exe: `${rel('scripts')}/python${ldversion}`,
    python_stdlib: rel('stdlib'),
    python_include: rel('include'),
    python_paths: runtime.paths,
    configured_prefix: input.prefix,
    libpython_link_mode: 'static',
    python_extension_module_loading: loading,
    licenses: info.licenses.length ? info.licenses : intro.licenses,
    license_path: input.licensePath,
    build_info: {
      object_file_format: intro.hostSystem === 'darwin' ? 'mach-o' : intro.hostSystem === 'windows' ? 'coff' : 'elf',
      core: { objs: coreObjs, links: coreLinks, static_lib: installed(target(info.libpythonTarget, 'libpython')), shared_lib: null },
      main_object: mainObject,
      inittab_object: inittabObject,
      inittab_source: 'build/config.c',
      inittab_cflags: inittab.parameters.filter((p) => !p.startsWith('-I') && !p.startsWith('-fdiagnostics-color') && p !== '-Winvalid-pch'),
      extensions,
    },
  };
  return { json, files };
}
