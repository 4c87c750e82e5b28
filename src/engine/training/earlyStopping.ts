// Early stopping as Keras does it with restore_best_weights: watch val_loss, keep the best epoch's weights, stop
// after `patience` epochs without a lower one, and put the best weights back at the end.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

export class EarlyStopping {
  private best: { valLoss: number; epoch: number; weights: tf.Tensor[] } | undefined;
  /** Whether shouldStop() has said so. */
  stopped = false;

  /** `patience` 0 turns early stopping off. */
  constructor(private readonly patience: number) {}

  /** Records an epoch's val_loss (keeping the weights when it is the best yet); true when training should stop. */
  shouldStop(epoch: number, valLoss: number | undefined, model: LayersModel): boolean {
    if (valLoss === undefined || this.patience === 0) return false;
    if (!this.best || valLoss < this.best.valLoss) {
      this.best?.weights.forEach((w) => w.dispose());
      this.best = { valLoss, epoch, weights: model.getWeights().map((w) => tf.keep(w.clone())) };
      return false;
    }
    this.stopped = epoch - this.best.epoch >= this.patience;
    return this.stopped;
  }

  /** Gives the model the best epoch's weights when a later epoch ran; returns the epoch whose weights it holds. */
  restoreBest(model: LayersModel, lastEpoch: number): number {
    if (this.best && this.best.epoch !== lastEpoch) model.setWeights(this.best.weights);
    return this.best?.epoch ?? lastEpoch;
  }

  dispose(): void {
    this.best?.weights.forEach((w) => w.dispose());
    this.best = undefined;
  }
}
