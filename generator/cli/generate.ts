// `cpython-meson generate <checkout>`: run the pipeline, then write (or with --check compare) the files.
import { ExitCode } from '../errors.js';
import { checkoutDir, parseArgs, usageError, type CliDeps, type CommandText } from './shared.js';

export async function cmdGenerate(args: readonly string[], deps: CliDeps, command: CommandText): Promise<number> {
  const a = parseArgs(command.usage, args, { flags: ['--check', '--force', '--quiet'], values: [], defines: false });
  if (a.help) {
    deps.out(command.help());
    return ExitCode.ok;
  }
  if (a.positionals.length === 0) throw usageError(command.usage, 'missing <checkout>');
  if (a.positionals.length > 1) throw usageError(command.usage, `unexpected argument ${JSON.stringify(a.positionals[1])}`);
  const arg = a.positionals[0] ?? '';
  const root = checkoutDir(arg, deps.cwd);
  const check = a.flags.has('--check');
  const quiet = a.flags.has('--quiet');
  // Which inputs changed since the last generate, as setup's staleness guard reports it (read
  // before generating, which may fail on the changed input).
  const stale = check ? await (await import('../emit/stale.js')).staleness(root) : null;
  if (stale !== null) deps.out(stale);
  const result = await deps.generate(root);
  const { writeGenerated, formatReport } = await import('../emit/write.js');
  const report = await writeGenerated(root, result.files, { check, force: a.flags.has('--force') });
  if (!quiet || (check && report.differs)) {
    deps.out(`CPython ${result.version.full} (manifest ${result.manifestSeries}): ${root}`);
    for (const line of formatReport(report, arg)) deps.out(line);
  }
  for (const w of result.warnings) deps.err(`cpython-meson: warning: ${w}`);
  return check && report.differs ? ExitCode.differs : ExitCode.ok;
}
