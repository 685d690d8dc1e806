// The files of a WrapDB contribution that are not Meson code: subprojects/<name>.wrap (an INI file
// read with Python's configparser, interpolation off) and the releases.json entry.
//
// Layout of a contribution (as in the mesonbuild/wrapdb repository):
//   releases.json                             {"<name>": {"dependency_names", "program_names", "versions"}}
//   subprojects/<name>.wrap                   [wrap-file] + [provide]
//   subprojects/packagefiles/<name>/...       the overlay Meson copies over the unpacked source

/** The wrap's name in WrapDB, its patch_directory, and its [provide] entries. */
export const WRAP_NAME = 'cpython';
export const PROVIDED_DEPENDENCIES: readonly string[] = ['python3-embed'];
export const PROVIDED_PROGRAMS: readonly string[] = ['python3'];

export interface WrapFileSpec {
  /** Top-level directory of the source tarball, e.g. Python-3.13.15. */
  directory: string;
  sourceUrl: string;
  sourceFilename: string;
  /** sha256 of the tarball, lower-case hex. */
  sourceHash: string;
  patchDirectory: string;
  dependencyNames: readonly string[];
  programNames: readonly string[];
}

/** A parsed INI file: sections in order, keys lower-cased (configparser's optionxform). */
export interface IniFile {
  sections: Array<{ name: string; line: number; entries: Map<string, string> }>;
}

export class IniSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'IniSyntaxError';
  }
}

/** Renders a .wrap file the way WrapDB's tools write them (configparser, single trailing newline). */
export function renderWrap(spec: WrapFileSpec): string {
  const lines = [
    '[wrap-file]',
    `directory = ${spec.directory}`,
    `source_url = ${spec.sourceUrl}`,
    `source_filename = ${spec.sourceFilename}`,
    `source_hash = ${spec.sourceHash}`,
    `patch_directory = ${spec.patchDirectory}`,
    '',
    '[provide]',
  ];
  if (spec.dependencyNames.length) lines.push(`dependency_names = ${spec.dependencyNames.join(', ')}`);
  if (spec.programNames.length) lines.push(`program_names = ${spec.programNames.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Parses INI text as Python's configparser.ConfigParser(interpolation=None) does: `key = value` or
 * `key: value`, full-line # and ; comments, indented continuation lines, duplicate sections and
 * keys are errors (strict mode), keys before any section are an error.
 */
export function parseIni(text: string): IniFile {
  const sections: IniFile['sections'] = [];
  let current: IniFile['sections'][number] | null = null;
  let lastKey: string | null = null;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    const stripped = raw.trim();
    if (stripped === '') {
      lastKey = null;
      return;
    }
    if (/^[#;]/.test(stripped)) return;
    if (/^\s/.test(raw) && current && lastKey !== null) {
      const prev = current.entries.get(lastKey) ?? '';
      current.entries.set(lastKey, prev === '' ? stripped : `${prev}\n${stripped}`);
      return;
    }
    const section = /^\[([^\]]+)\]\s*$/.exec(stripped);
    if (section) {
      const name = section[1] ?? '';
      if (sections.some((s) => s.name === name)) throw new IniSyntaxError(`section [${name}] appears twice`, line);
      current = { name, line, entries: new Map() };
      sections.push(current);
      lastKey = null;
      return;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(stripped);
    if (!kv) throw new IniSyntaxError(`expected "key = value", a [section] or a comment, got ${JSON.stringify(stripped)}`, line);
    if (!current) throw new IniSyntaxError('a key before the first [section]', line);
    const key = (kv[1] ?? '').toLowerCase();
    if (current.entries.has(key)) throw new IniSyntaxError(`key ${JSON.stringify(key)} appears twice in [${current.name}]`, line);
    current.entries.set(key, kv[2] ?? '');
    lastKey = key;
  });
  return { sections };
}

/** Comma-separated names of a [provide] entry, as WrapDB's sanity checks split them. */
export function splitNames(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export interface ReleasesEntry {
  dependency_names?: string[];
  program_names?: string[];
  versions: string[];
}

/** The releases.json entry for one new release, e.g. versions ["3.13.15-1"]. */
export function releasesEntry(version: string, revision: number, dependencyNames: readonly string[], programNames: readonly string[]): ReleasesEntry {
  const entry: ReleasesEntry = { versions: [`${version}-${revision}`] };
  if (dependencyNames.length) entry.dependency_names = [...dependencyNames];
  if (programNames.length) entry.program_names = [...programNames];
  return entry;
}

/** JSON as WrapDB's tools write it: json.dumps(indent=2, sort_keys=True) plus a newline. */
export function encodeReleases(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * Adds `entry` for `name` to an existing releases.json object (a WrapDB checkout's): the new
 * version goes first, older versions are kept, the provided names are replaced.
 */
export function mergeReleases(existing: Record<string, unknown>, name: string, entry: ReleasesEntry): Record<string, unknown> {
  const old = existing[name];
  const oldVersions =
    old !== null && typeof old === 'object' && 'versions' in old && Array.isArray(old.versions) ? old.versions.filter((v): v is string => typeof v === 'string') : [];
  const versions = [...entry.versions, ...oldVersions.filter((v) => !entry.versions.includes(v))];
  versions.sort((a, b) => -compareWrapVersions(a, b));
  return { ...existing, [name]: { ...entry, versions } };
}

type VersionPart = number | string;

/** Splits "<version>-<revision>" as WrapDB's tools/utils.py Version does (RPM-style ordering). */
export function parseWrapVersion(s: string): { parts: VersionPart[]; revision: number } | null {
  const m = /^(.+)-([0-9]+)$/.exec(s);
  if (!m) return null;
  const parts: VersionPart[] = [];
  for (const seq of (m[1] ?? '').match(/\d+|[a-zA-Z]+|[^a-zA-Z\d]+/g) ?? []) {
    if (/^[^a-zA-Z\d]+$/.test(seq)) continue;
    parts.push(/^\d+$/.test(seq) ? Number(seq) : seq);
  }
  return { parts, revision: Number(m[2]) };
}

/** <0, 0, >0 as WrapDB orders versions; throws for a version without a revision. */
export function compareWrapVersions(a: string, b: string): number {
  const va = parseWrapVersion(a);
  const vb = parseWrapVersion(b);
  if (!va || !vb) throw new Error(`missing or invalid revision: ${!va ? a : b}`);
  const n = Math.min(va.parts.length, vb.parts.length);
  for (let i = 0; i < n; i++) {
    const x = va.parts[i] as VersionPart;
    const y = vb.parts[i] as VersionPart;
    const xi = typeof x === 'number';
    const yi = typeof y === 'number';
    // A non-digit sequence sorts before a digit sequence.
    if (xi !== yi) return xi ? 1 : -1;
    if (x !== y) return x < y ? -1 : 1;
  }
  if (va.parts.length !== vb.parts.length) return va.parts.length - vb.parts.length;
  return va.revision - vb.revision;
}

/** python.org's download URL of a release tarball: the directory drops any a/b/rc suffix. */
export function pythonOrgUrl(version: string, filename: string): string {
  const dir = /^(\d+\.\d+\.\d+)/.exec(version)?.[1] ?? version;
  return `https://www.python.org/ftp/python/${dir}/${filename}`;
}
