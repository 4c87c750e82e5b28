// Host side of the training chart: forwards the training monitor's snapshots (at most 10 per second); before any
// run, the active model's saved training.
import * as vscode from 'vscode';
import type { TrainingSnapshot } from '../training/trainingMonitor';
import {
  TrainingChartRequestSchema,
  type TrainingChartRequest,
  type TrainingChartUpdate,
} from '../../shared/trainingChartProtocol';
import { throttle } from '../../shared/throttle';
import { PanelHost, PanelSlot, type PanelKind } from './panelHost';
import type { PanelServices } from '../services';
import { hasRun, trainingView } from './trainingChartData';

const UPDATE_INTERVAL_MS = 100;

export class TrainingChartPanel extends PanelHost<TrainingChartRequest, TrainingChartUpdate> {
  static readonly kind: PanelKind = { viewType: 'mnist.trainingChart', title: 'MNIST Training', page: 'trainingChart' };
  private static readonly slot = new PanelSlot<TrainingChartPanel>(TrainingChartPanel.kind);

  private readonly postLatest = throttle(() => void this.postSnapshot(), UPDATE_INTERVAL_MS);
  private snapshots = 0;

  /** Beside the editor, leaving the focus where it is (it opens by itself when a training starts). */
  static createOrShow(services: PanelServices): TrainingChartPanel {
    return TrainingChartPanel.slot.open(services, (panel) => new TrainingChartPanel(panel, services), {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
  }

  static revive(panel: vscode.WebviewPanel, services: PanelServices): TrainingChartPanel {
    return TrainingChartPanel.slot.revive(() => new TrainingChartPanel(panel, services));
  }

  /** Shows the new active model's saved training, unless a run of this session is shown. */
  static refresh(): void {
    TrainingChartPanel.slot.current?.postLatest();
  }

  private constructor(panel: vscode.WebviewPanel, services: PanelServices) {
    super(panel, services, TrainingChartPanel.kind, TrainingChartRequestSchema);
    const onChange = (_snapshot: TrainingSnapshot) => this.postLatest();
    services.trainingMonitor.on('change', onChange);
    this.disposables.push(
      { dispose: () => services.trainingMonitor.off('change', onChange) },
      { dispose: () => this.postLatest.cancel() },
    );
  }

  protected override onMessage(request: TrainingChartRequest): void {
    switch (request.type) {
      case 'ready':
        return void this.postSnapshot();
      case 'stop':
        return this.services.stopTraining();
    }
  }

  /** The saved model's metadata is read (asynchronously) only before any run; a newer snapshot wins. */
  private async postSnapshot(): Promise<void> {
    const { trainingMonitor, activeModelMetadata } = this.services;
    const sequence = ++this.snapshots;
    const run = trainingMonitor.current;
    const metadata = hasRun(run) ? undefined : await activeModelMetadata();
    if (sequence === this.snapshots) this.post({ type: 'training', training: trainingView(run, () => metadata) });
  }
}
