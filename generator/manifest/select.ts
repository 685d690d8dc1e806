// Finds the manifest whose semver range holds a CPython version.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import semver from 'semver';
import { CpmError } from '../errors.js';
import type { Manifest } from './types.js';

/** dist/cpython-manifests, next to dist/generator (compiled from cpython-manifests/*.ts). */
export const manifestsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../cpython-manifests');

/** Every series manifest (files named like "3.13.js"), sorted by series. */
export async function loadManifests(dir: string = manifestsDir): Promise<Manifest[]> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d+\.\d+\.js$/.test(n));
  } catch {
    throw new CpmError(`no manifests found (expected compiled series manifests such as 3.13.js; run npm run build)`, { file: dir });
  }
  const manifests: Manifest[] = [];
  for (const name of names) {
    const mod = (await import(pathToFileURL(path.join(dir, name)).href)) as { default?: unknown };
    const m = mod.default;
    if (!isManifest(m)) {
      throw new CpmError(`malformed manifest: expected a default export with series, range, paths, core, frozen, pyconfig, dependencies and modules`, {
        file: path.join(dir, name),
      });
    }
    if (!semver.validRange(m.range)) {
      throw new CpmError(`malformed manifest: range "${m.range}" is not a semver range`, { file: path.join(dir, name) });
    }
    manifests.push(m);
  }
  return manifests.sort((a, b) => compareSeries(a.series, b.series));
}

function isManifest(value: unknown): value is Manifest {
  if (typeof value !== 'object' || value === null) return false;
  const keys = ['series', 'range', 'paths', 'core', 'frozen', 'pyconfig', 'dependencies', 'modules'];
  return keys.every((k) => k in value);
}

export function compareSeries(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/** The manifest for `version` (semver string), or a one-line error listing the supported versions. */
export function selectManifest(manifests: Manifest[], version: string, file: string): Manifest {
  const found = manifests.find((m) => semver.satisfies(version, m.range, { includePrerelease: true }));
  if (found) return found;
  const supported = manifests.map((m) => `${m.series} (${m.range})`).join(', ');
  throw new CpmError(
    `CPython ${version} is not supported; supported: ${supported}. Start a manifest for it with: cpython-meson manifest new <checkout>`,
    { file },
  );
}

/** The manifest of the nearest series (for `manifest new`). */
export function nearestManifest(manifests: Manifest[], series: string): Manifest | undefined {
  let best: Manifest | undefined;
  for (const m of manifests) {
    if (!best || Math.abs(compareSeries(m.series, series)) < Math.abs(compareSeries(best.series, series))) best = m;
  }
  return best;
}
