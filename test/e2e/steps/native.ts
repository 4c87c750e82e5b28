// The native pass: a code-server session whose global storage holds @tensorflow/tfjs-node where "MNIST: Install
// Native TensorFlow Backend" puts it (a link to test/native/setup.sh's .cache/native), with mnist.backend
// "tensorflow": the host's inference and the training process run on native TensorFlow under code-server's Node.
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { assert, log } from '../runner';
import { pickQuickInputItem, readOutputChannel, runCommand, waitForNotification } from '../workbench';
import { clearNotifications, panel, PANEL_TITLES, type SuiteContext } from './common';
import { DIGIT_STROKES, drawStrokes, settledPrediction } from './sketchpad';
import { QUICK_TRAINING, writeWorkspaceSettings } from './training';

/** The extension's id, publisher.name, which names its global storage folder. */
const EXTENSION_ID = 'mnist-digits.mnist-digits';

/** Links <user-data-dir>/User/globalStorage/<id>/native/node_modules to the built native backend's node_modules. */
export function placeNativeBackend(userDataDir: string, nativeCache: string): void {
  const modules = path.join(nativeCache, 'node_modules');
  if (!existsSync(path.join(modules, '@tensorflow', 'tfjs-node', 'package.json')))
    throw new Error(`no native backend in ${nativeCache}: run bash test/native/setup.sh`);
  const dir = path.join(userDataDir, 'User', 'globalStorage', EXTENSION_ID, 'native');
  mkdirSync(dir, { recursive: true });
  symlinkSync(modules, path.join(dir, 'node_modules'));
}

export function writeNativeSettings(workspace: string): void {
  writeWorkspaceSettings(workspace, { ...QUICK_TRAINING, 'mnist.backend': 'tensorflow' });
}

export async function nativeSteps(ctx: SuiteContext): Promise<void> {
  const { page, runner } = ctx;

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
