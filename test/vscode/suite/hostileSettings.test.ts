// Extension-host suite (runs first, before anything activates the extension): broken settings and hostile model
// folders in mnist.modelPath. Activation works, every command runs without throwing, Use Bundled Model recovers.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MnistApi } from '../../../src/extension/extension';
import { activateExtension, EXTENSION_ID, fixture, setTrainingSettings } from './helpers';

/** Every command but Install Native TensorFlow Backend (it downloads from the internet). */
const COMMANDS: [string, ...unknown[]][] = [
  ['mnist.trainModel'],
  ['mnist.stopTraining'],
  ['mnist.openSketchpad'],
  ['mnist.showTrainingChart'],
  ['mnist.showModelSummary'],
  ['mnist.evaluateModel'],
  ['mnist.classifyDigit', fixture('seven-grey8.png'), [fixture('seven-grey8.png')]],
  ['mnist.useBundledModel'],
];

/** The bundled model's files, with model.json's metadata replaced by `mnist`. */
function modelWithMetadata(mnist: unknown): string {
  const bundled = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'models', 'mnist-cnn');
  const dir = mkdtempSync(join(tmpdir(), 'mnist-broken-metadata-'));
  for (const name of readdirSync(bundled)) copyFileSync(join(bundled, name), join(dir, name));
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  json.userDefinedMetadata = { mnist };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  return dir;
}

/** A folder whose model.json is a named pipe nobody writes to: reading it would block forever. */
function fifoModel(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'mnist-fifo-model-')), 'model');
  mkdirSync(dir);
  execFileSync('mkfifo', [join(dir, 'model.json')]);
  return dir;
}

async function runEveryCommand(): Promise<void> {
  for (const [id, ...args] of COMMANDS) {
    await assert.doesNotReject(
      Promise.resolve(vscode.commands.executeCommand(id, ...args)),
      `${id} runs without throwing`,
    );
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('hostile settings and model folders', () => {
  let api: MnistApi;
  const fifo = process.platform === 'win32' ? undefined : fifoModel();

  before(async () => {
    // Set before the extension activates: a number as the model path, a number as the backend, a word as epochs.
    await setTrainingSettings({ modelPath: fifo ?? 42, backend: 42, 'training.epochs': 'five' });
    api = await activateExtension();
  });
  after(() => setTrainingSettings({ modelPath: undefined, backend: undefined, 'training.epochs': undefined }));

  it('activates with them and offers its API', () => {
    assert.equal(typeof api.classifyPng, 'function');
  });

  it('runs every command with a FIFO as model.json', async () => {
    await runEveryCommand();
  });

  it('runs every command with the model path a number', async () => {
    await setTrainingSettings({ modelPath: 42 });
    await runEveryCommand();
  });

  it('runs every command, and classifies, with metadata of the wrong types', async () => {
    await setTrainingSettings({ modelPath: modelWithMetadata({ date: 5, epochsRun: 'many', testAccuracy: '**1**' }) });
    await runEveryCommand();
    await setTrainingSettings({ modelPath: modelWithMetadata('not a record') });
    const seven = await vscode.workspace.fs.readFile(fixture('seven-grey8.png'));
    assert.equal((await api.classifyPng(seven)).digit, 7);
  });

  it('recovers with Use Bundled Model while mnist.modelPath still names a model that cannot load', async () => {
    if (!fifo) return;
    await setTrainingSettings({ modelPath: fifo });
    const seven = await vscode.workspace.fs.readFile(fixture('seven-grey8.png'));
    await assert.rejects(api.classifyPng(seven), /named pipe/);
    await vscode.commands.executeCommand('mnist.useBundledModel');
    assert.equal((await api.classifyPng(seven)).digit, 7);
  });
});
