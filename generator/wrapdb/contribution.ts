// Writes a WrapDB contribution for a CPython release tarball:
//   <out>/subprojects/cpython.wrap                 [wrap-file] pointing at python.org's tarball + [provide]
//   <out>/subprojects/packagefiles/cpython/...     the files `cpython-meson generate` writes, formatted
//                                                  with WrapDB's meson format configuration
//   <out>/releases.json                            the "cpython" entry (merged into an existing file)
//   <out>/README.md                                how to submit it, and the exception it needs
// The tarball is unpacked to a temporary directory and generated into there; nothing else is read.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EmitOptions } from '../emit/emit.js';
import { GENERATED_MARKER } from '../emit/marker.js';
import { CpmError, ExitCode } from '../errors.js';
import type { GenerateResult } from '../pipeline.js';
import { findTool, mesonVersionOf } from '../util/tools.js';
import { formatForWrapdb, hasMesonFormat, runTool, type StagedFile } from './format.js';
import {
  encodeReleases,
  mergeReleases,
  PROVIDED_DEPENDENCIES,
  PROVIDED_PROGRAMS,
  pythonOrgUrl,
  releasesEntry,
  renderWrap,
  WRAP_NAME,
  type ReleasesEntry,
  type WrapFileSpec,
} from './wrap-file.js';

/** What writeContribution needs of the generator's result. */
export type GeneratedTree = Pick<GenerateResult, 'version' | 'files' | 'warnings'>;

export interface ContributionOptions {
  /** WrapDB revision of this release (the N of 3.13.15-N); default 1. */
  revision?: number;
  /** The generator, called with WRAPDB_EMIT_OPTIONS; defaults to generator/pipeline.ts's generate(). */
  generate?: (root: string, options: EmitOptions) => Promise<GeneratedTree>;
  /** meson (>= 1.5, for `meson format`); defaults to meson on PATH. */
  meson?: string;
  /** cpython-meson's version, for the README. */
  toolVersion?: string;
}

export interface ContributionResult {
  out: string;
  /** CPython version, e.g. 3.13.15. */
  version: string;
  /** WrapDB release, e.g. 3.13.15-1. */
  release: string;
  wrap: WrapFileSpec;
  entry: ReleasesEntry;
  /** Files written, relative to `out`, sorted. */
  written: string[];
  /** Generated files not put into the overlay (the fallback wraps under subprojects/), sorted. */
  leftOut: string[];
  /** Names of the fallback wraps `generate` wrote, which WrapDB provides itself. */
  fallbackWraps: string[];
  /** Notes from the generator (pyconfig.h.in macros the manifest does not know, ...). */
  warnings: string[];
}

/** sha256 of a file, lower-case hex. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The compression of a tarball from its first bytes, as python.org names its files. */
export async function tarballKind(file: string): Promise<'.tar.xz' | '.tgz'> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(6), 0, 6, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head.equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return '.tar.xz';
    if (head[0] === 0x1f && head[1] === 0x8b) return '.tgz';
  } finally {
    await fh.close();
  }
  throw new CpmError('is neither an xz nor a gzip compressed tarball; expected a python.org release tarball (Python-X.Y.Z.tar.xz or .tgz)', { file });
}

/**
 * How the tree is emitted for WrapDB: the data files at WrapDB's 2-space indent, and the pyconfig
 * test programs inline in the pyconfig data file (a patch directory permits no .c files).
 * formatForWrapdb() below still runs over every Meson file: the hand-written logic is copied at 4
 * spaces, and WrapDB's meson.format also forces keyword arguments onto their own lines
 * (kwargs_force_multiline).
 */
export const WRAPDB_EMIT_OPTIONS: Readonly<EmitOptions> = { indent: 2, inlinePrograms: true };

async function defaultGenerate(root: string, options: EmitOptions): Promise<GeneratedTree> {
  const pipeline = await import('../pipeline.js');
  return pipeline.generate(root, options);
}

/** The text of <out>/README.md. */
export function contributionReadme(
  spec: WrapFileSpec,
  release: string,
  version: string,
  files: readonly string[],
  toolVersion: string,
  fallbackWraps: readonly string[] = [],
): string {
  const patch = `subprojects/packagefiles/${spec.patchDirectory}`;
  const fallbacks = fallbackWraps.length
    ? `
## Dependency fallbacks

The build looks for the extension modules' libraries on the system first. Where one is missing (or
with \`--wrap-mode=forcefallback\`) it falls back to a wrap of WrapDB's name: ${fallbackWraps.map((w) => `\`${w}\``).join(', ')}.
\`cpython-meson generate\` writes those wraps into a checkout's \`subprojects/\`; a WrapDB patch
directory cannot carry them, so they are left out here. WrapDB has all of them; a project using
this wrap adds the ones it wants with \`meson wrap install <name>\`.
`
    : '';
  return `# CPython ${version} for WrapDB

<!-- ${GENERATED_MARKER} ${toolVersion}: \`cpython-meson wrapdb ${spec.sourceFilename} --out <dir>\` -->

A contribution of CPython ${version} (WrapDB release \`${release}\`) to
[mesonbuild/wrapdb](https://github.com/mesonbuild/wrapdb). It builds CPython with Meson as a
subproject: a static libpython with the built-in extension modules, the \`python\` interpreter, and
the \`python3-embed\` dependency for programs that embed Python.

The overlay's \`project()\` sets no \`buildtype\` (WrapDB does not allow it): the parent project's
build type applies. For the interpreter \`./configure && make\` gives, configure the parent with
\`--buildtype=release -Ddebug=true\`; a plain checkout of the same sources defaults to that.

| file | what it is |
|---|---|
| \`subprojects/${WRAP_NAME}.wrap\` | \`[wrap-file]\`: python.org's release tarball, its sha256, \`patch_directory = ${spec.patchDirectory}\`; \`[provide]\`: ${spec.dependencyNames.map((d) => `\`${d}\``).join(', ')} and the program ${spec.programNames.map((p) => `\`${p}\``).join(', ')} |
| \`${patch}/\` | the Meson build, written by cpython-meson from the tarball's own sources (${files.length} files) |
| \`releases.json\` | the \`${WRAP_NAME}\` entry to add to WrapDB's releases.json (keep its keys sorted) |

To submit: copy \`subprojects/${WRAP_NAME}.wrap\` and \`${patch}/\` into a wrapdb checkout, merge
the \`${WRAP_NAME}\` entry into its \`releases.json\`, and run \`tools/sanity_checks.py\` there.
\`cpython-meson wrapdb --check <dir>\` runs the same rules on this directory.

## A per-project exception is needed

WrapDB permits only \`meson.build\`, \`meson.options\`/\`meson_options.txt\`, \`LICENSE.build\`,
\`*.h.meson\` and \`*.def\` files in a patch directory, plus per-project exceptions. This overlay
has one other file: \`${patch}/Tools/meson/cpython_meson.py\`, the small helper the build runs (with
the Python that runs Meson) to write \`Modules/config.c\`, \`_sysconfigdata\` and build-tree
landmarks, and to byte-compile the installed stdlib. The submission must add the exception to
\`PER_PROJECT_PERMITTED_FILES\` in wrapdb's \`tools/sanity_checks.py\`:

\`\`\`python
    '${WRAP_NAME}': {
        'cpython_meson.py',
    },
\`\`\`

## Using it

\`\`\`meson
python_dep = dependency('python3-embed', version: '>=${version.split('.').slice(0, 2).join('.')}')
stdlib_dir = python_dep.get_variable('stdlib_dir')  # the pure-Python stdlib (Lib/)
\`\`\`

\`-D${WRAP_NAME}:profile=minimal\` builds only the modules the interpreter needs to start;
\`-D${WRAP_NAME}:test_modules=false\` leaves out CPython's test extension modules.
\`meson test --suite ${WRAP_NAME}\` runs the interpreter and imports every built-in module.
The build has been tested on Linux (Debian, x86-64); cross builds are not supported.
${fallbacks}`;
}

/** Writes the contribution for `tarball` into `out`. */
export async function writeContribution(tarball: string, out: string, options: ContributionOptions = {}): Promise<ContributionResult> {
  const revision = options.revision ?? 1;
  if (!Number.isInteger(revision) || revision < 1) throw new CpmError(`expected a revision >= 1, got ${revision}`, { file: '--revision' });
  if (!existsSync(tarball) || !statSync(tarball).isFile()) throw new CpmError('no such file; expected a CPython release tarball (Python-X.Y.Z.tar.xz)', { file: tarball });
  const meson = options.meson ?? (await findTool('meson'));
  if (!meson) throw new CpmError('not found on PATH; `meson format` (meson >= 1.5.0) formats the overlay as WrapDB wants', { file: 'meson', exitCode: ExitCode.toolFailed });
  const mesonVersion = await mesonVersionOf(meson);
  if (!hasMesonFormat(mesonVersion)) {
    throw new CpmError(`meson ${mesonVersion} has no \`meson format\`; WrapDB's formatting needs meson >= 1.5.0`, { file: meson, exitCode: ExitCode.toolFailed });
  }
  const ext = await tarballKind(tarball);
  const sourceHash = await sha256File(tarball);

  const tmp = await mkdtemp(path.join(os.tmpdir(), 'cpython-meson-wrapdb-src-'));
  try {
    const untar = await runTool('tar', ['-xf', path.resolve(tarball), '-C', tmp], { hint: 'apt-get install tar xz-utils' });
    if (untar.status !== 0) {
      throw new CpmError(`\`tar -xf\` failed (exit ${untar.status}): ${untar.stderr.trim().split('\n').pop() ?? ''}`, { file: tarball, exitCode: ExitCode.toolFailed });
    }
    const top = await readdir(tmp);
    const directory = top.length === 1 ? (top[0] ?? '') : '';
    if (!directory || !statSync(path.join(tmp, directory)).isDirectory()) {
      throw new CpmError(`unpacks to ${top.length} entries; a release tarball has one top-level directory (Python-X.Y.Z)`, { file: tarball });
    }
    const result = await (options.generate ?? defaultGenerate)(path.join(tmp, directory), { ...WRAPDB_EMIT_OPTIONS });
    const version = result.version.full;
    const sourceFilename = `Python-${version}${ext}`;
    const spec: WrapFileSpec = {
      directory,
      sourceUrl: pythonOrgUrl(version, sourceFilename),
      sourceFilename,
      sourceHash,
      patchDirectory: WRAP_NAME,
      dependencyNames: PROVIDED_DEPENDENCIES,
      programNames: PROVIDED_PROGRAMS,
    };
    // `generate` also writes wraps for the dependencies' fallbacks (subprojects/<name>.wrap and
    // their overlays). A WrapDB overlay cannot carry them; WrapDB has those wraps itself, under the
    // same names, and Meson resolves a subproject's fallbacks from the parent's wraps.
    const nested = result.files.filter((f) => f.path.startsWith('subprojects/'));
    const fallbackWraps = nested
      .map((f) => /^subprojects\/([^/]+)\.wrap$/.exec(f.path)?.[1])
      .filter((n): n is string => n !== undefined)
      .sort();
    const staged: StagedFile[] = result.files
      .filter((f) => !f.path.startsWith('subprojects/'))
      .map((f) => ({ path: f.path, content: f.path === 'meson.build' ? withoutBuildTypeDefaults(f.content) : f.content }));
    const formatted = (await formatForWrapdb(meson, WRAP_NAME, staged)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

    const entry = releasesEntry(version, revision, PROVIDED_DEPENDENCIES, PROVIDED_PROGRAMS);
    const releasesPath = path.join(out, 'releases.json');
    let releases: Record<string, unknown> = { [WRAP_NAME]: entry };
    if (existsSync(releasesPath)) {
      let existing: unknown;
      try {
        existing = JSON.parse(readFileSync(releasesPath, 'utf8'));
      } catch (err) {
        throw new CpmError(`is not valid JSON (${err instanceof Error ? err.message : String(err)}); fix or remove it`, { file: releasesPath });
      }
      if (existing === null || typeof existing !== 'object' || Array.isArray(existing)) throw new CpmError('expected a JSON object; fix or remove it', { file: releasesPath });
      releases = mergeReleases(existing as Record<string, unknown>, WRAP_NAME, entry);
    }

    const patchDir = path.join(out, 'subprojects/packagefiles', WRAP_NAME);
    const written: string[] = [];
    const put = async (rel: string, content: string): Promise<void> => {
      const abs = path.join(out, rel);
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, content);
      written.push(rel);
    };
    try {
      // The patch directory is wholly this tool's: stale files of an earlier release must go.
      await rm(patchDir, { recursive: true, force: true });
      for (const f of formatted) await put(`subprojects/packagefiles/${WRAP_NAME}/${f.path}`, f.content);
      await put(`subprojects/${WRAP_NAME}.wrap`, renderWrap(spec));
      await put('releases.json', encodeReleases(releases));
      const readme = path.join(out, 'README.md');
      const ours = !existsSync(readme) || readFileSync(readme, 'utf8').includes(GENERATED_MARKER);
      const readmeText = contributionReadme(spec, entry.versions[0] ?? '', version, formatted.map((f) => f.path), options.toolVersion ?? 'unknown', fallbackWraps);
      await put(ours ? 'README.md' : `README.${WRAP_NAME}.md`, readmeText);
    } catch (err) {
      if (err instanceof CpmError) throw err;
      throw new CpmError(`cannot write the contribution: ${err instanceof Error ? err.message : String(err)}`, { file: out, exitCode: ExitCode.refused });
    }
    return {
      out,
      version,
      release: entry.versions[0] ?? '',
      wrap: spec,
      entry,
      written: written.sort(),
      leftOut: nested.map((f) => f.path).sort(),
      fallbackWraps,
      warnings: result.warnings,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * WrapDB forbids buildtype and debug in project(default_options) (its sanity check): a wrap takes
 * the parent project's build type. The checkout's meson.build sets configure's defaults there
 * (buildtype=release, debug=true); the overlay's meson.build leaves them out and says so.
 */
export function withoutBuildTypeDefaults(mesonBuild: string): string {
  const lines = mesonBuild.split('\n');
  // Lines of another shape are left for the checker (check.ts: default-options) to report.
  const drop = /^\s*'(buildtype|debug)=[^']*',\s*$/;
  return lines
    .filter((l) => !drop.test(l))
    .map((l) => (/^\s*# configure's defaults: /.test(l) ? l.replace(/# configure's defaults: .*/, "# As a WrapDB subproject the parent project's buildtype applies (see README)."): l))
    .join('\n');
}
