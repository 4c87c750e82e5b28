// MNIST: Install Native TensorFlow Backend — npm installs @tensorflow/tfjs-node into global storage.
import * as vscode from 'vscode';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
    // ELECTRON_RUN_AS_NODE lets the editor's own executable run as plain Node for the load check.
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      shell: process.platform === 'win32',
    });
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

export async function installNativeBackend(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const dir = nativeBackendDir(context);
  mkdirSync(dir, { recursive: true });
  log.show(true);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const outcome = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `MNIST: Installing ${NATIVE_PACKAGE_SPEC}`,
      cancellable: true,
    },
    async (progress, token) => {
      progress.report({ message: 'checking npm…' });
      try {
        await run(npm, ['--version'], dir, log);
      } catch {
        return 'npm is not on the PATH, so the native backend cannot be installed from here';
      }
      progress.report({ message: 'downloading (npm and libtensorflow; this needs internet and can take minutes)…' });
      log.info(`Installing ${NATIVE_PACKAGE_SPEC} into ${dir}`);
      const code = await run(
        npm,
        ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, NATIVE_PACKAGE_SPEC],
        dir,
        log,
        token,
      );
      if (token.isCancellationRequested) return 'the installation was cancelled';
      if (code !== 0)
        return `npm exited with code ${code} (no network, or no prebuilt TensorFlow for this platform?) — see the MNIST output`;
      progress.report({ message: 'checking that it loads…' });
      const check = `require(require.resolve('@tensorflow/tfjs-node', { paths: [${JSON.stringify(dir)}] }))`;
      const loads = await run(process.execPath, ['-e', check], dir, log).catch(() => 1);
      return loads === 0 ? undefined : 'it installed but does not load on this machine — see the MNIST output';
    },
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
