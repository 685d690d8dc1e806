// CPython 3.15.x: what differs from the 3.14 manifest (cpython-manifests/3.14.ts), which it spreads.
// Started with `cpython-meson manifest new` on the 3.15.0rc1 tree, then completed by hand from
// `git diff v3.14.7 v3.15.0rc1 -- configure.ac Makefile.pre.in Modules/Setup.stdlib.in pyconfig.h.in`.
//
// Scanned, so not stated here: the new core objects (lazyimportobject, sentinelobject,
// unicode_format/_formatter/_writer, jit_publish, jit_unwind, pystats, slots, slots_generated),
// formatter_unicode.c gone; _math_integer and xxlimited_3_13 in Setup.stdlib.in; _remote_debugging
// split into Modules/_remote_debugging/*.c; _asyncio moved to a `*static*` section (built in);
// the frozen encodings package, encodings.aliases/utf_8/_win_cp_codecs and linecache.
//
// - Makefile.pre.in: PYTHON_OBJS has $(JIT_OBJS) = @JIT_SHIM_O@, empty without --enable-experimental-jit.
// - configure.ac: _XOPEN_SOURCE 800 and _POSIX_C_SOURCE 202405L (POSIX.1-2024).
// - configure.ac: frame pointers by default (--without-frame-pointers turns them off):
//   -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer in BASECFLAGS and _Py_WITH_FRAME_POINTERS.
// - configure.ac: _remote_debugging builds with -DHAVE_ZSTD and libzstd when libzstd is found.
// - configure.ac: zlib >= 1.2.2.1.
// - configure.ac: without a system libmpdec, 3.15's configure leaves _decimal out (pure-Python
//   decimal) instead of using the bundled copy; the Meson build keeps 3.14's behaviour (the
//   system_libmpdec option, else the bundled libmpdec that 3.15 still ships), so _decimal is built.
// - configure.ac: Py_TAIL_CALL_INTERP is now _Py_TAIL_CALL_INTERP (still opt-in).
import type { Manifest } from '../generator/manifest/types.js';
import { without } from './common/base.js';
import m314 from './3.14.js';

const pyconfig = m314.pyconfig;

const manifest: Manifest = {
  ...m314,
  series: '3.15',
  range: '>=3.15.0-0 <3.16.0-0',
  // Built and tested here on 3.15.0rc1 (docs/versions.md); CI has no 3.15 tree, so for CI it is
  // generated only (spec/fixtures/cpython-3.15).
  status: 'generated-only',
  core: {
    ...m314.core,
    substitutions: { ...m314.core.substitutions, JIT_SHIM_O: '' },
    flags: {
      ...m314.core.flags,
      // 3.15 configure.ac 2594: frame pointers for native profilers, when the compiler takes them.
      base: ['-fno-omit-frame-pointer', '-mno-omit-leaf-frame-pointer', ...m314.core.flags.base],
    },
  },
  pyconfig: {
    ...pyconfig,
    checkPrefix: pyconfig.checkPrefix.replace('#define _XOPEN_SOURCE 700\n', '#define _XOPEN_SOURCE 800\n').replace(
      '#define _POSIX_C_SOURCE 200809L\n',
      '#define _POSIX_C_SOURCE 202405L\n',
    ),
    checks: {
      ...pyconfig.checks,
      Py_REMOTE_DEBUG: { kind: 'value', value: '1', why: '3.15 configure.ac 7490: --with-remote-debug, default yes.' },
      SOABI_PLATFORM: {
        kind: 'expr',
        value: 'py_multiarch',
        when: "py_multiarch != ''",
        quote: true,
        why: '3.15 configure.ac 1215: the platform triplet, part of extension file names (dynload_shlib.c).',
      },
      _Py_WITH_FRAME_POINTERS: {
        kind: 'expr',
        value: '1',
        // pyconfig_target: cpu family and endianness (the pyconfig setup statements).
        when: "cc.has_argument('-fno-omit-frame-pointer') and pyconfig_target != 'ppc64 little'",
        why: '3.15 configure.ac 2625: frame pointers are on (BASECFLAGS), except on powerpc64le.',
      },
      HAVE_STROPTS_H: {
        kind: 'declared',
        symbol: 'I_PUSH',
        headers: ['sys/types.h', 'stropts.h'],
        why: '3.15 configure.ac 3175: <stropts.h> counts only when it declares I_PUSH (it may be empty on Linux).',
      },
      HAVE_DECL_PR_SET_VMA_ANON_NAME: {
        kind: 'declaration',
        symbol: 'PR_SET_VMA_ANON_NAME',
        headers: ['linux/prctl.h', 'sys/prctl.h'],
        why: '3.15 configure.ac 5852: AC_CHECK_DECLS (not on musl).',
      },
      _Py_HAVE_PR_SET_VMA_ANON_NAME: {
        kind: 'declared',
        symbol: 'PR_SET_VMA_ANON_NAME',
        headers: ['linux/prctl.h', 'sys/prctl.h'],
        why: '3.15 configure.ac 5852: named anonymous mappings (pycore_mmap.h).',
      },
      _Py_HAVE_LIBGCC_EH_FRAME_REGISTRATION: {
        kind: 'links',
        code: `void __register_frame(const void *);
void __deregister_frame(const void *);
int main(void)
{
    __register_frame(0);
    __deregister_frame(0);
    return 0;
}
`,
        why: '3.15 configure.ac 3911: libgcc __register_frame/__deregister_frame link (JIT unwind registration).',
      },
      _Py_HAVE_EFFICIENT_BUILTIN_SHUFFLEVECTOR: {
        kind: 'links',
        code: `#if !defined(__x86_64__) && !defined(__aarch64__) && \\
    !(defined(__arm__) && defined(__ARM_NEON))
#  error "128-bit vector SIMD not worthwhile on this architecture"
#endif
typedef unsigned char v16u8 __attribute__((vector_size(16)));
int main(void)
{
    v16u8 a = {0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15};
    v16u8 b = {16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31};
    v16u8 c = __builtin_shufflevector(a, b,
        0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    (void)c;
    return 0;
}
`,
        why: '3.15 configure.ac 5199: __builtin_shufflevector on a target with native 128-bit SIMD (bytes.hex()).',
      },
    },
    undefined: {
      ...without(pyconfig.undefined, 'Py_TAIL_CALL_INTERP'),
      _Py_TAIL_CALL_INTERP: '3.15 configure.ac 7478: --with-tail-call-interp is opt-in (needs clang 19).',
      PYMALLOC_USE_HUGEPAGES: '3.15 configure.ac 5278: --with-pymalloc-hugepages is opt-in (default no).',
    },
  },
  dependencies: {
    ...m314.dependencies,
    zlib: { ...m314.dependencies.zlib!, version: '>=1.2.2.1' },
  },
  modules: {
    ...m314.modules,
    // 3.15 configure.ac 5787: REMOTE_DEBUGGING_CFLAGS/LIBS, zstd compression when libzstd is found.
    _remote_debugging: { optionalDeps: { zstd: ['-DHAVE_ZSTD'] } },
    xxlimited_3_13: { test: true },
  },
};

export default manifest;
