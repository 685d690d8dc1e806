// What `cpython-meson dist` reads from a configured build directory: Meson's introspection
// (`meson introspect --targets --dependencies --projectinfo --buildoptions --machines`) and
// cpython-meson-dist.json, which the generated meson.build writes at setup time with what the
// introspection does not say (which targets make the core, which target builds which module, the
// libraries each module links and their licenses). Everything is checked as it is read: a
// malformed file is a CpmError naming it, never a crash later on.
import { CpmError } from '../errors.js';

export interface IntroTarget {
  name: string;
  type: string;
  /** Absolute paths of the outputs in the build directory. */
  filename: string[];
  /** Absolute paths of the sources compiled into the target. */
  sources: string[];
  /** Compiler parameters of the target's (first) C source group. */
  parameters: string[];
  /** The link command's parameters (executables and shared modules; static libraries have none). */
  linkParameters: string[];
  /** Names of the dependencies the target uses (internal ones have generated names). */
  dependencies: string[];
  /** Absolute installed paths (under the configured prefix), when installed. */
  installFilename: string[];
}

export interface IntroDependency {
  name: string;
  type: string;
  version: string;
  linkArgs: string[];
}

export interface Introspection {
  targets: IntroTarget[];
  dependencies: IntroDependency[];
  version: string;
  licenses: string[];
  /** Built-in and project options by name (only string, boolean and number values). */
  options: Map<string, string | boolean | number>;
  hostSystem: string;
  hostCpuFamily: string;
  hostCpu: string;
}

export interface DistDependency {
  /** The dependency's name in Meson (and so in the introspection). */
  name: string;
  /** Meson's type_name(): pkgconfig, library, system, internal, ... */
  type: string;
  /** SPDX expression from the manifest ('' if the manifest has none, e.g. libm). */
  license: string;
  /** For a library bundled in the checkout: the static library target that builds it. */
  target: string | null;
}

export interface DistModule {
  kind: 'builtin' | 'shared';
  target: string;
  required: boolean;
  initFn: string;
  /** Keys of DistInfo.dependencies. */
  deps: string[];
}

export interface DistInfo {
  coreTargets: string[];
  mainTarget: string;
  libpythonTarget: string;
  licenses: string[];
  dependencies: Map<string, DistDependency>;
  modules: Map<string, DistModule>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Reader {
  constructor(private readonly file: string) {}
  fail(what: string): never {
    throw new CpmError(what, { file: this.file });
  }
  object(v: Json | undefined, where: string): { [key: string]: Json } {
    return isObject(v) ? v : this.fail(`expected an object at ${where}`);
  }
  array(v: Json | undefined, where: string): Json[] {
    return Array.isArray(v) ? v : this.fail(`expected an array at ${where}`);
  }
  string(v: Json | undefined, where: string): string {
    return typeof v === 'string' ? v : this.fail(`expected a string at ${where}`);
  }
  strings(v: Json | undefined, where: string): string[] {
    return this.array(v, where).map((x, i) => this.string(x, `${where}[${i}]`));
  }
  optionalStrings(v: Json | undefined, where: string): string[] {
    return v === undefined || v === null ? [] : this.strings(v, where);
  }
}

export function parseJson(text: string, file: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw new CpmError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`, { file });
  }
}

/** Parses the output of `meson introspect --targets --dependencies --projectinfo --buildoptions --machines`. */
export function parseIntrospection(text: string, file = 'meson introspect'): Introspection {
  const r = new Reader(file);
  const root = r.object(parseJson(text, file), 'the top level');
  const targets = r.array(root.targets, 'targets').map((t, i): IntroTarget => {
    const o = r.object(t, `targets[${i}]`);
    const groups = r.array(o.target_sources ?? [], `targets[${i}].target_sources`).map((g, j) => r.object(g, `targets[${i}].target_sources[${j}]`));
    const compile = groups.filter((g) => g.language !== undefined);
    return {
      name: r.string(o.name, `targets[${i}].name`),
      type: r.string(o.type, `targets[${i}].type`),
      filename: r.strings(o.filename, `targets[${i}].filename`),
      sources: compile.flatMap((g, j) => [...r.optionalStrings(g.sources, `targets[${i}] sources ${j}`), ...r.optionalStrings(g.generated_sources, `targets[${i}] generated sources ${j}`)]),
      parameters: compile.length ? r.optionalStrings(compile[0]?.parameters, `targets[${i}] parameters`) : [],
      linkParameters: groups.filter((g) => g.linker !== undefined && g.language === undefined).flatMap((g) => r.optionalStrings(g.parameters, `targets[${i}] link parameters`)),
      dependencies: r.optionalStrings(o.dependencies, `targets[${i}].dependencies`),
      installFilename: r.optionalStrings(o.install_filename, `targets[${i}].install_filename`),
    };
  });
  const dependencies = r.array(root.dependencies, 'dependencies').map((d, i): IntroDependency => {
    const o = r.object(d, `dependencies[${i}]`);
    return {
      name: r.string(o.name, `dependencies[${i}].name`),
      type: r.string(o.type, `dependencies[${i}].type`),
      version: typeof o.version === 'string' ? o.version : '',
      linkArgs: r.optionalStrings(o.link_args, `dependencies[${i}].link_args`),
    };
  });
  const info = r.object(root.projectinfo, 'projectinfo');
  const license = info.license;
  const options = new Map<string, string | boolean | number>();
  for (const [i, opt] of r.array(root.buildoptions, 'buildoptions').entries()) {
    const o = r.object(opt, `buildoptions[${i}]`);
    const value = o.value;
    if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') options.set(r.string(o.name, `buildoptions[${i}].name`), value);
  }
  const host = r.object(r.object(root.machines, 'machines').host, 'machines.host');
  return {
    targets,
    dependencies,
    version: r.string(info.version, 'projectinfo.version'),
    licenses: typeof license === 'string' ? [license] : r.optionalStrings(license, 'projectinfo.license'),
    options,
    hostSystem: r.string(host.system, 'machines.host.system'),
    hostCpuFamily: r.string(host.cpu_family, 'machines.host.cpu_family'),
    hostCpu: r.string(host.cpu, 'machines.host.cpu'),
  };
}

/** Parses cpython-meson-dist.json (written by Tools/meson/cpython_meson.py dist-info). */
export function parseDistInfo(text: string, file = 'cpython-meson-dist.json'): DistInfo {
  const r = new Reader(file);
  const root = r.object(parseJson(text, file), 'the top level');
  const dependencies = new Map<string, DistDependency>();
  for (const [key, v] of Object.entries(r.object(root.dependencies, 'dependencies'))) {
    const o = r.object(v, `dependencies.${key}`);
    dependencies.set(key, {
      name: r.string(o.name, `dependencies.${key}.name`),
      type: r.string(o.type, `dependencies.${key}.type`),
      license: r.string(o.license, `dependencies.${key}.license`),
      target: o.target === null || o.target === undefined ? null : r.string(o.target, `dependencies.${key}.target`),
    });
  }
  const modules = new Map<string, DistModule>();
  for (const [name, v] of Object.entries(r.object(root.modules, 'modules'))) {
    const o = r.object(v, `modules.${name}`);
    const kindText = r.string(o.kind, `modules.${name}.kind`);
    const kind = kindText === 'builtin' || kindText === 'shared' ? kindText : r.fail(`modules.${name}.kind: expected builtin or shared, got ${JSON.stringify(kindText)}`);
    const deps = r.strings(o.deps, `modules.${name}.deps`);
    for (const d of deps) if (!dependencies.has(d)) r.fail(`modules.${name}.deps: ${d} is not in dependencies`);
    modules.set(name, {
      kind,
      target: r.string(o.target, `modules.${name}.target`),
      required: o.required === true,
      initFn: r.string(o.init_fn, `modules.${name}.init_fn`),
      deps,
    });
  }
  return {
    coreTargets: r.strings(root.core_targets, 'core_targets'),
    mainTarget: r.string(root.main_target, 'main_target'),
    libpythonTarget: r.string(root.libpython_target, 'libpython_target'),
    licenses: r.strings(root.licenses, 'licenses'),
    dependencies,
    modules,
  };
}
