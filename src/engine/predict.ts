// Inference: probabilities for preprocessed 28x28 images.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { IMAGE_SIDE, IMAGE_SIZE } from '../shared/mnistImage';
import { DIGIT_CLASSES } from '../shared/mnistImage';
import { argMax } from './ranking';

export interface Prediction {
  digit: number;
  /** Ten probabilities, index = digit. */
  probabilities: number[];
}

/** Probabilities for `count` images stored back to back in `pixels` (784 values each, 0..1), in one batch. */
export function predictProbabilities(
  model: LayersModel,
  pixels: Float32Array,
  count = pixels.length / IMAGE_SIZE,
): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(pixels.subarray(0, count * IMAGE_SIZE), [count, IMAGE_SIDE, IMAGE_SIDE, 1]);
    // One batch of `count`: predict's default (32) would slice the input and concatenate the results.
    return (model.predict(x, { batchSize: Math.max(1, count) }) as tf.Tensor).dataSync() as Float32Array;
  });
}

export function predictDigit(model: LayersModel, pixels: Float32Array): Prediction {
  return toPrediction(predictProbabilities(model, pixels, 1));
}

export function toPrediction(probabilities: ArrayLike<number>): Prediction {
  const values = Array.from(probabilities).slice(0, DIGIT_CLASSES);
  return { digit: argMax(values), probabilities: values };
}
