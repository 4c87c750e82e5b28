// When a prediction should not be given as one confident digit: its energy (log Σ exp of the scores before the
// softmax) is low for inputs unlike any digit the model learned — noise, scribbles, several digits at once — and a
// low top probability means no digit stands out. Thresholds chosen on data: test/bench/uncertainty.ts (README,
// Robustness).
import type { Certainty } from '../shared/certainty';
import type { Prediction } from './predict';
import { topDigits } from './ranking';

export const UNCERTAINTY_THRESHOLDS = {
  /** Below this energy the input is unlike the digits the model learned. */
  minEnergy: 7,
  /** Below this top probability no digit stands out. */
  minTopProbability: 0.7,
};

export function certaintyOf(prediction: Prediction, thresholds = UNCERTAINTY_THRESHOLDS): Certainty {
  const [first, second] = topDigits(prediction.probabilities, 2);
  const candidates: [number, number] = [first.digit, second.digit];
  if (prediction.energy !== undefined && prediction.energy < thresholds.minEnergy)
    return { sure: false, reason: 'unlike-digits', candidates };
  if (first.probability < thresholds.minTopProbability) return { sure: false, reason: 'undecided', candidates };
  return { sure: true };
}
