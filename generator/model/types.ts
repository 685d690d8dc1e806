// The build model: scan + manifest merged into one structure, ready to emit. Templates in
// The emitter (generator/emit/) writes it as Meson data files; every decision is made here or in the manifest.
import type { MesonExpr } from '../manifest/types.js';
import type { CPythonVersion, ScannedInput } from '../scan/types.js';
import type { PyconfigModel } from './pyconfig.js';

export interface BuildModel {
  generator: { name: string; version: string };
  version: CPythonVersion;
  /** "3.13" */
  series: string;
  core: CoreModel;
  frozen: FrozenModel;
  pyconfig: PyconfigModel;
  dependencies: DependencyModel[];
  modules: ModuleModel[];
  /** Setup files the modules come from, in makesetup's order. */
  setupFiles: string[];
  /** The checkout's files this model was read from, with their SHA-256 (the scan's, for the staleness guard). */
  inputs: ScannedInput[];
}

export interface SourceWithArgs {
  source: string;
  /** -D<define>="<value>" where value is a Meson expression giving the string. */
  args: { define: string; value: MesonExpr }[];
}

/** A list of sources with the place it was read from, for the emitted comment. */
export interface SourceGroup {
  /** e.g. "PARSER_OBJS" */
  variable: string;
  sources: string[];
}

export interface CoreModel {
  /** Sources of the objects linked into _freeze_module and libpython, grouped by Makefile variable. */
  groups: SourceGroup[];
  /** Sources compiled with extra -D arguments (from explicit Makefile rules), each into its own small library. */
  sourceArgs: SourceWithArgs[];
  /** The same, for sources that need the frozen headers (getpath.c). */
  frozenSourceArgs: SourceWithArgs[];
  /** Objects present only under a setup-time condition. */
  conditional: { source: string; when: MesonExpr; reason: string }[];
  /** Sources of LIBRARY_OBJS that need the frozen headers (getpath.c, frozen.c). */
  frozenDependent: string[];
  /** Makefile.pre.in variable of the core objects (LIBRARY_OBJS_OMIT_FROZEN), for the emitted comment. */
  bootstrapVar: string;
  includeDirs: string[];
  coreArgs: string[];
  /** Flags configure adds when supported: BASECFLAGS and CFLAGS_NODIST. */
  flags: { base: string[]; nodist: string[] };
  programs: { python: string; freezeModule: string; getpathNoop: string };
  systemLibraries: { name: string; dependency?: string; required: boolean; when?: MesonExpr; checks?: boolean; reason: string }[];
  /** Core sources replaced by a stub when a pyconfig.h macro is undefined (the manifest's core.stubs), by source. */
  stubs: { source: string; stub: string; unless: string; reason: string }[];
  /** Arguments per host system (the manifest's core.systemArgs), sorted by system. */
  systemArgs: { system: string; cArgs: string[]; linkArgs: string[]; reason: string }[];
  /** The modules config.c.in already lists (marshal, _imp, ...), for the summary. */
  configCInModules: string[];
  configCIn: string;
}

export interface FrozenModel {
  /** In CPython's order: FROZEN from freeze_modules.py, then the extra ones (getpath). */
  modules: { name: string; source: string; header: string; bootstrap: boolean }[];
  /** Where freeze_modules.py lives, for the emitted comment. */
  origin: string;
  /** Directory (relative to the checkout) whose meson.build writes the headers, e.g. Python/frozen_modules. */
  headerDir: string;
  /**
   * 3.11/3.12: deepfreeze.py run over the frozen headers of `modules` (FROZEN only, in order),
   * writing the C source of LIBRARY_OBJS' DEEPFREEZE_OBJS; null when the series has none.
   */
  deepfreeze: { script: string; output: string; modules: { name: string; header: string }[] } | null;
}

export interface DependencyModel {
  name: string;
  title: string;
  names: string[];
  version: string | null;
  fallbackLibraries: string[];
  fallbackHeader: string | null;
  license: string;
  debianPackage: string | null;
  /** Meson feature option name that controls it. */
  option: string;
  /** Wrap file stem in wraps/ (and <checkout>/subprojects/) that can build it. */
  wrap: string | null;
  linkOnly: boolean;
  /** Copyleft (GPL, not LGPL): left out with -Dgpl=false. */
  gpl: boolean;
  /** Function a -static test program calls under -Dprefer_static=true; null: no check. */
  linkCheck: string | null;
  /** pkg-config names added for static links only. */
  staticExtras: string[];
  /** Our names of dependencies it needs to link; they come before it in BuildModel.dependencies. */
  requires: string[];
  /** Setup-time condition under which it is looked up at all, and why it is not otherwise. */
  only: { when: MesonExpr; reason: string } | null;
  /** A copy bundled in the checkout (expat, libmpdec, HACL*), used unless the system option says otherwise. */
  bundled: {
    /** Boolean option choosing the system library instead; null when there is no system alternative. */
    systemOption: string | null;
    systemDefault: boolean;
    objectsVar: string;
    sources: string[];
    includeDirs: string[];
    cArgs: Record<string, MesonExpr>;
  } | null;
}

export interface ModuleModel {
  name: string;
  /** Sources relative to the checkout root. */
  sources: string[];
  /** Compiler arguments from the Setup line (with $(srcdir) resolved) and the manifest. */
  cArgs: string[];
  /** Include directories relative to the checkout root (from -I words). */
  includeDirs: string[];
  deps: string[];
  /** Dependencies used when found, with the compiler arguments each adds then. */
  optionalDeps: { name: string; cArgs: string[] }[];
  /** A dependency chosen by a combo option's value (readline: GNU readline or libedit). */
  depChoice: { option: string; choices: Record<string, string> } | null;
  headers: string[];
  functions: string[];
  when: MesonExpr | null;
  /** Why the module is missing when `when` does not hold. */
  whenReason: string | null;
  /** 'bootstrap' modules are always built in; 'stdlib' modules follow the extensions option. */
  kind: 'bootstrap' | 'stdlib';
  /** Built in the minimal profile too. */
  minimal: boolean;
  test: boolean;
  /** Why the module stays shared with -Dextensions=builtin (the manifest's sharedOnly), or null. */
  sharedOnly: string | null;
  /** "Modules/Setup.stdlib.in:42" */
  origin: string;
  /** Setup-file section the line sits in ('static', 'shared', ...). */
  section: string;
}
