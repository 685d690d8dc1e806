// Runs external programs (apt-get, tar, meson) and collects their output.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { CpmError, ExitCode } from '../errors.js';

export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program; a missing program is a CpmError (exit 4) naming it. */
export function runTool(cmd: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; hint?: string } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => {
      const code = (err as NodeJS.ErrnoException).code;
      reject(
        new CpmError(code === 'ENOENT' ? `not found on PATH${options.hint ? `; ${options.hint}` : ''}` : err.message, {
          file: cmd,
          exitCode: ExitCode.toolFailed,
        }),
      );
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The environment interpreters under test run in: PATH, HOME and a UTF-8 locale, nothing that points them at a stdlib. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? os.homedir(), LANG: 'C.UTF-8' };
}
