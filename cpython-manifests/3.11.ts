// CPython 3.11.x: what differs from the common base (cpython-manifests/common/base.ts); what 3.11
// shares with 3.12 is in common/legacy.ts.
//
// - The build scripts live in Tools/scripts/, and deepfreeze.py turns the frozen headers into
//   Python/deepfreeze/deepfreeze.c, which frozen.c refers to (DEEPFREEZE_OBJS in LIBRARY_OBJS).
// - No mimalloc, no perf trampoline, no HACL*: plain C _md5/_sha1/_sha256/_sha512/_sha3.
// - On Linux, setup.py builds the shared modules. Setup.stdlib.in has the lines of _ctypes,
//   _curses, _curses_panel, readline and _dbm commented out, so their sources come from here
//   (setup.py's detect_* functions); xxsubtype is a static line of Modules/Setup.
import type { Manifest } from '../generator/manifest/types.js';
import { baseManifest, without } from './common/base.js';
import { wasiSite } from './common/pyconfig.js';
import { dependenciesBefore313, includeDirsBefore313, systemArgsBefore313, pep594Modules, testModulesFrom313 } from './common/legacy.js';

const base = baseManifest.modules;

const manifest: Manifest = {
  ...baseManifest,
  series: '3.11',
  range: '>=3.11.0-0 <3.12.0-0',
  status: 'built-and-tested',
  paths: {
    ...baseManifest.paths,
    freezeModules: 'Tools/scripts/freeze_modules.py',
    setupFiles: ['Modules/Setup.stdlib.in', 'Modules/Setup.bootstrap.in', 'Modules/Setup'],
  },
  core: {
    ...baseManifest.core,
    systemArgs: systemArgsBefore313,
    substitutions: without(baseManifest.core.substitutions, 'PERF_TRAMPOLINE_OBJ'),
    conditionalObjects: [],
    includeDirs: includeDirsBefore313,
    programs: {
      ...baseManifest.core.programs,
      deepfreeze: { script: 'Tools/scripts/deepfreeze.py', output: 'Python/deepfreeze/deepfreeze.c' },
    },
  },
  pyconfig: { ...baseManifest.pyconfig, configSite: { 'wasm32-wasi': wasiSite('3.11') } },
  dependencies: without(dependenciesBefore313, 'hacl_sha2'),
  modules: {
    ...without(base, '_sha2', '_md5', '_sha1', '_testsinglephase', ...testModulesFrom313),
    ...pep594Modules,
    // setup.py's detect_ctypes with the system libffi; its HAVE_FFI_* tests grep ffi.h.
    _ctypes: {
      ...base['_ctypes'],
      cArgs: ['-fno-strict-overflow', '-DHAVE_FFI_PREP_CIF_VAR=1', '-DHAVE_FFI_PREP_CLOSURE_LOC=1', '-DHAVE_FFI_CLOSURE_ALLOC=1'],
      sources: ['_ctypes/_ctypes.c', '_ctypes/callbacks.c', '_ctypes/callproc.c', '_ctypes/stgdict.c', '_ctypes/cfield.c'],
    },
    // setup.py's detect_readline_curses: the ncursesw defines.
    _curses: { ...base['_curses'], cArgs: ['-DHAVE_NCURSESW=1', '-D_XOPEN_SOURCE_EXTENDED=1'], sources: ['_cursesmodule.c'] },
    _curses_panel: { ...base['_curses_panel'], cArgs: ['-DHAVE_NCURSESW=1', '-D_XOPEN_SOURCE_EXTENDED=1'], sources: ['_curses_panel.c'] },
    readline: { ...base['readline'], sources: ['readline.c'] },
    // Modules/_testclinic.c and its Setup.stdlib.in line came with 3.11.2 (a backport from 3.12).
    _testclinic: { ...base['_testclinic'], since: '3.11.2' },
    // setup.py's detect_dbm_gdbm, the "gdbm" candidate (-DUSE_GDBM_COMPAT, -lgdbm_compat).
    _dbm: { ...base['_dbm'], sources: ['_dbmmodule.c'] },
  },
};

export default manifest;
