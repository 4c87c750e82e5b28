// Host side of the model summary: the active model's layers and metadata.
import * as vscode from 'vscode';
import { summarizeModel } from '../engine/summary';
import { ModelSummaryRequestSchema, type ModelSummaryRequest, type ModelSummaryUpdate } from '../../webview/protocol';
import { summaryView } from './modelInfo';
import { errorMessage, PanelHost } from './panelHost';
import type { PanelServices } from './services';
import { webviewOptions } from './webviewHtml';

export class ModelSummaryPanel extends PanelHost<ModelSummaryRequest, ModelSummaryUpdate> {
  static readonly viewType = 'mnist.modelSummary';
  static readonly title = 'MNIST Model Summary';
  private static current: ModelSummaryPanel | undefined;

  static createOrShow(services: PanelServices, viewColumn = vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.One): ModelSummaryPanel {
    if (ModelSummaryPanel.current) {
      ModelSummaryPanel.current.panel.reveal(viewColumn);
      void ModelSummaryPanel.current.postSummary();
      return ModelSummaryPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(ModelSummaryPanel.viewType, ModelSummaryPanel.title, viewColumn, webviewOptions(services.extensionUri));
    return (ModelSummaryPanel.current = new ModelSummaryPanel(panel, services));
  }

  static revive(panel: vscode.WebviewPanel, services: PanelServices): ModelSummaryPanel {
    ModelSummaryPanel.current?.dispose();
    return (ModelSummaryPanel.current = new ModelSummaryPanel(panel, services));
  }

  /** Re-renders the open panel for the (new) active model. */
  static refresh(): void {
    void ModelSummaryPanel.current?.postSummary();
  }

  private constructor(panel: vscode.WebviewPanel, services: PanelServices) {
    super(panel, services, { title: ModelSummaryPanel.title, script: 'modelSummaryPanel', styles: ['panels.css', 'modelSummary.css'] }, ModelSummaryRequestSchema);
  }

  protected override onDispose(): void {
    if (ModelSummaryPanel.current === this) ModelSummaryPanel.current = undefined;
  }

  protected override onMessage(request: ModelSummaryRequest): Promise<void> {
    switch (request.type) {
      case 'ready':
        return this.postSummary();
    }
  }

  private async postSummary(): Promise<void> {
    this.post({ type: 'loading' });
    try {
      const active = await (await this.services.classifier()).activeModel();
      this.post({ type: 'summary', summary: summaryView(summarizeModel(active.model), active) });
    } catch (err) {
      this.services.log.warn(`Model summary: the model could not be loaded: ${errorMessage(err)}`);
      this.post({ type: 'summaryError', message: `The model could not be loaded: ${errorMessage(err)}` });
    }
  }
}
