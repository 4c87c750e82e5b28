// Step group "hostile": a trusted workspace whose .vscode/settings.json points mnist.modelPath (a relative path) at a
// model folder whose model.json is a symbolic link to /dev/zero. The window stays responsive, the sketchpad says the
// model cannot be used, the error notification appears once however many strokes are drawn, and after
// "MNIST: Use Bundled Model" (which sets the setting aside in this workspace) the sketchpad predicts again.
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { startCodeServer, type CodeServer, type CodeServerDirs } from '../codeServer';
import { assert, log, until, type Runner } from '../runner';
import { launchBrowser, notifications, openWorkbench, runCommand, type BrowserSession } from '../workbench';
import { frameText, panel, PANEL_TITLES } from './common';
import { clearPad, DIGIT_STROKES, drawStrokes, settledPrediction } from './sketchpad';
import { writeWorkspaceSettings } from './training';

const CANNOT_BE_USED = /MNIST: the model from mnist\.modelPath .* cannot be used/;

export function hostileWorkspace(root: string): string {
  const workspace = path.join(root, 'hostile-workspace');
  const model = path.join(workspace, 'hostile-model');
  mkdirSync(model, { recursive: true });
  mkdirSync(path.join(workspace, '.vscode'));
  symlinkSync('/dev/zero', path.join(model, 'model.json'));
  writeWorkspaceSettings(workspace, { 'mnist.modelPath': 'hostile-model', 'mnist.backend': 'wasm' });
  return workspace;
}

export async function hostileSteps(runner: Runner, root: string, dirs: CodeServerDirs): Promise<void> {
  const workspace = hostileWorkspace(root);
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  try {
    server = await startCodeServer({ ...dirs, workspace });
    log(`code-server for the hostile workspace on ${server.url} (pid ${server.pid})`);
    session = await launchBrowser({ viewport: { width: 1280, height: 800 } });
    const page = session.page;
    runner.page = page;
    const opened = await runner.check('hostile: the workbench opens on a workspace whose model.json is /dev/zero', () =>
      openWorkbench(page, server!.url, workspace),
    );
    if (!opened) return;

    await runner.check(
      'hostile: the sketchpad opens, says the model is not loaded, and strokes give one error notification',
      async () => {
        await runCommand(page, 'MNIST: Open Sketchpad', 60_000);
        let frame = await panel(page, PANEL_TITLES.sketchpad, 60_000);
        await until(
          'the model label',
          () => frameText(frame, '#model'),
          (t) => t === 'Model: not loaded',
          { timeoutMs: 60_000 },
        );
        for (const digit of [1, 7, 4]) {
          frame = await panel(page, PANEL_TITLES.sketchpad);
          await drawStrokes(page, frame, DIGIT_STROKES[digit]);
          await until(
            'the prediction error',
            () => frameText(frame, '#error'),
            (t) => /Prediction failed: .*model\.json: is a symbolic link to a file outside/.test(t),
            { timeoutMs: 30_000 },
          );
          await clearPad(frame);
        }
        const shown = (await notifications(page)).filter((text) => CANNOT_BE_USED.test(text));
        assert(shown.length === 1, `expected one error notification, saw ${JSON.stringify(shown)}`);
        return shown[0];
      },
      180_000,
    );

    await runner.check('hostile: the window stays responsive (the palette opens and runs a command)', async () => {
      await runCommand(page, 'MNIST: Show Training Chart', 30_000);
      await panel(page, PANEL_TITLES.training, 30_000);
    });

    await runner.check(
      'hostile: after "MNIST: Use Bundled Model" the sketchpad predicts with the bundled model',
      async () => {
        await runCommand(page, 'MNIST: Use Bundled Model', 30_000);
        await runCommand(page, 'MNIST: Open Sketchpad', 30_000);
        const frame = await panel(page, PANEL_TITLES.sketchpad);
        const label = await until(
          'the bundled model label',
          () => frameText(frame, '#model'),
          (t) => /^Model: bundled · \d+\.\d%$/.test(t),
          { timeoutMs: 60_000 },
        );
        await drawStrokes(page, frame, DIGIT_STROKES[7]);
        const predicted = await settledPrediction(frame);
        assert(predicted === '7', `drew 7, the panel shows ${predicted}`);
        return `${label}; predicts 7`;
      },
      120_000,
    );
  } finally {
    runner.page = undefined;
    await session?.close().catch(() => {});
    await server?.stop();
  }
}
