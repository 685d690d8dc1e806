// CPython 3.12.x: what differs from the common base (cpython-manifests/common/base.ts); what 3.12
// shares with 3.11 is in common/legacy.ts. Written from docs (the build facts page) and tested by
// generating from the fixture tree spec/fixtures/cpython-3.12: generated only, never built here.
//
// - The build scripts moved to Tools/build/ (the base's freezeModules). deepfreeze is still there:
//   Tools/build/deepfreeze.py writes Python/deepfreeze/deepfreeze.c, and frozen.c both includes the
//   frozen headers and refers to the deepfreeze getters.
// - setup.py is gone: every module comes from Setup.stdlib.in, _typing from Setup.bootstrap.in
//   (scanned). HACL* SHA-2 (libHacl_Hash_SHA2.a) is in the base already.
// - No mimalloc; the perf trampoline (asm_trampoline.S) arrives, as in the base.
import type { Manifest } from '../generator/manifest/types.js';
import { baseManifest, without } from './common/base.js';
import { wasiSite } from './common/pyconfig.js';
import { dependenciesBefore313, includeDirsBefore313, systemArgsBefore313, pep594Modules, testModulesFrom313 } from './common/legacy.js';

const manifest: Manifest = {
  ...baseManifest,
  series: '3.12',
  range: '>=3.12.0-0 <3.13.0-0',
  status: 'generated-only',
  core: {
    ...baseManifest.core,
    systemArgs: systemArgsBefore313,
    includeDirs: includeDirsBefore313,
    programs: {
      ...baseManifest.core.programs,
      deepfreeze: { script: 'Tools/build/deepfreeze.py', output: 'Python/deepfreeze/deepfreeze.c' },
    },
  },
  pyconfig: { ...baseManifest.pyconfig, configSite: { 'wasm32-wasi': wasiSite('3.12') } },
  dependencies: dependenciesBefore313,
  modules: {
    ...without(baseManifest.modules, ...testModulesFrom313),
    ...pep594Modules,
  },
};

export default manifest;
