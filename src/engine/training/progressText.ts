// One wording for training progress, shared by the CLI and the extension's output channel.
import type { EpochResult } from './train';
import { formatPercent } from '../../shared/format';

export function formatEpoch(e: EpochResult): string {
  const validation =
    e.valLoss === undefined
      ? ''
      : ` · val_loss ${e.valLoss.toFixed(4)} · val_acc ${formatPercent(e.valAccuracy ?? 0, 2)}`;
  return `Epoch ${e.epoch}/${e.epochs} · loss ${e.loss.toFixed(4)} · acc ${formatPercent(e.accuracy, 2)}${validation} · ${Math.round(e.imagesPerSecond)} images/s · ${e.seconds.toFixed(1)} s`;
}
