// CPython 3.13.x: what the checkout cannot tell. Everything else (sources, modules, frozen
// modules, pyconfig.h macros) is scanned from the checkout itself. 3.13 is the layout the common
// base describes (cpython-manifests/common/base.ts), so this manifest only names the series.
import type { Manifest } from '../generator/manifest/types.js';
import { baseManifest } from './common/base.js';

const manifest: Manifest = {
  ...baseManifest,
  series: '3.13',
  range: '>=3.13.0-0 <3.14.0-0',
  status: 'built-and-tested',
};

export default manifest;
