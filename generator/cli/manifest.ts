// `cpython-meson manifest new|snapshot <checkout>`: the command line of generator/manifest/new.ts.
import path from 'node:path';
import { ExitCode } from '../errors.js';
import { checkoutDir, parseArgs, usageError, type CliDeps, type CommandText } from './shared.js';

export async function cmdManifest(args: readonly string[], deps: CliDeps, command: CommandText): Promise<number> {
  const a = parseArgs(command.usage, args, { flags: ['--force'], values: ['--out', '--manifests-dir', '--snapshots-dir'], defines: false });
  const [verb, ...rest] = a.positionals;
  if (a.help || verb === 'help') {
    deps.out(command.help());
    return ExitCode.ok;
  }
  if (verb !== 'new' && verb !== 'snapshot') {
    throw usageError(command.usage, verb === undefined ? 'missing new or snapshot' : `unknown manifest command ${JSON.stringify(verb)}; expected new or snapshot`);
  }
  if (rest.length === 0) throw usageError(command.usage, 'missing <checkout>');
  if (rest.length > 1) throw usageError(command.usage, `unexpected argument ${JSON.stringify(rest[1])}`);
  const arg = rest[0] ?? '';
  const checkout = checkoutDir(arg, deps.cwd);
  const opt = (name: string): string | undefined => {
    const v = a.values.get(name);
    return v === undefined ? undefined : path.resolve(deps.cwd, v);
  };
  const { newManifest, snapshotCheckout } = await import('../manifest/new.js');
  if (verb === 'new') {
    const result = await newManifest({
      checkout,
      out: opt('--out'),
      force: a.flags.has('--force'),
      manifestsDir: opt('--manifests-dir'),
      snapshotsDir: opt('--snapshots-dir'),
    });
    for (const line of result.lines) deps.out(line);
    return ExitCode.ok;
  }
  if (a.flags.has('--force')) throw usageError(command.usage, 'manifest snapshot takes no --force (snapshots are always rewritten)');
  const r = await snapshotCheckout({ checkout, out: opt('--out'), manifestsDir: opt('--manifests-dir'), snapshotsDir: opt('--snapshots-dir') });
  deps.out(`CPython ${r.series} snapshot: ${r.status} ${r.file}${r.derived ? ' (no manifest covers this version: lists derived from the nearest manifest)' : ''}`);
  return ExitCode.ok;
}
