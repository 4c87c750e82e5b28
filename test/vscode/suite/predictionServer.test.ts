// Extension-host suite: the prediction server the commands start answers with the active model and follows it when
// mnist.modelPath changes; Stop ends it.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HealthAnswer, PredictionAnswer } from '../../../src/shared/predictionApi';
import { activateExtension, EXTENSION_ID, fixture, setTrainingSettings } from './helpers';

async function health(url: string): Promise<HealthAnswer> {
  return (await (await fetch(`${url}health`)).json()) as HealthAnswer;
}

async function predictSeven(url: string): Promise<PredictionAnswer> {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(readFileSync(fixture('seven-grey8.png').fsPath))]), 'seven.png');
  return (await (await fetch(`${url}predict`, { method: 'POST', body: form })).json()) as PredictionAnswer;
}

describe('prediction server (MNIST: Start / Stop Prediction Server)', () => {
  let copy: string;

  before(async () => {
    await activateExtension();
    await setTrainingSettings({ 'server.port': 0 });
    copy = mkdtempSync(join(tmpdir(), 'mnist-served-model-'));
    const bundled = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'models', 'mnist-cnn');
    cpSync(bundled, copy, { recursive: true });
  });

  after(async () => {
    await vscode.commands.executeCommand('mnist.stopPredictionServer');
    await setTrainingSettings({ 'server.port': undefined, modelPath: undefined });
    rmSync(copy, { recursive: true, force: true });
  });

  it('answers with the active model, follows it when it changes, and stops', async () => {
    const url = await vscode.commands.executeCommand<string>('mnist.startPredictionServer');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(await vscode.commands.executeCommand<string>('mnist.startPredictionServer'), url, 'one server');
    assert.equal((await health(url)).model, 'bundled');
    assert.equal((await predictSeven(url)).digit, 7);

    await setTrainingSettings({ modelPath: copy });
    for (let i = 0; i < 100 && (await health(url)).model !== 'custom'; i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal((await health(url)).model, 'custom');
    assert.equal((await predictSeven(url)).digit, 7);

    await vscode.commands.executeCommand('mnist.useBundledModel');
    assert.equal((await health(url)).model, 'bundled');

    await vscode.commands.executeCommand('mnist.stopPredictionServer');
    await assert.rejects(fetch(`${url}health`));
  });
});
