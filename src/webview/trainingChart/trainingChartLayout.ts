// TrainingView → what the training charts and the stats line show. No DOM, no Chart.js.
import { formatCount, formatDuration } from '../../shared/format';
import type { TrainingView } from '../../shared/trainingChartProtocol';

export interface XY {
  x: number;
  y: number;
}

export interface EpochSeries {
  loss: XY[];
  valLoss: XY[];
  /** Accuracy in percent. */
  accuracy: XY[];
  valAccuracy: XY[];
}

/** Loss and accuracy per epoch; validation points only for epochs that had a validation set. */
export function epochSeries(history: TrainingView['history']): EpochSeries {
  const series: EpochSeries = { loss: [], valLoss: [], accuracy: [], valAccuracy: [] };
  for (const e of history) {
    series.loss.push({ x: e.epoch, y: e.loss });
    series.accuracy.push({ x: e.epoch, y: e.accuracy * 100 });
    if (e.valLoss !== undefined) series.valLoss.push({ x: e.epoch, y: e.valLoss });
    if (e.valAccuracy !== undefined) series.valAccuracy.push({ x: e.epoch, y: e.valAccuracy * 100 });
  }
  return series;
}

export function batchSeries(batchLoss: TrainingView['batchLoss']): XY[] {
  return batchLoss.map((p) => ({ x: p.x, y: p.loss }));
}

/**
 * The x-axis range of the epoch charts: 0..epochs of the run, so the chart does not rescale each epoch. It starts
 * at 0 like the batch chart (epoch N's point sits where the batch trace ends epoch N), and a one-epoch run's only
 * point is drawn (a 1..1 axis has no width, and Chart.js drew nothing on it).
 */
export function epochAxis(view: TrainingView): { min: number; max: number } {
  const last = view.history.length ? view.history[view.history.length - 1].epoch : 1;
  return { min: 0, max: Math.max(1, view.epochs, last) };
}

export interface TrainingStats {
  epoch: string;
  eta: string;
  speed: string;
}

export function trainingStats(view: TrainingView): TrainingStats {
  const doneEpochs = view.history.length ? view.history[view.history.length - 1].epoch : 0;
  return {
    epoch:
      view.running && view.epochs
        ? `${Math.max(view.epoch, 1)} / ${view.epochs}`
        : doneEpochs
          ? `${doneEpochs} run`
          : '—',
    eta: view.running ? formatDuration(view.etaSeconds) : '—',
    speed: view.running && view.imagesPerSecond > 0 ? `${formatCount(view.imagesPerSecond)} images/s` : '—',
  };
}
