// The training loss batch by batch, as the training chart draws it (x = fractional epoch), and the thinned-out trace
// a saved model keeps of it. No TensorFlow here: the extension host uses it too.

export interface BatchLossPoint {
  /** Fractional epoch: 1.5 = halfway through epoch 2. */
  x: number;
  /** The epoch's running training loss after this batch (what the progress reports). */
  loss: number;
}

/** Points of the trace a saved model's metadata keeps. */
export const MAX_SAVED_BATCH_POINTS = 500;

export function fractionalEpoch(epoch: number, batch: number, batches: number): number {
  return epoch - 1 + batch / batches;
}

/** At most `max` of the points, evenly spread, the first and the last kept. */
export function downsample<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  if (max < 2) return points.slice(-max);
  return Array.from({ length: max }, (_, i) => points[Math.round((i * (points.length - 1)) / (max - 1))]);
}
