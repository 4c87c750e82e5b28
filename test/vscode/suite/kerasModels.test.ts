// Extension-host suite: a .keras file in mnist.modelPath; MNIST: Open Model… on the reference Keras files (the active model then answers), a damaged
// file refused with the active model kept, Export Model as Keras of the bundled model opened again with the same
// predictions, and the Keras model editor for .keras (by default) and .h5 (through Open With).
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ModelSource } from '../../../src/engine/classifier';
import type { MnistApi } from '../../../src/extension/extension';
import { activateExtension, fixture, kerasFixture, setTrainingSettings } from './helpers';

type Result = Awaited<ReturnType<MnistApi['classifyPng']>>;

const openModel = (uri: vscode.Uri) => vscode.commands.executeCommand<ModelSource | undefined>('mnist.openModel', uri);

function activeEditorViewType(): string | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom ? input.viewType : undefined;
}

describe('Keras models: mnist.modelPath, Open Model, Export Model as Keras, the model editor', () => {
  let api: MnistApi;
  let seven: Uint8Array;
  let bundled: Result;
  let dir: string;

  before(async () => {
    api = await activateExtension();
    seven = await vscode.workspace.fs.readFile(fixture('seven-grey8.png'));
    await vscode.commands.executeCommand('mnist.useBundledModel');
    bundled = await api.classifyPng(seven);
    dir = mkdtempSync(join(tmpdir(), 'mnist-keras-vscode-'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('mnist.useBundledModel');
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes a .keras file in mnist.modelPath, and goes back to the bundled model when it is cleared', async () => {
    try {
      await setTrainingSettings({ modelPath: kerasFixture('seed003/model.keras').fsPath });
      const result = await api.classifyPng(seven);
      assert.equal(result.digit, 7);
      assert.notDeepEqual(result.probabilities, bundled.probabilities, 'the bundled model answered');
    } finally {
      await setTrainingSettings({ modelPath: undefined });
    }
    assert.deepEqual((await api.classifyPng(seven)).probabilities, bundled.probabilities);
  });

  for (const name of ['seed000/mnist_model.keras', 'seed000/mnist_model.h5', 'mlp/mnist_mlp.h5']) {
    it(`opens ${name} as the active model, which then classifies`, async () => {
      const file = kerasFixture(name);
      assert.deepEqual(await openModel(file), { path: file.fsPath, kind: 'opened' });
      const result = await api.classifyPng(seven);
      assert.equal(result.digit, 7);
      assert.notDeepEqual(result.probabilities, bundled.probabilities, 'the bundled model answered');
    });
  }

  it('refuses a damaged .keras file and keeps the active model', async () => {
    await openModel(kerasFixture('seed000/mnist_model.keras'));
    const before = await api.classifyPng(seven);
    const broken = join(dir, 'broken.keras');
    writeFileSync(broken, 'not a zip archive');
    assert.equal(await openModel(vscode.Uri.file(broken)), undefined);
    assert.deepEqual((await api.classifyPng(seven)).probabilities, before.probabilities);
  });

  it('exports the bundled model as .keras; opened again, it predicts as the bundled model', async () => {
    await vscode.commands.executeCommand('mnist.useBundledModel');
    const target = vscode.Uri.file(join(dir, 'mnist_model.keras'));
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('mnist.exportKeras', target);
    assert.equal(written?.fsPath, target.fsPath);
    assert.ok(existsSync(target.fsPath));
    assert.equal((await openModel(target))?.kind, 'opened');
    const reopened = await api.classifyPng(seven);
    assert.equal(reopened.digit, bundled.digit);
    reopened.probabilities.forEach((p, i) =>
      assert.ok(Math.abs(p - bundled.probabilities[i]) <= 1e-5, `digit ${i}: ${p} vs ${bundled.probabilities[i]}`),
    );
  });

  it('opens .keras files in the Keras model editor, and .h5 files through Open With', async () => {
    await vscode.commands.executeCommand('vscode.open', kerasFixture('seed000/mnist_model.keras'));
    assert.equal(activeEditorViewType(), 'mnist.kerasModel');
    await vscode.commands.executeCommand('vscode.openWith', kerasFixture('mlp/mnist_mlp.h5'), 'mnist.kerasH5Model');
    assert.equal(activeEditorViewType(), 'mnist.kerasH5Model');
  });
});
