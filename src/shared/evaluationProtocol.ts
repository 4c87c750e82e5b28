// The evaluation panel's messages: runs, confusion-matrix cells and samples asked for, results out.
import * as v from 'valibot';
import { digit, ready, requestId } from './panelMessages';

export const EvaluationRequestSchema = v.variant('type', [
  ready,
  /** Run (again) on the active model. */
  v.strictObject({ type: v.literal('evaluate') }),
  /** The test digits of one confusion-matrix cell. */
  v.strictObject({ type: v.literal('cell'), requestId, label: digit, predicted: digit }),
  /** Training digits per class for the samples tab. */
  v.strictObject({ type: v.literal('samples'), requestId }),
  /** The robustness report of the active model. */
  v.strictObject({ type: v.literal('robustness'), requestId }),
]);
export type EvaluationRequest = v.InferOutput<typeof EvaluationRequestSchema>;

export interface DigitView {
  /** Index in the test (or training) set. */
  index: number;
  /** base64 of 784 bytes. */
  image: string;
  label: number;
  predicted?: number;
  confidence?: number;
}

export interface EvaluationView {
  n: number;
  accuracy: number;
  loss: number;
  perClassAccuracy: number[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  misclassifiedTotal: number;
  /** The first MAX_MISCLASSIFIED mistakes, with images. */
  misclassified: DigitView[];
  modelLabel: string;
}

export interface CorruptionView {
  name: string;
  label: string;
  accuracy: number;
  /** Images in which no digit was found (counted as wrong). */
  unreadable: number;
  /** The first test digit as the model saw it: base64 of 784 bytes. */
  sample: string;
}

export interface RobustnessView {
  n: number;
  clean: CorruptionView;
  corruptions: CorruptionView[];
  meanCorrupted: number;
}

export type EvaluationUpdate =
  | { type: 'evaluating'; modelLabel: string }
  | { type: 'evaluation'; evaluation: EvaluationView }
  | { type: 'evaluationError'; message: string }
  /** The active model changed since the shown evaluation. */
  | { type: 'stale'; modelLabel: string }
  | { type: 'cell'; requestId: number; label: number; predicted: number; total: number; digits: DigitView[] }
  | { type: 'samples'; requestId: number; classes: DigitView[][] }
  | { type: 'robustnessProgress'; requestId: number; done: number; total: number }
  | { type: 'robustness'; requestId: number; report: RobustnessView }
  | { type: 'requestError'; requestId: number; message: string };
