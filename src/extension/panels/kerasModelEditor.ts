// The read-only editor of Keras model files (.keras by default; .h5 through "Open With…", as other HDF5 files exist):
// the Model Summary's page and protocol for the file, with Use as Active Model and Evaluate.
import * as vscode from 'vscode';
import {
  ModelSummaryRequestSchema,
  type ModelSummaryRequest,
  type ModelSummaryUpdate,
} from '../../shared/modelSummaryProtocol';
import { errorMessage } from '../../shared/errors';
import { summaryView } from './modelInfo';
import { PanelHost } from './panelHost';
import type { PanelServices } from '../services';

/** The view types package.json's customEditors declare: one per priority (default for .keras, option for .h5). */
const VIEW_TYPES = { keras: 'mnist.kerasModel', h5: 'mnist.kerasH5Model' } as const;

class KerasModelEditor extends PanelHost<ModelSummaryRequest, ModelSummaryUpdate> {
  constructor(
    panel: vscode.WebviewPanel,
    services: PanelServices,
    private readonly uri: vscode.Uri,
  ) {
    super(
      panel,
      services,
      { viewType: panel.viewType, title: 'Keras Model', page: 'modelSummary' },
      ModelSummaryRequestSchema,
    );
  }

  protected override async onMessage(request: ModelSummaryRequest): Promise<void> {
    switch (request.type) {
      case 'ready':
        return this.postSummary();
      case 'useAsActiveModel':
        await vscode.commands.executeCommand('mnist.openModel', this.uri);
        return;
      case 'evaluate':
        if (await vscode.commands.executeCommand('mnist.openModel', this.uri)) {
          await vscode.commands.executeCommand('mnist.evaluateModel');
        }
        return;
    }
  }

  private async postSummary(): Promise<void> {
    this.post({ type: 'loading' });
    const path = this.uri.fsPath;
    try {
      if (this.uri.scheme !== 'file') throw new Error("only models on this machine's disk can be read");
      const { summary, metadata } = await this.services.summarizeModelFile(path);
      const view = summaryView(summary, { source: { kind: 'opened', path }, metadata });
      // Its source is the file, which need not be the active model.
      this.post({ type: 'summary', summary: { ...view, model: { ...view.model, source: 'file' } }, modelFile: true });
    } catch (err) {
      const message = errorMessage(err);
      this.services.log.warn(`Keras model editor: ${message}`);
      // Engine errors start with the file's path; others are given it.
      const named = message.includes(path) ? message : `${path}: ${message}`;
      this.post({ type: 'summaryError', message: `The model could not be loaded: ${named}` });
    }
  }
}

export function registerKerasModelEditor(services: PanelServices): vscode.Disposable[] {
  const provider: vscode.CustomReadonlyEditorProvider = {
    openCustomDocument: (uri) => ({ uri, dispose: () => undefined }),
    resolveCustomEditor: (document, panel) => void new KerasModelEditor(panel, services, document.uri),
  };
  return Object.values(VIEW_TYPES).map((viewType) =>
    vscode.window.registerCustomEditorProvider(viewType, provider, { supportsMultipleEditorsPerDocument: true }),
  );
}
