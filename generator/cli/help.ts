// `cpython-meson help [<command>]`, `cpython-meson --version`, and the texts made from the command
// table: the main help, the unknown-command and unknown-option messages. The table itself comes in
// as an argument (commands.ts imports this module lazily; this module never imports commands.ts).
import { CpmError, ExitCode } from '../errors.js';
import { packageVersion } from '../util/package.js';
import { ENV_HELP, EXIT_CODES_HELP, parseArgs, usageError, type CliDeps, type CommandSpec, type CommandText } from './shared.js';

const WIDTH = 100;

/** The entry named (or aliased) `name`, if any. */
export function findCommand(table: readonly CommandSpec[], name: string): CommandSpec | undefined {
  return table.find((c) => c.name === name || c.aliases.includes(name));
}

/** "generate, build, ..., --version" */
export function commandList(table: readonly CommandSpec[]): string {
  return table.map((c) => c.name).join(', ');
}

/** The one-line error for a first argument that names no command. */
export function unknownCommand(table: readonly CommandSpec[], first: string): CpmError {
  if (first.startsWith('-')) {
    const words = table.filter((c) => !c.name.startsWith('-')).map((c) => c.name);
    return new CpmError(`unknown option ${first} (usage: cpython-meson <${words.join('|')}> ..., see cpython-meson --help)`);
  }
  return new CpmError(`unknown command ${JSON.stringify(first)}; commands: ${commandList(table)} (see cpython-meson --help)`);
}

/** `prefix` + `text` wrapped to WIDTH columns, continuation lines indented to the width of `prefix`. */
function wrap(prefix: string, text: string): string {
  const lines: string[] = [];
  let line = prefix;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = ' '.repeat(prefix.length);
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

export function mainHelp(table: readonly CommandSpec[]): string {
  const column = Math.max(...table.map((c) => c.name.length)) + 3;
  const usage = table.map((c) => `  ${c.usage}`).join('\n');
  const commands = table.map((c) => wrap(`  ${c.name.padEnd(column)}`, c.summary)).join('\n');
  return `cpython-meson ${packageVersion()}: turn a CPython source checkout into a Meson build

Usage:
${usage}

Commands:
${commands}

'cpython-meson help <command>' and 'cpython-meson <command> --help' show the help of a command.

Typical use:
  cpython-meson generate path/to/cpython
  meson setup build path/to/cpython && ninja -C build

${EXIT_CODES_HELP}

${ENV_HELP}`;
}

/** The runner of `help`; `self` is the help entry, `table` every entry. */
export function cmdHelp(args: readonly string[], deps: CliDeps, self: CommandText, table: readonly CommandSpec[]): number {
  // `help --version` / `help -V`: a command spelt like an option.
  const named = args.length === 1 ? findCommand(table, args[0] ?? '') : undefined;
  if (named) {
    deps.out(named.help());
    return ExitCode.ok;
  }
  const a = parseArgs(self.usage, args, { flags: [], values: [], defines: false });
  if (a.help || a.positionals.length === 0) {
    deps.out(a.help ? self.help() : mainHelp(table));
    return ExitCode.ok;
  }
  if (a.positionals.length > 1) throw usageError(self.usage, `unexpected argument ${JSON.stringify(a.positionals[1])}`);
  const name = a.positionals[0] ?? '';
  const command = findCommand(table, name);
  if (!command) throw usageError(self.usage, `unknown command ${JSON.stringify(name)}; commands: ${commandList(table)}`);
  deps.out(command.help());
  return ExitCode.ok;
}

/** The runner of `--version`. */
export function cmdVersion(args: readonly string[], deps: CliDeps, self: CommandText): number {
  if (args.length === 1 && (args[0] === '-h' || args[0] === '--help')) {
    deps.out(self.help());
    return ExitCode.ok;
  }
  if (args.length) throw new CpmError(`--version takes no arguments (usage: ${self.usage})`);
  deps.out(`cpython-meson ${packageVersion()}`);
  return ExitCode.ok;
}
