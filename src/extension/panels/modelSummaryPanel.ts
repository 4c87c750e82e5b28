// Host side of the model summary: the active model's layers and metadata.
import type * as vscode from 'vscode';
import { summarizeModel } from '../../engine/model/summary';
import {
  ModelSummaryRequestSchema,
  type ModelSummaryRequest,
  type ModelSummaryUpdate,
} from '../../shared/modelSummaryProtocol';
import { summaryView } from './modelInfo';
import { errorMessage } from '../../shared/errors';
import { PanelHost, PanelSlot, type PanelKind } from './panelHost';
import type { PanelServices } from '../services';

export class ModelSummaryPanel extends PanelHost<ModelSummaryRequest, ModelSummaryUpdate> {
  static readonly kind: PanelKind = {
    viewType: 'mnist.modelSummary',
    title: 'MNIST Model Summary',
    page: 'modelSummary',
  };
  private static readonly slot = new PanelSlot<ModelSummaryPanel>(ModelSummaryPanel.kind);

  static createOrShow(services: PanelServices): ModelSummaryPanel {
    const wasOpen = ModelSummaryPanel.slot.current;
    const host = ModelSummaryPanel.slot.open(services, (panel) => new ModelSummaryPanel(panel, services));
    if (wasOpen) void host.postSummary(); // a new panel posts it when its webview is ready
    return host;
  }

  static revive(panel: vscode.WebviewPanel, services: PanelServices): ModelSummaryPanel {
    return ModelSummaryPanel.slot.revive(() => new ModelSummaryPanel(panel, services));
  }

  /** Re-renders the open panel for the (new) active model. */
  static refresh(): void {
    void ModelSummaryPanel.slot.current?.postSummary();
  }

  private constructor(panel: vscode.WebviewPanel, services: PanelServices) {
    super(panel, services, ModelSummaryPanel.kind, ModelSummaryRequestSchema);
  }

  protected override async onMessage(request: ModelSummaryRequest): Promise<void> {
    switch (request.type) {
      case 'ready':
        return this.postSummary();
      case 'useAsActiveModel':
      case 'evaluate':
        // Only a model file's page offers these (the Keras model editor); this panel shows the active model.
        return this.services.log.warn(`${this.panel.viewType}: ignored "${request.type}", which it does not offer`);
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
