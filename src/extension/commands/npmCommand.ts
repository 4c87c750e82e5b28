// How the native-backend install runs npm without a shell: Node itself on npm's own npm-cli.js, found from the PATH.
// No vscode import (unit-tested).
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A program and its arguments, spawned with `shell: false` (no quoting, no shell interpretation). */
export interface NpmCommand {
  command: string;
  args: string[];
}

/**
 * How to run the first npm on `pathVariable`: Node on its npm-cli.js (on Windows `npm.cmd`'s folder holds node.exe
 * and node_modules/npm, which a .cmd needs a shell for; elsewhere `npm` links to npm-cli.js, beside the install's
 * bin/node), else, outside Windows, the `npm` found itself (a version manager's shim is a program too).
 * `fallbackNode` runs npm-cli.js when no node is found beside it. Undefined when no npm is on the PATH.
 */
export function findNpm(pathVariable: string, platform: NodeJS.Platform, fallbackNode: string): NpmCommand | undefined {
  for (const folder of pathVariable.split(platform === 'win32' ? ';' : delimiter).filter(Boolean)) {
    const found = platform === 'win32' ? windowsNpm(folder) : posixNpm(folder);
    if (found?.cli) return { command: found.node ?? fallbackNode, args: [found.cli] };
    if (found) return { command: found.npm, args: [] };
  }
  return undefined;
}

interface FoundNpm {
  npm: string;
  cli?: string;
  node?: string;
}

function windowsNpm(folder: string): FoundNpm | undefined {
  if (!existsSync(join(folder, 'npm.cmd'))) return undefined;
  const cli = join(folder, 'node_modules', 'npm', 'bin', 'npm-cli.js');
  if (!existsSync(cli)) return undefined;
  const node = join(folder, 'node.exe');
  return { npm: join(folder, 'npm.cmd'), cli, node: existsSync(node) ? node : undefined };
}

function posixNpm(folder: string): FoundNpm | undefined {
  const npm = join(folder, 'npm');
  if (!existsSync(npm)) return undefined;
  const cli = realpathSync(npm);
  if (!cli.endsWith('npm-cli.js')) return { npm };
  const node = join(folder, 'node');
  return { npm, cli, node: existsSync(node) ? node : undefined };
}

/** `npm install` of `spec` into `prefix`, nothing saved, no audit or funding requests. */
export function npmInstallArgs(npm: NpmCommand, prefix: string, spec: string): string[] {
  return [...npm.args, 'install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, spec];
}
