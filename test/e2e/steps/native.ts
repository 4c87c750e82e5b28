// The native pass: a code-server session with mnist.backend "tensorflow" whose "MNIST: Install Native TensorFlow
// Backend" runs for real (npm, the npm registry, tfjs-node's install step) against a local mirror of what that step
// downloads (test/e2e/nativeMirror.ts): first offline (it fails, leaving nothing behind), then online (it installs
// and asks for a reload); after the reload the host's inference and the training process run on native TensorFlow
// under code-server's Node.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { NativeMirror } from '../nativeMirror';
import { assert, log } from '../runner';
import { pickQuickInputItem, readOutputChannel, runCommand, waitForNotification } from '../workbench';
import { clearNotifications, panel, PANEL_TITLES, type SuiteContext } from './common';
import { DIGIT_STROKES, drawStrokes, settledPrediction } from './sketchpad';
import { QUICK_TRAINING, writeWorkspaceSettings } from './training';

/** The extension's id, publisher.name, which names its global storage folder. */
const EXTENSION_ID = 'mnist-digits.mnist-digits';
const INSTALL_COMMAND = 'MNIST: Install Native TensorFlow Backend';
/** npm install and tfjs-node's install step (a 220 MB download from the mirror, unpacked). */
const INSTALL_TIMEOUT_MS = 600_000;

/** What the extension's global storage holds (names only), for "nothing half-installed is left". */
function globalStorageEntries(userDataDir: string): string[] {
  const dir = path.join(userDataDir, 'User', 'globalStorage', EXTENSION_ID);
  return existsSync(dir) ? readdirSync(dir) : [];
}

export function writeNativeSettings(workspace: string): void {
  writeWorkspaceSettings(workspace, { ...QUICK_TRAINING, 'mnist.backend': 'tensorflow' });
}

export async function nativeSteps(ctx: SuiteContext, userDataDir: string, mirror: NativeMirror): Promise<void> {
  const { page, runner } = ctx;

  await runner.check(
    'native: installing offline fails with a message, and leaves nothing half-installed',
    async () => {
      await runCommand(page, INSTALL_COMMAND);
      const message = await waitForNotification(page, /native TensorFlow backend not installed/, INSTALL_TIMEOUT_MS);
      const left = globalStorageEntries(userDataDir).filter((name) => name.startsWith('native'));
      assert(left.length === 0, `left in global storage: ${left.join(', ')}`);
      return message;
    },
    INSTALL_TIMEOUT_MS + 60_000,
  );

  const installed = await runner.check(
    'native: installing online succeeds, says a reload is needed, and the window reloads',
    async () => {
      await clearNotifications(page);
      await mirror.start();
      await runCommand(page, INSTALL_COMMAND);
      const message = await waitForNotification(page, /native TensorFlow backend installed/, INSTALL_TIMEOUT_MS);
      assert(/reload the window/.test(message), message);
      const native = path.join(userDataDir, 'User', 'globalStorage', EXTENSION_ID, 'native');
      const addon = path.join(
        native,
        'node_modules',
        '@tensorflow',
        'tfjs-node',
        'lib',
        'napi-v8',
        'tfjs_binding.node',
      );
      assert(existsSync(addon), `no addon at ${addon}`);
      const reloaded = page.waitForEvent('load', { timeout: 90_000 });
      await page
        .locator('.notification-list-item')
        .filter({ has: page.locator('.notification-list-item-message', { hasText: /backend installed/ }) })
        .getByRole('button', { name: 'Reload Window' })
        .click();
      await reloaded;
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90_000 });
      return message;
    },
    INSTALL_TIMEOUT_MS + 120_000,
  );
  if (!installed) return;

  await runner.check(
    'native: the sketchpad predicts a drawn 7 on native TensorFlow',
    async () => {
      await runCommand(page, 'MNIST: Open Sketchpad', 60_000);
      const frame = await panel(page, PANEL_TITLES.sketchpad, 60_000);
      await drawStrokes(page, frame, DIGIT_STROKES[7]);
      const predicted = await settledPrediction(frame, 60_000);
      assert(predicted === '7', `predicted ${predicted}`);
      const text = await readOutputChannel(page, 'MNIST');
      const line = text.split('\n').find((l) => /Inference backend: /.test(l));
      assert(line && /Inference backend: tensorflow/.test(line), `output channel: ${line ?? 'no backend line'}`);
      return line.replace(/^\S+ \S+ /, '');
    },
    180_000,
  );

  await runner.check(
    'native: a short training runs on native TensorFlow and finishes',
    async () => {
      await clearNotifications(page);
      await runCommand(page, 'MNIST: Train Model');
      await pickQuickInputItem(page, 'seed');
      const finished = await waitForNotification(page, /training (finished|failed)/, 300_000);
      log(`finished: ${finished}`);
      assert(/training finished/.test(finished), finished);
      const text = await readOutputChannel(page, 'MNIST');
      const line = text.split('\n').find((l) => /\bBackend: /.test(l) && !/Inference/.test(l));
      assert(line && /Backend: tensorflow/.test(line), `output channel: ${line ?? 'no training backend line'}`);
      return `${line.replace(/^\S+ \S+ /, '')} | ${finished}`;
    },
    420_000,
  );
}
