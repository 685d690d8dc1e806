// What the scanner reads out of a CPython checkout. Every field here comes from a file in the
// checkout; nothing is hand-copied. The manifest (generator/manifest/types.ts) adds what the
// checkout cannot tell, and generator/model merges both into the BuildModel.

/** CPython version as read from Include/patchlevel.h. */
export interface CPythonVersion {
  major: number;
  minor: number;
  micro: number;
  /** 'final', 'alpha', 'beta', 'candidate' (PY_RELEASE_LEVEL). */
  releaseLevel: 'alpha' | 'beta' | 'candidate' | 'final';
  serial: number;
  /** PY_VERSION string, e.g. "3.13.15" or "3.14.0a1+". */
  full: string;
  /** Semver form used to select a manifest, e.g. "3.13.15" or "3.14.0-alpha.1". */
  semver: string;
}

/** One assignment in a Makefile (after joining continuation lines and stripping comments). */
export interface MakeAssignment {
  name: string;
  op: '=' | ':=' | '?=' | '+=';
  value: string;
  /** 1-based line number of the assignment's first line. */
  line: number;
}

/** Makefile.pre.in, parsed: the variable assignments in file order. */
export interface ParsedMakefile {
  file: string;
  assignments: MakeAssignment[];
  /** Final value of each variable (later '=' replace, '+=' append), unexpanded. */
  variables: Record<string, string>;
}

/** A module line of a Setup file (Modules/Setup.bootstrap.in, Modules/Setup.stdlib.in, Modules/Setup). */
export interface SetupModule {
  name: string;
  /** Sources relative to Modules/ as written (e.g. "_io/fileio.c"). */
  sources: string[];
  /** -I, -D, -U and other compiler flags, as written (make variables left unexpanded). */
  cflags: string[];
  /** -l, -L, archives and other linker words, as written. */
  ldflags: string[];
  /** The section the line sits in: 'static', 'shared', 'disabled', or a configure placeholder such as '@MODULE_BUILDTYPE@'. */
  section: string;
  /** The @MODULE_<NAME>_TRUE@ guard in front of the line, if any. */
  guard: string | null;
  /** Words of the form @SUBST@ inside the line (e.g. "@MODULE__CTYPES_MALLOC_CLOSURE@"). */
  substitutions: string[];
  file: string;
  line: number;
}

export interface ParsedSetup {
  file: string;
  modules: SetupModule[];
  /** NAME=value definitions found in the file. */
  variables: Record<string, string>;
}

/** One entry of FROZEN in Tools/{scripts,build}/freeze_modules.py, resolved to files. */
export interface FrozenModule {
  /** Dotted module name, e.g. "importlib._bootstrap" or "__phello__.ham". */
  name: string;
  /** Source file relative to the checkout, e.g. "Lib/importlib/_bootstrap.py". */
  source: string;
  /** Header written by the freezer, relative to the checkout, e.g. "Python/frozen_modules/importlib._bootstrap.h". */
  header: string;
  /** The section of FROZEN it came from ("import system", "stdlib - startup, without site (python -S)", ...). */
  section: string;
  /** True for the modules the C _freeze_module must freeze first (importlib bootstrap set). */
  bootstrap: boolean;
  /** True if this is a package (__init__.py). */
  isPackage: boolean;
  /** Alias entries (e.g. "os.path" -> posixpath) are not separate headers and are not listed here. */
}

/** One macro of pyconfig.h.in. */
export interface PyconfigMacro {
  name: string;
  /** The comment autoheader wrote above the #undef, whitespace-collapsed. */
  comment: string;
  /** What the comment says the macro is about, when it follows an autoconf pattern. */
  kind: PyconfigMacroKind;
  line: number;
}

export type PyconfigMacroKind =
  | { type: 'header'; header: string }
  | { type: 'function'; function: string }
  | { type: 'declaration'; symbol: string }
  | { type: 'member'; aggregate: string; member: string }
  | { type: 'type'; typeName: string }
  | { type: 'sizeof'; typeName: string }
  | { type: 'alignof'; typeName: string }
  | { type: 'library'; library: string }
  | { type: 'other' };

export interface ParsedPyconfigIn {
  file: string;
  macros: PyconfigMacro[];
  /** Raw text, kept for emitting the *.h.meson template. */
  text: string;
}

/** A file the scanner read, with the SHA-256 of its bytes (what Meson's fs.hash(file, 'sha256') gives). */
export interface ScannedInput {
  /** Relative to the checkout root, forward slashes. */
  path: string;
  /** 64 lowercase hex digits. */
  sha256: string;
}

/** Everything read from one checkout. */
export interface ScanResult {
  root: string;
  version: CPythonVersion;
  makefile: ParsedMakefile;
  setup: ParsedSetup[];
  frozen: FrozenModule[];
  pyconfig: ParsedPyconfigIn;
  /** Names of the modules already listed in Modules/config.c.in (marshal, _imp, ...). */
  configCInModules: string[];
  /**
   * Every file the above was read from, in the order read: Include/patchlevel.h, Makefile.pre.in,
   * the Setup files, freeze_modules.py, pyconfig.h.in, config.c.in.
   */
  inputs: ScannedInput[];
}
