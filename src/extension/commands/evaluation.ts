// MNIST: Evaluate Model — the active model on the 10,000 test images, with progress, into the output channel.
import * as vscode from 'vscode';
import type { DigitClassifier } from '../../engine/classifier';
import type { Evaluation } from '../../engine/evaluate';
import type { DigitSet } from '../../engine/data/idx';
import { loadEngineHost } from '../loadEngineHost';
import { describeSource } from '../modelManager';
import { formatEvaluation } from '../../engine/training/evaluationText';

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
  log.info(`Evaluation of the ${modelName}:`);
  for (const line of formatEvaluation(e)) log.info(line);
}
