// Step: the prediction server from the Command Palette. Start it, run that project's curl line against it, open its
// sketchpad page in the browser (through vscode.env.asExternalUri: code-server's port forwarding), draw a digit there
// and read the live top 3, then stop it.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { assert, until } from '../runner';
import { runCommand, waitForNotification } from '../workbench';
import { clearNotifications, frameText, type SuiteContext } from './common';
import { DIGIT_STROKES, drawStrokes, settledPrediction } from './sketchpad';

const curl = promisify(execFile);

/** The workspace setting that lets the system pick a free port (other runs may be serving on 7860). */
export const SERVE_SETTINGS = { 'mnist.server.port': 0 };

export async function serveSteps(ctx: SuiteContext): Promise<void> {
  const { page, runner, workspace } = ctx;
  let url = '';
  let browserPage: Page | undefined;

  await runner.check(
    'server: "MNIST: Start Prediction Server" starts it; the status bar shows its address',
    async () => {
      await clearNotifications(page);
      await runCommand(page, 'MNIST: Start Prediction Server');
      const text = await waitForNotification(page, /prediction server started at http:\/\/127\.0\.0\.1:\d+\//, 60_000);
      url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(text)![1];
      const address = new URL(url).host;
      const item = page.locator('.statusbar-item').filter({ hasText: address }).first();
      await item.waitFor({ timeout: 15_000 });
      return `${text}; status bar "${((await item.textContent()) ?? '').trim()}"`;
    },
    90_000,
  );
  if (!url) return;

  await runner.check(
    `server: that project's curl line answers with the digit (curl -X POST -F "image=@…")`,
    async () => {
      const image = path.join(workspace, 'seven-grey8.png');
      const { stdout } = await curl('curl', ['-sS', '-X', 'POST', '-F', `image=@${image}`, `${url}predict`]);
      const answer = JSON.parse(stdout) as {
        digit: number;
        probability: number;
        top3: unknown[];
        probabilities: object;
      };
      assert(answer.digit === 7, `curl got ${stdout}`);
      assert(answer.top3.length === 3 && Object.keys(answer.probabilities).length === 10, `answer shape: ${stdout}`);
      return stdout.slice(0, 120);
    },
  );

  await runner.check(
    'server: "Open Prediction Server in Browser" opens its sketchpad page, where a drawn 7 is predicted live',
    async () => {
      const opened = page.context().waitForEvent('page', { timeout: 30_000 });
      await runCommand(page, 'MNIST: Open Prediction Server in Browser');
      browserPage = await opened;
      await browserPage.waitForLoadState('domcontentloaded');
      const label = await until(
        'the model label',
        () => frameText(browserPage!, '#model'),
        (t) => /^Model: bundled · \d+\.\d% · served by /.test(t),
        { timeoutMs: 30_000 },
      );
      await drawStrokes(browserPage, browserPage, DIGIT_STROKES[7]);
      const predicted = await settledPrediction(browserPage);
      const top = await browserPage.locator('#bars li.top').count();
      const confidence = await frameText(browserPage, '#confidence');
      assert(predicted === '7', `drew 7, the page shows ${predicted} (${confidence})`);
      assert(top === 3, `expected the top 3 marked, got ${top}`);
      return `${browserPage.url()}: ${label}; shows ${predicted}, ${confidence}`;
    },
    90_000,
  );
  await browserPage?.close();

  await runner.check('server: "MNIST: Stop Prediction Server" stops it', async () => {
    await runCommand(page, 'MNIST: Stop Prediction Server');
    await waitForNotification(page, /prediction server stopped/);
    const refused = await curl('curl', ['-sS', `${url}health`]).then(
      () => false,
      () => true,
    );
    assert(refused, `${url} still answers after the stop`);
    return 'connection refused afterwards';
  });
}
