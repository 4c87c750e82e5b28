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

export interface TrainingView {
  running: boolean;
  status: string;
  epoch: number;
  epochs: number;
  imagesPerSecond: number;
  etaSeconds?: number;
  history: EpochPoint[];
  /** x = fractional epoch. */
  batchLoss: { x: number; loss: number }[];
}

export type TrainingChartUpdate = { type: 'training'; training: TrainingView };
