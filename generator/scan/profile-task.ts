// The PGO training task of a checkout: configure.ac's default PROFILE_TASK (what
// `./configure --enable-optimizations` puts into the Makefile's @PROFILE_TASK@), with the
// Makefile.pre.in variables it names ($(TESTTIMEOUT)) expanded, split into interpreter arguments.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CpmError } from '../errors.js';
import { parseMakefile } from './makefile.js';

export interface ProfileTask {
  /** Arguments for the built interpreter, e.g. ['-m', 'test', '--pgo', '--timeout=']. */
  args: string[];
  /** Where the default came from, for messages: "configure.ac:1910". */
  origin: string;
}

/** Reads the default PROFILE_TASK; a checkout without one is a one-line error naming configure.ac. */
export function readProfileTask(root: string): ProfileTask {
  const configureAc = path.join(root, 'configure.ac');
  let text: string;
  try {
    text = readFileSync(configureAc, 'utf8');
  } catch {
    throw new CpmError('not found: the PGO training task (PROFILE_TASK) is read from it', { file: configureAc });
  }
  const lines = text.split('\n');
  const index = lines.findIndex((l) => /^\s*PROFILE_TASK='[^']*'\s*$/.test(l));
  if (index < 0) {
    throw new CpmError("no default PROFILE_TASK='...' assignment: cannot tell which training run PGO needs", { file: configureAc });
  }
  const task = /PROFILE_TASK='([^']*)'/.exec(lines[index] ?? '')?.[1] ?? '';
  const makefile = path.join(root, 'Makefile.pre.in');
  let vars: Record<string, string> = {};
  try {
    vars = parseMakefile(makefile, readFileSync(makefile, 'utf8')).variables;
  } catch {
    // Without Makefile.pre.in the variables expand to nothing, as make would without a definition.
  }
  const expanded = task.replace(/\$\((\w+)\)/g, (_, name: string) => (Object.hasOwn(vars, name) ? (vars[name] ?? '') : '').trim());
  const args = expanded.split(/\s+/).filter(Boolean);
  if (args.length === 0) throw new CpmError(`PROFILE_TASK at line ${index + 1} is empty`, { file: configureAc });
  return { args, origin: `configure.ac:${index + 1}` };
}
