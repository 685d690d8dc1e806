// CPython 3.14.x: what differs from the common base (cpython-manifests/common/base.ts).
// Started with `cpython-meson manifest new` on the 3.14.7 release tree, then completed by hand.
//
// Scanned, so not stated here: _contextvars in the core (Python/_contextvars.c, listed in
// config.c.in), _datetime/_opcode/_types in Setup.bootstrap.in, the "os.path" frozen alias gone,
// the new core objects (codegen, index_pool, remote_debugging, stackrefs, uniqueid, ...).
//
// - HACL*: every hash module links its own HACL* library (LIBHACL_<ALG>_OBJS, configure's
//   PY_HACL_CREATE_MODULE); _blake2 moved to HACL* and _hmac is new. The BLAKE2 SIMD objects need
//   per-file -msse4.2/-mavx2 flags, so they are left out (LIBHACL_BLAKE2_SIMD*_OBJS empty, as
//   configure does when the compiler lacks the flags) and _Py_HACL_CAN_COMPILE_VEC* stay undefined.
// - _zstd needs libzstd >= 1.4.5.
// - getpath's PREFIX/EXEC_PREFIX come from host_prefix/host_exec_prefix: the same as prefix in a
//   native build, so the base's py_prefix stands.
// - ceval.o's CFLAGS_CEVAL (-finline-max-stacksize=512) is clang-only and optional: not used.
import type { DependencySpec, Manifest } from '../generator/manifest/types.js';
import { baseManifest, wasiSystemArgs, without } from './common/base.js';

/** One HACL* component as configure's PY_HACL_CREATE_MODULE builds it (LIBHACL_CFLAGS). */
function hacl(component: string, title: string, archive: string): DependencySpec {
  return {
    title: `HACL* ${title}`,
    names: [],
    license: 'MIT',
    bundled: {
      systemOption: '',
      systemDefault: false,
      objectsVar: `LIBHACL_${component}_OBJS`,
      archive: `Modules/_hacl/${archive}.a`,
      includeDirs: ['Modules/_hacl', 'Modules/_hacl/include'],
      cArgs: { '-D_BSD_SOURCE': 'true', '-D_DEFAULT_SOURCE': 'true' },
    },
  };
}

const pyconfig = baseManifest.pyconfig;

const manifest: Manifest = {
  ...baseManifest,
  series: '3.14',
  range: '>=3.14.0-0 <3.15.0-0',
  // Built and tested here on the 3.14.7 tree (spec/integration/build-series.test.ts with
  // CPYTHON_314_SRC); CI has no 3.14 tree, so for CI it is generated only.
  status: 'generated-only',
  core: {
    ...baseManifest.core,
    substitutions: { ...baseManifest.core.substitutions, LIBHACL_BLAKE2_SIMD128_OBJS: '', LIBHACL_BLAKE2_SIMD256_OBJS: '' },
    // WASI: a 16 MiB stack and 40 MiB of initial memory (3.14 configure.ac 2424).
    systemArgs: wasiSystemArgs(16777216, 41943040),
  },
  pyconfig: {
    ...pyconfig,
    // autoconf 2.72's AC_USE_SYSTEM_EXTENSIONS adds it (3.14's configure is generated with it).
    checkPrefix: `${pyconfig.checkPrefix}#define __STDC_WANT_IEC_60559_EXT__ 1\n`,
    checks: {
      ...pyconfig.checks,
      Py_REMOTE_DEBUG: { kind: 'value', value: '1', why: '3.14 configure.ac 7290: --with-remote-debug, default yes.' },
      _PYTHREAD_NAME_MAXLEN: {
        kind: 'expr',
        value: '15',
        when: "host_machine.system() == 'linux'",
        why: '3.14 configure.ac 7861: pthread_setname_np() takes 15 characters on Linux.',
      },
      // Only in 3.14.0's pyconfig.h.in (later 3.14 releases dropped the check).
      _Py_NORMALIZE_CENTURY: {
        kind: 'runs',
        code: `#include <time.h>
#include <string.h>

int main(void)
{
  char year[5];
  struct tm date = {
    .tm_year = -1801,
    .tm_mon = 0,
    .tm_mday = 1
  };
  if (strftime(year, sizeof(year), "%Y", &date) && !strcmp(year, "0099")) {
    return 1;
  }
  return 0;
}
`,
        why: '3.14.0 configure.ac 6795: strftime("%Y") of year 99 is not zero-padded, so _datetime normalizes it.',
      },
      _Py_STACK_GROWS_DOWN: {
        kind: 'expr',
        value: "host_machine.cpu_family() in ['parisc'] ? '0' : '1'",
        why: '3.14 configure.ac 1207: the stack grows down everywhere but on hppa.',
      },
    },
    undefined: {
      ...pyconfig.undefined,
      Py_TAIL_CALL_INTERP: '3.14 configure.ac: --with-tail-call-interp is opt-in (needs clang 19).',
      _Py_HACL_CAN_COMPILE_VEC128: 'the BLAKE2 SIMD128 objects are not built (LIBHACL_BLAKE2_SIMD128_OBJS is empty).',
      _Py_HACL_CAN_COMPILE_VEC256: 'the BLAKE2 SIMD256 objects are not built (LIBHACL_BLAKE2_SIMD256_OBJS is empty).',
      _Py_FFI_SUPPORT_C_COMPLEX: '3.14 configure.ac 4230: a run test calling libffi with double complex; ctypes goes without complex types.',
      _Py_LINKER_THREAD_STACK_SIZE: '3.14 configure.ac 2474: only where configure raises the thread stack size (not Linux).',
    },
  },
  dependencies: {
    ...baseManifest.dependencies,
    zstd: {
      title: 'Zstandard',
      names: ['libzstd'],
      version: '>=1.4.5',
      fallbackLibraries: ['zstd'],
      fallbackHeader: 'zstd.h',
      license: 'BSD-3-Clause OR GPL-2.0-only',
      debianPackage: 'libzstd-dev',
      linkCheck: 'ZDICT_finalizeDictionary',
    },
    hacl_md5: hacl('MD5', 'MD5', 'libHacl_Hash_MD5'),
    hacl_sha1: hacl('SHA1', 'SHA-1', 'libHacl_Hash_SHA1'),
    hacl_sha2: hacl('SHA2', 'SHA-2', 'libHacl_Hash_SHA2'),
    hacl_sha3: hacl('SHA3', 'SHA-3', 'libHacl_Hash_SHA3'),
    hacl_blake2: hacl('BLAKE2', 'BLAKE2', 'libHacl_Hash_BLAKE2'),
    // LIBHACL_HMAC_OBJS repeats the other components' objects; _hmac links those libraries instead.
    hacl_hmac: {
      ...hacl('HMAC', 'HMAC', 'libHacl_HMAC'),
      bundled: {
        ...hacl('HMAC', 'HMAC', 'libHacl_HMAC').bundled!,
        omitVars: ['LIBHACL_MD5_OBJS', 'LIBHACL_SHA1_OBJS', 'LIBHACL_SHA2_OBJS', 'LIBHACL_SHA3_OBJS', 'LIBHACL_BLAKE2_OBJS'],
      },
    },
  },
  modules: {
    ...without(baseManifest.modules, '_testexternalinspection'),
    _md5: { deps: ['hacl_md5'] },
    _sha1: { deps: ['hacl_sha1'] },
    _sha2: { deps: ['hacl_sha2'] },
    _sha3: { deps: ['hacl_sha3'] },
    _blake2: { deps: ['hacl_blake2'] },
    _hmac: { deps: ['hacl_hmac', 'hacl_md5', 'hacl_sha1', 'hacl_sha2', 'hacl_sha3', 'hacl_blake2'] },
    _zstd: { deps: ['zstd'] },
  },
};

export default manifest;
