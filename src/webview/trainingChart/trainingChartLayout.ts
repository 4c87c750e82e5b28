// TrainingView → what the training charts, their summaries and the stats line show. No DOM, no Chart.js.
import { formatCount, formatDuration, formatPercent } from '../../shared/format';
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
export function epochAxis(training: TrainingView): { min: number; max: number } {
  return { min: 0, max: Math.max(1, training.epochs, lastEpoch(training) ?? 1) };
}

/**
 * Whether the per-batch chart is shown: while a run is going (its batches are on their way) and whenever there
 * are batch losses; not for a saved model that recorded none.
 */
export function showsBatchChart(training: TrainingView): boolean {
  return training.running || training.batchLoss.length > 0;
}

export interface TrainingStats {
  /** What the epoch stat counts: the running "Epoch", the "Last run"'s or the "Saved model"'s epochs. */
  epochName: string;
  epoch: string;
  /** Not shown (undefined) for a saved model's training. */
  eta?: string;
  speed?: string;
}

export function trainingStats(training: TrainingView): TrainingStats {
  const done = lastEpoch(training);
  const trained = `${done ?? 0} epoch${done === 1 ? '' : 's'} trained`;
  if (training.saved) return { epochName: 'Saved model', epoch: trained };
  const running = training.running && training.epochs;
  return {
    epochName: running || !done ? 'Epoch' : 'Last run',
    epoch: running ? `${Math.max(training.epoch, 1)} / ${training.epochs}` : done ? trained : '—',
    eta: training.running ? formatDuration(training.etaSeconds) : '—',
    speed: training.running && training.imagesPerSecond > 0 ? `${formatCount(training.imagesPerSecond)} images/s` : '—',
  };
}

/** The text under each chart, for screen readers and at a glance. */
export interface ChartSummaries {
  loss: string;
  accuracy: string;
  batch: string;
}

export function chartSummaries(training: TrainingView): ChartSummaries {
  const last = training.history[training.history.length - 1];
  const lastBatch = training.batchLoss[training.batchLoss.length - 1];
  const validation = (name: string, value: string | undefined) => (value === undefined ? '' : `, ${name} ${value}`);
  return {
    loss: last
      ? `Epoch ${last.epoch}: training loss ${last.loss.toFixed(4)}${validation('validation loss', last.valLoss?.toFixed(4))}.`
      : 'No finished epoch yet.',
    accuracy: last
      ? `Epoch ${last.epoch}: training accuracy ${formatPercent(last.accuracy, 2)}${validation('validation accuracy', last.valAccuracy === undefined ? undefined : formatPercent(last.valAccuracy, 2))}.`
      : 'No finished epoch yet.',
    batch: lastBatch
      ? `${training.batchLoss.length} points; latest batch loss ${lastBatch.loss.toFixed(4)}.`
      : 'No batches yet.',
  };
}

function lastEpoch(training: TrainingView): number | undefined {
  return training.history[training.history.length - 1]?.epoch;
}
