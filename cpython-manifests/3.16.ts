// CPython 3.16 (the development branch, main): what differs from the 3.15 manifest, which it spreads.
// Written by hand from `git diff v3.15.0rc1 main -- configure.ac Makefile.pre.in pyconfig.h.in`
// (main at 999a046b24cf, 2026-08-21); main moves every week, so this describes that commit.
//
// Scanned, so not stated here: new core objects (Parser/lexer/number.c, Parser/lexer/string.c,
// Python/typecache.c), the frozen encodings._iconv_codecs, new _testcapi/_testlimitedcapi parts.
//
// - configure.ac: the perf trampoline is one object per CPU (Python/asm_trampoline_x86_64.o,
//   _aarch64.o) instead of Python/asm_trampoline.o.
// - configure.ac: the bundled libmpdec is gone (LIBMPDEC_OBJS, --with-system-libmpdec): _decimal
//   needs a system mpdecimal >= 2.5.0 (or the WrapDB wrap); without one, decimal is pure Python.
// - configure.ac: _ISOC23_SOURCE joins _XOPEN_SOURCE/_POSIX_C_SOURCE.
// - configure.ac: iconv (HAVE_ICONV_H, HAVE_ICONV), the C23 *pi math functions, gettid,
//   getdents64, pidfd_*, more curses functions, readline's rl_change_environment.
// - configure.ac: --with-zlib/--with-bzip2/--with-curses choose an implementation; the default
//   (auto) finds the same libraries as before.
import type { Manifest, PyconfigCheck } from '../generator/manifest/types.js';
import m315 from './3.15.js';

const pyconfig = m315.pyconfig;

/** A check like `model`'s (same kind, includes and dependencies) for another symbol. */
function like(model: string, symbol: string): PyconfigCheck {
  const c = pyconfig.checks[model];
  if (c?.kind === 'declared') return { ...c, symbol };
  if (c?.kind === 'function') return { ...c, function: symbol };
  throw new Error(`3.16 manifest: ${model} is not a declared/function check`);
}

// 3.16 removed Modules/_decimal/libmpdec: the system library (or the wrap) only.
const { bundled: _bundled, ...systemMpdecimal } = m315.dependencies.mpdecimal!;

const NEW_CURSES_FUNCS = [
  'nofilter', 'has_mouse', 'is_keypad', 'is_leaveok', 'new_prescr', 'use_screen', 'use_window', 'key_defined',
  'term_attrs', 'define_key', 'keyok', 'wattr_get', 'wattr_set', 'wattr_on', 'wattr_off', 'wcolor_set',
  'slk_attr_on', 'slk_attr_off', 'slk_attr_set', 'slk_color', 'scr_dump', 'scr_set',
];

const manifest: Manifest = {
  ...m315,
  series: '3.16',
  range: '>=3.16.0-0 <3.17.0-0',
  // Built and tested here on main at 999a046b24cf (docs/versions.md); CI generates it from
  // spec/fixtures/cpython-3.16.
  status: 'generated-only',
  core: {
    ...m315.core,
    conditionalObjects: [
      {
        object: 'Python/asm_trampoline_x86_64.o',
        source: 'Python/asm_trampoline_x86_64.S',
        when: "py_system == 'linux' and py_cpu == 'x86_64'",
        reason: '3.16 configure.ac 3911: perf trampoline (PERF_TRAMPOLINE_OBJ) on x86-64 Linux',
      },
      {
        object: 'Python/asm_trampoline_aarch64.o',
        source: 'Python/asm_trampoline_aarch64.S',
        when: "py_system == 'linux' and py_cpu == 'aarch64'",
        reason: '3.16 configure.ac 3911: perf trampoline (PERF_TRAMPOLINE_OBJ) on aarch64 Linux',
      },
    ],
  },
  pyconfig: {
    ...pyconfig,
    checkPrefix: pyconfig.checkPrefix.replace('#define _POSIX_C_SOURCE 202405L\n', '#define _POSIX_C_SOURCE 202405L\n#define _ISOC23_SOURCE 1\n'),
    checks: {
      ...pyconfig.checks,
      HAVE_ICONV: {
        kind: 'links',
        code: `#include <stdlib.h>
#include <iconv.h>
int main(void)
{
    iconv_t cd = iconv_open("", "");
    iconv(cd, NULL, NULL, NULL, NULL);
    iconv_close(cd);
    return 0;
}
`,
        why: '3.16 configure.ac 3940: a working iconv() in libc (configure also tries -liconv, which glibc does not need).',
      },
      HAVE_RL_CHANGE_ENVIRONMENT: like('HAVE_RL_RESIZE_TERMINAL', 'rl_change_environment'),
      ...Object.fromEntries(NEW_CURSES_FUNCS.map((f) => [`HAVE_CURSES_${f.toUpperCase()}`, like('HAVE_CURSES_FILTER', f)])),
    },
  },
  dependencies: {
    ...m315.dependencies,
    mpdecimal: systemMpdecimal,
  },
};

export default manifest;
