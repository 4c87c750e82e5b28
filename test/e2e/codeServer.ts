// Starts code-server (installed by test/e2e/setup.sh) and installs .vsix files into it.
// Every process runs in its own process group and is killed by that group, also on failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export const e2eCacheDir = process.env.E2E_CACHE_DIR ?? path.resolve(__dirname, '../../.cache/e2e');
const nodeBin = path.join(e2eCacheDir, 'node24/package/bin/node');
const entryJs = path.join(e2eCacheDir, 'code-server/node_modules/code-server/out/node/entry.js');

export interface CodeServerDirs {
  extensionsDir: string;
  userDataDir: string;
}

export interface StartOptions extends CodeServerDirs {
  workspace: string;
  /** Merged over the defaults into <userDataDir>/User/settings.json. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server; the extension host inherits it. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface CodeServer {
  url: string;
  port: number;
  pid: number;
  /** The last lines code-server printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and deterministic. */
export const defaultSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
};

const liveGroups = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

// If the test process dies, take the servers with it.
process.on('exit', () => liveGroups.forEach((pid) => killGroup(pid, 'SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    liveGroups.forEach((pid) => killGroup(pid, 'SIGKILL'));
    process.kill(process.pid, signal);
  });
}

function assertInstalled(): void {
  if (!existsSync(nodeBin) || !existsSync(entryJs)) {
    throw new Error(`code-server is not installed in ${e2eCacheDir}: run test/e2e/setup.sh`);
  }
}

/** The environment code-server gets: ours minus variables that would make it talk to another VS Code. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE' || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function spawnGroup(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(nodeBin, [entryJs, ...args], { detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not spawn code-server');
  liveGroups.add(child.pid);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 200));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => lines.join('\n') };
}

/** SIGTERM the group, SIGKILL it after a grace period, and wait until every member is gone. */
async function stopGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  const pid = child.pid!;
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(pid, 'SIGTERM');
  await Promise.race([exited, sleep(graceMs)]);
  killGroup(pid, 'SIGKILL');
  await exited;
  for (let i = 0; i < 50 && killGroup(pid, 0); i++) await sleep(100);
  liveGroups.delete(pid);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function writeSettings(userDataDir: string, settings: Record<string, unknown> = {}): void {
  const dir = path.join(userDataDir, 'User');
  const file = path.join(dir, 'settings.json');
  mkdirSync(dir, { recursive: true });
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, JSON.stringify({ ...defaultSettings, ...current, ...settings }, null, 2));
}

export async function startCodeServer(options: StartOptions): Promise<CodeServer> {
  assertInstalled();
  const { workspace, extensionsDir, userDataDir, timeoutMs = 60_000 } = options;
  mkdirSync(extensionsDir, { recursive: true });
  writeSettings(userDataDir, options.settings);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { child, output } = spawnGroup(
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--config',
      path.join(userDataDir, 'code-server.yaml'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      workspace,
    ],
    childEnv(options.env),
  );
  const stop = () => stopGroup(child);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before answering:\n${output()}`);
      }
      if (Date.now() > deadline)
        throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms:\n${output()}`);
      const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await sleep(250);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, pid: child.pid!, output, stop };
}

/** Installs a .vsix with code-server's CLI; returns what it printed. */
export async function installExtension(
  vsixPath: string,
  { extensionsDir, userDataDir, timeoutMs = 120_000 }: CodeServerDirs & { timeoutMs?: number },
): Promise<string> {
  assertInstalled();
  if (!existsSync(vsixPath)) throw new Error(`no such .vsix: ${vsixPath}`);
  mkdirSync(extensionsDir, { recursive: true });
  const { child, output } = spawnGroup(
    [
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
      '--config',
      path.join(userDataDir, 'code-server.yaml'),
      '--force',
      '--install-extension',
      path.resolve(vsixPath),
    ],
    childEnv(),
  );
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => void stopGroup(child, 0), timeoutMs);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  await stopGroup(child, 0); // reaps any leftovers of the group
  if (code !== 0 || !/successfully installed/i.test(output())) {
    throw new Error(`installing ${vsixPath} failed (exit ${code}, timeout ${timeoutMs} ms):\n${output()}`);
  }
  return output();
}

/** Runs `fn` but fails with a clear message after `ms`; cleanup belongs in the caller's finally. */
export async function withTimeLimit<T>(ms: number, what: string, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: time limit of ${Math.round(ms / 1000)} s exceeded`)), ms);
  });
  try {
    return await Promise.race([fn(), limit]);
  } finally {
    clearTimeout(timer);
  }
}
