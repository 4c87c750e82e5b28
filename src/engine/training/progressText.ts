// One wording for training progress, shared by the CLI, the progress notification, the output channel and the chart.
import type { EpochResult } from './epochResult';
import type { BatchProgress } from './train';
import { formatPercent } from '../../shared/format';

/** "Epoch 2/5 · batch 410/844". */
export function formatBatchPosition(p: Pick<BatchProgress, 'epoch' | 'epochs' | 'batch' | 'batches'>): string {
  return `Epoch ${p.epoch}/${p.epochs} · batch ${p.batch}/${p.batches}`;
}

/** "Epoch 2/5 · batch 410/844 · loss 0.071 · acc 97.8%" (the epoch's running figures). */
export function formatBatch(p: BatchProgress): string {
  return `${formatBatchPosition(p)} · loss ${p.loss.toFixed(3)} · acc ${formatPercent(p.accuracy, 1)}`;
}

export function formatEpoch(e: EpochResult): string {
  const validation =
    e.valLoss === undefined
      ? ''
      : ` · val_loss ${e.valLoss.toFixed(4)} · val_acc ${formatPercent(e.valAccuracy ?? 0, 2)}`;
  return `Epoch ${e.epoch}/${e.epochs} · loss ${e.loss.toFixed(4)} · acc ${formatPercent(e.accuracy, 2)}${validation} · ${Math.round(e.imagesPerSecond)} images/s · ${e.seconds.toFixed(1)} s`;
}

/** "Evaluating on the test set · 5000/10000". */
export function formatEvaluating(done: number, total: number): string {
  return `Evaluating on the test set · ${done}/${total}`;
}
