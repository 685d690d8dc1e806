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
    {
      name: 'threads',
      dependency: 'threads',
      required: true,
      when: "host_machine.system() != 'wasi'",
      reason: 'pthreads (not on WASI: configure.ac 4701, posix_threads=stub, HAVE_PTHREAD_STUBS)',
    },
    { name: 'm', required: true, reason: 'libm (LIBM)' },
    { name: 'dl', required: false, reason: 'dlopen (LIBS: -ldl; part of libc on glibc >= 2.34)' },
    { name: 'util', required: false, reason: 'openpty/forkpty (part of libc on glibc >= 2.34)' },
    ...['signal', 'getpid', 'process-clocks'].map((what) => ({
      name: `wasi-emulated-${what}`,
      required: true,
      when: "host_machine.system() == 'wasi'",
      checks: true,
      reason: `WASI: wasi-libc's emulation of ${what === 'signal' ? 'signal()' : what === 'getpid' ? 'getpid()' : 'clock() and times()'} (configure.ac 2485: LIBS)`,
    })),
  ],
  stubs: [
    {
      source: 'Python/dynload_shlib.c',
      stub: 'Python/dynload_stub.c',
      unless: 'HAVE_DLOPEN',
      reason: 'configure.ac 5183: DYNLOADFILE is dynload_stub.o without dlopen() (WASI): no extension module loading',
    },
  ],
  // 3.13: an 8 MiB stack and 20 MiB of initial memory (gh-117645).
  systemArgs: wasiSystemArgs(8388608, 20971520),
};

/**
 * core.systemArgs on WASI: configure.ac's LDFLAGS_NODIST there (the stack size, the stack first in
 * linear memory, the initial memory; `manifest new` reads the numbers from configure.ac), and
 * -Wno-int-conversion as config.site-wasm32-wasi has it (ac_cv_disable_int_conversion).
 */
export function wasiSystemArgs(stackSize: number, initialMemory: number): NonNullable<CoreSpec['systemArgs']> {
  return {
    wasi: {
      cArgs: ['-Wno-int-conversion'],
      linkArgs: [`-Wl,-z,stack-size=${stackSize}`, '-Wl,--stack-first', `-Wl,--initial-memory=${initialMemory}`],
      reason:
        "configure.ac: LDFLAGS_NODIST on WASI (stack size, stack first, initial memory); config.site-wasm32-wasi's ac_cv_disable_int_conversion (WASI's clockid_t is a pointer: an error since clang 15)",
    },
  };
}

/**
 * configure.ac's PY_STDLIB_MOD_SET_NA for WASI (Emscripten|WASI and WASI alone), the lists of
 * 3.11 to 3.15 together: no fork (subprocess, multiprocessing), no terminal or GUI libraries,
 * stub pwd/grp/resource, no file locking or mmap, and no shared modules (the test modules that
 * must be shared). A name a series lacks is ignored.
 */
export const modulesNotOnWasi = {
  modules: [
    '_curses',
    '_curses_panel',
    '_dbm',
    '_gdbm',
    '_multiprocessing',
    '_posixshmem',
    '_posixsubprocess',
    '_scproxy',
    '_tkinter',
    '_interpreters',
    '_interpchannels',
    '_interpqueues',
    '_xxsubinterpreters',
    '_xxinterpchannels',
    'grp',
    'nis',
    'ossaudiodev',
    'pwd',
    'resource',
    'spwd',
    'syslog',
    '_ctypes_test',
    '_testexternalinspection',
    '_testimportmultiple',
    '_testmultiphase',
    '_testsinglephase',
    'fcntl',
    'mmap',
    'termios',
    'xxlimited',
    'xxlimited_35',
    // 3.15
    '_remote_debugging',
    'xxlimited_3_13',
  ],
  reason: 'not on WASI (configure.ac: PY_STDLIB_MOD_SET_NA)',
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
  modulesNotOn: { wasi: modulesNotOnWasi },
};

/** A copy of `record` without the given keys (a series drops what the base has and it lacks). */
export function without<T>(record: Record<string, T>, ...names: string[]): Record<string, T> {
  const drop = new Set(names);
  return Object.fromEntries(Object.entries(record).filter(([k]) => !drop.has(k)));
}
