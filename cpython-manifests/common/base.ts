// What every CPython series shares unless its manifest says otherwise. The base describes the
// newest built-and-tested layout (3.13: Tools/build, no deepfreeze, mimalloc, HACL* SHA-2); each
// series manifest (cpython-manifests/<X.Y>.ts) spreads it and states only what differs:
//
//   const manifest: Manifest = { ...baseManifest, series: '3.12', range: ..., status: ...,
//     core: { ...baseManifest.core, includeDirs: [...] } };
//
// `cpython-meson manifest new` writes new series manifests in the same shape.
import type { CoreSpec, FrozenSpec, Manifest, ManifestPaths } from '../../generator/manifest/types.js';
import { baseDependencies } from './dependencies.js';
import { baseModules } from './modules.js';
import { basePyconfig } from './pyconfig.js';

/** Everything of a manifest but its identity (series, range, status). */
export type ManifestBase = Omit<Manifest, 'series' | 'range' | 'status'>;

const paths: ManifestPaths = {
  freezeModules: 'Tools/build/freeze_modules.py',
  setupFiles: ['Modules/Setup.stdlib.in', 'Modules/Setup.bootstrap.in'],
  configCIn: 'Modules/config.c.in',
};

const core: CoreSpec = {
  bootstrapObjectsVar: 'LIBRARY_OBJS_OMIT_FROZEN',
  libraryObjectsVar: 'LIBRARY_OBJS',
  moduleVars: ['MODOBJS'],
  substitutions: {
    DYNLOADFILE: 'dynload_shlib.o',
    LIBOBJS: '',
    MACHDEP_OBJS: '',
    PLATFORM_OBJS: '',
    DTRACE_OBJS: '',
    // Added below as a conditional object: only x86-64 and aarch64 Linux have the trampoline.
    PERF_TRAMPOLINE_OBJ: '',
  },
  conditionalObjects: [
    {
      object: 'Python/asm_trampoline.o',
      source: 'Python/asm_trampoline.S',
      when: "py_system == 'linux' and py_cpu in ['x86_64', 'aarch64']",
      reason: 'configure.ac: perf trampoline support (PERF_TRAMPOLINE_OBJ) on x86-64 and aarch64 Linux',
    },
  ],
  sourceOverrides: {},
  sourceArgs: {
    'Modules/getbuildinfo.c': [
      { define: 'GITVERSION', value: "''" },
      { define: 'GITTAG', value: "''" },
      { define: 'GITBRANCH', value: "''" },
    ],
    'Modules/getpath.c': [
      { define: 'PYTHONPATH', value: "''" },
      { define: 'PREFIX', value: 'py_prefix' },
      { define: 'EXEC_PREFIX', value: 'py_prefix' },
      { define: 'VERSION', value: 'py_version_short' },
      { define: 'VPATH', value: 'py_vpath' },
      { define: 'PLATLIBDIR', value: "get_option('platlibdir')" },
      { define: 'PYTHONFRAMEWORK', value: "''" },
    ],
    'Python/dynload_shlib.c': [{ define: 'SOABI', value: 'py_soabi' }],
    'Python/sysmodule.c': [
      { define: 'ABIFLAGS', value: 'py_abiflags' },
      { define: 'MULTIARCH', value: 'py_multiarch' },
    ],
    'Python/getplatform.c': [{ define: 'PLATFORM', value: 'py_machdep' }],
  },
  includeDirs: ['.', 'Include', 'Include/internal', 'Include/internal/mimalloc', 'Python'],
  coreArgs: ['-DPy_BUILD_CORE'],
  // configure.ac: BASECFLAGS and CFLAGS_NODIST (Makefile: PY_CORE_CFLAGS), when supported.
  flags: {
    base: ['-fno-strict-overflow', '-Wsign-compare'],
    nodist: ['-Wno-unused-parameter', '-Wno-missing-field-initializers', '-Wstrict-prototypes', '-Werror=implicit-function-declaration', '-fvisibility=hidden'],
  },
  programs: {
    python: 'Programs/python.c',
    freezeModule: 'Programs/_freeze_module.c',
    getpathNoop: 'Modules/getpath_noop.c',
    deepfreeze: null,
  },
  systemLibraries: [
    { name: 'threads', dependency: 'threads', required: true, reason: 'pthreads' },
    { name: 'm', required: true, reason: 'libm (LIBM)' },
    { name: 'dl', required: false, reason: 'dlopen (LIBS: -ldl; part of libc on glibc >= 2.34)' },
    { name: 'util', required: false, reason: 'openpty/forkpty (part of libc on glibc >= 2.34)' },
  ],
};

const frozen: FrozenSpec = {
  freezer: 'c-freeze-module',
  extra: [{ name: 'getpath', source: 'Modules/getpath.py', header: 'Python/frozen_modules/getpath.h' }],
  headerDir: 'Python/frozen_modules',
};

export const baseManifest: ManifestBase = {
  paths,
  core,
  frozen,
  pyconfig: basePyconfig,
  dependencies: baseDependencies,
  modules: baseModules,
};

/** A copy of `record` without the given keys (a series drops what the base has and it lacks). */
export function without<T>(record: Record<string, T>, ...names: string[]): Record<string, T> {
  const drop = new Set(names);
  return Object.fromEntries(Object.entries(record).filter(([k]) => !drop.has(k)));
}
