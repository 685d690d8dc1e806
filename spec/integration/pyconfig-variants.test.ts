// pyconfig.h parity for the variants (issue 11, item 8): the generated project's `meson setup`
// with a variant's options must write the pyconfig.h that CPython's configure writes with the
// matching flags on this machine: the same macros with the same values. Setup only, no compile;
// configure runs out of tree from the pristine source. The three variants run two at a time.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { obtainCPython, defaultCacheDir } from '../../generator/util/cpython-source.js';
import { cli, CPYTHON_VERSION, run, workTree } from './shared.js';

interface Variant {
  name: string;
  meson: string[];
  configure: string[];
}

const VARIANTS: Variant[] = [
  { name: 'shared libpython', meson: ['-Dshared=true', '-Dprefer_static=false'], configure: ['--enable-shared'] },
  { name: 'free-threaded', meson: ['-Dfree_threading=true', '-Dprefer_static=false'], configure: ['--disable-gil'] },
  { name: 'pydebug + ASan', meson: ['-Dpydebug=true', '-Db_sanitize=address'], configure: ['--with-pydebug', '--with-address-sanitizer'] },
];

function sh(cmd: string, args: string[], cwd?: string): Promise<{ status: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ status: code ?? -1, out }));
  });
}

/** The macros a pyconfig.h defines after preprocessing, restricted to pyconfig.h.in's names. */
function definedMacros(header: string, names: Set<string>): Map<string, string> {
  const r = run('cc', ['-E', '-dM', '-x', 'c', '-include', header, '/dev/null']);
  assert.is(r.status, 0, `cc -E -dM ${header}: ${r.stderr}`);
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^#define ([A-Za-z_][A-Za-z0-9_]*)(?:\s+(.*))?$/.exec(line);
    if (m?.[1] && names.has(m[1])) out.set(m[1], (m[2] ?? '').replace(/\s+/g, ' ').trim());
  }
  return out;
}

async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: size }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  }));
}

test('meson setup of each variant writes the pyconfig.h configure writes with the matching flags', async () => {
  const pristine = await obtainCPython(CPYTHON_VERSION, process.env.CPYTHON_MESON_CACHE ?? defaultCacheDir());
  const src = await workTree();
  const gen = run(process.execPath, [cli, 'generate', src]);
  assert.is(gen.status, 0, gen.stderr);
  const names = new Set(
    readFileSync(path.join(pristine, 'pyconfig.h.in'), 'utf8')
      .split('\n')
      .map((l) => /^#\s*(?:undef|define)\s+([A-Za-z_]\w*)/.exec(l)?.[1])
      .filter((n): n is string => Boolean(n)),
  );
  const work = mkdtempSync(path.join(os.tmpdir(), 'cpm-pyconfig-variants-'));
  const jobs: Array<{ v: Variant; kind: 'meson' | 'configure' }> = VARIANTS.flatMap((v) => [{ v, kind: 'meson' as const }, { v, kind: 'configure' as const }]);
  const headers = new Map<string, string>();
  const failures: string[] = [];
  try {
    await pool(jobs, 2, async ({ v, kind }) => {
      const dir = path.join(work, `${kind}-${v.name.replace(/\W+/g, '-')}`);
      mkdirSync(dir, { recursive: true });
      const t0 = Date.now();
      const r =
        kind === 'meson'
          ? await sh('meson', ['setup', '--fatal-meson-warnings', ...v.meson, dir, src])
          : await sh(path.join(pristine, 'configure'), v.configure, dir);
      console.log(`  pyconfig-variants: ${v.name}: ${kind} ${kind === 'meson' ? v.meson.join(' ') : v.configure.join(' ')} took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      if (r.status !== 0) failures.push(`${v.name}: ${kind} failed:\n${r.out.slice(-3000)}`);
      else headers.set(`${kind} ${v.name}`, path.join(dir, 'pyconfig.h'));
    });
    assert.equal(failures, []);
    const diffs: string[] = [];
    for (const v of VARIANTS) {
      const ours = definedMacros(headers.get(`meson ${v.name}`) as string, names);
      const theirs = definedMacros(headers.get(`configure ${v.name}`) as string, names);
      let same = 0;
      for (const name of [...names].sort()) {
        const a = ours.get(name) ?? null;
        const b = theirs.get(name) ?? null;
        if (a === b) same++;
        else diffs.push(`${v.name}: ${name}: meson ${a === null ? 'undefined' : JSON.stringify(a)}, configure ${b === null ? 'undefined' : JSON.stringify(b)}`);
      }
      console.log(`  pyconfig-variants: ${v.name}: ${ours.size} macros defined by meson, ${theirs.size} by configure, ${same} of ${names.size} names agree`);
      // The variant's own macros are there, so the comparison is not of two default builds.
      const marker = { 'shared libpython': 'Py_ENABLE_SHARED', 'free-threaded': 'Py_GIL_DISABLED', 'pydebug + ASan': 'Py_DEBUG' }[v.name] as string;
      assert.ok(ours.has(marker), `${v.name}: ${marker} is not defined by meson setup ${v.meson.join(' ')}`);
    }
    assert.equal(diffs, [], `${diffs.length} difference(s):\n${diffs.join('\n')}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test.run();
