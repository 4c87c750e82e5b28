// What the extension-host suites share: activating the extension, the fixture PNGs and Keras files, training settings.
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { MnistApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'mnist-digits.mnist-digits';

export async function activateExtension(): Promise<MnistApi> {
  const extension = vscode.extensions.getExtension<MnistApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
  return extension.activate();
}

/** The PNG fixtures: a folder given by the launcher (the e2e workspace or the repo's test/fixtures/png). */
export function fixture(name: string): vscode.Uri {
  const dir = process.env.MNIST_TEST_FIXTURES;
  if (!dir) throw new Error('MNIST_TEST_FIXTURES is not set');
  return vscode.Uri.file(join(dir, name));
}

/** The reference Keras files (test/fixtures/keras), e.g. "seed000/mnist_model.keras". */
export function kerasFixture(name: string): vscode.Uri {
  const dir = process.env.MNIST_TEST_KERAS_FIXTURES;
  if (!dir) throw new Error('MNIST_TEST_KERAS_FIXTURES is not set');
  return vscode.Uri.file(join(dir, name));
}

export async function setTrainingSettings(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('mnist');
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
}
