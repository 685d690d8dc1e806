// What 3.11 and 3.12 share and 3.13 dropped: no mimalloc include directory, deepfreeze, the PEP 594
// C modules (_crypt, nis, ossaudiodev, spwd; audioop needs nothing), SQLite >= 3.7.15, and the
// bundled libmpdec as configure's default.
import type { CoreSpec, DependencySpec, ModuleSpec } from '../../generator/manifest/types.js';
import { baseManifest, wasiSystemArgs } from './base.js';

/**
 * core.systemArgs before 3.13: on WASI a 512 KiB stack and 10 MiB of initial memory (3.11 and 3.12
 * configure.ac). 3.11's config.site has no ac_cv_disable_int_conversion (wasi-sdk 16's clang 14
 * only warned); clang 16 needs it as much.
 */
export const systemArgsBefore313: NonNullable<CoreSpec['systemArgs']> = wasiSystemArgs(524288, 10485760);

/** core.includeDirs before mimalloc (Include/internal/mimalloc arrives in 3.13). */
export const includeDirsBefore313: string[] = baseManifest.core.includeDirs.filter((d) => d !== 'Include/internal/mimalloc');

/** Libraries only the PEP 594 modules use. */
export const pep594Dependencies: Record<string, DependencySpec> = {
  libcrypt: {
    title: 'libxcrypt',
    names: ['libxcrypt', 'libcrypt'],
    version: '>=3.1.1',
    fallbackLibraries: ['crypt'],
    fallbackHeader: 'crypt.h',
    license: 'LGPL-2.1-or-later',
    debianPackage: 'libcrypt-dev',
    linkCheck: 'crypt_r',
  },
  // glibc deprecated Sun RPC: nis needs libnsl and libtirpc (configure's LIBNSL_CFLAGS/LIBS).
  libnsl: {
    title: 'libnsl',
    names: ['libnsl'],
    fallbackLibraries: ['nsl'],
    fallbackHeader: 'rpcsvc/ypclnt.h',
    license: 'LGPL-2.1-or-later',
    debianPackage: 'libnsl-dev',
    linkCheck: 'yp_get_default_domain',
  },
  libtirpc: {
    title: 'libtirpc',
    names: ['libtirpc'],
    license: 'BSD-3-Clause',
    debianPackage: 'libtirpc-dev',
    linkCheck: 'clnt_create',
  },
};

/** configure.ac's PY_STDLIB_MOD tests of the PEP 594 modules. */
export const pep594Modules: Record<string, ModuleSpec> = {
  _crypt: { deps: ['libcrypt'] },
  nis: { deps: ['libnsl', 'libtirpc'] },
  ossaudiodev: { headers: ['linux/soundcard.h'] },
  spwd: { functions: ['getspent'] },
};

/** The dependencies of 3.11 and 3.12: SQLite >= 3.7.15, the bundled libmpdec by default, and the PEP 594 libraries. */
export const dependenciesBefore313: Record<string, DependencySpec> = {
  ...baseManifest.dependencies,
  sqlite3: { ...baseManifest.dependencies['sqlite3']!, version: '>=3.7.15' },
  mpdecimal: {
    ...baseManifest.dependencies['mpdecimal']!,
    bundled: { ...baseManifest.dependencies['mpdecimal']!.bundled!, systemDefault: false },
  },
  ...pep594Dependencies,
};

/** Test modules that arrive with 3.13 (listed in the base). */
export const testModulesFrom313 = ['_testclinic_limited', '_testlimitedcapi', '_testexternalinspection'];
