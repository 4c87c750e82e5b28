// Inference: probabilities for preprocessed 28x28 images.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { IMAGE_SIDE, IMAGE_SIZE } from './idx';
import { DIGIT_CLASSES } from './model';

export interface Prediction {
  digit: number;
  /** Ten probabilities, index = digit. */
  probabilities: number[];
}

export interface RankedDigit {
  digit: number;
  probability: number;
}

/** Probabilities for `count` images stored back to back in `pixels` (784 values each, 0..1). */
export function predictProbabilities(model: LayersModel, pixels: Float32Array, count = pixels.length / IMAGE_SIZE): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(pixels.subarray(0, count * IMAGE_SIZE), [count, IMAGE_SIDE, IMAGE_SIDE, 1]);
    return (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
}

export function predictDigit(model: LayersModel, pixels: Float32Array): Prediction {
  return toPrediction(predictProbabilities(model, pixels, 1));
}

export function toPrediction(probabilities: ArrayLike<number>): Prediction {
  const values = Array.from(probabilities).slice(0, DIGIT_CLASSES);
  return { digit: argMax(values), probabilities: values };
}

export function topDigits(probabilities: ArrayLike<number>, count = 3): RankedDigit[] {
  return Array.from(probabilities, (probability, digit) => ({ digit, probability }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, count);
}

export function argMax(values: ArrayLike<number>, offset = 0, length = values.length - offset): number {
  let best = 0;
  for (let i = 1; i < length; i++) if (values[offset + i] > values[offset + best]) best = i;
  return best;
}
