// MNIST: Evaluate Model — the active model on the 10,000 test images, with progress, into the output channel.
import * as vscode from 'vscode';
import type { DigitClassifier } from '../../engine/classifier';
import type { Evaluation } from '../../engine/evaluate';
import type { DigitSet } from '../../engine/data/idx';
import { loadEngineHost } from '../loadEngineHost';
import { describeSource } from '../modelManager';
import { formatPercent } from '../../shared/format';

const yieldToEditor = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function evaluateWithProgress(
  classifier: DigitClassifier,
  test: () => Promise<DigitSet>,
  log: vscode.LogOutputChannel,
): Promise<Evaluation> {
  const { evaluate } = loadEngineHost();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'MNIST: Evaluating', cancellable: true },
    async (progress, token) => {
      progress.report({ message: 'loading the model and the test set…' });
      const [{ model, source }, testSet] = await Promise.all([classifier.activeModel(), test()]);
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      const evaluation = await evaluate(model, testSet, {
        signal: controller.signal,
        batchSize: 250,
        onProgress: async (done, total) => {
          progress.report({ message: `${done}/${total} test images`, increment: ((done - reported) / total) * 100 });
          reported = done;
          await yieldToEditor(); // keep the editor responsive between batches
        },
      });
      logEvaluation(log, evaluation, describeSource(source));
      return evaluation;
    },
  );
}

export function logEvaluation(log: vscode.LogOutputChannel, e: Evaluation, modelName: string): void {
  log.info(
    `Evaluation of the ${modelName} on ${e.n} test images: accuracy ${formatPercent(e.accuracy, 2)}, loss ${e.loss.toFixed(4)}`,
  );
  log.info(`Per-class accuracy: ${e.perClassAccuracy.map((a, d) => `${d}: ${formatPercent(a, 1)}`).join(' · ')}`);
  log.info('Confusion matrix (rows = true digit, columns = predicted):');
  log.info(`     ${[...Array(10).keys()].map((d) => String(d).padStart(5)).join('')}`);
  e.confusion.forEach((row, digit) => log.info(`  ${digit}: ${row.map((c) => String(c).padStart(5)).join('')}`));
}
