// The generator's pipeline: scan the checkout -> merge with the manifest into one build model -> emit.
import path from 'node:path';
import { emit, type EmitOptions } from './emit/emit.js';
import type { GeneratedFile } from './emit/types.js';
import { loadManifests, selectManifest } from './manifest/select.js';
import { buildModel } from './model/build-model.js';
import type { BuildModel } from './model/types.js';
import { detectCheckout, scanCheckout } from './scan/checkout.js';
import { readVersion } from './scan/patchlevel.js';
import type { CPythonVersion } from './scan/types.js';

export { GENERATED_MARKER } from './emit/marker.js';
export type { GeneratedFile } from './emit/types.js';

export interface GenerateResult {
  version: CPythonVersion;
  /** Series of the manifest used, e.g. "3.13". */
  manifestSeries: string;
  files: GeneratedFile[];
  /** Notes for the user, e.g. pyconfig.h.in macros the manifest does not account for. */
  warnings: string[];
  model: BuildModel;
}

/** `options`: the indent of the generated data files (4; 2 for WrapDB), the pyconfig test programs inline (WrapDB). */
export async function generate(checkout: string, options: EmitOptions = {}): Promise<GenerateResult> {
  const root = path.resolve(checkout);
  detectCheckout(root);
  const version = readVersion(root);
  const manifest = selectManifest(await loadManifests(), version.semver, path.join(root, 'Include/patchlevel.h'));
  const scan = scanCheckout(root, manifest.paths);
  const { model, warnings } = buildModel(scan, manifest);
  return { version, manifestSeries: manifest.series, files: emit(model, options), warnings, model };
}
