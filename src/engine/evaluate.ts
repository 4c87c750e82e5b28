// Test-set evaluation: accuracy, loss, per-class accuracy, confusion matrix, mistakes.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { normalise } from './data/dataset';
import { type DigitSet } from './data/idx';
import { IMAGE_SIZE } from '../shared/mnistImage';
import { DIGIT_CLASSES } from '../shared/mnistImage';
import { predictProbabilities } from './predict';
import { argMax } from './ranking';

export interface Misclassified {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
}

export interface Evaluation {
  n: number;
  accuracy: number;
  loss: number;
  /** Accuracy per true digit 0-9. */
  perClassAccuracy: number[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  misclassified: Misclassified[];
}

export interface EvaluateOptions {
  /** Evaluate on the first N test images; 0 = all. */
  limit?: number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void | Promise<void>;
  signal?: AbortSignal;
}

const EPSILON = 1e-7;

export async function evaluate(model: LayersModel, test: DigitSet, options: EvaluateOptions = {}): Promise<Evaluation> {
  const n = options.limit ? Math.min(options.limit, test.count) : test.count;
  const batchSize = options.batchSize ?? 500;
  const examples = normalise(test, 0, n);
  const confusion = Array.from({ length: DIGIT_CLASSES }, () => new Array<number>(DIGIT_CLASSES).fill(0));
  const misclassified: Misclassified[] = [];
  let lossSum = 0;
  for (let start = 0; start < n; start += batchSize) {
    if (options.signal?.aborted) throw new Error('evaluation was cancelled');
    const count = Math.min(batchSize, n - start);
    const probabilities = predictProbabilities(model, examples.pixels.subarray(start * IMAGE_SIZE), count);
    for (let i = 0; i < count; i++) {
      const label = examples.labels[start + i];
      const offset = i * DIGIT_CLASSES;
      const predicted = argMax(probabilities, offset, DIGIT_CLASSES);
      confusion[label][predicted]++;
      lossSum -= Math.log(Math.max(probabilities[offset + label], EPSILON));
      if (predicted !== label) {
        misclassified.push({ index: start + i, label, predicted, confidence: probabilities[offset + predicted] });
      }
    }
    await options.onProgress?.(start + count, n);
  }
  const correct = confusion.reduce((sum, row, digit) => sum + row[digit], 0);
  return {
    n,
    accuracy: n ? correct / n : 0,
    loss: n ? lossSum / n : 0,
    perClassAccuracy: confusion.map((row, digit) => {
      const total = row.reduce((a, b) => a + b, 0);
      return total ? row[digit] / total : 0;
    }),
    confusion,
    misclassified,
  };
}
