// How the model holds up on digits unlike MNIST's: accuracy on the test digits under each corruption, every image
// through the same preprocessing a PNG gets (crop, 20 px box, centre of mass), so the report measures what a user meets.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { DigitSet } from './data/idx';
import { seededRandom } from './data/random';
import {
  CORRUPTION_LABELS,
  CORRUPTIONS,
  corrupt,
  padded,
  type CorruptionName,
  type GreyImage,
} from './image/corruptions';
import { NoDigitError, toMnistImage } from './image/preprocess';
import { predictProbabilities } from './predict';
import { argMax } from './ranking';
import { DIGIT_CLASSES, IMAGE_SIZE } from '../shared/mnistImage';

export interface CorruptionAccuracy {
  /** "clean" for the test digits as they are (through the same preprocessing). */
  name: CorruptionName | 'clean';
  label: string;
  accuracy: number;
  /** Images in which the preprocessing found no digit (counted as wrong). */
  unreadable: number;
  /** The first test digit as the model saw it: 784 bytes. */
  sample: Uint8Array;
}

export interface RobustnessReport {
  n: number;
  seed: number;
  clean: CorruptionAccuracy;
  corruptions: CorruptionAccuracy[];
  /** Mean accuracy over the corruptions. */
  meanCorrupted: number;
}

export interface RobustnessOptions {
  /** The first N test digits; 0 = all. */
  limit?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void | Promise<void>;
  signal?: AbortSignal;
  /** Images corrupted and predicted between two yields to the event loop (default 500). */
  batchSize?: number;
}

export async function robustnessReport(
  model: LayersModel,
  test: DigitSet,
  options: RobustnessOptions = {},
): Promise<RobustnessReport> {
  const n = options.limit ? Math.min(options.limit, test.count) : test.count;
  const seed = options.seed ?? 1;
  const names = ['clean', ...CORRUPTIONS] as const;
  const results: CorruptionAccuracy[] = [];
  for (const [index, name] of names.entries()) {
    if (options.signal?.aborted) throw new Error('the robustness report was cancelled');
    const random = seededRandom(seed * 1000 + index);
    const picture = (digit: Uint8Array) => (name === 'clean' ? padded(digit) : corrupt(name, digit, random));
    results.push(await accuracyUnder(model, test, n, name, picture, options));
    await options.onProgress?.(index + 1, names.length);
  }
  const [clean, ...corruptions] = results;
  const meanCorrupted = corruptions.reduce((sum, c) => sum + c.accuracy, 0) / corruptions.length;
  return { n, seed, clean, corruptions, meanCorrupted };
}

async function accuracyUnder(
  model: LayersModel,
  test: DigitSet,
  n: number,
  name: CorruptionName | 'clean',
  picture: (digit: Uint8Array) => GreyImage,
  { batchSize = 500, signal }: RobustnessOptions,
): Promise<CorruptionAccuracy> {
  let correct = 0;
  let unreadable = 0;
  let sample = new Uint8Array(IMAGE_SIZE);
  const batch = new Float32Array(batchSize * IMAGE_SIZE);
  for (let start = 0; start < n; start += batchSize) {
    if (signal?.aborted) throw new Error('the robustness report was cancelled');
    const count = Math.min(batchSize, n - start);
    const readable = new Uint8Array(count);
    batch.fill(0);
    for (let i = 0; i < count; i++) {
      const digit = test.images.subarray((start + i) * IMAGE_SIZE, (start + i + 1) * IMAGE_SIZE);
      const { pixels, side } = picture(digit);
      try {
        batch.set(toMnistImage({ data: pixels, width: side, height: side, channels: 1 }).pixels, i * IMAGE_SIZE);
        readable[i] = 1;
      } catch (err) {
        if (!(err instanceof NoDigitError)) throw err;
        unreadable++; // no ink left to find (e.g. thinned away): wrong, as it would be for a user
      }
    }
    if (start === 0) sample = Uint8Array.from(batch.subarray(0, IMAGE_SIZE), (p) => Math.round(p * 255));
    const probabilities = predictProbabilities(model, batch, count);
    for (let i = 0; i < count; i++)
      if (readable[i] && argMax(probabilities, i * DIGIT_CLASSES, DIGIT_CLASSES) === test.labels[start + i]) correct++;
    await new Promise<void>((resolve) => setImmediate(resolve)); // let the caller's thread breathe between batches
  }
  const label = name === 'clean' ? 'Clean (as a PNG would be prepared)' : CORRUPTION_LABELS[name];
  return { name, label, accuracy: n ? correct / n : 0, unreadable, sample };
}
