// What the training chart shows: the running (or last) run's epochs, batch trace, speed and ETA.
import { EventEmitter } from 'node:events';
import type { EpochResult } from '../../engine/training/epochResult';
import type { TrainerEvent } from '../../engine/training/trainerProtocol';
import { formatBatchPosition, formatEvaluating } from '../../engine/training/progressText';
import { fractionalEpoch } from '../../engine/training/batchLoss';
import type { BatchLossPoint } from '../../shared/trainingChartProtocol';

export interface TrainingSnapshot {
  running: boolean;
  /** Text such as "Epoch 2/5 · batch 410/1688"; or how the last run ended. */
  status: string;
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  imagesPerSecond: number;
  /** Seconds left, estimated from the current speed; undefined when idle. */
  etaSeconds?: number;
  history: EpochResult[];
  batchLoss: BatchLossPoint[];
}

/** Enough points for a smooth trace; older points are thinned out. */
const MAX_BATCH_POINTS = 2000;

export class TrainingMonitor extends EventEmitter<{ change: [TrainingSnapshot] }> {
  private snapshot: TrainingSnapshot = TrainingMonitor.idle('No training has run yet.');
  /** Of the running training, for the ETA (batch events carry counts, not sizes). */
  private batchSize = 32;

  static idle(status: string): TrainingSnapshot {
    return {
      running: false,
      status,
      epoch: 0,
      epochs: 0,
      batch: 0,
      batches: 0,
      imagesPerSecond: 0,
      history: [],
      batchLoss: [],
    };
  }

  get current(): TrainingSnapshot {
    return this.snapshot;
  }

  start(epochs: number, batchSize: number): void {
    this.batchSize = batchSize;
    this.update({ ...TrainingMonitor.idle('Starting…'), running: true, epochs });
  }

  record(event: TrainerEvent): void {
    const s = this.snapshot;
    switch (event.type) {
      case 'batch': {
        const batchLoss =
          s.batchLoss.length >= MAX_BATCH_POINTS ? s.batchLoss.filter((_, i) => i % 2 === 0) : s.batchLoss;
        const remainingBatches = (event.epochs - event.epoch) * event.batches + (event.batches - event.batch);
        this.update({
          ...s,
          status: formatBatchPosition(event),
          epoch: event.epoch,
          epochs: event.epochs,
          batch: event.batch,
          batches: event.batches,
          imagesPerSecond: event.imagesPerSecond,
          etaSeconds:
            event.imagesPerSecond > 0 ? (remainingBatches * this.batchSize) / event.imagesPerSecond : undefined,
          batchLoss: [...batchLoss, { x: fractionalEpoch(event.epoch, event.batch, event.batches), loss: event.loss }],
        });
        break;
      }
      case 'epoch':
        this.update({ ...s, history: [...s.history, event.result] });
        break;
      case 'evaluating':
        this.update({
          ...s,
          status: formatEvaluating(event.done, event.total),
          etaSeconds: undefined,
        });
        break;
      default:
        break;
    }
  }

  finish(status: string): void {
    this.update({ ...this.snapshot, running: false, status, etaSeconds: undefined });
  }

  private update(next: TrainingSnapshot): void {
    this.snapshot = next;
    this.emit('change', next);
  }
}
