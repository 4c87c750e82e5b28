// One wording for a test-set evaluation, printed by the CLI and written to the extension's output channel.
import type { Evaluation } from '../evaluate';
import { DIGIT_CLASSES } from '../../shared/mnistImage';
import { formatCount, formatPercent } from '../../shared/format';

const CELL = 6;
const cells = (values: (number | string)[]) => values.map((value) => String(value).padStart(CELL)).join('');

/** Accuracy and loss, accuracy per digit, then the confusion matrix: one string per line. */
export function formatEvaluation(e: Evaluation): string[] {
  const digits = [...Array(DIGIT_CLASSES).keys()];
  return [
    `Test accuracy ${formatPercent(e.accuracy, 2)} · loss ${e.loss.toFixed(4)} · ${formatCount(e.n)} test images`,
    `Per digit:  ${e.perClassAccuracy.map((a, d) => `${d}: ${formatPercent(a, 1)}`).join('  ')}`,
    'Confusion matrix (rows = true digit, columns = predicted):',
    `    ${cells(digits)}`,
    ...e.confusion.map((row, digit) => `  ${digit}:${cells(row)}`),
  ];
}
