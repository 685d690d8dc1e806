// What the Setup files cannot say about a module: which dependency or platform check enables it
// (configure.ac's PY_STDLIB_MOD "supported" tests), and configure's MODULE_<NAME>_CFLAGS where they
// do not come from a dependency. Modules absent here build from their Setup line alone.
import type { ModuleSpec } from '../../generator/manifest/types.js';

export const baseModules: Record<string, ModuleSpec> = {
  // Compression, crypto, databases: external libraries.
  zlib: { deps: ['zlib'] },
  // configure's BINASCII_CFLAGS: zlib's crc32 when zlib is there.
  binascii: { optionalDeps: { zlib: ['-DUSE_ZLIB_CRC32'] } },
  _bz2: { deps: ['bzip2'] },
  _lzma: { deps: ['lzma'] },
  _ssl: { deps: ['openssl'] },
  _hashlib: { deps: ['openssl'] },
  _sqlite3: { deps: ['sqlite3'], cArgs: ['-I$(srcdir)/Modules/_sqlite'] },
  _ctypes: { deps: ['libffi'], cArgs: ['-fno-strict-overflow'], substitutions: { '@MODULE__CTYPES_MALLOC_CLOSURE@': '' } },
  _ctypes_test: { deps: ['libffi'], test: true },
  _curses: { deps: ['ncursesw'], cArgs: ['-D_DEFAULT_SOURCE'] },
  _curses_panel: { deps: ['panelw', 'ncursesw'], cArgs: ['-D_DEFAULT_SOURCE'] },
  // GNU readline or libedit, as -Dreadline_library says (pyconfig.h's WITH_EDITLINE follows it).
  readline: {
    depChoice: { option: 'readline_library', choices: { readline: 'readline', editline: 'edit' } },
    cArgs: ['-D_DEFAULT_SOURCE'],
  },
  _uuid: { deps: ['uuid'] },
  _dbm: { deps: ['gdbm_compat'], cArgs: ['-DUSE_GDBM_COMPAT'] },
  _gdbm: { deps: ['gdbm'] },
  // configure.ac: TCLTK_CFLAGS gets -Wno-strict-prototypes (Tcl's headers) and -DWITH_APPINIT=1.
  _tkinter: {
    deps: ['tcltk'],
    cArgs: ['-Wno-strict-prototypes', '-DWITH_APPINIT=1'],
    sharedOnly: 'built in, it would make every python start load Tcl/Tk and X11 (16 libraries) and need them installed',
  },
  _decimal: { deps: ['mpdecimal'] },
  pyexpat: { deps: ['expat'] },
  _elementtree: { deps: ['expat'] },
  _sha2: { deps: ['hacl_sha2'] },
  _md5: { cArgs: ['-I$(srcdir)/Modules/_hacl/internal'] },
  _sha1: { cArgs: ['-I$(srcdir)/Modules/_hacl/internal'] },

  // Modules with platform requirements (configure.ac PY_STDLIB_MOD supported-tests).
  _multiprocessing: { cArgs: ['-I$(srcdir)/Modules/_multiprocessing'], functions: ['sem_unlink'] },
  _posixshmem: { cArgs: ['-I$(srcdir)/Modules/_multiprocessing'], functions: ['shm_open', 'shm_unlink'] },
  fcntl: { headers: ['sys/ioctl.h', 'fcntl.h'] },
  mmap: { headers: ['sys/mman.h', 'sys/stat.h'] },
  _socket: { headers: ['sys/socket.h', 'sys/types.h', 'netinet/in.h'] },
  resource: { headers: ['sys/resource.h'] },
  syslog: { headers: ['syslog.h'] },
  termios: { headers: ['termios.h'] },
  grp: { functions: ['getgrent', 'getgrgid'] },
  pwd: { functions: ['getpwuid'] },
  _scproxy: { never: 'macOS only (SystemConfiguration framework)' },
  _io: { cArgs: ['-I$(srcdir)/Modules/_io'] },

  // CPython's test-suite helpers (configure's TEST_MODULES).
  _testcapi: { test: true },
  _testclinic: { test: true },
  _testclinic_limited: { test: true },
  _testlimitedcapi: { test: true },
  _testinternalcapi: { test: true },
  _testbuffer: { test: true },
  _testimportmultiple: { test: true },
  _testmultiphase: { test: true },
  _testsinglephase: { test: true },
  _testexternalinspection: { test: true },
  xxsubtype: { test: true },
  _xxtestfuzz: { test: true },
  xxlimited: { test: true },
  xxlimited_35: { test: true },
};
