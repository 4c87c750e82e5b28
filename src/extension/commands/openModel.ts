// MNIST: Open Model… — a Keras file (.keras, .h5) or a TensorFlow.js folder (picked by its model.json) becomes the
// active model once it has loaded; one that cannot be used is named and the active model stays.
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import type { ModelSource } from '../../engine/classifier';
import { MODEL_FILE } from '../../engine/model/metadata';
import { errorMessage } from '../../shared/errors';
import type { ModelManager } from '../modelManager';
import type { PanelServices } from '../services';

/** Opens `target` (the Keras editor's button, tests), else the file the picker gives; the new source, if any. */
export async function openModel(
  services: PanelServices,
  models: ModelManager,
  target?: vscode.Uri,
): Promise<ModelSource | undefined> {
  const uri = target instanceof vscode.Uri ? target : await pickModel();
  if (!uri) return undefined;
  const path = basename(uri.fsPath) === MODEL_FILE ? dirname(uri.fsPath) : uri.fsPath;
  try {
    if (uri.scheme !== 'file') throw new Error(`${uri.toString(true)}: only models on this machine's disk can be used`);
    await services.summarizeModelFile(path); // a model that cannot be loaded is refused before it becomes active
  } catch (err) {
    services.log.error(`Open Model: ${errorMessage(err)}`);
    void vscode.window.showErrorMessage(`MNIST: the model cannot be used: ${errorMessage(err)}`);
    return undefined;
  }
  await models.useOpened(path);
  void vscode.window.showInformationMessage(`MNIST: using the model ${basename(path)}.`);
  return models.source();
}

function pickModel(): Thenable<vscode.Uri | undefined> {
  return vscode.window
    .showOpenDialog({
      canSelectMany: false,
      openLabel: 'Open Model',
      title: 'MNIST: choose a Keras model (.keras, .h5) or a TensorFlow.js model.json',
      filters: { 'Keras models and TensorFlow.js model.json': ['keras', 'h5', 'json'] },
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    })
    .then((picked) => picked?.[0]);
}
