// The generator's name and version, read from package.json (their only home).
import { readFileSync } from 'node:fs';

/** The version in package.json, or 'unknown' when it cannot be read. */
export function packageVersion(): string {
  // Compiled: dist/generator/util/package.js (package.json three levels up); run from source: two levels up.
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8'));
      if (pkg && typeof pkg === 'object' && 'name' in pkg && pkg.name === 'cpython-meson' && 'version' in pkg && typeof pkg.version === 'string') {
        return pkg.version;
      }
    } catch {
      // try the next candidate
    }
  }
  return 'unknown';
}
