// Confusion matrix → heatmap cells, per-class rows; the panel's saved state. No DOM.
import { formatCount, formatPercent } from '../../shared/format';
import { DIGIT_CLASSES } from '../../shared/mnistImage';
import { isIntegerIn, isOptional, isRecord } from '../common/typeGuards';

export interface HeatCell {
  label: number;
  predicted: number;
  count: number;
  /** count / number of test digits with this label. */
  share: number;
  /**
   * 0..1 colour strength. Correct cells: their share of the class. Mistakes: relative to the most frequent
   * mistake, square-root scaled, so the worst confusions stand out even when they are 1% of a class.
   */
  heat: number;
  correct: boolean;
  ariaLabel: string;
}

export function heatCells(confusion: number[][]): HeatCell[][] {
  const worstMistake = Math.max(
    0,
    ...confusion.flatMap((row, label) => row.filter((_, predicted) => predicted !== label)),
  );
  return confusion.map((row, label) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count, predicted) => {
      const share = total ? count / total : 0;
      const digits = count === 1 ? 'digit' : 'digits';
      return {
        label,
        predicted,
        count,
        share,
        heat: label === predicted ? share : worstMistake ? Math.sqrt(count / worstMistake) : 0,
        correct: label === predicted,
        ariaLabel: `True ${label}, predicted ${predicted}: ${formatCount(count)} ${digits} (${formatPercent(share)} of the ${label}s)`,
      };
    });
  });
}

/** Text colour for a heat cell: light text on strong backgrounds. */
export function heatTextIsLight(heat: number): boolean {
  return heat > 0.55;
}

export interface ClassAccuracyRow {
  digit: number;
  accuracy: number;
  text: string;
  /** Test digits of this class. */
  count: number;
}

export function classAccuracyRows(perClassAccuracy: number[], confusion: number[][]): ClassAccuracyRow[] {
  return perClassAccuracy.map((accuracy, digit) => ({
    digit,
    accuracy,
    text: formatPercent(accuracy),
    count: (confusion[digit] ?? []).reduce((a, b) => a + b, 0),
  }));
}

export function cellTitle(label: number, predicted: number, total: number, shown: number): string {
  const what = label === predicted ? `${label}s recognised correctly` : `${label}s taken for ${predicted}`;
  const digits = total === 1 ? 'digit' : 'digits';
  return total > shown
    ? `${what}: first ${shown} of ${formatCount(total)} ${digits}`
    : `${what}: ${formatCount(total)} ${digits}`;
}

// ---- Saved state (vscode.getState/setState): the open tab and the chosen confusion-matrix cell ----

/** The tabs' indices, in order. */
export const TABS = { overview: 0, misclassified: 1, samples: 2, robustness: 3 } as const;

export interface EvaluationState {
  tab: number;
  cell?: { label: number; predicted: number };
}

export function initialEvaluationState(): EvaluationState {
  return { tab: TABS.overview };
}

/** A saved state this version can use: anything else (malformed, or from another version) is not restored. */
export function isEvaluationState(value: unknown): value is EvaluationState {
  return isRecord(value) && isIntegerIn(value.tab, 0, TABS.robustness) && isOptional(value.cell, isCell);
}

function isCell(value: unknown): value is EvaluationState['cell'] {
  return (
    isRecord(value) &&
    isIntegerIn(value.label, 0, DIGIT_CLASSES - 1) &&
    isIntegerIn(value.predicted, 0, DIGIT_CLASSES - 1)
  );
}
