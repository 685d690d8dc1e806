// External libraries the stdlib extension modules use, as CPython's configure.ac looks them up
// (pkg-config names and minimum versions from configure.ac's PKG_CHECK_MODULES calls).
// Shared by every series; a series manifest refines entries where a version differs.
//
// Each library is looked up with dependency() (pkg-config, then CMake), then as a plain library
// when it has no .pc file (Debian's bzip2 and gdbm), then, where WrapDB has a port, from the wrap
// of the same name in wraps/ (used when -D<name>=enabled and the system lacks it, or with
// --wrap-mode=forcefallback). `linkCheck` names a function a `-static` test program calls under
// -Dprefer_static=true, so that a library whose archives are incomplete is left out with a
// reason instead of pulling a shared library into python.
import type { DependencySpec } from '../../generator/manifest/types.js';

export const baseDependencies: Record<string, DependencySpec> = {
  zlib: {
    title: 'zlib',
    names: ['zlib'],
    version: '>=1.2.0',
    fallbackLibraries: ['z'],
    fallbackHeader: 'zlib.h',
    wrap: 'zlib',
    license: 'Zlib',
    debianPackage: 'zlib1g-dev',
    linkCheck: 'deflate',
  },
  bzip2: {
    title: 'bzip2',
    names: ['bzip2'],
    fallbackLibraries: ['bz2'],
    fallbackHeader: 'bzlib.h',
    wrap: 'bzip2',
    license: 'bzip2-1.0.6',
    debianPackage: 'libbz2-dev',
    linkCheck: 'BZ2_bzCompress',
  },
  lzma: {
    title: 'liblzma (xz)',
    names: ['liblzma'],
    fallbackLibraries: ['lzma'],
    fallbackHeader: 'lzma.h',
    wrap: 'liblzma',
    license: '0BSD',
    debianPackage: 'liblzma-dev',
    linkCheck: 'lzma_code',
  },
  libffi: {
    title: 'libffi',
    names: ['libffi'],
    fallbackLibraries: ['ffi'],
    fallbackHeader: 'ffi.h',
    wrap: 'libffi',
    license: 'MIT',
    debianPackage: 'libffi-dev',
    linkCheck: 'ffi_call',
  },
  openssl: {
    title: 'OpenSSL',
    names: ['openssl'],
    version: '>=1.1.1',
    wrap: 'openssl',
    license: 'Apache-2.0',
    debianPackage: 'libssl-dev',
    linkCheck: 'SSL_new',
  },
  sqlite3: {
    title: 'SQLite',
    names: ['sqlite3'],
    version: '>=3.15.2',
    fallbackLibraries: ['sqlite3'],
    fallbackHeader: 'sqlite3.h',
    wrap: 'sqlite3',
    license: 'blessing',
    debianPackage: 'libsqlite3-dev',
    linkCheck: 'sqlite3_open_v2',
  },
  ncursesw: {
    title: 'ncursesw',
    linkOnly: true,
    names: ['ncursesw'],
    fallbackLibraries: ['ncursesw'],
    fallbackHeader: 'ncursesw/curses.h',
    license: 'X11',
    debianPackage: 'libncurses-dev',
    linkCheck: 'initscr',
  },
  panelw: {
    title: 'panelw',
    linkOnly: true,
    names: ['panelw'],
    fallbackLibraries: ['panelw'],
    fallbackHeader: 'panel.h',
    license: 'X11',
    debianPackage: 'libncurses-dev',
    linkCheck: 'new_panel',
    requires: ['ncursesw'],
  },
  // The readline module links one of these two (-Dreadline_library); the other is not looked up.
  readline: {
    title: 'GNU readline',
    linkOnly: true,
    names: ['readline'],
    fallbackLibraries: ['readline'],
    fallbackHeader: 'readline/readline.h',
    license: 'GPL-3.0-or-later',
    debianPackage: 'libreadline-dev',
    linkCheck: 'rl_initialize',
    only: { when: "get_option('readline_library') == 'readline'", reason: 'not chosen: -Dreadline_library=editline' },
  },
  edit: {
    title: 'libedit',
    linkOnly: true,
    names: ['libedit'],
    fallbackLibraries: ['edit'],
    fallbackHeader: 'editline/readline.h',
    license: 'BSD-3-Clause',
    debianPackage: 'libedit-dev',
    linkCheck: 'rl_initialize',
    // libedit.pc's Libs.private names -lbsd, not libbsd's own -lmd (which libbsd.a's getentropy,
    // linked when python calls getentropy, needs).
    staticExtras: ['libbsd'],
    only: { when: "get_option('readline_library') == 'editline'", reason: 'not chosen: -Dreadline_library=readline' },
  },
  uuid: {
    title: 'libuuid',
    names: ['uuid'],
    version: '>=2.20',
    fallbackLibraries: ['uuid'],
    fallbackHeader: 'uuid/uuid.h',
    license: 'BSD-3-Clause',
    debianPackage: 'uuid-dev',
    linkCheck: 'uuid_generate_time',
  },
  gdbm: {
    title: 'GNU dbm',
    names: ['gdbm'],
    fallbackLibraries: ['gdbm'],
    fallbackHeader: 'gdbm.h',
    license: 'GPL-3.0-or-later',
    debianPackage: 'libgdbm-dev',
    linkCheck: 'gdbm_open',
  },
  // configure links _dbm with -lgdbm_compat alone (the shared library pulls libgdbm in); a
  // static link needs libgdbm too.
  gdbm_compat: {
    title: 'GNU dbm ndbm compatibility',
    names: ['gdbm_compat'],
    fallbackLibraries: ['gdbm_compat'],
    fallbackHeader: 'gdbm-ndbm.h',
    license: 'GPL-3.0-or-later',
    debianPackage: 'libgdbm-compat-dev',
    linkCheck: 'dbm_open',
    requires: ['gdbm'],
  },
  tcltk: {
    title: 'Tcl/Tk',
    names: ['tk'],
    version: '>=8.5.12',
    license: 'TCL',
    debianPackage: 'tk-dev',
    linkCheck: 'Tk_Init',
    // tk.pc's Libs.private names -lXft -lX11 -lXss -lXext, not what those need in turn (xcb,
    // Xau, Xdmcp, Xrender, fontconfig, freetype, png, brotli): their own .pc files do.
    staticExtras: ['xft', 'x11', 'xext', 'xscrnsaver'],
  },
  expat: {
    title: 'expat',
    names: ['expat'],
    wrap: 'expat',
    license: 'MIT',
    debianPackage: 'libexpat1-dev',
    linkCheck: 'XML_ParserCreate',
    bundled: {
      systemOption: 'system_expat',
      // configure's --with-system-expat defaults to no.
      systemDefault: false,
      objectsVar: 'LIBEXPAT_OBJS',
      archive: 'Modules/expat/libexpat.a',
      includeDirs: ['Modules/expat'],
      // pyexpatns.h gives the bundled copy's symbols a PyExpat_ prefix so that it can share a
      // binary with the system libexpat; 3.13's misses these three. A static python with
      // _tkinter needs that (libfontconfig.a, under Tk's Xft, pulls in libexpat.a).
      cArgs: {
        '-DXML_SetHashSalt16Bytes=PyExpat_XML_SetHashSalt16Bytes': 'true',
        '-Dg_reparseDeferralEnabledDefault=PyExpat_g_reparseDeferralEnabledDefault': 'true',
        '-D_INTERNAL_trim_to_complete_utf8_characters=PyExpat__INTERNAL_trim_to_complete_utf8_characters': 'true',
      },
    },
  },
  mpdecimal: {
    title: 'mpdecimal',
    // WrapDB's mpdecimal wrap provides "mpdec"; the pkg-config file is libmpdec.pc.
    names: ['libmpdec', 'mpdec'],
    version: '>=2.5.0',
    fallbackLibraries: ['mpdec'],
    fallbackHeader: 'mpdecimal.h',
    wrap: 'mpdecimal',
    license: 'BSD-2-Clause',
    debianPackage: 'libmpdec-dev',
    linkCheck: 'mpd_qnew',
    bundled: {
      systemOption: 'system_libmpdec',
      // configure defaults to the system libmpdec from 3.13 on, and falls back to the bundled
      // copy (with a deprecation warning) when there is none.
      systemDefault: true,
      objectsVar: 'LIBMPDEC_OBJS',
      archive: 'Modules/_decimal/libmpdec/libmpdec.a',
      includeDirs: ['Modules/_decimal/libmpdec'],
      // configure.ac's libmpdec_machine: 64-bit with __uint128_t, plain 64-bit, or 32-bit ANSI.
      cArgs: {
        '-DCONFIG_64=1': 'py_sizeof_voidp == 8',
        '-DCONFIG_32=1': 'py_sizeof_voidp == 4',
        '-DANSI=1': 'true',
        '-DHAVE_UINT128_T=1': 'py_sizeof_voidp == 8 and py_have_uint128',
      },
    },
  },
  hacl_sha2: {
    title: 'HACL* SHA-2',
    names: [],
    license: 'MIT',
    bundled: {
      systemOption: '',
      systemDefault: false,
      objectsVar: 'LIBHACL_SHA2_OBJS',
      archive: 'Modules/_hacl/libHacl_Hash_SHA2.a',
      includeDirs: ['Modules/_hacl/include'],
      cArgs: { '-D_BSD_SOURCE': 'true', '-D_DEFAULT_SOURCE': 'true' },
    },
  },
};
