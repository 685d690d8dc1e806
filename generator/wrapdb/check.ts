// Checks a WrapDB contribution (releases.json, subprojects/<name>.wrap, subprojects/packagefiles/<name>/)
// against the rules of mesonbuild/wrapdb's tools/sanity_checks.py that can be checked without the
// wrapdb repository's git history or a CI machine:
//
//   wrap-name        the name matches [a-z][a-z-1-9._-]*
//   releases-json    keys sorted, only versions/dependency_names/program_names, versions "<ver>-<rev>"
//                    with ver [a-z0-9._]+ and rev [0-9]+, newest first (RPM-style ordering)
//   wrap-file        first section [wrap-file] with directory, source_filename (no path separators,
//                    stem = directory, directory-version or name-version), source_url, source_hash
//                    (sha256), method meson
//   source-url       the release version appears in source_url
//   provide          a non-empty [provide] section naming what releases.json names
//   patch-directory  patch_directory exists under subprojects/packagefiles/
//   permitted-files  only meson.build, meson_options.txt, meson.options, LICENSE.build, generator.sh,
//                    *.h.meson, *.def, plus per-project exceptions (which WrapDB must grant)
//   no-tabs          no tabs in meson.build / meson.options / meson_options.txt
//   meson-format     `meson format --check-only` clean with WrapDB's meson.format and .editorconfig
//   license          project(license: ...) is a single SPDX expression string
//   default-options  project(default_options: ...) sets none of buildtype, debug, optimization,
//                    prefer_static, strip, unity
//   project-version  project(version: ...) is the release's upstream version
//   test-suite       a test() in suite '<name>' (WrapDB runs `meson test --suite <name>`)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { findTool, mesonVersionOf } from '../util/tools.js';
import { checkWrapdbFormat, FORMAT_CHECK_FILES, hasMesonFormat } from './format.js';
import { findCalls, MesonSyntaxError, showValue, stringsOf, type MesonValue } from './meson-calls.js';
import { spdxProblems } from './spdx.js';
import { compareWrapVersions, IniSyntaxError, parseIni, parseWrapVersion, splitNames, WRAP_NAME, type IniFile } from './wrap-file.js';

export const RULES = [
  'wrap-name',
  'releases-json',
  'wrap-file',
  'source-url',
  'provide',
  'patch-directory',
  'permitted-files',
  'no-tabs',
  'meson-format',
  'license',
  'default-options',
  'project-version',
  'test-suite',
] as const;
export type RuleId = (typeof RULES)[number];

/**
 * error: breaks a WrapDB rule. exception: allowed only once WrapDB grants the per-project
 * exception the contribution asks for. skipped: the rule could not be checked (the reason says why).
 */
export type Severity = 'error' | 'exception' | 'skipped';

export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** Path relative to the contribution root, forward slashes ('' for the whole contribution). */
  file: string;
  message: string;
}

export interface CheckOptions {
  /** The wrap's name; defaults to 'cpython'. */
  name?: string;
  /**
   * Files (by name) of the patch directory that are allowed only through WrapDB's
   * PER_PROJECT_PERMITTED_FILES; reported with severity 'exception'. Defaults to what
   * cpython-meson's overlay needs: { cpython: ['cpython_meson.py'] }.
   */
  exceptions?: Readonly<Record<string, readonly string[]>>;
  /** The meson to run for meson-format; defaults to meson on PATH; null skips the rule. */
  meson?: string | null;
}

export interface CheckReport {
  dir: string;
  name: string;
  /** The newest release in releases.json, e.g. 3.13.15-1 (null when unreadable). */
  release: string | null;
  findings: Finding[];
  /** No finding of severity 'error'. */
  ok: boolean;
}

/** Per-project permitted files cpython-meson's overlay asks WrapDB for. */
export const REQUESTED_EXCEPTIONS: Readonly<Record<string, readonly string[]>> = { [WRAP_NAME]: ['cpython_meson.py'] };

/** tools/sanity_checks.py PERMITTED_FILES. */
export const PERMITTED_FILES: ReadonlySet<string> = new Set(['generator.sh', 'meson.build', 'meson_options.txt', 'meson.options', 'LICENSE.build']);
const PERMITTED_KEYS = new Set(['versions', 'dependency_names', 'program_names']);
const FORBIDDEN_DEFAULT_OPTIONS = new Set(['buildtype', 'debug', 'optimization', 'prefer_static', 'strip', 'unity']);
const NO_TABS_FILES = FORMAT_CHECK_FILES;

/** True when WrapDB accepts a file of this name in a patch directory without an exception. */
export function isPermittedFile(filename: string): boolean {
  return PERMITTED_FILES.has(filename) || filename.endsWith('.h.meson') || filename.endsWith('.def');
}

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, p));
    else out.push(p);
  }
  return out;
}

interface Ctx {
  dir: string;
  name: string;
  findings: Finding[];
  add(rule: RuleId, severity: Severity, file: string, message: string): void;
}

interface ReleaseInfo {
  version: string;
  upstream: string;
  dependencyNames: string[];
  programNames: string[];
}

function checkReleases(ctx: Ctx): ReleaseInfo | null {
  const file = 'releases.json';
  const abs = path.join(ctx.dir, file);
  if (!existsSync(abs)) {
    ctx.add('releases-json', 'error', file, 'missing; it must hold the entry to add to WrapDB\'s releases.json');
    return null;
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(abs, 'utf8'));
  } catch (err) {
    ctx.add('releases-json', 'error', file, `not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    ctx.add('releases-json', 'error', file, 'expected a JSON object {"<name>": {...}}');
    return null;
  }
  const obj = data as Record<string, unknown>;
  const keys = Object.keys(obj);
  const sorted = [...keys].sort();
  if (keys.join('\0') !== sorted.join('\0')) ctx.add('releases-json', 'error', file, 'the project names are not sorted');
  const entry = obj[ctx.name];
  if (entry === undefined) {
    ctx.add('releases-json', 'error', file, `has no entry for ${JSON.stringify(ctx.name)}`);
    return null;
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    ctx.add('releases-json', 'error', file, `the entry for ${JSON.stringify(ctx.name)} is not an object`);
    return null;
  }
  const e = entry as Record<string, unknown>;
  for (const k of Object.keys(e)) {
    if (!PERMITTED_KEYS.has(k)) ctx.add('releases-json', 'error', file, `key ${JSON.stringify(k)} is not permitted (only ${[...PERMITTED_KEYS].join(', ')})`);
  }
  const names = (key: string): string[] => {
    const v = e[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) {
      ctx.add('releases-json', 'error', file, `${key} must be a list of strings`);
      return [];
    }
    return v;
  };
  const versions = e.versions;
  if (!Array.isArray(versions) || versions.length === 0 || !versions.every((v): v is string => typeof v === 'string')) {
    ctx.add('releases-json', 'error', file, 'versions must be a non-empty list of "<version>-<revision>" strings');
    return null;
  }
  let valid = true;
  for (const v of versions) {
    const m = /^(.+)-([^-]*)$/.exec(v);
    if (!m || !/^[a-z0-9._]+$/.test(m[1] ?? '') || !/^[0-9]+$/.test(m[2] ?? '') || !parseWrapVersion(v)) {
      ctx.add('releases-json', 'error', file, `${JSON.stringify(v)} is not a valid release name ("<version>-<revision>", version [a-z0-9._]+, revision [0-9]+)`);
      valid = false;
    }
  }
  if (valid) {
    for (let i = 1; i < versions.length; i++) {
      if (compareWrapVersions(versions[i - 1] ?? '', versions[i] ?? '') < 0) {
        ctx.add('releases-json', 'error', file, `versions are not sorted newest first (${versions[i - 1]} before ${versions[i]})`);
        break;
      }
    }
  }
  const version = versions[0] ?? '';
  return {
    version,
    upstream: version.replace(/-[^-]*$/, ''),
    dependencyNames: names('dependency_names'),
    programNames: names('program_names'),
  };
}

function noSeparators(value: string): boolean {
  return !value.includes('/') && !value.includes('\\');
}

function checkWrap(ctx: Ctx, release: ReleaseInfo | null): string | null {
  const file = `subprojects/${ctx.name}.wrap`;
  const abs = path.join(ctx.dir, file);
  if (!existsSync(abs)) {
    ctx.add('wrap-file', 'error', file, 'missing');
    return null;
  }
  let ini: IniFile;
  try {
    ini = parseIni(readFileSync(abs, 'utf8'));
  } catch (err) {
    ctx.add('wrap-file', 'error', file, err instanceof IniSyntaxError ? err.message : String(err));
    return null;
  }
  const first = ini.sections[0];
  if (!first || first.name !== 'wrap-file') {
    ctx.add('wrap-file', 'error', file, `the first section must be [wrap-file]${first ? `, not [${first.name}]` : ''}`);
    return null;
  }
  const w = first.entries;
  for (const key of ['directory', 'source_filename', 'source_url', 'source_hash']) {
    if (!w.get(key)) ctx.add('wrap-file', 'error', file, `[wrap-file] has no ${key}`);
  }
  const directory = w.get('directory') ?? '';
  const filename = w.get('source_filename') ?? '';
  if (directory && !noSeparators(directory)) ctx.add('wrap-file', 'error', file, `directory ${JSON.stringify(directory)} contains a path separator`);
  if (filename && !noSeparators(filename)) ctx.add('wrap-file', 'error', file, `source_filename ${JSON.stringify(filename)} contains a path separator`);
  if (directory && filename && release) {
    const stem = filename.replace(/(\.tar)?\.[a-z0-9]+$/, '');
    const plain = release.upstream.split('-')[0] ?? release.upstream;
    if (stem !== directory && stem !== `${directory}-${plain}` && stem !== `${ctx.name}-${plain}`) {
      ctx.add('wrap-file', 'error', file, `the stem of source_filename ${JSON.stringify(filename)} is not "${directory}", "${directory}-${plain}" or "${ctx.name}-${plain}"`);
    }
  }
  const hash = w.get('source_hash');
  if (hash && !/^[0-9a-f]{64}$/.test(hash)) ctx.add('wrap-file', 'error', file, 'source_hash must be the sha256 of the tarball (64 lower-case hex digits)');
  const method = (w.get('method') ?? 'meson').trim();
  if (method !== 'meson') ctx.add('wrap-file', 'error', file, `method ${JSON.stringify(method)}: WrapDB only accepts wraps built with the "meson" method`);

  const url = w.get('source_url');
  if (url && release) {
    const v = release.upstream;
    if (!url.includes(v) && !url.includes(v.replace(/\./g, '_'))) ctx.add('source-url', 'error', file, `version ${v} does not appear in source_url ${url}`);
  }

  const provide = ini.sections.find((s) => s.name === 'provide');
  if (!provide || provide.entries.size === 0) {
    ctx.add('provide', 'error', file, 'no [provide] section (or an empty one): say which dependencies and programs the wrap provides');
  }
  if (release) {
    const deps = provide ? splitNames(provide.entries.get('dependency_names')) : [];
    const progs = provide ? splitNames(provide.entries.get('program_names')) : [];
    if (provide) {
      for (const k of provide.entries.keys()) if (k !== 'dependency_names' && k !== 'program_names') deps.push(k.trim());
    }
    const same = (a: string[], b: string[]): boolean => [...a].sort().join('\0') === [...b].sort().join('\0');
    if (!same(deps, release.dependencyNames)) {
      ctx.add('provide', 'error', file, `[provide] dependencies (${deps.join(', ') || 'none'}) differ from releases.json dependency_names (${release.dependencyNames.join(', ') || 'none'})`);
    }
    if (!same(progs, release.programNames)) {
      ctx.add('provide', 'error', file, `[provide] programs (${progs.join(', ') || 'none'}) differ from releases.json program_names (${release.programNames.join(', ') || 'none'})`);
    }
  }
  const patchDirectory = w.get('patch_directory');
  if (!patchDirectory) return null;
  const patchRel = `subprojects/packagefiles/${patchDirectory}`;
  const patchAbs = path.join(ctx.dir, patchRel);
  if (!existsSync(patchAbs) || !statSync(patchAbs).isDirectory()) {
    ctx.add('patch-directory', 'error', file, `patch_directory ${JSON.stringify(patchDirectory)}: ${patchRel}/ does not exist`);
    return null;
  }
  return patchRel;
}

function checkProject(ctx: Ctx, patchRel: string, release: ReleaseInfo | null): void {
  const file = `${patchRel}/meson.build`;
  const abs = path.join(ctx.dir, file);
  if (!existsSync(abs)) {
    for (const rule of ['license', 'default-options', 'project-version'] as const) {
      ctx.add(rule, 'error', file, 'the patch directory has no top-level meson.build with project()');
    }
    return;
  }
  let project;
  try {
    project = findCalls(readFileSync(abs, 'utf8'), 'project')[0];
  } catch (err) {
    const msg = err instanceof MesonSyntaxError ? err.message : String(err);
    for (const rule of ['license', 'default-options', 'project-version'] as const) ctx.add(rule, 'error', file, `cannot read project(): ${msg}`);
    return;
  }
  if (!project) {
    for (const rule of ['license', 'default-options', 'project-version'] as const) ctx.add(rule, 'error', file, 'no project() call');
    return;
  }
  const where = `${file}:${project.line}`;
  const license = project.kwargs.get('license');
  if (!license) ctx.add('license', 'error', where, 'project() has no license: keyword; give an SPDX license expression');
  else if (license.kind === 'array') ctx.add('license', 'error', where, `license: ${showValue(license)} uses the legacy list syntax; write one SPDX expression string`);
  else if (license.kind !== 'string') ctx.add('license', 'error', where, `license: ${showValue(license)} is not a string literal`);
  else for (const p of spdxProblems(license.value)) ctx.add('license', 'error', where, `license: '${license.value}': ${p}`);

  const opts = project.kwargs.get('default_options');
  if (opts) {
    const names: string[] = [];
    let readable = true;
    if (opts.kind === 'dict') {
      for (const [k] of opts.entries) {
        if (k.kind === 'string') names.push(k.value);
        else readable = false;
      }
    } else {
      const list = stringsOf(opts);
      if (list === null) readable = false;
      else names.push(...list.map((o) => o.split('=')[0]?.trim() ?? ''));
    }
    if (!readable) ctx.add('default-options', 'skipped', where, `default_options: ${showValue(opts)} is not all literals; check it by hand`);
    for (const n of names) {
      if (FORBIDDEN_DEFAULT_OPTIONS.has(n)) ctx.add('default-options', 'error', where, `${n} is not permitted in default_options`);
    }
  }

  if (release) {
    const version = project.kwargs.get('version');
    if (!version) ctx.add('project-version', 'error', where, `project() has no version: (WrapDB checks it is ${release.upstream})`);
    else if (version.kind !== 'string') ctx.add('project-version', 'skipped', where, `version: ${showValue(version)} is not a literal; WrapDB compares the configured version with ${release.upstream}`);
    else if (version.value !== release.upstream) ctx.add('project-version', 'error', where, `version '${version.value}' is not the release's version ${release.upstream}`);
  }
}

function suiteHas(value: MesonValue | undefined, name: string): boolean | null {
  const list = stringsOf(value);
  return list === null ? null : list.includes(name);
}

async function checkPatchFiles(ctx: Ctx, patchRel: string, options: CheckOptions): Promise<void> {
  const files = listFiles(path.join(ctx.dir, patchRel));
  const exceptions = new Set((options.exceptions ?? REQUESTED_EXCEPTIONS)[ctx.name] ?? []);
  const mesonFiles: Array<{ path: string; content: string }> = [];
  let tests = 0;
  let unknownSuites = 0;
  for (const rel of files) {
    const file = `${patchRel}/${rel}`;
    const base = path.posix.basename(rel);
    if (!isPermittedFile(base)) {
      if (exceptions.has(base)) {
        ctx.add('permitted-files', 'exception', file, `permitted only by a per-project exception: WrapDB's tools/sanity_checks.py needs '${ctx.name}': {'${base}'} in PER_PROJECT_PERMITTED_FILES`);
      } else {
        ctx.add('permitted-files', 'error', file, `${JSON.stringify(base)} is not a permitted file in a patch directory (only ${[...PERMITTED_FILES].join(', ')}, *.h.meson, *.def and per-project exceptions)`);
      }
      continue;
    }
    if (!FORMAT_CHECK_FILES.has(base)) continue;
    const content = readFileSync(path.join(ctx.dir, file), 'utf8');
    mesonFiles.push({ path: rel, content });
    if (NO_TABS_FILES.has(base) && content.includes('\t')) {
      const line = content.split('\n').findIndex((l) => l.includes('\t')) + 1;
      ctx.add('no-tabs', 'error', `${file}:${line}`, 'tabs are not allowed in Meson files');
    }
    if (base === 'meson.build') {
      try {
        for (const call of findCalls(content, 'test')) {
          const has = suiteHas(call.kwargs.get('suite'), ctx.name);
          if (has === null) unknownSuites++;
          else if (has) tests++;
        }
      } catch (err) {
        ctx.add('test-suite', 'error', file, `cannot read test() calls: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  if (tests === 0) {
    ctx.add(
      'test-suite',
      unknownSuites ? 'skipped' : 'error',
      patchRel,
      unknownSuites
        ? `no test() with a literal suite: '${ctx.name}'; ${unknownSuites} test() call(s) compute their suite, check by hand`
        : `no test() with suite: '${ctx.name}' (WrapDB runs \`meson test --suite ${ctx.name}\`)`,
    );
  }

  const meson = options.meson === undefined ? await findTool('meson') : options.meson;
  if (meson === null) {
    ctx.add('meson-format', 'skipped', patchRel, 'meson not found (or not wanted): `meson format` was not run');
    return;
  }
  const version = await mesonVersionOf(meson).catch(() => '');
  if (!hasMesonFormat(version)) {
    ctx.add('meson-format', 'skipped', patchRel, `meson ${version || '(unknown version)'} has no \`meson format\` (needs >= 1.5.0)`);
    return;
  }
  const formatted = await checkWrapdbFormat(meson, ctx.name, mesonFiles);
  for (const [rel, problem] of formatted) {
    if (problem !== null) ctx.add('meson-format', 'error', `${patchRel}/${rel}`, `not formatted as WrapDB's meson format configuration wants (${problem}); run \`meson format -i -c meson.format\` in a wrapdb checkout`);
  }
}

/** Checks the contribution rooted at `dir` (holding releases.json and subprojects/). */
export async function checkContribution(dir: string, options: CheckOptions = {}): Promise<CheckReport> {
  const name = options.name ?? WRAP_NAME;
  const findings: Finding[] = [];
  const ctx: Ctx = {
    dir: path.resolve(dir),
    name,
    findings,
    add(rule, severity, file, message) {
      findings.push({ rule, severity, file, message });
    },
  };
  if (!/^[a-z][a-z\-1-9._-]*$/.test(name)) ctx.add('wrap-name', 'error', '', `${JSON.stringify(name)} does not match [a-z][a-z-1-9._-]*`);
  const release = checkReleases(ctx);
  const patchRel = checkWrap(ctx, release);
  if (patchRel) {
    checkProject(ctx, patchRel, release);
    await checkPatchFiles(ctx, patchRel, options);
  }
  findings.sort((a, b) => RULES.indexOf(a.rule) - RULES.indexOf(b.rule));
  return { dir: ctx.dir, name, release: release?.version ?? null, findings, ok: !findings.some((f) => f.severity === 'error') };
}

/** The report as lines: one per rule (ok, or its findings), then a summary line. */
export function formatCheckReport(report: CheckReport): string[] {
  const lines = [`WrapDB rules check of ${report.dir} (wrap ${report.name}${report.release ? `, release ${report.release}` : ''}):`];
  const width = Math.max(...RULES.map((r) => r.length));
  for (const rule of RULES) {
    const mine = report.findings.filter((f) => f.rule === rule);
    if (mine.length === 0) {
      lines.push(`  ok         ${rule.padEnd(width)}`.trimEnd());
      continue;
    }
    for (const f of mine) lines.push(`  ${f.severity.padEnd(9)}  ${rule.padEnd(width)}  ${f.file ? `${f.file}: ` : ''}${f.message}`);
  }
  const count = (s: Severity): number => report.findings.filter((f) => f.severity === s).length;
  const errors = count('error');
  lines.push(
    `${errors === 0 ? 'PASS' : 'FAIL'}: ${errors} error(s), ${count('exception')} file(s) needing a WrapDB per-project exception, ${count('skipped')} check(s) skipped`,
  );
  return lines;
}
