// Panel restoration after a window reload, and refreshing the panels that show the active model.
import * as vscode from 'vscode';
import { ClassifyResultsPanel } from './classifyResultsPanel';
import { EvaluationPanel } from './evaluationPanel';
import { ModelSummaryPanel } from './modelSummaryPanel';
import type { PanelServices } from './services';
import { SketchpadPanel } from './sketchpadPanel';
import { TrainingChartPanel } from './trainingChartPanel';

export const PANEL_VIEW_TYPES = [
  SketchpadPanel.viewType,
  TrainingChartPanel.viewType,
  ModelSummaryPanel.viewType,
  EvaluationPanel.viewType,
  ClassifyResultsPanel.viewType,
] as const;

export function registerPanelSerializers(services: PanelServices): vscode.Disposable[] {
  const serializer = (
    revive: (panel: vscode.WebviewPanel, state: unknown) => unknown,
  ): vscode.WebviewPanelSerializer => ({
    async deserializeWebviewPanel(panel, state) {
      revive(panel, state);
    },
  });
  return [
    vscode.window.registerWebviewPanelSerializer(
      SketchpadPanel.viewType,
      serializer((panel) => SketchpadPanel.revive(panel, services)),
    ),
    vscode.window.registerWebviewPanelSerializer(
      TrainingChartPanel.viewType,
      serializer((panel) => TrainingChartPanel.revive(panel, services)),
    ),
    vscode.window.registerWebviewPanelSerializer(
      ModelSummaryPanel.viewType,
      serializer((panel) => ModelSummaryPanel.revive(panel, services)),
    ),
    vscode.window.registerWebviewPanelSerializer(
      EvaluationPanel.viewType,
      serializer((panel) => EvaluationPanel.revive(panel, services)),
    ),
    vscode.window.registerWebviewPanelSerializer(
      ClassifyResultsPanel.viewType,
      serializer((panel, state) => ClassifyResultsPanel.revive(panel, services, state)),
    ),
  ];
}

/**
 * Call when the active model changes: the sketchpad's model line, the summary, the evaluation and (before any run)
 * the training chart follow.
 */
export function refreshModelPanels(): void {
  SketchpadPanel.refresh();
  TrainingChartPanel.refresh();
  ModelSummaryPanel.refresh();
  EvaluationPanel.refresh();
}
