// Ranking probabilities (no TensorFlow here, so webview hosts can use it without loading it).
import type { RankedDigit } from '../shared/predictionApi';

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
