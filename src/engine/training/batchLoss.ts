// The training loss batch by batch (BatchLossPoint, x = fractional epoch, as the chart draws it), and the thinned-out
// trace a saved model keeps of it. No TensorFlow here: the extension host uses it too.

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
