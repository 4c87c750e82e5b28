// MNIST: Install Native TensorFlow Backend — npm installs @tensorflow/tfjs-node into global storage. npm runs without
// a shell (Node on npm-cli.js where found, see npmCommand.ts), into a staging folder that replaces the old install only once
// npm succeeded; a failed or cancelled install leaves nothing behind.
import * as vscode from 'vscode';
import { spawn } from 'node:child_process';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../shared/errors';
import { findNpm, npmInstallArgs } from './npmCommand';
import { backendFromSettings } from '../settings';
import { readMnistSetting } from '../vscodeSettings';
import { nativeInstalledNotice } from './nativeInstalledNotice';

export const NATIVE_PACKAGE_SPEC = '@tensorflow/tfjs-node@4.22.0';

/** Where an installed native backend lives: <global storage>/native/node_modules/@tensorflow/tfjs-node. */
export function nativeBackendDir(context: vscode.ExtensionContext): string {
  return join(context.globalStorageUri.fsPath, 'native');
}

function run(
  command: string,
  args: string[],
  cwd: string,
  log: vscode.LogOutputChannel,
  token?: vscode.CancellationToken,
): Promise<number> {
  return new Promise((resolve, reject) => {
    // ELECTRON_RUN_AS_NODE lets the editor's own executable run as plain Node (npm-cli.js, the load check).
    const child = spawn(command, args, { cwd, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, shell: false });
    const forward = (chunk: Buffer) =>
      chunk
        .toString()
        .split(/\r?\n/)
        .filter(Boolean)
        .forEach((line) => log.info(`npm: ${line}`));
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
    token?.onCancellationRequested(() => child.kill());
  });
}

/** Installs into `<dir>.installing`, then swaps it in; undefined when done, else why not (nothing is left behind). */
async function install(
  dir: string,
  log: vscode.LogOutputChannel,
  progress: vscode.Progress<{ message?: string }>,
  token: vscode.CancellationToken,
): Promise<string | undefined> {
  const npm = findNpm(process.env.PATH ?? '', process.platform, process.execPath);
  if (!npm) return 'npm is not on the PATH, so the native backend cannot be installed from here';
  const staging = `${dir}.installing`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    progress.report({ message: 'downloading (npm and libtensorflow; this needs internet and can take minutes)…' });
    log.info(`Installing ${NATIVE_PACKAGE_SPEC} with ${[npm.command, ...npm.args].join(' ')} into ${dir}`);
    const code = await run(npm.command, npmInstallArgs(npm, staging, NATIVE_PACKAGE_SPEC), staging, log, token).catch(
      (err) => `npm could not be started (${errorMessage(err)})`,
    );
    if (token.isCancellationRequested) return 'the installation was cancelled';
    if (typeof code === 'string') return code;
    if (code !== 0) {
      return `npm exited with code ${code} (no network, or no prebuilt TensorFlow for this platform?) — see the MNIST output`;
    }
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  progress.report({ message: 'checking that it loads…' });
  const check = `require(require.resolve('@tensorflow/tfjs-node', { paths: [${JSON.stringify(dir)}] }))`;
  const loads = await run(process.execPath, ['-e', check], dir, log).catch(() => 1);
  if (loads === 0) return undefined;
  await rm(dir, { recursive: true, force: true });
  return 'it installed but does not load on this machine (removed again) — see the MNIST output';
}

export async function installNativeBackend(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const dir = nativeBackendDir(context);
  log.show(true);
  const outcome = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `MNIST: Installing ${NATIVE_PACKAGE_SPEC}`,
      cancellable: true,
    },
    (progress, token) => install(dir, log, progress, token).catch((err) => `it failed: ${errorMessage(err)}`),
  );
  if (outcome) {
    log.warn(`Native backend not installed: ${outcome}. Keeping the portable WebAssembly backend.`);
    void vscode.window.showWarningMessage(
      `MNIST: native TensorFlow backend not installed — ${outcome}. The portable (WebAssembly) backend stays in use.`,
    );
    return;
  }
  const notice = nativeInstalledNotice(backendFromSettings(readMnistSetting));
  log.info(`Native backend installed in ${dir}. ${notice.message}`);
  const choice = await vscode.window.showInformationMessage(
    notice.message,
    ...(notice.reload ? ['Reload Window'] : []),
  );
  if (choice === 'Reload Window') void vscode.commands.executeCommand('workbench.action.reloadWindow');
}
