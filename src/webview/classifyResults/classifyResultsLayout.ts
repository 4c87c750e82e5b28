// Classification results → the table's texts; the panel's saved state. No DOM.
import { formatPercent } from '../../shared/format';
import { MAX_RESULT_ROWS } from '../../shared/limits';
import { DIGIT_CLASSES } from '../../shared/mnistImage';
import type { ClassifyResultsState, ClassifyRowView } from '../../shared/classifyResultsProtocol';
import { isArrayOf, isIntegerIn, isNumberIn, isOptional, isRecord, isString } from '../common/typeGuards';

/** "3 files classified, 1 could not be read." */
export function resultsSummary(rows: ClassifyRowView[]): string {
  const failures = rows.filter((r) => r.error !== undefined).length;
  return `${rows.length} file${rows.length === 1 ? '' : 's'} classified${failures ? `, ${failures} could not be read` : ''}.`;
}

/** The digits after the first, with their probabilities: "7 (3.1%), 1 (0.4%)"; "—" when there are none. */
export function runnersUp(row: ClassifyRowView): string {
  return (
    (row.top3 ?? [])
      .slice(1)
      .map((r) => `${r.digit} (${formatPercent(r.probability)})`)
      .join(', ') || '—'
  );
}

/** A saved state this version can use: anything else (malformed, or from another version) is not restored. */
export function isClassifyResultsState(value: unknown): value is ClassifyResultsState {
  return isRecord(value) && isArrayOf(value.rows, isRow, MAX_RESULT_ROWS);
}

function isRow(value: unknown): value is ClassifyRowView {
  return (
    isRecord(value) &&
    isString(value.file) &&
    value.file !== '' &&
    isString(value.name) &&
    isOptional(value.digit, isDigit) &&
    isOptional(value.confidence, isProbability) &&
    isOptional(value.top3, (top3) => isArrayOf(top3, isRankedDigit, DIGIT_CLASSES)) &&
    isOptional(value.unsure, isString) &&
    isOptional(value.error, isString)
  );
}

function isRankedDigit(value: unknown): value is { digit: number; probability: number } {
  return isRecord(value) && isDigit(value.digit) && isProbability(value.probability);
}

const isDigit = (value: unknown): value is number => isIntegerIn(value, 0, DIGIT_CLASSES - 1);
const isProbability = (value: unknown): value is number => isNumberIn(value, 0, 1);
