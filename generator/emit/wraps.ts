// The wraps `generate` writes into <checkout>/subprojects/: our pinned wrap definitions from
// wraps/<name>.wrap (named and [provide]d as WrapDB does) for the dependencies the model uses,
// plus the overlays we ship for some of them (wraps/packagefiles/<name>/, a wrap's
// patch_directory), copied to subprojects/packagefiles/<name>/.
//
// Every file written carries GENERATED_MARKER in a comment on its first line, so the writer may
// overwrite it on the next run (and never overwrites a wrap the user put there by hand).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CpmError } from '../errors.js';
import type { DependencyModel } from '../model/types.js';
import type { GeneratedFile } from './types.js';
import { GENERATED_MARKER } from './marker.js';
import { byCodePoint } from '../util/order.js';

/** <repo>/wraps, from dist/generator/emit/. */
export const wrapsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../wraps');

/** A parsed .wrap file: sections in order, each with its keys (comments dropped). */
export interface WrapDefinition {
  /** "wrap-file", "wrap-git", ... */
  kind: string;
  /** Keys of the first section (directory, source_url, ...). */
  fields: Record<string, string>;
  /** Dependency names the [provide] section offers: dependency_names entries and `name = variable` keys. */
  provides: string[];
}

/** Parses the INI dialect of .wrap files (configparser: `key = value`, `#`/`;` comments). */
export function parseWrap(text: string, file: string): WrapDefinition {
  const sections: { name: string; fields: Record<string, string> }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header?.[1]) {
      sections.push({ name: header[1].trim(), fields: {} });
      return;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    const current = sections[sections.length - 1];
    if (!kv?.[1] || kv[2] === undefined || !current) {
      throw new CpmError(`line ${i + 1}: expected [section] or key = value, got ${JSON.stringify(raw)}`, { file });
    }
    current.fields[kv[1]] = kv[2];
  });
  const first = sections[0];
  if (!first || !first.name.startsWith('wrap-')) throw new CpmError('expected a [wrap-file] (or other [wrap-*]) section first', { file });
  const provide = sections.find((s) => s.name === 'provide');
  const provides: string[] = [];
  for (const [key, value] of Object.entries(provide?.fields ?? {})) {
    if (key === 'dependency_names') provides.push(...value.split(',').map((s) => s.trim()).filter(Boolean));
    else if (key !== 'program_names') provides.push(key);
  }
  return { kind: first.name, fields: first.fields, provides };
}

/** Checks what Meson needs of a [wrap-file] we ship: a pinned source and an overlay it can find. */
export function checkWrap(w: WrapDefinition, file: string): void {
  if (w.kind !== 'wrap-file') throw new CpmError(`expected [wrap-file], got [${w.kind}]`, { file });
  for (const key of ['directory', 'source_url', 'source_filename', 'source_hash']) {
    if (!w.fields[key]) throw new CpmError(`expected a ${key} entry in [wrap-file]`, { file });
  }
  if (!/^[0-9a-f]{64}$/.test(w.fields['source_hash'] ?? '')) throw new CpmError('expected source_hash to be a sha256 (64 hex digits)', { file });
  const patchUrl = w.fields['patch_url'];
  if (patchUrl !== undefined && !/^[0-9a-f]{64}$/.test(w.fields['patch_hash'] ?? '')) {
    throw new CpmError('expected patch_hash (a sha256) with patch_url', { file });
  }
  if (patchUrl !== undefined && w.fields['patch_directory'] !== undefined) {
    throw new CpmError('expected either patch_url or patch_directory, not both', { file });
  }
  if (w.provides.length === 0) throw new CpmError('expected a [provide] section naming the dependencies the wrap provides', { file });
}

/** How a file of an overlay takes the marker comment, by name; null when it cannot. */
function commentLine(file: string, text: string): string | null {
  const base = path.basename(file);
  if (/^(meson\.build|meson\.options|meson_options\.txt)$/.test(base) || /\.(tcl|py|sh|wrap)$/.test(base)) return `# ${text}`;
  if (/\.(c|h|h\.meson)$/.test(base)) return `/* ${text} */`;
  return null;
}

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, rel)).sort(byCodePoint)) {
    const r = rel ? `${rel}/${entry}` : entry;
    if (statSync(path.join(dir, r)).isDirectory()) out.push(...listFiles(dir, r));
    else out.push(r);
  }
  return out;
}

/**
 * The wrap files (and overlays) of the model's dependencies, as files relative to the checkout:
 * subprojects/<wrap>.wrap and subprojects/packagefiles/<patch_directory>/... A dependency whose
 * wrap does not exist in `dir`, or whose wrap does not provide any of its dependency() names,
 * is an error: the generated build would look for a fallback that cannot work.
 */
export function wrapFiles(deps: readonly DependencyModel[], generatorVersion: string, dir: string = wrapsDir): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  const done = new Set<string>();
  const overlays = new Set<string>();
  for (const dep of [...deps].sort((a, b) => byCodePoint(a.name, b.name))) {
    const stem = dep.wrap;
    if (!stem || done.has(stem)) continue;
    done.add(stem);
    const rel = `wraps/${stem}.wrap`;
    const file = path.join(dir, `${stem}.wrap`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new CpmError(`no such wrap; the manifest's dependency ${dep.name} names wrap ${stem}`, { file: rel });
    }
    const wrap = parseWrap(text, rel);
    checkWrap(wrap, rel);
    if (!dep.names.some((n) => wrap.provides.includes(n))) {
      throw new CpmError(`[provide] offers ${wrap.provides.join(', ')}, none of the names dependency ${dep.name} is looked up by (${dep.names.join(', ')})`, {
        file: rel,
      });
    }
    const header = `# ${GENERATED_MARKER} ${generatorVersion} from ${rel}; do not edit.\n`;
    files.push({ path: `subprojects/${stem}.wrap`, content: header + text });
    const overlay = wrap.fields['patch_directory'];
    if (overlay && !overlays.has(overlay)) {
      overlays.add(overlay);
      const src = path.join(dir, 'packagefiles', overlay);
      let names: string[];
      try {
        names = listFiles(src);
      } catch {
        throw new CpmError(`patch_directory = ${overlay}, but wraps/packagefiles/${overlay}/ does not exist`, { file: rel });
      }
      if (!names.includes('meson.build')) throw new CpmError(`expected wraps/packagefiles/${overlay}/meson.build (the overlay's build file)`, { file: rel });
      for (const name of names) {
        const from = `wraps/packagefiles/${overlay}/${name}`;
        const comment = commentLine(name, `${GENERATED_MARKER} ${generatorVersion} from ${from}; do not edit.`);
        if (comment === null) throw new CpmError('cannot carry the generated-file marker (unknown comment syntax for this kind of file)', { file: from });
        const body = readFileSync(path.join(src, name), 'utf8');
        files.push({ path: `subprojects/packagefiles/${overlay}/${name}`, content: `${comment}\n${body}` });
      }
    }
  }
  return files.sort((a, b) => byCodePoint(a.path, b.path));
}
