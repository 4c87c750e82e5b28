// Panel restoration after a window reload, and refreshing the panels that show the active model.
import * as vscode from 'vscode';
import { ClassifyResultsPanel } from './classifyResultsPanel';
import { EvaluationPanel } from './evaluationPanel';
import { ModelSummaryPanel } from './modelSummaryPanel';
import { NetworkPanel } from './networkPanel';
import type { PanelKind } from './panelHost';
import type { PanelServices } from '../services';
import { SketchpadPanel } from './sketchpadPanel';
import { TrainingChartPanel } from './trainingChartPanel';

export function registerPanelSerializers(services: PanelServices): vscode.Disposable[] {
  const revivers: [PanelKind, (panel: vscode.WebviewPanel, state: unknown) => unknown][] = [
    [SketchpadPanel.kind, (panel) => SketchpadPanel.revive(panel, services)],
    [TrainingChartPanel.kind, (panel) => TrainingChartPanel.revive(panel, services)],
    [ModelSummaryPanel.kind, (panel) => ModelSummaryPanel.revive(panel, services)],
    [EvaluationPanel.kind, (panel) => EvaluationPanel.revive(panel, services)],
    [ClassifyResultsPanel.kind, (panel, state) => ClassifyResultsPanel.revive(panel, services, state)],
    [NetworkPanel.kind, (panel) => NetworkPanel.revive(panel, services)],
  ];
  return revivers.map(([kind, revive]) =>
    vscode.window.registerWebviewPanelSerializer(kind.viewType, {
      async deserializeWebviewPanel(panel, state) {
        revive(panel, state);
      },
    }),
  );
}

/**
 * Call when the active model changes: the sketchpad's model line, the summary, the evaluation, the network and
 * (before any run) the training chart follow.
 */
export function refreshModelPanels(): void {
  SketchpadPanel.refresh();
  TrainingChartPanel.refresh();
  ModelSummaryPanel.refresh();
  EvaluationPanel.refresh();
  NetworkPanel.refresh();
}
