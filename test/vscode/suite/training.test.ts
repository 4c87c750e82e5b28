// Extension-host suite: MNIST: Train Model in its child process: a small run, kept runs, cancelling, one run at a time.
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../../src/extension/training/trainingRun';
import { activateExtension, setTrainingSettings } from './helpers';

describe('MNIST: Train Model (a small run)', () => {
  before(async () => {
    await activateExtension();
    await setTrainingSettings({ 'training.epochs': 1, 'training.trainingSubset': 400, backend: 'wasm' });
  });
  after(() =>
    setTrainingSettings({ 'training.epochs': undefined, 'training.trainingSubset': undefined, backend: undefined }),
  );

  it('trains in a child process, saves the model and makes it active', async () => {
    const outcome = await vscode.commands.executeCommand<RunOutcome>('mnist.trainModel', 'seed');
    assert.equal(outcome?.status, 'done', JSON.stringify(outcome));
    if (outcome.status !== 'done') return;
    assert.equal(outcome.event.epochsRun, 1);
    assert.ok(outcome.event.testAccuracy > 0.5, `test accuracy ${outcome.event.testAccuracy}`);
  });

  it('keeps each run in a folder of its own; after a run, those beyond mnist.runs.keep go, never the active one', async () => {
    await setTrainingSettings({ 'runs.keep': 1 });
    try {
      const first = await vscode.commands.executeCommand<RunOutcome>('mnist.trainModel', 'mlp');
      const second = await vscode.commands.executeCommand<RunOutcome>('mnist.trainModel', 'lenet5');
      assert.equal(first?.status, 'done', JSON.stringify(first));
      assert.equal(second?.status, 'done', JSON.stringify(second));
      if (first.status !== 'done' || second.status !== 'done') return;
      assert.match(first.event.runId!, /-mlp$/);
      assert.match(second.event.runId!, /-lenet5$/);
      assert.equal(dirname(first.event.modelDir), dirname(second.event.modelDir));
      assert.deepEqual(readdirSync(dirname(second.event.modelDir)), [second.event.runId]);
    } finally {
      await setTrainingSettings({ 'runs.keep': undefined });
    }
  });

  it('cancels a run within a second and keeps the previous model', async () => {
    await setTrainingSettings({ 'training.epochs': 3, 'training.trainingSubset': 20000 });
    const running = vscode.commands.executeCommand<RunOutcome>('mnist.trainModel', 'seed');
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const cancelledAt = Date.now();
    await vscode.commands.executeCommand('mnist.stopTraining');
    const outcome = await running;
    assert.equal(outcome?.status, 'cancelled');
    assert.ok(Date.now() - cancelledAt < 2000, `stopped in ${Date.now() - cancelledAt} ms`);
  });

  it('refuses to start a second run while one is going', async () => {
    await setTrainingSettings({ 'training.epochs': 2, 'training.trainingSubset': 20000 });
    const first = vscode.commands.executeCommand<RunOutcome>('mnist.trainModel', 'seed');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // The second call offers to show the running one (a notification) and returns without training.
    const second = await Promise.race([
      vscode.commands.executeCommand<RunOutcome | undefined>('mnist.trainModel', 'seed'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 3000)),
    ]);
    assert.notEqual((second as RunOutcome | undefined)?.status, 'done');
    await vscode.commands.executeCommand('mnist.stopTraining');
    assert.equal((await first)?.status, 'cancelled');
  });
});
