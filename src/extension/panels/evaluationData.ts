// Evaluation results and MNIST digits → what the evaluation panel shows. No vscode import (unit-tested).
import type { Evaluation } from '../../engine/evaluate';
import type { CorruptionAccuracy, RobustnessReport } from '../../engine/robustness';
import { type DigitSet } from '../../engine/data/idx';
import { IMAGE_SIZE } from '../../shared/mnistImage';
import type { CorruptionView, DigitView, EvaluationView, RobustnessView } from '../../shared/evaluationProtocol';
import { MAX_CELL_DIGITS, MAX_MISCLASSIFIED, SAMPLES_PER_CLASS } from '../../shared/limits';

/** One 28x28 digit of a set as base64 of its 784 bytes. */
export function digitBase64(set: DigitSet, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= set.count)
    throw new RangeError(`no digit ${index} in a set of ${set.count}`);
  return Buffer.from(set.images.buffer, set.images.byteOffset + index * IMAGE_SIZE, IMAGE_SIZE).toString('base64');
}

export function evaluationView(evaluation: Evaluation, test: DigitSet, modelLabel: string): EvaluationView {
  return {
    n: evaluation.n,
    accuracy: evaluation.accuracy,
    loss: evaluation.loss,
    perClassAccuracy: evaluation.perClassAccuracy,
    confusion: evaluation.confusion,
    misclassifiedTotal: evaluation.misclassified.length,
    misclassified: evaluation.misclassified
      .slice(0, MAX_MISCLASSIFIED)
      .map((m) => ({ ...m, image: digitBase64(test, m.index) })),
    modelLabel,
  };
}

/**
 * The test digits of confusion cell (label, predicted), at most `limit`: mistakes come from the evaluation's
 * list (with the model's confidence); correct ones are the evaluated digits with that label that are not mistakes.
 */
export function cellDigits(
  evaluation: Evaluation,
  test: DigitSet,
  label: number,
  predicted: number,
  limit = MAX_CELL_DIGITS,
): { total: number; digits: DigitView[] } {
  const total = evaluation.confusion[label]?.[predicted] ?? 0;
  const digits: DigitView[] = [];
  if (label !== predicted) {
    for (const m of evaluation.misclassified) {
      if (digits.length >= limit) break;
      if (m.label === label && m.predicted === predicted) digits.push({ ...m, image: digitBase64(test, m.index) });
    }
  } else {
    const wrong = new Set(evaluation.misclassified.map((m) => m.index));
    for (let index = 0; index < Math.min(evaluation.n, test.count) && digits.length < limit; index++) {
      if (test.labels[index] === label && !wrong.has(index))
        digits.push({ index, label, predicted, image: digitBase64(test, index) });
    }
  }
  return { total, digits };
}

/** The first `perClass` digits of each class 0-9. */
export function sampleDigits(set: DigitSet, perClass = SAMPLES_PER_CLASS): DigitView[][] {
  const classes: DigitView[][] = Array.from({ length: 10 }, () => []);
  let missing = 10;
  for (let index = 0; index < set.count && missing > 0; index++) {
    const label = set.labels[index];
    const digits = classes[label];
    if (!digits || digits.length >= perClass) continue;
    digits.push({ index, label, image: digitBase64(set, index) });
    if (digits.length === perClass) missing--;
  }
  return classes;
}

export function robustnessView(report: RobustnessReport): RobustnessView {
  const row = ({ name, label, accuracy, unreadable, sample }: CorruptionAccuracy): CorruptionView => ({
    name,
    label,
    accuracy,
    unreadable,
    sample: Buffer.from(sample).toString('base64'),
  });
  return {
    n: report.n,
    clean: row(report.clean),
    corruptions: report.corruptions.map(row),
    meanCorrupted: report.meanCorrupted,
  };
}
