// The typed data model of a per-version manifest (cpython-manifests/*.ts).
//
// A manifest holds only what a checkout cannot tell: which compiler check decides which
// pyconfig.h macro when the macro's name and comment do not say, platform conditions, values of
// configure substitutions, which dependency enables which module, flags. Lists of sources,
// modules, frozen modules and macros always come from the checkout (generator/scan).

/**
 * A Meson expression, evaluated by `meson setup` on the machine that builds. Used for platform
 * conditions and option-derived values so the emitted build stays host-independent,
 * e.g. "host_machine.cpu_family() in ['x86_64', 'aarch64']".
 */
export type MesonExpr = string;

export interface Manifest {
  /** Minor series, e.g. "3.13". */
  series: string;
  /** semver range of the CPython versions this manifest describes, e.g. ">=3.13.0-0 <3.14.0-0". */
  range: string;
  /** Whether this series is built and tested in CI, or only generated from fixtures. */
  status: 'built-and-tested' | 'generated-only';
  paths: ManifestPaths;
  core: CoreSpec;
  frozen: FrozenSpec;
  pyconfig: PyconfigSpec;
  /** External libraries, by our name (e.g. "zlib", "openssl"). */
  dependencies: Record<string, DependencySpec>;
  /** Per-module knowledge the Setup files cannot express, by module name. */
  modules: Record<string, ModuleSpec>;
  /**
   * Modules configure.ac marks not available on a host system (PY_STDLIB_MOD_SET_NA), by
   * Meson's host_machine.system() (e.g. 'wasi'): there the module is reported missing with the
   * reason. Names this checkout lacks are ignored (configure's lists span series).
   */
  modulesNotOn?: Record<string, { modules: string[]; reason: string }>;
}

export interface ManifestPaths {
  /** Tools/build/freeze_modules.py (3.12+) or Tools/scripts/freeze_modules.py (3.11). */
  freezeModules: string;
  /** Setup files read for modules, in makesetup's order (first rule for a module wins). */
  setupFiles: string[];
  configCIn: string;
}

export interface CoreSpec {
  /** Makefile.pre.in variable of the objects linked into _freeze_module (e.g. LIBRARY_OBJS_OMIT_FROZEN). */
  bootstrapObjectsVar: string;
  /** Makefile.pre.in variable of all library objects (e.g. LIBRARY_OBJS); the difference is the frozen-dependent part. */
  libraryObjectsVar: string;
  /** Variables owned by the module step, not expanded into core objects (e.g. MODOBJS). */
  moduleVars: string[];
  /**
   * Values for configure's @NAME@ substitutions and configure-set variables met while expanding
   * the object lists (e.g. DYNLOADFILE -> dynload_shlib.o). Platform-dependent objects use
   * conditionalObjects instead and substitute "".
   */
  substitutions: Record<string, string>;
  /** Objects that only exist under a setup-time condition (e.g. the perf trampoline on x86-64/aarch64 Linux). */
  conditionalObjects: ConditionalObject[];
  /** Sources whose object name does not map to <name>.c (e.g. asm_trampoline.o -> .S). */
  sourceOverrides: Record<string, string>;
  /** Extra C arguments for single sources, from explicit rules in Makefile.pre.in. */
  sourceArgs: Record<string, SourceArg[]>;
  /** Include directories for core objects, relative to the checkout, in order (the build dir comes first). */
  includeDirs: string[];
  /** Compiler arguments for every core object (e.g. -DPy_BUILD_CORE). */
  coreArgs: string[];
  /**
   * Warning and code-generation flags configure adds when the compiler accepts them, to every
   * object of the build (BASECFLAGS) and to CPython's own objects (CFLAGS_NODIST); sysconfig
   * reports them under those names.
   */
  flags: { base: string[]; nodist: string[] };
  programs: {
    python: string;
    freezeModule: string;
    getpathNoop: string;
    /** 3.11/3.12 deepfreeze; null when the series has none. */
    deepfreeze: DeepfreezeSpec | null;
  };
  /** System libraries the core links (name -> why). */
  systemLibraries: SystemLibrary[];
  /**
   * Sources replaced by a stub when a pyconfig.h macro stays undefined, as configure picks
   * DYNLOADFILE: dynload_shlib.c with dlopen(), else dynload_stub.c (WASI).
   */
  stubs?: CoreStub[];
  /**
   * Arguments configure adds on one host system (configure.ac's ac_sys_system cases and the
   * config.site CPython ships for it), by Meson's host_machine.system(): to every C compile
   * (CFLAGS_NODIST) and every link (LDFLAGS_NODIST) of the build.
   */
  systemArgs?: Record<string, { cArgs: string[]; linkArgs: string[]; reason: string }>;
}

export interface CoreStub {
  /** A source of the core, relative to the checkout (e.g. Python/dynload_shlib.c). */
  source: string;
  /** Its replacement when `unless` is undefined (e.g. Python/dynload_stub.c). */
  stub: string;
  /** The pyconfig.h macro the source needs (e.g. HAVE_DLOPEN). */
  unless: string;
  reason: string;
}

export interface ConditionalObject {
  /** Object as Makefile.pre.in spells it (e.g. "Python/asm_trampoline.o"). */
  object: string;
  /** Source file relative to the checkout. */
  source: string;
  /** Setup-time condition; may use py_system and py_cpu (host_machine.system() / cpu_family()). */
  when: MesonExpr;
  /** Where the rule comes from, for the emitted comment. */
  reason: string;
}

/** A -D argument whose value is a Meson expression (e.g. PREFIX from get_option('prefix')). */
export interface SourceArg {
  define: string;
  /** Meson expression producing the C string literal contents; quoted by the emitter. */
  value: MesonExpr;
}

export interface SystemLibrary {
  /** Passed to cc.find_library(); a Meson dependency name when `dependency` is set. */
  name: string;
  dependency?: string;
  required: boolean;
  /** Setup-time condition: looked up only where it holds (e.g. host_machine.system() == 'wasi'). */
  when?: MesonExpr;
  /** Linked by pyconfig's link and run tests too: configure adds it to LIBS before its checks (WASI's emulations). */
  checks?: boolean;
  reason: string;
}

/**
 * 3.11/3.12: deepfreeze.py turns the frozen headers (FROZEN, in order, without the extra ones)
 * into C code that frozen.c refers to. It runs under any Python >= 3.10 (a pure-Python
 * unmarshaller), so the build uses the Python Meson runs with instead of _bootstrap_python.
 */
export interface DeepfreezeSpec {
  /** The script relative to the checkout, e.g. Tools/scripts/deepfreeze.py. */
  script: string;
  /** The object list entry it builds, as a source (Makefile: DEEPFREEZE_OBJS), e.g. Python/deepfreeze/deepfreeze.c. */
  output: string;
}

export interface FrozenSpec {
  /** How the frozen headers are produced: the C freezer for all (3.13+), as PCbuild does. */
  freezer: 'c-freeze-module';
  /** Extra frozen headers not in FROZEN (getpath), frozen with the bootstrap freezer. */
  extra: { name: string; source: string; header: string }[];
  /** Header include directory for frozen headers, relative to build dir. */
  headerDir: string;
}

// ---------------------------------------------------------------------------------------------
// pyconfig.h
//
// Every macro of pyconfig.h.in is decided by a compiler check at `meson setup` time. The check
// follows from autoheader's comment (header, function, declaration, member, type, sizeof,
// alignof, library); the manifest names only the exceptions (`checks`) and the macros left
// undefined on purpose (`undefined`). Emitted checks see a confdefs.h like configure's: the
// fixed values, the option-driven macros and every header found so far, as #define lines.

export interface PyconfigSpec {
  /**
   * The feature-test macros configure defines before its checks (#define lines), the start of
   * every check's prologue. Each `#define NAME VALUE` here also sets NAME in pyconfig.h.
   */
  checkPrefix: string;
  /**
   * The headers of autoconf's AC_INCLUDES_DEFAULT, in its order: checked first, then included
   * (those found) in front of derived header, type, member, declaration and sizeof checks.
   */
  prefixHeaders: string[];
  /**
   * Meson statements run before the checks, laid out as `meson format` does at the top level:
   * the setup-time facts the expressions of `checks` share (pyconfig_* variables), and extra
   * entries of pyconfig_deps (the root's py_deps), the dependency names `deps` can use.
   */
  setup?: string;
  /** Macros whose check cannot be derived from name and comment, or whose derived check is wrong. */
  checks: Record<string, PyconfigCheck>;
  /**
   * The answers of the `runs` checks for cross targets whose programs cannot run at setup (no
   * exe wrapper), like CPython's config.site files: target (PLATFORM_TRIPLET, or
   * <cpu family>-<system> without one, e.g. wasm32-wasi) -> macro -> defined or not. A macro this
   * checkout's pyconfig.h.in lacks is left out; one that is no `runs` check is an error.
   */
  crossAnswers?: Record<string, Record<string, boolean>>;
  /** Macros deliberately left undefined on the platforms we build, with the reason. */
  undefined: Record<string, string>;
  /**
   * What a target's config.site forces, like CPython's Tools/wasm/config.site-wasm32-wasi
   * (ac_cv_func_pipe=no ...) and configure.ac's own cases for that system: macros left
   * undefined there without running their check (the function exists as a stub that fails, or
   * configure turns the feature off), with the reason. Target as meson.build names it
   * (py_cross_target: PLATFORM_TRIPLET, e.g. wasm32-wasi). Macros this checkout's
   * pyconfig.h.in lacks are left out.
   */
  configSite?: Record<string, Record<string, string>>;
}

/**
 * Where a compile-based check gets its includes, and what it builds with. Without `headers` and
 * `prologue` a check uses autoconf's default includes (for a function: none, i.e. autoconf's
 * link test without a declaration); with them, they replace the default includes, as the
 * includes argument of AC_CHECK_HEADERS / AC_CHECK_TYPES / ... does.
 */
export interface PyconfigCheckContext {
  /** Each becomes an `#include <h>` line. */
  headers?: string[];
  /** C text after those includes, e.g. `#ifdef HAVE_SYS_SOCKET_H` blocks copied from configure.ac. */
  prologue?: string;
  /** Names in pyconfig_deps (py_deps and what `setup` adds): the check runs only when all are found, and builds with them. */
  deps?: string[];
  /** Extra compiler arguments. */
  args?: string[];
  why?: string;
}

export type PyconfigCheck =
  /** Always defined to this value (a C token sequence, e.g. "1", "700", "\"3.13\""). */
  | { kind: 'value'; value: string; why: string }
  /**
   * Defined to the value of a Meson expression when `when` holds (e.g. an option). Decided
   * before the checks (and added to their confdefs) unless `needs` names macros: then it is
   * decided after every check, and only when the checks defined all of them.
   */
  | { kind: 'expr'; value: MesonExpr; when?: MesonExpr; quote?: boolean; needs?: string[]; why: string }
  /** Defined to 1 when the function links (with `headers`/`prologue`: and is declared there). */
  | ({ kind: 'function'; function: string } & PyconfigCheckContext)
  /** Defined to 1 when the header compiles. */
  | ({ kind: 'header'; header: string } & PyconfigCheckContext)
  /** Defined to 1 when the header declares the symbol (as a declaration or a macro). */
  | ({ kind: 'header_symbol'; header: string; symbol: string } & PyconfigCheckContext)
  /** Defined to 1 when the symbol is declared with these includes (configure's PY_CHECK_FUNC, AC_CHECK_DECL). */
  | ({ kind: 'declared'; symbol: string } & PyconfigCheckContext)
  /**
   * Defined to 1 when the code compiles / links. The code is the rest of the translation unit
   * after confdefs and the context's includes (no default includes), `main` included.
   */
  | ({ kind: 'compiles' | 'links'; code: string; why: string } & PyconfigCheckContext)
  /**
   * Defined to 1 when the program builds and exits with 0 (configure's AC_RUN_IFELSE). When the
   * host cannot run programs (a cross build without an exe wrapper), the answer comes from the
   * cross file's [properties] (cpython_<macro in lower case>) or PyconfigSpec.crossAnswers.
   */
  | ({ kind: 'runs'; code: string; why: string } & Omit<PyconfigCheckContext, 'deps'>)
  /** Defined to 1 when the given dependency is found. */
  | { kind: 'dependency'; dependency: string; why: string }
  /** Defined to sizeof(type) / alignment of type (0 when the type does not exist, like autoconf). */
  | ({ kind: 'sizeof' | 'alignof'; typeName: string } & PyconfigCheckContext)
  /** Defined to 0 or 1 depending on whether the declaration exists (HAVE_DECL_*). */
  | ({ kind: 'declaration'; symbol: string } & PyconfigCheckContext)
  /** Defined to 1 when the struct member exists. */
  | ({ kind: 'member'; aggregate: string; member: string } & PyconfigCheckContext)
  /** Defined to 1 when the type exists. */
  | ({ kind: 'type'; typeName: string } & PyconfigCheckContext);

// ---------------------------------------------------------------------------------------------
// External dependencies and modules

export interface DependencySpec {
  /** Names passed to dependency(), first found wins (pkg-config / CMake / Meson's built-ins). */
  names: string[];
  version?: string;
  /**
   * When there is no pkg-config file: libraries for cc.find_library() (all must be found) plus a
   * header that must exist.
   */
  fallbackLibraries?: string[];
  fallbackHeader?: string;
  /**
   * Wrap (file stem in wraps/, spelled as WrapDB does) whose [provide] section names one of
   * `names`: the subproject that builds the library when the system lacks it (-D<name>=enabled)
   * or when --wrap-mode=forcefallback / --force-fallback-for asks for it.
   */
  wrap?: string;
  /** SPDX license expression of the library. */
  license: string;
  /** Human name for summaries and errors. */
  title: string;
  /**
   * Use only the library's include directories and link arguments, not its compile arguments
   * (configure strips ncurses' -D_XOPEN_SOURCE=600, which clashes with pyconfig.h).
   */
  linkOnly?: boolean;
  /** Debian package that provides it, named in the "missing" message. */
  debianPackage?: string;
  /** Libraries bundled in the checkout, used unless the matching with_system option says otherwise. */
  bundled?: BundledLibrary;
  /**
   * A function the library exports. With -Dprefer_static=true and built-in extensions, a program
   * calling it must link with `-static` (every library of the chain available as an archive),
   * else the library is left out: python must not need any shared library outside libc.
   */
  linkCheck?: string;
  /**
   * pkg-config names of libraries a static link needs that the library's own .pc file leaves
   * out (tk.pc lists -lXft -lX11 but not what those need); added only with -Dprefer_static=true.
   */
  staticExtras?: string[];
  /** Other dependencies (our names) this one needs to link, e.g. gdbm_compat needs gdbm. */
  requires?: string[];
  /**
   * Looked up only when this setup-time condition holds (e.g. one of two alternative libraries
   * chosen by an option); `reason` says why it is not used otherwise.
   */
  only?: { when: MesonExpr; reason: string };
}

export interface BundledLibrary {
  /**
   * Meson option that switches to the system library (e.g. "system_expat"); "" when there is
   * none. With the option set, the system library (or its wrap) is looked up and the bundled
   * copy is the fallback when it is not found, as configure does for libmpdec.
   */
  systemOption: string;
  /** Default of that option, as configure defaults (3.13: the system libmpdec, expat bundled). */
  systemDefault: boolean;
  /** Makefile.pre.in variable listing the library's objects (e.g. LIBMPDEC_OBJS). */
  objectsVar: string;
  /** The archive make builds from them, as Setup lines and MODULE_*_LDFLAGS name it (e.g. Modules/_hacl/libHacl_Hash_SHA2.a). */
  archive: string;
  /** Include directories relative to the checkout, used by the library and by modules that use it. */
  includeDirs: string[];
  /**
   * The library's compiler arguments, each with the setup-time condition under which it applies
   * ("true" for always). Conditions may use py_system, py_cpu, py_sizeof_voidp, py_have_uint128.
   */
  cArgs: Record<string, MesonExpr>;
  /**
   * Variables inside objectsVar whose objects another bundled library provides, left out so no
   * object is linked twice (3.14: LIBHACL_HMAC_OBJS includes every other HACL* object list).
   */
  omitVars?: string[];
}

export interface ModuleSpec {
  /** Names in `dependencies` that must all be found for the module to build. */
  deps?: string[];
  /**
   * Dependencies used when found, without which the module still builds, each with the compiler
   * arguments it adds then (binascii uses zlib's crc32 with -DUSE_ZLIB_CRC32).
   */
  optionalDeps?: Record<string, string[]>;
  /**
   * A dependency chosen by a combo option: the option's value maps to a name in `dependencies`
   * (the readline module links GNU readline or libedit, -Dreadline_library).
   */
  depChoice?: { option: string; choices: Record<string, string> };
  /** Headers that must all exist (configure.ac's PY_STDLIB_MOD supported-test). */
  headers?: string[];
  /** Functions that must all link (likewise). */
  functions?: string[];
  /** Any other setup-time condition, as a Meson expression. */
  when?: MesonExpr;
  /** Why the module is missing when `when` does not hold, for the setup summary. */
  whenReason?: string;
  /** Extra compiler arguments (configure's MODULE_<NAME>_CFLAGS when not from a dependency). */
  cArgs?: string[];
  /** Values for @SUBST@ words in the module's Setup line. */
  substitutions?: Record<string, string>;
  /** The module is never built on the platforms we support, and why (e.g. _scproxy: macOS only). */
  never?: string;
  /** Test-only module (CPython's test suite imports it; left out of the minimal profile and of installs by option). */
  test?: boolean;
  /**
   * The first release of the series whose Setup files list the module, when it arrived after x.y.0
   * (3.11's _testclinic: 3.11.2). An earlier checkout lacks it without a warning; from this
   * release on, a checkout whose Setup files do not list it is warned about as usual.
   */
  since?: string;
  /**
   * Built as a shared module even with -Dextensions=builtin, and why: linking it into the
   * interpreter would load its libraries at every start (e.g. _tkinter: Tcl/Tk and X11).
   */
  sharedOnly?: string;
  /** The module must be built into libpython (Setup.bootstrap or needed before the import system). */
  builtinOnly?: boolean;
  /**
   * Sources relative to Modules/ for a module no Setup file of the checkout lists (3.11 builds
   * _ctypes, _curses, readline, _dbm ... with setup.py): the manifest supplies its Setup line,
   * built like a Setup.stdlib line. Ignored when a Setup file lists the module.
   */
  sources?: string[];
}
