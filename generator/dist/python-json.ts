// PYTHON.json: the description of a distribution in python-build-standalone's format version 8
// (generator/dist/pbs-format.ts has its field list; docs/distribution.md), and cpython-meson.json
// beside it with this project's own facts (the format's reader denies unknown fields). Built from
// Meson's introspection, cpython-meson-dist.json and what the staged interpreter reports about
// itself. Pure: the caller finds the object files and the interpreter's facts, and copies the
// files this module lists.
import path from 'node:path';
import { CpmError } from '../errors.js';
import type { DistInfo, IntroDependency, Introspection, IntroTarget } from './introspect.js';
import { PBS_FORMAT_VERSION } from './pbs-format.js';

/** Version of cpython-meson.json, this project's file beside PYTHON.json. */
export const CPM_JSON_VERSION = '1';

/** What the staged interpreter says about itself (sys, sysconfig, importlib); paths relative to python/. */
export interface RuntimeFacts {
  version: string;
  abiflags: string;
  /** sys.implementation: name, cache_tag, hexversion, version (all as strings). */
  implName: string;
  cacheTag: string;
  hexversion: number;
  implVersion: string[];
  /** sysconfig.get_platform(). */
  platform: string;
  /** importlib.util.MAGIC_NUMBER as hex. */
  magic: string;
  /** importlib.machinery's *_SUFFIXES by the format's keys (bytecode, debug_bytecode, extension, optimized_bytecode, source). */
  suffixes: Record<string, string[]>;
  /** sysconfig.get_paths(), relative to python/ (install/lib/python3.13, ...). */
  paths: Record<string, string>;
  /** sysconfig.get_paths(expand=False). */
  pathsAbstract: Record<string, string>;
  /** sysconfig.get_config_vars(), every value as str(); the install's paths as the configured prefix. */
  configVars: Record<string, string>;
  /** LIBPL relative to python/, when the directory exists. */
  libpl: string | null;
  /** The stdlib packages that hold tests (test, idlelib.idle_test, ...). */
  testPackages: string[];
  builtinModuleNames: string[];
}

export interface Link {
  name: string;
  /** A system library the linker finds itself (-lm, -pthread, a shared library). */
  system?: true;
  /** A static library shipped in the distribution (relative to the python/ directory). */
  path_static?: string;
}

export interface Library {
  /** The manifest's name of the dependency (a meson option of the same name). */
  name: string;
  /** Meson's names for it (pkg-config modules, libraries, ...) as the module's target uses them. */
  meson_names: string[];
  type: string;
  version: string | null;
  license: string | null;
  /** For a library bundled in the CPython checkout: the link name of its archive in build/lib/. */
  bundled_link: string | null;
}

/** build_info.extensions[name][] of format 8 (src/json.rs PythonBuildExtensionInfo). */
export interface ExtensionVariant {
  /** true for the modules of config.c.in's own table, whose objects are core objects. */
  in_core: boolean;
  init_fn: string;
  /** Absent when the license of a library the module links is not known. */
  licenses?: string[];
  links: Link[];
  objs: string[];
  required: boolean;
  static_lib?: string;
  shared_lib?: string;
  variant: 'default';
}

/** PYTHON.json, format version 8 (src/json.rs PythonJsonMain); no other key. */
export interface PythonJson {
  version: string;
  target_triple: string;
  optimizations: string;
  build_options: string;
  python_tag: string;
  python_abi_tag: string;
  python_platform_tag: string;
  python_implementation_cache_tag: string;
  python_implementation_hex_version: number;
  python_implementation_name: string;
  python_implementation_version: string[];
  python_version: string;
  python_major_minor_version: string;
  python_paths: Record<string, string>;
  python_paths_abstract: Record<string, string>;
  python_config_vars: Record<string, string>;
  python_exe: string;
  python_stdlib_platform_config?: string;
  python_stdlib_test_packages: string[];
  python_suffixes: Record<string, string[]>;
  python_bytecode_magic_number: string;
  python_symbol_visibility: string;
  python_extension_module_loading: string[];
  libpython_link_mode: 'static' | 'shared';
  crt_features: string[];
  run_tests: string;
  licenses: string[];
  license_path: string;
  build_info: {
    core: { objs: string[]; links: Link[]; static_lib?: string; shared_lib?: string };
    extensions: Record<string, ExtensionVariant[]>;
    inittab_object: string;
    inittab_source: string;
    inittab_cflags: string[];
    object_file_format: string;
  };
}

/** cpython-meson.json: what this project knows beyond format 8. */
export interface CpmJson {
  version: string;
  generator: string;
  /** The PYTHON.json beside it and its format version. */
  python_json: { path: 'PYTHON.json'; format_version: string };
  /** The --prefix the build was configured with (the installed tree is relocatable). */
  configured_prefix: string;
  /** Meson's host machine and the configure-style names of the platform. */
  host: { system: string; cpu_family: string; cpu: string; host_gnu_type: string; multiarch: string };
  /** Programs/python.c's object (main), to relink an interpreter. */
  main_object: string | null;
  /** target: the module's Meson target; null for a module of the core (config.c.in's own entries). */
  extensions: Record<string, { builtin: boolean; target: string | null; libraries: Library[] }>;
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
  /** crt_features: how the binaries link the C runtime (read from them by the caller). */
  crtFeatures: string[];
  /** The test harness script shipped in the distribution, relative to python/. */
  runTests: string;
  /** _PyImport_Inittab of the build's config.c: module name and init function ("NULL" for builtins, sys). */
  inittab: { name: string; initFn: string }[];
}

/** The entries of _PyImport_Inittab in a config.c: {"name", init_function}. */
export function parseInittab(configC: string): { name: string; initFn: string }[] {
  const start = configC.indexOf('_PyImport_Inittab[]');
  if (start < 0) return [];
  return [...configC.slice(start).matchAll(/\{\s*"([A-Za-z0-9_.]+)"\s*,\s*([A-Za-z0-9_]+)\s*\}/g)].map((m) => ({ name: m[1] ?? '', initFn: m[2] ?? '' }));
}

/** The modules of config.c.in's own table the interpreter cannot initialize without (Python/pylifecycle.c). */
const CORE_REQUIRED = new Set(['builtins', 'sys', '_imp', 'marshal', '_warnings']);

/** python-build-standalone's target triple (Rust's names) for Meson's host machine and MULTIARCH. */
export function targetTriple(system: string, cpuFamily: string, multiarch: string): string {
  if (system === 'darwin') return `${cpuFamily === 'aarch64' ? 'aarch64' : 'x86_64'}-apple-darwin`;
  if (system === 'windows') return `${cpuFamily === 'x86' ? 'i686' : cpuFamily}-pc-windows-msvc`;
  const cpu: Record<string, string> = { x86: 'i686', arm: 'armv7', ppc64: 'ppc64le' };
  const env = /-linux-(.+)$/.exec(multiarch)?.[1];
  if (system === 'linux' && env) return `${cpu[cpuFamily] ?? cpuFamily}-unknown-linux-${env}`;
  return `${cpu[cpuFamily] ?? cpuFamily}-unknown-${system}`;
}

/** build_options of format 8 ("+"-separated: debug, pgo, lto, freethreaded; noopt when none applies). */
export function buildOptions(options: ReadonlyMap<string, string | boolean | number>, configVars: Readonly<Record<string, string>>): string {
  const parts: string[] = [];
  if (configVars.Py_GIL_DISABLED === '1') parts.push('freethreaded');
  if (options.get('pydebug') === true || configVars.Py_DEBUG === '1') parts.push('debug');
  else {
    if (options.get('b_pgo') === 'use') parts.push('pgo');
    if (options.get('b_lto') === true) parts.push('lto');
  }
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'freethreaded')) parts.push('noopt');
  return parts.join('+');
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

export function buildPythonJson(input: DistInput): { json: PythonJson; extra: CpmJson; files: DistFiles } {
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
  // The core's libraries, by the same rule (m, dl, util come from cc.find_library).
  const coreLinks = dedupe(coreDepNames.flatMap((n) => linksOf(linkArgsOf(n), files.copies)));
  const extensions: Record<string, ExtensionVariant[]> = {};
  const extra: CpmJson['extensions'] = {};
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
        links.push({ name: bundled, path_static: dest });
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
        bundled_link: bundled,
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
        bundled_link: null,
      });
    }
    // licenses: those of the libraries the module links; absent when one of them is not known
    // (the format: "If this field is missing, licenses are unknown").
    const allKnown = libraries.every((l) => l.license !== null);
    const licenses = [...new Set(libraries.map((l) => l.license).filter((l): l is string => l !== null))];
    const variant: ExtensionVariant = {
      in_core: false,
      init_fn: mod.initFn,
      ...(allKnown ? { licenses } : {}),
      links: dedupe(links),
      objs: input.objectsOf(t).map(inBuild),
      required: mod.required,
      variant: 'default',
    };
    // A built-in module's target is a static library of its objects (Meson makes it a thin
    // archive, which names the objects by path): the distribution gets a real archive of them.
    if (mod.kind === 'builtin' && t.type === 'static library' && t.filename[0] && variant.objs.length) {
      const dest = `build/lib/libmod-${name}.a`;
      files.archives.set(dest, input.objectsOf(t));
      variant.static_lib = dest;
    }
    const shared = mod.kind === 'shared' ? installed(t) : null;
    if (shared) variant.shared_lib = shared;
    extensions[name] = [variant];
    extra[name] = { builtin: mod.kind === 'builtin', target: t.name, libraries };
  }

  // The modules config.c.in itself lists (marshal, _imp, _ast, builtins, sys, gc, _warnings, ...):
  // built into the core, so in_core, with their objects among core.objs.
  for (const { name, initFn } of input.inittab) {
    if (info.modules.has(name) || extensions[name]) continue;
    extensions[name] = [{ in_core: true, init_fn: initFn, licenses: [], links: [], objs: [], required: CORE_REQUIRED.has(name), variant: 'default' }];
    extra[name] = { builtin: true, target: null, libraries: [] };
  }
  const sortedExtensions = Object.fromEntries(Object.entries(extensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

  const [major, minor] = runtime.version.split('.');
  const nodot = `${major ?? ''}${minor ?? ''}`;
  const cv = runtime.configVars;
  const ldversion = cv.LDVERSION ?? `${major}.${minor}${runtime.abiflags}`;
  const loading = ['builtin'];
  // Shared modules load when the interpreter can dlopen them (HAVE_DYNAMIC_LOADING), built or not.
  if (cv.HAVE_DYNAMIC_LOADING === '1' || [...info.modules.values()].some((m) => m.kind === 'shared')) loading.push('shared-library');
  const libpython = target(info.libpythonTarget, 'libpython');
  const libpythonFile = installed(libpython);
  const sharedLibpython = libpython.type === 'shared library';
  const core: PythonJson['build_info']['core'] = { objs: coreObjs, links: coreLinks };
  if (libpythonFile) core[sharedLibpython ? 'shared_lib' : 'static_lib'] = libpythonFile;
  const options = buildOptions(intro.options, cv);
  const multiarch = cv.MULTIARCH ?? '';
  const json: PythonJson = {
    version: PBS_FORMAT_VERSION,
    target_triple: targetTriple(intro.hostSystem, intro.hostCpuFamily, multiarch),
    optimizations: options.replace(/^freethreaded\+/, ''),
    build_options: options,
    python_tag: `cp${nodot}`,
    python_abi_tag: `cp${nodot}${runtime.abiflags}`,
    python_platform_tag: runtime.platform,
    python_implementation_cache_tag: runtime.cacheTag,
    python_implementation_hex_version: runtime.hexversion,
    python_implementation_name: runtime.implName,
    python_implementation_version: runtime.implVersion,
    python_version: runtime.version,
    python_major_minor_version: `${major}.${minor}`,
    python_paths: runtime.paths,
    python_paths_abstract: runtime.pathsAbstract,
    python_config_vars: cv,
    python_exe: `${rel('scripts')}/python${ldversion}`,
    ...(runtime.libpl ? { python_stdlib_platform_config: runtime.libpl } : {}),
    python_stdlib_test_packages: runtime.testPackages,
    python_suffixes: runtime.suffixes,
    python_bytecode_magic_number: runtime.magic,
    python_symbol_visibility: intro.hostSystem === 'windows' ? 'dllexport' : 'global-default',
    python_extension_module_loading: loading,
    libpython_link_mode: sharedLibpython ? 'shared' : 'static',
    crt_features: input.crtFeatures,
    run_tests: input.runTests,
    licenses: info.licenses.length ? info.licenses : intro.licenses,
    license_path: input.licensePath,
    build_info: {
      core,
      extensions: sortedExtensions,
      inittab_object: inittabObject,
      inittab_source: 'build/config.c',
      inittab_cflags: inittab.parameters.filter((p) => !p.startsWith('-I') && !p.startsWith('-fdiagnostics-color') && p !== '-Winvalid-pch'),
      object_file_format: intro.hostSystem === 'darwin' ? 'mach-o' : intro.hostSystem === 'windows' ? 'coff' : 'elf',
    },
  };
  const cpm: CpmJson = {
    version: CPM_JSON_VERSION,
    generator: input.generator,
    python_json: { path: 'PYTHON.json', format_version: PBS_FORMAT_VERSION },
    configured_prefix: input.prefix,
    host: { system: intro.hostSystem, cpu_family: intro.hostCpuFamily, cpu: intro.hostCpu, host_gnu_type: cv.HOST_GNU_TYPE ?? '', multiarch },
    main_object: mainObject,
    extensions: Object.fromEntries(Object.entries(extra).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
  return { json, extra: cpm, files };
}
