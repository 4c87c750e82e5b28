// The training chart's messages: a Stop button in, training snapshots out.
import * as v from 'valibot';
import { ready } from './panelMessages';

export const TrainingChartRequestSchema = v.variant('type', [ready, v.strictObject({ type: v.literal('stop') })]);
export type TrainingChartRequest = v.InferOutput<typeof TrainingChartRequestSchema>;

export interface EpochPoint {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
}

/** One point of the per-batch loss trace, live or kept in a saved model's metadata. */
export interface BatchLossPoint {
  /** Fractional epoch: 1.5 = halfway through epoch 2. */
  x: number;
  /** The epoch's running training loss after this batch (what the progress reports). */
  loss: number;
}

export interface TrainingView {
  /** The active model's training as saved with it (no run in this session yet), not a run of this session. */
  saved: boolean;
  running: boolean;
  status: string;
  epoch: number;
  epochs: number;
  imagesPerSecond: number;
  etaSeconds?: number;
  history: EpochPoint[];
  batchLoss: BatchLossPoint[];
}

export type TrainingChartUpdate = { type: 'training'; training: TrainingView };
