// Runs the built command line (dist/cli.js) as a child process, for the integration suites: its exit code, its
// output, and the JSON object its last stdout line holds with --json (undefined when that line is no JSON object).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { BUNDLES, builtFile } from '../../src/engine/paths';

export const cli = builtFile(BUNDLES.cli);
const run = promisify(execFile);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json: any;
}

/** Fails clearly when the CLI has not been built. */
export function requireBuiltCli(): void {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
}

export async function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliRun> {
  const spawnOptions = { maxBuffer: 1 << 24, cwd: options.cwd, env: { ...process.env, ...options.env } };
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], spawnOptions);
    return { code: 0, stdout, stderr, json: lastJson(stdout) };
  } catch (err) {
    const { code, stdout, stderr } = err as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr, json: lastJson(stdout) };
  }
}

function lastJson(stdout: string): any {
  const line = stdout.trim().split('\n').at(-1);
  return line?.startsWith('{') ? JSON.parse(line) : undefined;
}
