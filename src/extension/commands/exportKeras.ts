// MNIST: Export Model as Keras… — the active model written as a Keras 3 .keras file, which keras.models.load_model()
// reads (see src/engine/keras/kerasWrite.ts).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { errorMessage } from '../../shared/errors';
import { loadEngineHost } from '../loadEngineHost';
import { describeSource, type ModelManager } from '../modelManager';
import type { PanelServices } from '../services';

const DEFAULT_NAME = 'mnist_model.keras';

/** Exports to `target` (tests), else where the save dialog says; the file written, if any. */
export async function exportKeras(
  services: PanelServices,
  models: ModelManager,
  target?: vscode.Uri,
): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri =
    target instanceof vscode.Uri
      ? target
      : await vscode.window.showSaveDialog({
          defaultUri: folder ? vscode.Uri.joinPath(folder, DEFAULT_NAME) : undefined,
          filters: { 'Keras model': ['keras'] },
          saveLabel: 'Export',
          title: 'MNIST: export the active model as Keras',
        });
  if (!uri) return undefined;
  const model = describeSource(models.source());
  try {
    if (uri.scheme !== 'file') throw new Error(`only files on this machine's disk can be written`);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `MNIST: Exporting the ${model} as Keras` },
      async () => {
        const { model: active } = await (await services.classifier()).activeModel();
        await loadEngineHost().exportKeras(active, uri.fsPath);
      },
    );
  } catch (err) {
    services.log.error(`Export as Keras: ${uri.fsPath}: ${errorMessage(err)}`);
    void vscode.window.showErrorMessage(`MNIST: ${uri.fsPath} could not be written: ${errorMessage(err)}`);
    return undefined;
  }
  services.log.info(`Exported the ${model} as Keras to ${uri.fsPath}`);
  void vscode.window
    .showInformationMessage(`MNIST: exported the ${model} to ${basename(uri.fsPath)}.`, 'Open', 'Reveal')
    .then((choice) => {
      if (choice === 'Open') void vscode.commands.executeCommand('vscode.open', uri);
      if (choice === 'Reveal') void reveal(uri);
    });
  return uri;
}

/** In the Explorer when the file is in the workspace, else in the system's file manager. */
function reveal(uri: vscode.Uri): Thenable<unknown> {
  const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  return vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
}
