// python-build-standalone's PYTHON.json, format version 8: its field list, and a validator that
// reads a value the way python-build-standalone's own reader does.
//
// Source: github.com/astral-sh/python-build-standalone at commit
// 8a0c6dff5fd725bc65524ed58147e36f9c88d804 (2026-08-21):
//   - src/json.rs: the reader. Every struct is `#[serde(deny_unknown_fields)]`; a field typed
//     Option<T> may be absent or null, every other field is required. Types: String, bool, u64,
//     Vec<T>, HashMap<String, T> / BTreeMap<String, T>.
//   - docs/distributions.rst: the meaning of each field ("version ... Currently 8").
//   - src/validation.rs validate_json(): version must be "8"; python_platform_tag must be the one
//     of the target triple (PLATFORM_TAG_BY_TRIPLE); validate_distribution(): python/PYTHON.json is
//     the archive's first entry, every python_paths value, every object path and every extension's
//     shared_lib is in the archive.
// Only the facts are taken from there (field names, optionality, types, rules); this file is ours.

/** A value's shape, as serde reads it. */
export type Spec =
  | 'string'
  | 'bool'
  | 'u64'
  | { array: Spec }
  | { map: Spec }
  | { struct: string; fields: Record<string, Field> };

export interface Field {
  spec: Spec;
  /** Option<T> in src/json.rs: may be absent or null. */
  optional?: true;
}

const req = (spec: Spec): Field => ({ spec });
const opt = (spec: Spec): Field => ({ spec, optional: true });
const strings: Spec = { array: 'string' };

/** src/json.rs LinkEntry. */
export const LINK_ENTRY: Spec = {
  struct: 'LinkEntry',
  fields: {
    name: req('string'),
    path_static: opt('string'),
    path_dynamic: opt('string'),
    framework: opt('bool'),
    system: opt('bool'),
  },
};

/** src/json.rs PythonBuildExtensionInfo. */
export const EXTENSION_INFO: Spec = {
  struct: 'PythonBuildExtensionInfo',
  fields: {
    in_core: req('bool'),
    init_fn: req('string'),
    licenses: opt(strings),
    license_paths: opt(strings),
    license_public_domain: opt('bool'),
    links: req({ array: LINK_ENTRY }),
    objs: req(strings),
    required: req('bool'),
    static_lib: opt('string'),
    shared_lib: opt('string'),
    variant: req('string'),
  },
};

/** src/json.rs PythonBuildCoreInfo. */
export const CORE_INFO: Spec = {
  struct: 'PythonBuildCoreInfo',
  fields: {
    objs: req(strings),
    links: req({ array: LINK_ENTRY }),
    shared_lib: opt('string'),
    static_lib: opt('string'),
  },
};

/** src/json.rs PythonBuildInfo. */
export const BUILD_INFO: Spec = {
  struct: 'PythonBuildInfo',
  fields: {
    core: req(CORE_INFO),
    extensions: req({ map: { array: EXTENSION_INFO } }),
    inittab_object: req('string'),
    inittab_source: req('string'),
    inittab_cflags: req(strings),
    object_file_format: req('string'),
  },
};

/** src/json.rs PythonJsonMain: the whole file. */
export const PYTHON_JSON: Spec = {
  struct: 'PythonJsonMain',
  fields: {
    apple_sdk_canonical_name: opt('string'),
    apple_sdk_deployment_target: opt('string'),
    apple_sdk_platform: opt('string'),
    apple_sdk_version: opt('string'),
    build_info: req(BUILD_INFO),
    build_options: req('string'),
    crt_features: req(strings),
    libpython_link_mode: req('string'),
    licenses: opt(strings),
    license_path: opt('string'),
    optimizations: req('string'),
    python_abi_tag: opt('string'),
    python_bytecode_magic_number: req('string'),
    python_config_vars: req({ map: 'string' }),
    python_exe: req('string'),
    python_extension_module_loading: req(strings),
    python_implementation_cache_tag: req('string'),
    python_implementation_hex_version: req('u64'),
    python_implementation_name: req('string'),
    python_implementation_version: req(strings),
    python_major_minor_version: req('string'),
    python_paths_abstract: req({ map: 'string' }),
    python_paths: req({ map: 'string' }),
    python_platform_tag: req('string'),
    python_stdlib_platform_config: opt('string'),
    python_stdlib_test_packages: req(strings),
    python_suffixes: req({ map: strings }),
    python_symbol_visibility: req('string'),
    python_tag: req('string'),
    python_version: req('string'),
    target_triple: req('string'),
    run_tests: req('string'),
    tcl_library_path: opt('string'),
    tcl_library_paths: opt(strings),
    version: req('string'),
  },
};

/** The format version python-build-standalone's validator expects (validate_json). */
export const PBS_FORMAT_VERSION = '8';

/** docs/distributions.rst python_suffixes: the keys of the map. */
export const PYTHON_SUFFIX_KEYS = ['bytecode', 'debug_bytecode', 'extension', 'optimized_bytecode', 'source'] as const;

/** src/validation.rs PLATFORM_TAG_BY_TRIPLE (the target triples it knows, and their sysconfig.get_platform()). */
export const PLATFORM_TAG_BY_TRIPLE: Readonly<Record<string, string>> = {
  'aarch64-apple-darwin': 'macosx-11.0-arm64',
  'aarch64-pc-windows-msvc': 'win-arm64',
  'aarch64-unknown-linux-gnu': 'linux-aarch64',
  'aarch64-unknown-linux-musl': 'linux-aarch64',
  'armv7-unknown-linux-gnueabi': 'linux-arm',
  'armv7-unknown-linux-gnueabihf': 'linux-arm',
  'i686-pc-windows-msvc': 'win32',
  'i686-unknown-linux-gnu': 'linux-i686',
  'mips-unknown-linux-gnu': 'linux-mips',
  'mipsel-unknown-linux-gnu': 'linux-mipsel',
  'ppc64le-unknown-linux-gnu': 'linux-powerpc64le',
  'riscv64-unknown-linux-gnu': 'linux-riscv64',
  's390x-unknown-linux-gnu': 'linux-s390x',
  'x86_64-apple-darwin': 'macosx-10.15-x86_64',
  'x86_64-pc-windows-msvc': 'win-amd64',
  'x86_64-unknown-linux-gnu': 'linux-x86_64',
  'x86_64-unknown-linux-musl': 'linux-x86_64',
};

function describe(spec: Spec): string {
  if (typeof spec === 'string') return spec === 'u64' ? 'a non-negative integer' : spec === 'bool' ? 'a boolean' : 'a string';
  if ('array' in spec) return 'an array';
  if ('map' in spec) return 'an object (map)';
  return `an object (${spec.struct})`;
}

/** Errors of `value` against `spec` at `at` (a JSON path), as serde with deny_unknown_fields would find them. */
export function checkSpec(value: unknown, spec: Spec, at: string): string[] {
  const bad = [`${at}: expected ${describe(spec)}, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`];
  if (spec === 'string') return typeof value === 'string' ? [] : bad;
  if (spec === 'bool') return typeof value === 'boolean' ? [] : bad;
  if (spec === 'u64') return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? [] : bad;
  if ('array' in spec) return Array.isArray(value) ? value.flatMap((v, i) => checkSpec(v, spec.array, `${at}[${i}]`)) : bad;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad;
  const obj = value as Record<string, unknown>;
  if ('map' in spec) return Object.entries(obj).flatMap(([k, v]) => checkSpec(v, spec.map, `${at}.${k}`));
  const errors: string[] = [];
  for (const key of Object.keys(obj)) if (!(key in spec.fields)) errors.push(`${at}: unknown field ${JSON.stringify(key)} (${spec.struct} denies unknown fields)`);
  for (const [key, field] of Object.entries(spec.fields)) {
    const v = obj[key];
    if (v === undefined || v === null) {
      if (!field.optional) errors.push(`${at}: missing field ${JSON.stringify(key)}`);
      continue;
    }
    errors.push(...checkSpec(v, field.spec, `${at}.${key}`));
  }
  return errors;
}

/**
 * Everything wrong with a PYTHON.json value for python-build-standalone's reader (src/json.rs) and
 * the content rules of its validate_json that hold for any distribution: version "8", the
 * platform tag of the target triple, the keys of python_suffixes. Empty when it reads.
 */
export function validatePbsPythonJson(value: unknown): string[] {
  const errors = checkSpec(value, PYTHON_JSON, 'PYTHON.json');
  if (errors.length) return errors;
  const json = value as Record<string, unknown>;
  if (json.version !== PBS_FORMAT_VERSION) errors.push(`PYTHON.json.version: expected "${PBS_FORMAT_VERSION}", got ${JSON.stringify(json.version)}`);
  const triple = String(json.target_triple);
  const tag = PLATFORM_TAG_BY_TRIPLE[triple];
  if (tag === undefined) errors.push(`PYTHON.json.target_triple: ${triple} is not a target triple python-build-standalone knows`);
  else if (json.python_platform_tag !== tag) errors.push(`PYTHON.json.python_platform_tag: ${triple} wants ${tag}, got ${String(json.python_platform_tag)}`);
  const suffixes = json.python_suffixes as Record<string, unknown>;
  for (const k of PYTHON_SUFFIX_KEYS) if (!(k in suffixes)) errors.push(`PYTHON.json.python_suffixes: missing ${k}`);
  return errors;
}

/** The paths a PYTHON.json names that must be in the distribution (relative to python/), as validate_distribution checks them. */
export function pathsNamed(json: unknown): string[] {
  const j = json as {
    python_paths: Record<string, string>;
    python_exe: string;
    license_path?: string | null;
    run_tests: string;
    python_stdlib_platform_config?: string | null;
    build_info: {
      core: { objs: string[]; links: { path_static?: string | null; path_dynamic?: string | null }[]; static_lib?: string | null; shared_lib?: string | null };
      inittab_object: string;
      inittab_source: string;
      extensions: Record<string, { objs: string[]; links: { path_static?: string | null; path_dynamic?: string | null }[]; shared_lib?: string | null; static_lib?: string | null; license_paths?: string[] | null }[]>;
    };
  };
  const bi = j.build_info;
  const linkPaths = (links: { path_static?: string | null; path_dynamic?: string | null }[]): string[] => links.flatMap((l) => [l.path_static, l.path_dynamic].filter((p): p is string => typeof p === 'string'));
  const some = (...ps: (string | null | undefined)[]): string[] => ps.filter((p): p is string => typeof p === 'string');
  const out = [
    ...Object.values(j.python_paths),
    j.python_exe,
    j.run_tests,
    ...some(j.license_path, j.python_stdlib_platform_config, bi.core.static_lib, bi.core.shared_lib, bi.inittab_object, bi.inittab_source),
    ...bi.core.objs,
    ...linkPaths(bi.core.links),
  ];
  for (const variants of Object.values(bi.extensions)) {
    for (const e of variants) out.push(...e.objs, ...linkPaths(e.links), ...some(e.shared_lib, e.static_lib), ...(e.license_paths ?? []));
  }
  return [...new Set(out)].sort();
}
