// One epoch's figures: what train() reports, the training process sends and a saved model's metadata keeps.
import * as v from 'valibot';

export const finite = v.pipe(v.number(), v.finite());
export const count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const EpochResultSchema = v.object({
  epoch: count,
  epochs: count,
  loss: finite,
  accuracy: finite,
  valLoss: v.optional(finite),
  valAccuracy: v.optional(finite),
  imagesPerSecond: finite,
  seconds: finite,
});

export type EpochResult = v.InferOutput<typeof EpochResultSchema>;
