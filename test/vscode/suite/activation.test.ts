// Extension-host suite: activation stays lazy, every command is registered, and the API other extensions call.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID, fixture } from './helpers';

describe('activation and API', () => {
  it('is not active before one of its commands or panels is used', () => {
    // Activation events are commands and webview restores only, never '*'.
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    assert.ok(!manifest.activationEvents.includes('*'));
    assert.ok(!manifest.activationEvents.includes('onStartupFinished'));
  });

  it('registers every MNIST command', async () => {
    await activateExtension();
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'trainModel',
      'stopTraining',
      'openSketchpad',
      'showTrainingChart',
      'showModelSummary',
      'showNetwork',
      'evaluateModel',
      'classifyDigit',
      'useBundledModel',
      'openModel',
      'exportKeras',
      'installNativeBackend',
      'startPredictionServer',
      'stopPredictionServer',
      'openPredictionServer',
    ]) {
      assert.ok(commands.includes(`mnist.${id}`), `mnist.${id} is registered`);
    }
  });

  it('offers classifyPng and classifyPixels to other extensions', async () => {
    const api = await activateExtension();
    const seven = await vscode.workspace.fs.readFile(fixture('seven-grey8.png'));
    const result = await api.classifyPng(seven);
    assert.equal(result.digit, 7);
    assert.equal(result.probabilities.length, 10);
    assert.ok(Math.abs(result.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-3);

    // A "1": a vertical bar drawn into RGBA pixels.
    const width = 100;
    const rgba = new Uint8ClampedArray(width * width * 4);
    for (let y = 15; y < 85; y++) for (let x = 46; x < 54; x++) rgba.set([0, 0, 0, 255], (y * width + x) * 4);
    assert.equal((await api.classifyPixels(rgba, width, width)).digit, 1);
    await assert.rejects(api.classifyPixels(new Uint8ClampedArray(width * width * 4), width, width), /no digit found/);
  });
});
