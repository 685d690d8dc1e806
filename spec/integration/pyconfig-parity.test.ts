// pyconfig.h parity: the checks the generator emits, run by `meson setup` in a small standalone
// project, must define the same macros with the same values as CPython's own ./configure on
// this machine, apart from the explained differences in ALLOWED below. The project holds the
// emitter's pyconfig files as they are (pyconfigFiles()), once as in a checkout (test programs
// as C files) and once as in the WrapDB overlay (test programs inline).
//
//   CPYTHON_313_SRC=/path/to/Python-3.13.x   the checkout (required; the suite is skipped without it)
//   CPYTHON_313_REF_PYCONFIG=/path/pyconfig.h  reuse a pyconfig.h configure already wrote there
//                                              (otherwise configure runs into a temp dir, ~1 min)
//   PYCONFIG_PARITY_KEEP=1                     keep the temp dirs and print where they are
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { baseDependencies } from '../../cpython-manifests/common/dependencies.js';
import { basePyconfig } from '../../cpython-manifests/common/pyconfig.js';
import { templatesDir } from '../../generator/emit/emit.js';
import { GENERATED_MARKER } from '../../generator/emit/marker.js';
import { pyconfigFiles, PYCONFIG_DATA_FILE, rootVariables } from '../../generator/emit/pyconfig.js';
import { buildPyconfigModel } from '../../generator/model/pyconfig.js';
import { parsePyconfigIn } from '../../generator/scan/pyconfig-in.js';

/**
 * Differences from configure's pyconfig.h that are explained, by macro. Each entry says what
 * we define (null: undefined) where configure's result differs, and why.
 */
const ALLOWED: Record<string, { ours: string | null; why: string }> = {};

const src = process.env.CPYTHON_313_SRC;
const keep = process.env.PYCONFIG_PARITY_KEEP === '1';

function sh(cmd: string, args: string[], cwd?: string): { status: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 20 * 60 * 1000 });
  return { status: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** The macros a pyconfig.h defines after preprocessing (so #ifndef guards count), restricted to `names`. */
function definedMacros(header: string, names: Set<string>): Map<string, string> {
  const r = sh('cc', ['-E', '-dM', '-x', 'c', '-include', header, '/dev/null']);
  if (r.status !== 0) throw new Error(`cc -E -dM ${header} failed:\n${r.out}`);
  const out = new Map<string, string>();
  for (const line of r.out.split('\n')) {
    const m = /^#define ([A-Za-z_][A-Za-z0-9_]*)(?:\s+(.*))?$/.exec(line);
    if (m?.[1] && names.has(m[1])) out.set(m[1], (m[2] ?? '').replace(/\s+/g, ' ').trim());
  }
  return out;
}

/**
 * The root's variables the manifest's Meson code may name (rootVariables()), as the root of a
 * generated tree (meson-templates/meson.build) sets them with the default options on Linux.
 */
const ROOT_VARIABLES: Record<string, string> = {
  py_version_short: "'3.13'",
  py_pydebug: 'false',
  py_free_threading: 'false',
  py_trace_refs: 'false',
  py_abiflags: "''",
  py_shared: 'false',
  py_with_mimalloc: 'true',
  py_with_pymalloc: 'true',
  py_readline_impl: "'readline'",
  py_soabi: "'cpython-313-' + host_machine.cpu_family() + '-linux-gnu'",
  // Named by Tools/meson/pyconfig itself: the target's name for the manifests' cross answers and
  // config.site tables (PLATFORM_TRIPLET here), and the libraries configure puts in LIBS before its
  // checks (none on Linux; the wasi-emulated-* libraries on WASI).
  py_cross_target: "host_machine.cpu_family() + '-linux-gnu'",
  py_check_deps: '[]',
};

/** A root meson.build defining what the root of a generated tree gives Tools/meson/pyconfig: cc, fs, py_deps and `variables`. */
function rootMesonBuild(variables: readonly string[]): string {
  const missing = variables.filter((v) => !['cc', 'py_deps'].includes(v) && ROOT_VARIABLES[v] === undefined);
  assert.equal(missing, [], `the manifest's Meson code names root variables this test's root does not define (add them to ROOT_VARIABLES): ${missing.join(', ')}`);
  const deps = Object.entries(baseDependencies)
    .filter(([, d]) => d.names.length > 0)
    .map(([name, d]) => {
      const names = `[${d.names.map((n) => `'${n}'`).join(', ')}]`;
      const libs = `[${(d.fallbackLibraries ?? []).map((n) => `'${n}'`).join(', ')}]`;
      const header = d.fallbackHeader ? `'${d.fallbackHeader}'` : '[]';
      return `    '${name}': [${names}, ${libs}, ${header}],`;
    });
  return `project('pyconfig-parity', 'c', meson_version: '>=1.3.0', default_options: ['c_std=c11', 'warning_level=2'])
cc = meson.get_compiler('c')
fs = import('fs')
${Object.entries(ROOT_VARIABLES)
  .map(([name, value]) => `${name} = ${value}`)
  .join('\n')}
py_deps = {
    'libm': cc.find_library('m', required: false),
    'threads': dependency('threads'),
    'libdl': cc.find_library('dl', required: false),
    'libutil': cc.find_library('util', required: false),
}
foreach name, d : {
${deps.join('\n')}
}
    dep = dependency(d[0], required: false)
    if not dep.found() and d[1].length() > 0
        dep = cc.find_library(d[1][0], has_headers: d[2], required: false)
    endif
    py_deps += {name: dep}
endforeach
subdir('Tools/meson/pyconfig')
configure_file(input: 'pyconfig.h.meson', output: 'pyconfig.h', configuration: pyconfig_data)
`;
}

function configureReference(checkout: string, work: string): string {
  const given = process.env.CPYTHON_313_REF_PYCONFIG;
  if (given) return given;
  const dir = path.join(work, 'configure');
  mkdirSync(dir, { recursive: true });
  const r = sh(path.join(checkout, 'configure'), [], dir);
  if (r.status !== 0) throw new Error(`configure failed:\n${r.out.slice(-4000)}`);
  return path.join(dir, 'pyconfig.h');
}

if (!src || !existsSync(path.join(src, 'pyconfig.h.in'))) {
  test.skip('pyconfig parity with configure (set CPYTHON_313_SRC to a CPython 3.13 checkout)', () => {});
  console.log('pyconfig-parity: skipped, CPYTHON_313_SRC does not point at a CPython 3.13 checkout');
} else {
  test('meson setup defines the same pyconfig.h macros as configure', () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'pyconfig-parity-'));
    try {
      const inFile = path.join(src, 'pyconfig.h.in');
      const parsed = parsePyconfigIn(inFile, readFileSync(inFile, 'utf8'));
      const { model, unaccounted } = buildPyconfigModel(parsed, basePyconfig);

      const ref = configureReference(src, work);
      const names = new Set(parsed.macros.map((m) => m.name));
      const theirs = definedMacros(ref, names);
      const diffs: string[] = [];
      for (const inlinePrograms of [false, true]) {
        const mode = inlinePrograms ? 'programs inline (WrapDB)' : 'programs as C files (checkout)';
        const proj = path.join(work, inlinePrograms ? 'project-inline' : 'project');
        // The root, the hand-written logic, and the files the emitter writes for it.
        const files = [
          { path: 'meson.build', content: rootMesonBuild(rootVariables(model)) },
          { path: 'Tools/meson/pyconfig/meson.build', content: readFileSync(path.join(templatesDir, 'Tools/meson/pyconfig/meson.build'), 'utf8') },
          ...pyconfigFiles(model, [`# ${GENERATED_MARKER}`], GENERATED_MARKER, undefined, { inlinePrograms }),
        ];
        assert.is(files.some((f) => f.path.endsWith('.c')), !inlinePrograms, `${mode}: C files`);
        for (const f of files) {
          mkdirSync(path.dirname(path.join(proj, f.path)), { recursive: true });
          writeFileSync(path.join(proj, f.path), f.content);
        }

        const fmt = sh('meson', ['format', '--check-only', path.join(proj, PYCONFIG_DATA_FILE)]);
        assert.is(fmt.status, 0, `${mode}: ${PYCONFIG_DATA_FILE} is not meson-format clean`);

        const build = path.join(work, inlinePrograms ? 'build-inline' : 'build');
        const t0 = Date.now();
        const setup = sh('meson', ['setup', '--fatal-meson-warnings', build, proj]);
        const seconds = (Date.now() - t0) / 1000;
        assert.is(setup.status, 0, `${mode}: meson setup failed:\n${setup.out.slice(-6000)}`);
        console.log(`pyconfig-parity: ${mode}: meson setup with ${model.stats.macros} macros took ${seconds.toFixed(1)} s`);

        const ours = definedMacros(path.join(build, 'pyconfig.h'), names);
        const explained: string[] = [];
        for (const name of [...names].sort()) {
          const a = ours.get(name) ?? null;
          const b = theirs.get(name) ?? null;
          if (a === b) continue;
          const allowed = ALLOWED[name];
          if (allowed && allowed.ours === a) explained.push(name);
          else diffs.push(`${mode}: ${name}: meson ${a === null ? 'undefined' : JSON.stringify(a)}, configure ${b === null ? 'undefined' : JSON.stringify(b)}`);
        }
        console.log(
          `pyconfig-parity: ${mode}: ${ours.size} defined by meson, ${theirs.size} by configure; ${explained.length} explained difference(s)${explained.length ? `: ${explained.join(', ')}` : ''}`,
        );
      }
      if (diffs.length > 0) console.log(`pyconfig-parity: unexplained differences:\n  ${diffs.join('\n  ')}`);
      assert.equal(unaccounted, [], `macros the manifest does not account for: ${unaccounted.join(', ')}`);
      assert.equal(diffs, [], `${diffs.length} unexplained difference(s)`);
    } finally {
      if (keep) console.log(`pyconfig-parity: kept ${work}`);
      else rmSync(work, { recursive: true, force: true });
    }
  });
}

test.run();
