// The evaluation printout shared by the CLI and the output channel.
import { strict as assert } from 'node:assert';
import type { Evaluation } from '../../../../src/engine/evaluate';
import { formatEvaluation } from '../../../../src/engine/training/evaluationText';

describe('evaluation wording (CLI and output channel)', () => {
  // 1,000 images, 100 of each digit; every 9 with a 4 taken for it is one mistake.
  const confusion = Array.from({ length: 10 }, (_, t) =>
    Array.from({ length: 10 }, (_, p): number => (t === p ? 100 : 0)),
  );
  confusion[4][4] = 97;
  confusion[4][9] = 3;
  const evaluation: Evaluation = {
    n: 1000,
    accuracy: 0.997,
    loss: 0.012345,
    perClassAccuracy: confusion.map((row, d) => row[d] / 100),
    confusion,
    misclassified: [],
  };

  it('gives accuracy, loss and count, then accuracy per digit', () => {
    const [summary, perDigit] = formatEvaluation(evaluation);
    assert.equal(summary, 'Test accuracy 99.70% · loss 0.0123 · 1,000 test images');
    assert.match(perDigit, /^Per digit: {2}0: 100\.0% {2}1: 100\.0% .* 4: 97\.0% .* 9: 100\.0%$/);
  });

  it('lays out the confusion matrix in aligned columns, rows = true digit', () => {
    const lines = formatEvaluation(evaluation);
    const header = lines[3];
    const row4 = lines[4 + 4];
    assert.equal(lines[2], 'Confusion matrix (rows = true digit, columns = predicted):');
    assert.equal(lines.length, 4 + 10);
    assert.ok(row4.startsWith('  4:'));
    // Each count ends in the same column as its digit in the header.
    const column = (line: string, digit: number) => line.slice(4 + 6 * digit, 4 + 6 * (digit + 1)).trim();
    assert.equal(column(header, 9), '9');
    assert.equal(column(row4, 9), '3');
    assert.equal(column(row4, 4), '97');
    assert.equal(header.length, row4.length);
  });
});
