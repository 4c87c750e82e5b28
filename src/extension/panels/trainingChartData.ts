// The training monitor's snapshot → what the chart webview gets. No vscode import (unit-tested).
import type { TrainingSnapshot } from '../training/trainingMonitor';
import type { TrainingView } from '../../shared/trainingChartProtocol';

export function trainingView(s: TrainingSnapshot): TrainingView {
  return {
    running: s.running,
    status: s.status,
    epoch: s.epoch,
    epochs: s.epochs,
    imagesPerSecond: s.imagesPerSecond,
    etaSeconds: s.etaSeconds,
    history: s.history.map(({ epoch, loss, accuracy, valLoss, valAccuracy }) => ({
      epoch,
      loss,
      accuracy,
      valLoss,
      valAccuracy,
    })),
    batchLoss: s.batchLoss,
  };
}
