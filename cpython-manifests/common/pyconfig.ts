// pyconfig.h: the exceptions. Most macros of pyconfig.h.in need nothing here, because their
// check follows from autoheader's comment (generator/model/pyconfig.ts): HAVE_SYS_FOO_H is a
// header check, HAVE_FOO a function link test, SIZEOF_X a sizeof, and so on. This table holds
// what configure.ac decides otherwise, written the way configure.ac does it (line numbers are
// those of CPython 3.13's configure.ac), and the macros left undefined on purpose.
//
// Checks run at `meson setup` on the machine that builds, so nothing here is a result: a value is
// either configure's default for an option, or the same for every platform we build.
import type { PyconfigCheck, PyconfigSpec } from '../../generator/manifest/types.js';
import { crossAnswers } from './cross.js';

/** AC_LANG_PROGRAM: a main() around the body. */
function program(body: string): string {
  const lines = body
    .trim()
    .split('\n')
    .map((l) => `    ${l.trim()}`);
  return `int main(void)\n{\n${lines.join('\n')}\n    return 0;\n}\n`;
}

/** configure.ac's _CURSES_INCLUDES (ncurses exposes WINDOW's fields with NCURSES_OPAQUE 0). */
const CURSES_INCLUDES = `#define NCURSES_OPAQUE 0
#if defined(HAVE_NCURSESW_NCURSES_H)
#  include <ncursesw/ncurses.h>
#elif defined(HAVE_NCURSESW_CURSES_H)
#  include <ncursesw/curses.h>
#elif defined(HAVE_NCURSES_NCURSES_H)
#  include <ncurses/ncurses.h>
#elif defined(HAVE_NCURSES_CURSES_H)
#  include <ncurses/curses.h>
#elif defined(HAVE_NCURSES_H)
#  include <ncurses.h>
#elif defined(HAVE_CURSES_H)
#  include <curses.h>
#endif
`;

/** configure.ac's readline_includes (WITH_EDITLINE is decided before the checks). */
const READLINE_INCLUDES = `#include <stdio.h> /* Must be first for Gnu Readline */
#ifdef WITH_EDITLINE
# include <editline/readline.h>
#else
# include <readline/readline.h>
# include <readline/history.h>
#endif
`;

/** PY_CHECK_SOCKET_FUNC's includes. */
const SOCKET_HEADERS = ['sys/types.h', 'sys/socket.h', 'netinet/in.h', 'arpa/inet.h'];

const SYS_SOCKET = `#ifdef HAVE_SYS_SOCKET_H
#include <sys/socket.h>
#endif
`;

/** A function configure.ac checks with PY_CHECK_FUNC: it must be declared by these includes. */
function declaredFunction(fn: string, headers: string[], prologue?: string): PyconfigCheck {
  const why = 'configure.ac: PY_CHECK_FUNC, the function must be declared (its address is taken).';
  return prologue === undefined ? { kind: 'function', function: fn, headers, why } : { kind: 'function', function: fn, headers, prologue, why };
}

const curses = (symbol: string): PyconfigCheck => ({
  kind: 'declared',
  symbol,
  prologue: CURSES_INCLUDES,
  deps: ['ncursesw'],
  why: 'configure.ac 6954: PY_CHECK_CURSES_FUNC, declared by the curses header.',
});

const readlineDecl = (symbol: string): PyconfigCheck => ({
  kind: 'declared',
  symbol,
  prologue: READLINE_INCLUDES,
  deps: ['readline_impl'],
  why: 'configure.ac 6547-6626: checked against the line-editing library the readline module uses.',
});

const readlineVar = (symbol: string): PyconfigCheck => ({
  kind: 'function',
  function: symbol,
  prologue: READLINE_INCLUDES,
  deps: ['readline_impl'],
  why: 'configure.ac 6547-6626: checked against the line-editing library the readline module uses.',
});

/**
 * A function in libc, or in the library `dep` names (configure's AC_SEARCH_LIBS, or AC_CHECK_LIB
 * as a fallback); a not-found dependency adds nothing, so the check then looks at libc alone.
 */
function inLibcOr(fn: string, dep: string, why: string): PyconfigCheck {
  return { kind: 'expr', value: '1', when: `cc.has_function('${fn}', dependencies: pyconfig_deps['${dep}'])`, why };
}

const RTLD = ['RTLD_LAZY', 'RTLD_NOW', 'RTLD_GLOBAL', 'RTLD_LOCAL', 'RTLD_NODELETE', 'RTLD_NOLOAD', 'RTLD_DEEPBIND', 'RTLD_MEMBER'];

const SOCKET_FUNCS = ['inet_aton', 'inet_ntoa', 'inet_pton', 'getpeername', 'getsockname', 'accept', 'bind', 'connect', 'listen', 'recvfrom', 'sendto', 'setsockopt', 'socket'];
const NETDB_FUNCS = ['hstrerror', 'getservbyname', 'getservbyport', 'gethostbyname', 'gethostbyaddr', 'getprotobyname'];
const UNISTD_FUNCS = ['chroot', 'link', 'symlink', 'fchdir', 'fsync', 'fdatasync', 'getpagesize'];
const CURSES_FUNCS = ['is_pad', 'is_term_resized', 'resize_term', 'resizeterm', 'immedok', 'syncok', 'wchgat', 'filter', 'has_key', 'typeahead', 'use_env', 'set_escdelay', 'set_tabsize'];

const fromEntries = (entries: [string, PyconfigCheck][]): Record<string, PyconfigCheck> => Object.fromEntries(entries);

export const basePyconfig: PyconfigSpec = {
  crossAnswers,
  // configure.ac 259-271 (_NETBSD_SOURCE, __BSD_VISIBLE, _DARWIN_C_SOURCE), 876-887 (X/Open 7 and
  // POSIX.1-2008 where define_xopen_source is yes: every platform we build), 1069
  // (AC_USE_SYSTEM_EXTENSIONS), 3156 (large files), 4617 (_REENTRANT with POSIX threads).
  checkPrefix: `
#define _NETBSD_SOURCE 1
#define __BSD_VISIBLE 1
#define _DARWIN_C_SOURCE 1
#define _XOPEN_SOURCE 700
#define _XOPEN_SOURCE_EXTENDED 1
#define _POSIX_C_SOURCE 200809L
#define _ALL_SOURCE 1
#define _GNU_SOURCE 1
#define _HPUX_ALT_XOPEN_SOCKET_API 1
#define _OPENBSD_SOURCE 1
#define _POSIX_PTHREAD_SEMANTICS 1
#define _TANDEM_SOURCE 1
#define __EXTENSIONS__ 1
#define __STDC_WANT_IEC_60559_ATTRIBS_EXT__ 1
#define __STDC_WANT_IEC_60559_BFP_EXT__ 1
#define __STDC_WANT_IEC_60559_DFP_EXT__ 1
#define __STDC_WANT_IEC_60559_FUNCS_EXT__ 1
#define __STDC_WANT_IEC_60559_TYPES_EXT__ 1
#define __STDC_WANT_LIB_EXT2__ 1
#define __STDC_WANT_MATH_SPEC_FUNCS__ 1
#define _LARGEFILE_SOURCE 1
#define _FILE_OFFSET_BITS 64
#define _REENTRANT 1
`,
  // autoconf 2.71's AC_INCLUDES_DEFAULT.
  prefixHeaders: ['stdio.h', 'stdlib.h', 'string.h', 'inttypes.h', 'stdint.h', 'strings.h', 'sys/types.h', 'sys/stat.h', 'unistd.h'],
  setup: `
pyconfig_not_found = dependency('', required: false)
# The line-editing library the readline module links (configure.ac 6468: --with-readline).
pyconfig_rl = py_readline_impl == 'editline' ? 'edit' : py_readline_impl
pyconfig_deps += {'readline_impl': py_deps.get(pyconfig_rl, pyconfig_not_found)}
# configure's AC_SEARCH_LIBS fallback for shm_open() (configure.ac 7383).
pyconfig_deps += {'librt': cc.find_library('rt', required: false)}
# Libraries only some series look up (3.11: _crypt and nis).
pyconfig_deps += {'libcrypt': py_deps.get('libcrypt', pyconfig_not_found)}
pyconfig_deps += {'libnsl': py_deps.get('libnsl', pyconfig_not_found)}
# PLATFORM_TRIPLET ends in -linux-gnu: Linux with glibc.
pyconfig_glibc = cc.has_header_symbol('limits.h', '__GLIBC__')
pyconfig_gnu = host_machine.system() == 'linux' and pyconfig_glibc
# PEP 11 support tiers of <cpu>-linux-gnu by compiler (configure.ac 1173).
pyconfig_tiers = {
    'x86_64 little gcc': 1,
    'x86_64 little clang': 2,
    'aarch64 little gcc': 2,
    'aarch64 little clang': 2,
    'ppc64 little gcc': 2,
    'ppc64 little clang': 3,
    'arm little gcc': 3,
    's390x big gcc': 3,
}
pyconfig_target = host_machine.cpu_family() + ' ' + host_machine.endian()
pyconfig_tier = pyconfig_tiers.get(pyconfig_target + ' ' + cc.get_id(), 0)
# Debug builds also load extensions built for the release ABI (configure.ac 6330).
pyconfig_nodot = py_version_short.replace('.', '')
pyconfig_alt_soabi = py_soabi.replace(
    pyconfig_nodot + py_abiflags,
    pyconfig_nodot + py_abiflags.replace('d', ''),
)
`,
  checks: {
    // ---- Constants and configure's defaults for options the Meson build does not offer.
    STDC_HEADERS: { kind: 'value', value: '1', why: 'configure.ac 3023: always defined (C99 headers).' },
    RETSIGTYPE: { kind: 'value', value: 'void', why: 'configure.ac 3173: always void.' },
    SYS_SELECT_WITH_SYS_TIME: { kind: 'value', value: '1', why: 'configure.ac 5655: always defined, no longer used.' },
    HAVE_PROTOTYPES: { kind: 'value', value: '1', why: 'configure.ac 5864: any C11 compiler has prototypes.' },
    HAVE_STDARG_PROTOTYPES: { kind: 'value', value: '1', why: '3.11 configure.ac 5233: any C11 compiler has them.' },
    PY_FORMAT_SIZE_T: { kind: 'value', value: '"z"', why: '3.11 configure.ac 6241: C99 printf has %zd.' },
    _PYTHONFRAMEWORK: { kind: 'value', value: '""', why: 'configure.ac 695: no macOS framework.' },
    WITH_DOC_STRINGS: { kind: 'value', value: '1', why: 'configure.ac 4954: --with-doc-strings, default yes.' },
    WITH_FREELISTS: { kind: 'value', value: '1', why: 'configure.ac 5061: --with-freelists, default yes.' },
    PY_COERCE_C_LOCALE: { kind: 'value', value: '1', why: 'configure.ac 5078: --with-c-locale-coercion, default yes.' },
    WITH_DECIMAL_CONTEXTVAR: { kind: 'value', value: '1', why: 'configure.ac 4231: --with-decimal-contextvar, default yes.' },
    PY_SSL_DEFAULT_CIPHERS: { kind: 'value', value: '1', why: "configure.ac 7552: --with-ssl-default-suites, default python (Python's selection)." },
    PY_BUILTIN_HASHLIB_HASHES: {
      kind: 'value',
      value: '"md5,sha1,sha2,sha3,blake2"',
      why: 'configure.ac 7560: --with-builtin-hashlib-hashes, default all.',
    },

    // ---- Options and platform facts known at setup time.
    // WASI (configure.ac 2481-2486): wasi-libc's emulations, before any check (configure adds
    // _WASI_EMULATED_SIGNAL to confdefs.h at once), with their libraries (core.systemLibraries).
    ...fromEntries(
      (
        [
          ['_WASI_EMULATED_SIGNAL', '2482: signal() and raise()'],
          ['_WASI_EMULATED_GETPID', '2483: getpid()'],
          ['_WASI_EMULATED_PROCESS_CLOCKS', '2484: clock() and times()'],
        ] as const
      ).map(([macro, what]): [string, PyconfigCheck] => [
        macro,
        { kind: 'expr', value: '1', when: "host_machine.system() == 'wasi'", why: `configure.ac ${what} emulated by wasi-libc on WASI.` },
      ]),
    ),
    HAVE_PTHREAD_STUBS: {
      kind: 'expr',
      value: '1',
      when: "host_machine.system() == 'wasi'",
      why: "configure.ac 4701, 4769: WASI has no threads; CPython's pthread stubs (Include/cpython/pthread_stubs.h) stand in.",
    },
    Py_DEBUG: { kind: 'expr', value: '1', when: 'py_pydebug', why: 'configure.ac 1759: --with-pydebug (the pydebug option).' },
    Py_GIL_DISABLED: {
      kind: 'expr',
      value: '1',
      when: 'py_free_threading',
      why: 'configure.ac 1743: --disable-gil (the free_threading option, 3.13 and later).',
    },
    Py_TRACE_REFS: { kind: 'expr', value: '1', when: 'py_trace_refs', why: 'configure.ac 1777: --with-trace-refs (the trace_refs option).' },
    WITH_PYMALLOC: {
      kind: 'expr',
      value: '1',
      when: 'py_with_pymalloc',
      why: 'configure.ac 5041: --with-pymalloc (the pymalloc option, default yes), off with --with-address-sanitizer or --with-memory-sanitizer.',
    },
    Py_ENABLE_SHARED: { kind: 'expr', value: '1', when: 'py_shared', why: 'configure.ac 1542: --enable-shared (a shared libpython).' },
    ALT_SOABI: {
      kind: 'expr',
      value: 'pyconfig_alt_soabi',
      when: 'py_pydebug',
      quote: true,
      why: 'configure.ac 6330: debug builds also load release extensions (SOABI without the d flag).',
    },
    WITH_EDITLINE: {
      kind: 'expr',
      value: '1',
      when: "py_readline_impl == 'editline' and py_deps['edit'].found()",
      why: 'configure.ac 6509: the readline module builds against libedit.',
    },
    WITH_MIMALLOC: {
      kind: 'expr',
      value: '1',
      when: 'py_with_mimalloc',
      needs: ['HAVE_STD_ATOMIC'],
      why: 'configure.ac 5016: --with-mimalloc (default yes) needs C11 stdatomic.h.',
    },
    HAVE_DYNAMIC_LOADING: {
      kind: 'expr',
      value: '1',
      needs: ['HAVE_DLOPEN'],
      why: 'configure.ac 5200: dynload_shlib.c is used when dlopen() exists.',
    },
    PY_SUPPORT_TIER: {
      kind: 'expr',
      value: 'pyconfig_gnu ? pyconfig_tier : 0',
      why: 'configure.ac 1173: PEP 11 tier of <cpu>-linux-gnu with gcc or clang (0: unsupported).',
    },
    PY_HAVE_PERF_TRAMPOLINE: {
      kind: 'expr',
      value: '1',
      when: "pyconfig_gnu and host_machine.cpu_family() in ['x86_64', 'aarch64']",
      why: 'configure.ac 3740: x86_64-linux-gnu and aarch64-linux-gnu have the perf trampoline.',
    },
    ANDROID_API_LEVEL: {
      kind: 'expr',
      value: "cc.get_define('__ANDROID_API__')",
      when: "cc.get_define('__ANDROID__') != ''",
      why: 'configure.ac 1222: the API level the compiler targets on Android.',
    },
    // CPython 3.11+ requires IEEE 754 doubles; their byte order is the machine's.
    DOUBLE_IS_LITTLE_ENDIAN_IEEE754: { kind: 'expr', value: '1', when: "host_machine.endian() == 'little'", why: 'configure.ac 6027: AX_C_FLOAT_WORDS_BIGENDIAN.' },
    DOUBLE_IS_BIG_ENDIAN_IEEE754: { kind: 'expr', value: '1', when: "host_machine.endian() == 'big'", why: 'configure.ac 6027: AX_C_FLOAT_WORDS_BIGENDIAN.' },
    WORDS_BIGENDIAN: { kind: 'expr', value: '1', when: "host_machine.endian() == 'big'", why: 'configure.ac 6301: AC_C_BIGENDIAN.' },
    FLOAT_WORDS_BIGENDIAN: { kind: 'expr', value: '1', when: "host_machine.endian() == 'big'", why: '3.11 configure.ac 5396: AX_C_FLOAT_WORDS_BIGENDIAN.' },
    HAVE_DEV_PTMX: {
      kind: 'expr',
      value: '1',
      when: "host_machine.system() == 'linux' or import('fs').exists('/dev/ptmx')",
      why: 'configure.ac 7056: AC_CHECK_FILE (on the build machine); Linux always has it.',
    },
    HAVE_LCHMOD: {
      kind: 'function',
      function: 'lchmod',
      prologue: '#ifdef __linux__\n#error "lchmod() only fails on Linux"\n#endif\n',
      why: "configure.ac 5273: forced off on Linux, where glibc's lchmod() only fails.",
    },
    HAVE_OPENPTY: inLibcOr('openpty', 'libutil', 'configure.ac 5555: in libc or libutil.'),
    HAVE_FORKPTY: inLibcOr('forkpty', 'libutil', 'configure.ac 5563: in libc or libutil.'),
    HAVE_LOGIN_TTY: inLibcOr('login_tty', 'libutil', 'configure.ac 5560: in libc or libutil.'),
    HAVE_SHM_OPEN: inLibcOr('shm_open', 'librt', 'configure.ac 7383: in libc or librt.'),
    HAVE_SHM_UNLINK: inLibcOr('shm_unlink', 'librt', 'configure.ac 7383: in libc or librt.'),
    HAVE_CRYPT_R: inLibcOr('crypt_r', 'libcrypt', '3.11 configure.ac 4911: in libc or libcrypt (libxcrypt).'),
    HAVE_LIBREADLINE: {
      kind: 'expr',
      value: '1',
      when: "pyconfig_deps['readline_impl'].found()",
      why: '3.11 configure.ac 5852: the readline module can be built.',
    },
    WITH_LIBINTL: {
      kind: 'expr',
      value: '1',
      when: "cc.find_library('intl', required: false).found()",
      why: 'configure.ac 3917: textdomain() comes from a separate libintl (not on glibc).',
    },
    // ---- Headers configure checks another way.
    HAVE_WCHAR_H: { kind: 'header', header: 'wchar.h', why: 'configure.ac 6236: AC_CHECK_HEADER.' },
    TIME_WITH_SYS_TIME: { kind: 'header', header: 'sys/time.h', why: '3.11 configure.ac 5137: defined when <sys/time.h> exists.' },
    HAVE_RPC_RPC_H: { kind: 'header', header: 'rpc/rpc.h', deps: ['libnsl'], why: "3.11 configure.ac 3773: with libnsl's flags (libtirpc)." },
    MAJOR_IN_MKDEV: { kind: 'header', header: 'sys/mkdev.h', why: 'configure.ac 3042: AC_HEADER_MAJOR.' },
    MAJOR_IN_SYSMACROS: { kind: 'header', header: 'sys/sysmacros.h', why: 'configure.ac 3042: AC_HEADER_MAJOR.' },
    HAVE_NET_IF_H: {
      kind: 'header',
      header: 'net/if.h',
      headers: ['stdio.h', 'stdlib.h', 'stddef.h'],
      prologue: SYS_SOCKET,
      why: 'configure.ac 3052: on Darwin net/if.h needs sys/socket.h first.',
    },
    ...fromEntries(
      ['linux/netlink.h', 'netlink/netlink.h', 'linux/qrtr.h'].map((h) => [
        `HAVE_${h.toUpperCase().replace(/[/.]/g, '_')}`,
        {
          kind: 'header',
          header: h,
          prologue: `#ifdef HAVE_ASM_TYPES_H\n#include <asm/types.h>\n#endif\n${SYS_SOCKET}`,
          why: 'configure.ac 3063-3080: netlink and qrtr headers need asm/types.h and sys/socket.h.',
        },
      ]),
    ),
    ...fromEntries(
      ['linux/vm_sockets.h', 'linux/can.h', 'linux/can/bcm.h', 'linux/can/j1939.h', 'linux/can/raw.h', 'netcan/can.h'].map((h) => [
        `HAVE_${h.toUpperCase().replace(/[/.]/g, '_')}`,
        { kind: 'header', header: h, prologue: SYS_SOCKET, why: 'configure.ac 3082-3097: socket family headers need sys/socket.h.' },
      ]),
    ),

    // ---- Functions configure.ac requires to be declared (PY_CHECK_FUNC), or checks its own way.
    ...fromEntries(UNISTD_FUNCS.map((f) => [`HAVE_${f.toUpperCase()}`, declaredFunction(f, ['unistd.h'])])),
    ...fromEntries(NETDB_FUNCS.map((f) => [`HAVE_${f.toUpperCase()}`, declaredFunction(f, ['netdb.h'])])),
    ...fromEntries(SOCKET_FUNCS.map((f) => [`HAVE_${f.toUpperCase()}`, declaredFunction(f, SOCKET_HEADERS)])),
    HAVE_CTERMID_R: declaredFunction('ctermid_r', ['stdio.h']),
    HAVE_EPOLL: declaredFunction('epoll_create', ['sys/epoll.h']),
    HAVE_EPOLL_CREATE1: declaredFunction('epoll_create1', ['sys/epoll.h']),
    HAVE_KQUEUE: declaredFunction('kqueue', ['sys/types.h', 'sys/event.h']),
    HAVE_PRLIMIT: declaredFunction('prlimit', ['sys/time.h', 'sys/resource.h']),
    HAVE_DYLD_SHARED_CACHE_CONTAINS_PATH: declaredFunction('_dyld_shared_cache_contains_path', ['mach-o/dyld.h']),
    HAVE_MEMFD_CREATE: declaredFunction(
      'memfd_create',
      [],
      '#ifdef HAVE_SYS_MMAN_H\n#include <sys/mman.h>\n#endif\n#ifdef HAVE_SYS_MEMFD_H\n#include <sys/memfd.h>\n#endif\n',
    ),
    HAVE_EVENTFD: declaredFunction('eventfd', [], '#ifdef HAVE_SYS_EVENTFD_H\n#include <sys/eventfd.h>\n#endif\n'),
    HAVE_TIMERFD_CREATE: declaredFunction('timerfd_create', [], '#ifdef HAVE_SYS_TIMERFD_H\n#include <sys/timerfd.h>\n#endif\n'),
    HAVE_SETGROUPS: declaredFunction('setgroups', ['unistd.h'], '#ifdef HAVE_GRP_H\n#include <grp.h>\n#endif\n'),
    HAVE_SOCKETPAIR: declaredFunction('socketpair', ['sys/types.h', 'sys/socket.h']),
    HAVE_GETHOSTBYNAME_R: {
      kind: 'function',
      function: 'gethostbyname_r',
      why: 'configure.ac 5891: AC_CHECK_FUNC, then the number of arguments below.',
    },
    HAVE_DIRFD: { kind: 'declared', symbol: 'dirfd', headers: ['sys/types.h', 'dirent.h'], why: 'configure.ac 5294: a function or a macro.' },
    HAVE_MAXLOGNAME: { kind: 'declared', symbol: 'MAXLOGNAME', headers: ['sys/param.h'], why: 'configure.ac 5542: AC_CHECK_DECL.' },
    HAVE_UT_NAMESIZE: { kind: 'declared', symbol: 'UT_NAMESIZE', headers: ['utmp.h'], why: 'configure.ac 5547: AC_CHECK_DECLS.' },

    // ---- Declarations, types, sizes and members with configure's includes.
    ...fromEntries(RTLD.map((s) => [`HAVE_DECL_${s}`, { kind: 'declaration', symbol: s, headers: ['dlfcn.h'], why: 'configure.ac 6213.' }])),
    HAVE_DECL_UT_NAMESIZE: { kind: 'declaration', symbol: 'UT_NAMESIZE', headers: ['utmp.h'], why: 'configure.ac 5547.' },
    HAVE_CLOCK_T: { kind: 'type', typeName: 'clock_t', headers: ['time.h'], why: 'configure.ac 3099.' },
    HAVE_SOCKLEN_T: {
      kind: 'type',
      typeName: 'socklen_t',
      prologue: `#ifdef HAVE_SYS_TYPES_H\n#include <sys/types.h>\n#endif\n${SYS_SOCKET}`,
      why: 'configure.ac 7071.',
    },
    HAVE_GCC_UINT128_T: { kind: 'type', typeName: '__uint128_t', why: 'configure.ac 3178: set with HAVE___UINT128_T.' },
    HAVE_SSIZE_T: { kind: 'type', typeName: 'ssize_t', why: 'configure.ac 3177 (3.11 words its comment differently).' },
    SIZEOF_OFF_T: { kind: 'sizeof', typeName: 'off_t', prologue: '#ifdef HAVE_SYS_TYPES_H\n#include <sys/types.h>\n#endif\n', why: 'configure.ac 3204.' },
    SIZEOF_TIME_T: {
      kind: 'sizeof',
      typeName: 'time_t',
      prologue: '#ifdef HAVE_SYS_TYPES_H\n#include <sys/types.h>\n#endif\n#ifdef HAVE_TIME_H\n#include <time.h>\n#endif\n',
      why: 'configure.ac 3232.',
    },
    SIZEOF_PTHREAD_T: { kind: 'sizeof', typeName: 'pthread_t', prologue: '#ifdef HAVE_PTHREAD_H\n#include <pthread.h>\n#endif\n', why: 'configure.ac 3257.' },
    SIZEOF_PTHREAD_KEY_T: { kind: 'sizeof', typeName: 'pthread_key_t', headers: ['pthread.h'], why: 'configure.ac 3266.' },
    SIZEOF_WCHAR_T: { kind: 'sizeof', typeName: 'wchar_t', headers: ['wchar.h'], why: 'configure.ac 6247.' },
    HAVE_STRUCT_PASSWD_PW_GECOS: { kind: 'member', aggregate: 'struct passwd', member: 'pw_gecos', headers: ['sys/types.h', 'pwd.h'], why: 'configure.ac 5802.' },
    HAVE_STRUCT_PASSWD_PW_PASSWD: { kind: 'member', aggregate: 'struct passwd', member: 'pw_passwd', headers: ['sys/types.h', 'pwd.h'], why: 'configure.ac 5802.' },
    HAVE_SIGINFO_T_SI_BAND: { kind: 'member', aggregate: 'siginfo_t', member: 'si_band', headers: ['signal.h'], why: 'configure.ac 5807.' },
    HAVE_STRUCT_TM_TM_ZONE: { kind: 'member', aggregate: 'struct tm', member: 'tm_zone', headers: ['sys/types.h', 'time.h'], why: 'configure.ac 5795: AC_STRUCT_TIMEZONE.' },
    HAVE_TM_ZONE: { kind: 'member', aggregate: 'struct tm', member: 'tm_zone', headers: ['sys/types.h', 'time.h'], why: 'configure.ac 5795: AC_STRUCT_TIMEZONE.' },

    // ---- Test programs configure.ac compiles, links or runs.
    ENABLE_IPV6: {
      kind: 'compiles',
      headers: ['sys/types.h', 'sys/socket.h', 'netinet/in.h'],
      code: program('int domain = AF_INET6;\nstruct sockaddr_in6 x;\n(void)domain;\n(void)x.sin6_scope_id;'),
      why: 'configure.ac 4773-4825: AF_INET6 and the RFC 2553 API (--enable-ipv6 when supported).',
    },
    HAVE_LINUX_CAN_RAW_FD_FRAMES: {
      kind: 'compiles',
      headers: ['linux/can/raw.h'],
      code: program('int can_raw_fd_frames = CAN_RAW_FD_FRAMES;\n(void)can_raw_fd_frames;'),
      why: 'configure.ac 4920.',
    },
    HAVE_LINUX_CAN_RAW_JOIN_FILTERS: {
      kind: 'compiles',
      headers: ['linux/can/raw.h'],
      code: program('int can_raw_join_filters = CAN_RAW_JOIN_FILTERS;\n(void)can_raw_join_filters;'),
      why: 'configure.ac 4932.',
    },
    HAVE_STD_ATOMIC: {
      kind: 'links',
      headers: ['stdatomic.h'],
      code: `atomic_int int_var;
atomic_uintptr_t uintptr_var;
int main(void)
{
    atomic_store_explicit(&int_var, 5, memory_order_relaxed);
    atomic_store_explicit(&uintptr_var, 0, memory_order_relaxed);
    int loaded_value = atomic_load_explicit(&int_var, memory_order_seq_cst);
    (void)loaded_value;
    return 0;
}
`,
      why: 'configure.ac 4963: C11 atomics (mimalloc needs them).',
    },
    HAVE_BUILTIN_ATOMIC: {
      kind: 'links',
      code: `int val;
int main(void)
{
    __atomic_store_n(&val, 1, __ATOMIC_SEQ_CST);
    (void)__atomic_load_n(&val, __ATOMIC_SEQ_CST);
    return 0;
}
`,
      why: 'configure.ac 4984.',
    },
    HAVE_MAKEDEV: {
      kind: 'links',
      prologue: '#if defined(MAJOR_IN_MKDEV)\n#include <sys/mkdev.h>\n#elif defined(MAJOR_IN_SYSMACROS)\n#include <sys/sysmacros.h>\n#else\n#include <sys/types.h>\n#endif\n',
      code: program('makedev(0, 0);'),
      why: 'configure.ac 3105: a macro, or a function.',
    },
    HAVE_DEVICE_MACROS: {
      kind: 'links',
      prologue:
        '#if defined(MAJOR_IN_MKDEV)\n#include <sys/mkdev.h>\n#elif defined(MAJOR_IN_SYSMACROS)\n#include <sys/types.h>\n#include <sys/sysmacros.h>\n#else\n#include <sys/types.h>\n#endif\n',
      code: program('makedev(major(0), minor(0));'),
      why: 'configure.ac 5637.',
    },
    HAVE_HTOLE64: {
      kind: 'links',
      prologue: '#ifdef HAVE_ENDIAN_H\n#include <endian.h>\n#elif defined(HAVE_SYS_ENDIAN_H)\n#include <sys/endian.h>\n#endif\n',
      code: program('le64toh(1);'),
      why: 'configure.ac 3123: le64toh() and friends.',
    },
    HAVE_GETADDRINFO: {
      kind: 'links',
      headers: ['sys/types.h', 'sys/socket.h', 'netdb.h', 'stdio.h'],
      code: program('getaddrinfo(NULL, NULL, NULL, NULL);'),
      why: "configure.ac 5663-5787: links; its run-time check for a buggy getaddrinfo targets systems long gone (and it assumes 'buggy' when cross-compiling).",
    },
    HAVE_ADDRINFO: { kind: 'compiles', headers: ['netdb.h'], code: program('struct addrinfo a;\n(void)a;'), why: 'configure.ac 5818.' },
    HAVE_SOCKADDR_STORAGE: {
      kind: 'compiles',
      headers: ['sys/types.h', 'sys/socket.h'],
      code: program('struct sockaddr_storage s;\n(void)s;'),
      why: 'configure.ac 5827.',
    },
    HAVE_SOCKADDR_ALG: {
      kind: 'compiles',
      headers: ['sys/types.h', 'sys/socket.h', 'linux/if_alg.h'],
      code: program('struct sockaddr_alg s;\n(void)s;'),
      why: 'configure.ac 5838.',
    },
    HAVE_SOCKADDR_SA_LEN: {
      kind: 'compiles',
      headers: ['sys/types.h', 'sys/socket.h'],
      code: program('struct sockaddr x;\nx.sa_len = 0;'),
      why: 'configure.ac 5880: BSD sockaddr.',
    },
    HAVE_ALTZONE: { kind: 'compiles', headers: ['time.h'], code: program('return altzone;'), why: 'configure.ac 5809.' },
    HAVE_STAT_TV_NSEC: { kind: 'compiles', headers: ['sys/stat.h'], code: program('struct stat st;\nst.st_mtim.tv_nsec = 1;'), why: 'configure.ac 6772.' },
    HAVE_STAT_TV_NSEC2: { kind: 'compiles', headers: ['sys/stat.h'], code: program('struct stat st;\nst.st_mtimespec.tv_nsec = 1;'), why: 'configure.ac 6786.' },
    HAVE_GETHOSTBYNAME_R_6_ARG: {
      kind: 'compiles',
      headers: ['netdb.h'],
      code: program(`char *name = "";
struct hostent *he = 0, *res;
char buffer[2048];
int buflen = 2048;
int h_errnop;
(void) gethostbyname_r(name, he, buffer, buflen, &res, &h_errnop);`),
      why: 'configure.ac 5898: glibc and musl.',
    },
    HAVE_GETHOSTBYNAME_R_5_ARG: {
      kind: 'compiles',
      headers: ['netdb.h'],
      code: program(`char *name = "";
struct hostent *he = 0;
char buffer[2048];
int buflen = 2048;
int h_errnop;
(void) gethostbyname_r(name, he, buffer, buflen, &h_errnop);`),
      why: 'configure.ac 5916: Solaris.',
    },
    HAVE_GETHOSTBYNAME_R_3_ARG: {
      kind: 'compiles',
      headers: ['netdb.h'],
      code: program(`char *name = "";
struct hostent *he = 0;
struct hostent_data data;
(void) gethostbyname_r(name, he, &data);`),
      why: 'configure.ac 5934: AIX, HP-UX.',
    },
    GETPGRP_HAVE_ARG: { kind: 'compiles', headers: ['unistd.h'], code: program('getpgrp(0);'), why: 'configure.ac 5572: getpgrp(0) on old BSDs.' },
    SETPGRP_HAVE_ARG: { kind: 'compiles', headers: ['unistd.h'], code: program('setpgrp(0, 0);'), why: 'configure.ac 5579: setpgrp(0, 0) on old BSDs.' },
    HAVE_GCC_ASM_FOR_X64: {
      kind: 'links',
      code: program('__asm__ __volatile__ ("movq %rcx, %rax");'),
      why: 'configure.ac 6016.',
    },
    HAVE_GCC_ASM_FOR_X87: {
      kind: 'links',
      code: program('unsigned short cw;\n__asm__ __volatile__ ("fnstcw %0" : "=m" (cw));\n__asm__ __volatile__ ("fldcw %0" : : "m" (cw));'),
      why: 'configure.ac 6062: x87 control word (53-bit rounding for dtoa.c).',
    },
    HAVE_GCC_ASM_FOR_MC68881: {
      kind: 'links',
      code: program('unsigned int fpcr;\n__asm__ __volatile__ ("fmove.l %%fpcr,%0" : "=dm" (fpcr));\n__asm__ __volatile__ ("fmove.l %0,%%fpcr" : : "dm" (fpcr));'),
      why: 'configure.ac 6074.',
    },
    HAVE_GETC_UNLOCKED: {
      kind: 'links',
      headers: ['stdio.h'],
      code: program('FILE *f = fopen("/dev/null", "r");\nflockfile(f);\ngetc_unlocked(f);\nfunlockfile(f);'),
      why: 'configure.ac 6446: flockfile(), getc_unlocked() and funlockfile().',
    },
    HAVE_DIRENT_D_TYPE: {
      kind: 'links',
      headers: ['dirent.h'],
      code: 'int main(void)\n{\n    struct dirent entry;\n    return entry.d_type == DT_UNKNOWN;\n}\n',
      why: 'configure.ac 7309.',
    },
    HAVE_GETRANDOM_SYSCALL: {
      kind: 'links',
      headers: ['stddef.h', 'unistd.h', 'sys/syscall.h', 'linux/random.h'],
      code: program('char buffer[1];\nconst size_t buflen = sizeof(buffer);\nconst int flags = GRND_NONBLOCK;\n(void)syscall(SYS_getrandom, buffer, buflen, flags);'),
      why: 'configure.ac 7328.',
    },
    HAVE_GETRANDOM: {
      kind: 'links',
      headers: ['stddef.h', 'sys/random.h'],
      code: program('char buffer[1];\nconst size_t buflen = sizeof(buffer);\nconst int flags = 0;\n(void)getrandom(buffer, buflen, flags);'),
      why: 'configure.ac 7355.',
    },
    HAVE_COMPUTED_GOTOS: {
      kind: 'compiles',
      code: `int main(void)
{
    static void *targets[1] = { &&LABEL1 };
    goto LABEL2;
LABEL1:
    return 0;
LABEL2:
    goto *targets[0];
    return 1;
}
`,
      why: 'configure.ac 7128: labels as values; configure runs the program, compiling it is the test.',
    },
    // Run-time properties configure computes with AC_RUN_IFELSE, as compile-time assertions.
    HAVE_USABLE_WCHAR_T: {
      kind: 'compiles',
      headers: ['wchar.h'],
      code: '_Static_assert(sizeof(wchar_t) >= 2 && (wchar_t)-1 > 0, "wchar_t is narrow or signed");\nint main(void) { return 0; }\n',
      why: 'configure.ac 6258-6275: wchar_t is unsigned and at least 16 bits (unsigned on aarch64, signed on x86).',
    },
    SIGNED_RIGHT_SHIFT_ZERO_FILLS: {
      kind: 'compiles',
      code: '_Static_assert(((-1) >> 3) != -1, "right shift extends the sign bit");\nint main(void) { return 0; }\n',
      why: 'configure.ac 6430: i>>j does not extend the sign bit.',
    },
    HAVE_LARGEFILE_SUPPORT: {
      kind: 'compiles',
      headers: ['sys/types.h'],
      code: '_Static_assert(sizeof(off_t) > sizeof(long) && sizeof(long long) >= sizeof(off_t), "no large file support");\nint main(void) { return 0; }\n',
      why: 'configure.ac 3210: off_t is bigger than long and fits in long long.',
    },
    PTHREAD_KEY_T_IS_COMPATIBLE_WITH_INT: {
      kind: 'compiles',
      headers: ['pthread.h'],
      code: '_Static_assert(sizeof(pthread_key_t) == sizeof(int), "pthread_key_t is not int-sized");\nint main(void)\n{\n    pthread_key_t k = 0;\n    return (int)(k * 1);\n}\n',
      why: 'configure.ac 3267: same size as int, and arithmetic.',
    },
    HAVE_WORKING_TZSET: {
      kind: 'runs',
      headers: ['stdlib.h', 'time.h', 'string.h'],
      code: `#if HAVE_TZNAME
extern char *tzname[];
#endif

int main(void)
{
    time_t groundhogday = 1044144000; /* GMT-based */
    time_t midyear = groundhogday + (365 * 24 * 3600 / 2);

    putenv("TZ=UTC+0");
    tzset();
    if (localtime(&groundhogday)->tm_hour != 0)
        exit(1);
#if HAVE_TZNAME
    if (strcmp(tzname[0], "UTC") || (tzname[1][0] != 0 && tzname[1][0] != ' '))
        exit(1);
#endif
    putenv("TZ=EST+5EDT,M4.1.0,M10.5.0");
    tzset();
    if (localtime(&groundhogday)->tm_hour != 19)
        exit(1);
#if HAVE_TZNAME
    if (strcmp(tzname[0], "EST") || strcmp(tzname[1], "EDT"))
        exit(1);
#endif
    putenv("TZ=AEST-10AEDT-11,M10.5.0,M3.5.0");
    tzset();
    if (localtime(&groundhogday)->tm_hour != 11)
        exit(1);
#if HAVE_TZNAME
    if (strcmp(tzname[0], "AEST") || strcmp(tzname[1], "AEDT"))
        exit(1);
#endif
#if HAVE_STRUCT_TM_TM_ZONE
    if (strcmp(localtime(&groundhogday)->tm_zone, "AEDT"))
        exit(1);
    if (strcmp(localtime(&midyear)->tm_zone, "AEST"))
        exit(1);
#endif
    (void)midyear;
    exit(0);
}
`,
      why: 'configure.ac 6695: tzset() switches zones as the time module expects.',
    },
    PTHREAD_SYSTEM_SCHED_SUPPORTED: {
      kind: 'runs',
      headers: ['stdio.h', 'pthread.h'],
      args: ['-pthread'],
      code: `void *foo(void *parm)
{
    (void)parm;
    return NULL;
}
int main(void)
{
    pthread_attr_t attr;
    pthread_t id;
    if (pthread_attr_init(&attr)) return (-1);
    if (pthread_attr_setscope(&attr, PTHREAD_SCOPE_SYSTEM)) return (-1);
    if (pthread_create(&id, &attr, foo, NULL)) return (-1);
    return (0);
}
`,
      why: 'configure.ac 4737: PTHREAD_SCOPE_SYSTEM works.',
    },
    HAVE_BROKEN_NICE: {
      kind: 'runs',
      headers: ['stdlib.h', 'unistd.h'],
      code: 'int main(void)\n{\n    int val1 = nice(1);\n    if (val1 != -1 && val1 == nice(2))\n        exit(0);\n    exit(1);\n}\n',
      why: 'configure.ac 6643: nice() returns success/failure, not the new priority.',
    },
    HAVE_BROKEN_POLL: {
      kind: 'runs',
      headers: ['poll.h', 'unistd.h'],
      code: `int main(void)
{
    struct pollfd poll_struct = { 42, POLLIN|POLLPRI|POLLOUT, 0 };
    int poll_test;

    close (42);

    poll_test = poll(&poll_struct, 1, 0);
    if (poll_test < 0)
        return 0;
    else if (poll_test == 0 && poll_struct.revents != POLLNVAL)
        return 0;
    else
        return 1;
}
`,
      why: 'configure.ac 6664: poll() sets errno on invalid file descriptors.',
    },
    HAVE_BROKEN_MBSTOWCS: {
      kind: 'runs',
      headers: ['stddef.h', 'stdio.h', 'stdlib.h'],
      code: 'int main(void)\n{\n    const char *str = "text";\n    size_t len = mbstowcs(NULL, str, 0);\n    return len == 4;\n}\n',
      why: 'configure.ac 7083: mbstowcs(NULL, "text", 0) does not return 4 (the program succeeds when broken).',
    },
    X87_DOUBLE_ROUNDING: {
      kind: 'runs',
      headers: ['stdlib.h', 'math.h'],
      code: `int main(void)
{
    volatile double x, y, z;
    /* 1./(1-2**-53) -> 1+2**-52 (correct), 1.0 (double rounding) */
    x = 0.99999999999999989; /* 1-2**-53 */
    y = 1./x;
    if (y != 1.)
        exit(1);
    /* 1e16+2.99999 -> 1e16+2. (correct), 1e16+4. (double rounding) */
    x = 1e16;
    y = 2.99999;
    z = x + y;
    if (z != 1e16+4.)
        exit(1);
    /* both tests show evidence of double rounding */
    exit(0);
}
`,
      why: 'configure.ac 6093: x87-style double rounding (exit status inverted: the program succeeds when it rounds twice).',
    },
    POSIX_SEMAPHORES_NOT_ENABLED: {
      kind: 'runs',
      headers: ['unistd.h', 'fcntl.h', 'stdio.h', 'semaphore.h', 'sys/stat.h'],
      args: ['-pthread'],
      code: `int main(void)
{
    sem_t *a = sem_open("/autoconf", O_CREAT, S_IRUSR|S_IWUSR, 0);
    if (a == SEM_FAILED) {
        perror("sem_open");
        return 0;
    }
    sem_close(a);
    sem_unlink("/autoconf");
    return 1;
}
`,
      why: 'configure.ac 6143: sem_open() fails (exit status inverted: the program succeeds when it fails).',
    },
    HAVE_BROKEN_SEM_GETVALUE: {
      kind: 'runs',
      headers: ['unistd.h', 'fcntl.h', 'stdio.h', 'semaphore.h', 'sys/stat.h'],
      args: ['-pthread'],
      code: `int main(void)
{
    sem_t *a = sem_open("/autocftw", O_CREAT, S_IRUSR|S_IWUSR, 0);
    int count;
    int res;
    if (a == SEM_FAILED) {
        perror("sem_open");
        return 0;
    }
    res = sem_getvalue(a, &count);
    sem_close(a);
    sem_unlink("/autocftw");
    return res == -1 ? 0 : 1;
}
`,
      why: 'configure.ac 6175: sem_getvalue() fails (exit status inverted; configure assumes broken when cross-compiling).',
    },
    HAVE_ALIGNED_REQUIRED: {
      kind: 'runs',
      headers: ['sys/types.h', 'sys/wait.h', 'unistd.h'],
      code: `static int unaligned_read(void)
{
    char s[16];
    int i, *p1, *p2;
    for (i = 0; i < 16; i++)
        s[i] = i;
    p1 = (int *)(s + 1);
    p2 = (int *)(s + 2);
    return *p1 == *p2;
}
int main(void)
{
    /* configure's test in a child: aligned access is required when it crashes or misreads. */
    int status;
    pid_t pid = fork();
    if (pid == 0)
        _exit(unaligned_read());
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        return 1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 1 : 0;
}
`,
      why: 'configure.ac 3948: unaligned int reads crash or misread (the str hash then uses FNV).',
    },
    HAVE_GLIBC_MEMMOVE_BUG: {
      kind: 'runs',
      headers: ['stdio.h', 'stdlib.h', 'string.h'],
      args: ['-O2', '-D_FORTIFY_SOURCE=2'],
      code: `void foo(void *p, void *q) { memmove(p, q, 19); }
int main(void)
{
    char a[32] = "123456789000000000";
    foo(&a[9], a);
    if (strcmp(a, "123456789123456789000000000") != 0)
        return 0;
    foo(a, &a[9]);
    if (strcmp(a, "123456789000000000") != 0)
        return 0;
    return 1;
}
`,
      why: "configure.ac 7218: glibc's _FORTIFY_SOURCE memmove bug (exit status inverted).",
    },
    HAVE_IPA_PURE_CONST_BUG: {
      kind: 'runs',
      args: ['-O2'],
      code: `__attribute__((noinline)) int
foo(int *p) {
    int r;
    __asm__ ( "movl $6, (%1)\\n\\t"
              "xorl %0, %0\\n\\t"
              : "=r" (r) : "r" (p) : "memory"
    );
    return r;
}
int main(void)
{
    int p = 8;
    if ((foo(&p) ? : p) != 6)
        return 0;
    return 1;
}
`,
      why: 'configure.ac 7246: gcc ipa-pure-const miscompilation of inline asm, x86 only (exit status inverted).',
    },

    // ---- Checks against the libraries of extension modules (run when the library is found).
    HAVE_ZLIB_COPY: {
      kind: 'function',
      function: 'inflateCopy',
      headers: ['zlib.h'],
      deps: ['zlib'],
      why: 'configure.ac 5438: zlib >= 1.2.0 has inflateCopy.',
    },
    HAVE_LIBSQLITE3: { kind: 'dependency', dependency: 'sqlite3', why: 'configure.ac 4315: AC_CHECK_LIB on sqlite3.' },
    PY_SQLITE_HAVE_SERIALIZE: {
      kind: 'function',
      function: 'sqlite3_serialize',
      headers: ['sqlite3.h'],
      deps: ['sqlite3'],
      why: 'configure.ac 4355: SQLite built with the serialize API.',
    },
    ...fromEntries(
      ['ffi_prep_cif_var', 'ffi_prep_closure_loc', 'ffi_closure_alloc'].map((f) => [
        `HAVE_${f.toUpperCase()}`,
        { kind: 'function', function: f, headers: ['ffi.h'], deps: ['libffi'], why: 'configure.ac 4154: PY_CHECK_FUNC with libffi.' },
      ]),
    ),
    HAVE_UUID_H: { kind: 'header', header: 'uuid.h', deps: ['uuid'], why: "configure.ac 3786-3800: libuuid's pkg-config flags make <uuid.h> reachable." },
    HAVE_UUID_UUID_H: {
      kind: 'header',
      header: 'uuid/uuid.h',
      prologue: '#ifdef HAVE_UUID_H\n#error "configure looks for uuid/uuid.h only without uuid.h"\n#endif\n',
      deps: ['uuid'],
      why: 'configure.ac 3805-3830: only when there is no <uuid.h>.',
    },
    HAVE_UUID_GENERATE_TIME_SAFE: {
      kind: 'function',
      function: 'uuid_generate_time_safe',
      headers: ['uuid.h'],
      deps: ['uuid'],
      why: 'configure.ac 3786-3836: libuuid >= 2.20.',
    },
    ...fromEntries(
      ['ncursesw/curses.h', 'ncursesw/ncurses.h', 'ncursesw/panel.h', 'ncurses/curses.h', 'ncurses/ncurses.h', 'ncurses/panel.h', 'curses.h', 'ncurses.h', 'panel.h'].map(
        (h) => [
          `HAVE_${h.toUpperCase().replace(/[/.]/g, '_')}`,
          { kind: 'header', header: h, deps: ['ncursesw'], why: "configure.ac 6831: checked with curses' flags." },
        ],
      ),
    ),
    HAVE_TERM_H: { kind: 'header', header: 'term.h', prologue: CURSES_INCLUDES, deps: ['ncursesw'], why: 'configure.ac 6921: on Solaris term.h needs curses.h.' },
    HAVE_NCURSESW: {
      kind: 'links',
      prologue: CURSES_INCLUDES,
      code: program('cchar_t wcval;\nsetcchar(&wcval, L"x", A_NORMAL, 0, NULL);\nadd_wch(&wcval);'),
      deps: ['ncursesw'],
      why: 'configure.ac 6880-6911: the wide-character (cchar_t) curses API.',
    },
    HAVE_PANELW: {
      kind: 'expr',
      value: '1',
      when: "pyconfig_deps['ncursesw'].found() and pyconfig_deps['panelw'].found()",
      why: 'configure.ac 6820: the panelw library, next to ncursesw.',
    },
    ...fromEntries(CURSES_FUNCS.map((f) => [`HAVE_CURSES_${f.toUpperCase()}`, curses(f)])),
    ...fromEntries(
      ['ESCDELAY', 'TABSIZE'].map((v) => [
        `HAVE_CURSES_${v}`,
        {
          kind: 'compiles',
          prologue: CURSES_INCLUDES,
          code: program(`int x = ${v};\n(void)x;`),
          deps: ['ncursesw'],
          why: 'configure.ac 6980: PY_CHECK_CURSES_VAR, an int variable or macro.',
        },
      ]),
    ),
    HAVE_CURSES_GETMOUSE: {
      kind: 'compiles',
      prologue: CURSES_INCLUDES,
      code: program('MEVENT event;\n(void)getmouse(&event);'),
      deps: ['ncursesw'],
      why: 'configure.ac 7019: the X/Open getmouse(MEVENT *) signature.',
    },
    MVWDELCH_IS_EXPRESSION: {
      kind: 'compiles',
      prologue: CURSES_INCLUDES,
      code: program('int rtn;\nrtn = mvwdelch(0,0,0);\n(void)rtn;'),
      deps: ['ncursesw'],
      why: 'configure.ac 6924: on HP-UX mvwdelch is a block.',
    },
    WINDOW_HAS_FLAGS: {
      kind: 'compiles',
      prologue: CURSES_INCLUDES,
      code: program('WINDOW *w = 0;\nw->_flags = 0;'),
      deps: ['ncursesw'],
      why: 'configure.ac 6939.',
    },
    HAVE_RL_COMPLETION_APPEND_CHARACTER: readlineDecl('rl_completion_append_character'),
    HAVE_RL_COMPLETION_SUPPRESS_APPEND: readlineDecl('rl_completion_suppress_append'),
    HAVE_RL_CATCH_SIGNAL: readlineDecl('rl_catch_signals'),
    HAVE_RL_PRE_INPUT_HOOK: readlineVar('rl_pre_input_hook'),
    HAVE_RL_COMPLETION_DISPLAY_MATCHES_HOOK: readlineVar('rl_completion_display_matches_hook'),
    HAVE_RL_RESIZE_TERMINAL: readlineVar('rl_resize_terminal'),
    HAVE_RL_COMPLETION_MATCHES: readlineVar('rl_completion_matches'),
    HAVE_RL_APPEND_HISTORY: readlineVar('append_history'),
    HAVE_RL_COMPDISP_FUNC_T: {
      kind: 'type',
      typeName: 'rl_compdisp_func_t',
      prologue: READLINE_INCLUDES,
      deps: ['readline_impl'],
      why: 'configure.ac 6622: in readline and newer libedit.',
    },
    Py_RL_STARTUP_HOOK_TAKES_ARGS: {
      kind: 'compiles',
      prologue: `${READLINE_INCLUDES}extern int test_hook_func(const char *text, int state);\n`,
      code: program('rl_startup_hook = test_hook_func;'),
      deps: ['readline_impl'],
      why: 'configure.ac 6626: some libedit versions declare rl_startup_hook without arguments.',
    },
  },

  undefined: {
    // Other platforms.
    AC_APPLE_UNIVERSAL_BUILD: 'macOS universal builds only.',
    AIX_BUILDDATE: 'AIX only (configure.ac 3942).',
    AIX_GENUINE_CPLUSPLUS: 'AIX only (configure.ac 3929).',
    DOUBLE_IS_ARM_MIXED_ENDIAN_IEEE754: 'old ARM FPA doubles; CPython 3.11+ requires IEEE 754 in plain byte order.',
    HAVE_BROKEN_PIPE_BUF: 'AIX only (configure.ac 7155).',
    HAVE_BROKEN_POSIX_SEMAPHORES: 'Solaris 8, AIX and NetBSD only (configure.ac 4724).',
    HAVE_BROKEN_PTHREAD_SIGMASK: 'Cygwin only (configure.ac 4761).',
    HAVE_DEV_PTC: 'AIX only (/dev/ptc, configure.ac 7061).',
    HAVE_NON_UNICODE_WCHAR_T_REPRESENTATION: 'Oracle Solaris only (configure.ac 6292).',
    HAVE_PTHREAD_DESTRUCTOR: 'Solaris 2.6 only (configure.ac 4721).',
    Py_SUNOS_VERSION: 'Solaris only (configure.ac 376).',
    THREAD_STACK_SIZE: 'macOS and iOS only (configure.ac 3652).',
    WITH_DYLD: 'macOS only (configure.ac 3337).',
    WITH_NEXT_FRAMEWORK: 'macOS framework builds only (configure.ac 3291).',
    _BSD_SOURCE: 'OpenBSD only (configure.ac 816).',
    _INCLUDE__STDC_A1_SOURCE: 'HP-UX only (configure.ac 900).',
    _LARGE_FILES: 'AIX only (configure.ac 3152).',
    _MINIX: 'Minix only (AC_USE_SYSTEM_EXTENSIONS).',
    _POSIX_SOURCE: 'Minix only (AC_USE_SYSTEM_EXTENSIONS).',
    _POSIX_1_SOURCE: 'Minix only (AC_USE_SYSTEM_EXTENSIONS).',
    _POSIX_THREADS: 'defined only when unistd.h does not define it; every pthreads libc does (configure.ac 4714).',
    TIMEMODULE_LIB: 'names librt when clock_gettime() is not in libc; it is in libc since glibc 2.17, and in musl (configure.ac 5595).',
    TM_IN_SYS_TIME: 'AC_STRUCT_TM: struct tm is in <time.h> on every POSIX system.',
    HAVE_BROKEN_UNSETENV: 'pre-POSIX.1-2001 unsetenv() returning void (configure.ac 5379); no libc we build on.',
    HAVE_LIBRESOLV: 'configure links -lresolv only when libc lacks inet_aton() (old Solaris, configure.ac 5388); nothing reads it.',
    HAVE_DECL_TZNAME:
      'AC_STRUCT_TIMEZONE declares tzname only when struct tm has no tm_zone (glibc, musl, the BSDs and macOS have it); timemodule.c tests #ifdef.',
    HAVE_TZNAME: 'AC_STRUCT_TIMEZONE looks for tzname only when struct tm has no tm_zone (every libc we build on has it).',
    HAVE_UUID_GENERATE_TIME_SAFE_STABLE_MAC:
      'configure runs libuuid twice and compares node values (configure.ac 3904); left undefined, uuid.py finds the MAC address itself.',
    HAVE_SYS_DIR_H: 'AC_HEADER_DIRENT looks for it only without <dirent.h>; posixmodule.c reads it only then.',
    HAVE_SYS_NDIR_H: 'AC_HEADER_DIRENT looks for it only without <dirent.h>; posixmodule.c reads it only then.',
    HAVE_NDIR_H: 'AC_HEADER_DIRENT looks for it only without <dirent.h>; posixmodule.c reads it only then.',
    // Dependencies found through pkg-config: configure checks these headers only without it.
    HAVE_ZLIB_H: 'configure checks zlib.h only when zlib has no pkg-config file (configure.ac 5451); nothing reads it.',
    HAVE_LZMA_H: 'configure checks lzma.h only when liblzma has no pkg-config file (configure.ac 5489); nothing reads it.',
    HAVE_READLINE_READLINE_H: 'configure checks it only when readline has no pkg-config file (configure.ac 6496); nothing reads it.',
    HAVE_EDITLINE_READLINE_H: 'configure checks it only when libedit has no pkg-config file (configure.ac 6517); nothing reads it.',
    HAVE_NCURSES: 'the Meson build uses ncursesw (configure falls back to ncurses without it).',
    HAVE_PANEL: 'the Meson build uses panelw (configure falls back to panel without ncursesw).',
    HAVE_LIBB2: 'the _blake2 module builds with its bundled implementation; the Meson build does not link libb2 (configure.ac 7603).',
    // configure options the Meson build does not offer; their defaults leave these undefined.
    Py_STATS: '--enable-pystats is not offered.',
    Py_HASH_ALGORITHM: '--with-hash-algorithm not given: pyhash.h picks SipHash13.',
    PYLONG_BITS_IN_DIGIT: '--enable-big-digits not given: pyport.h picks 30-bit digits.',
    PY_SSL_DEFAULT_CIPHER_STRING: 'only with a custom --with-ssl-default-suites string.',
    PY_SQLITE_ENABLE_LOAD_EXTENSION: '--enable-loadable-sqlite-extensions is off by default.',
    USE_COMPUTED_GOTOS: 'only set by an explicit --with(out)-computed-gotos; ceval.c uses HAVE_COMPUTED_GOTOS.',
    WITH_DTRACE: '--with-dtrace is not offered.',
    WITH_VALGRIND: '--with-valgrind is not offered.',
    PACKAGE_BUGREPORT: "configure.ac 243 removes autoconf's PACKAGE_* macros from pyconfig.h.",
    PACKAGE_NAME: "configure.ac 243 removes autoconf's PACKAGE_* macros from pyconfig.h.",
    PACKAGE_STRING: "configure.ac 243 removes autoconf's PACKAGE_* macros from pyconfig.h.",
    PACKAGE_TARNAME: "configure.ac 243 removes autoconf's PACKAGE_* macros from pyconfig.h.",
    PACKAGE_URL: "configure.ac 243 removes autoconf's PACKAGE_* macros from pyconfig.h.",
    PACKAGE_VERSION: "configure.ac 243 removes autoconf's PACKAGE_* macros from pyconfig.h.",
    // autoconf's fallbacks for a C89 compiler or a pre-POSIX libc; C11 and POSIX have them all.
    const: 'AC_C_CONST: a C11 compiler supports const.',
    signed: 'configure.ac 5856: a C11 compiler supports signed.',
    clock_t: 'fallback typedef; <time.h> defines clock_t (C89).',
    size_t: 'fallback typedef; <stddef.h> defines size_t (C89).',
    off_t: 'fallback typedef; POSIX <sys/types.h> defines off_t.',
    pid_t: 'fallback typedef; POSIX <sys/types.h> defines pid_t.',
    mode_t: 'fallback typedef; POSIX <sys/types.h> defines mode_t.',
    uid_t: 'fallback typedef; POSIX <sys/types.h> defines uid_t.',
    gid_t: 'fallback typedef; POSIX <sys/types.h> defines gid_t.',
    socklen_t: 'fallback typedef; POSIX <sys/socket.h> defines socklen_t.',
  },
  configSite: { 'wasm32-wasi': wasiSite('3.13') },
};

/**
 * What configure decides for wasm32-wasi without a check: Tools/wasm/config.site-wasm32-wasi of
 * the series (wasi-libc declares these, but they are stubs that fail or are missing at link time
 * under a WASI runtime) and configure.ac's own WASI cases.
 */
export function wasiSite(series: '3.11' | '3.12' | '3.13'): Record<string, string> {
  const site = (what: string): string => `config.site-wasm32-wasi: ${what}.`;
  const list: Record<string, string> = {
    _REENTRANT: 'configure.ac 4617: defined only with POSIX threads; WASI has stub threads (HAVE_PTHREAD_STUBS).',
    ENABLE_IPV6: 'configure.ac 4803: ipv6=no on WASI.',
    HAVE_DEV_PTMX: site('WASI has no /dev/ptmx'),
    HAVE_SYS_RESOURCE_H: site('get/setrlimit are not supported'),
    HAVE_EVENTFD: site('eventfd() is an undefined symbol'),
    HAVE_PIPE: site('no pipe syscall'),
    HAVE_MKFIFO: site('cannot create fifos and special files'),
    HAVE_MKFIFOAT: site('cannot create fifos and special files'),
    HAVE_MKNOD: site('cannot create fifos and special files'),
    HAVE_MKNODAT: site('cannot create fifos and special files'),
    HAVE_MAKEDEV: site('cannot create fifos and special files'),
    HAVE_FDOPENDIR: site("fdopendir() fails (OSError: [Errno 28] Invalid argument: '.')"),
    HAVE_SYS_UN_H: site('no AF_UNIX sockets (WASI sockets are limited to inet sockets on a given fd)'),
    HAVE_NETPACKET_PACKET_H: site('no AF_PACKET sockets'),
  };
  if (series === '3.11') return list;
  for (const f of ['preadv', 'readv', 'pwritev', 'writev']) {
    list[`HAVE_${f.toUpperCase()}`] = site(`${f}() under wasmtime's WASI 0.2 uses only the first buffer (wasmtime issue 7830)`);
  }
  if (series === '3.12') return list;
  for (const f of ['chmod', 'fchmod', 'fchmodat', 'statvfs', 'fstatvfs']) {
    list[`HAVE_${f.toUpperCase()}`] = site(`${f}() is one of WASI SDK 22's stubs CPython does not use (gh-120371)`);
  }
  return list;
}
