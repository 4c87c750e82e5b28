// Every message a webview can send is validated by the host; anything malformed must be rejected.
import { strict as assert } from 'node:assert';
import { ClassifyResultsRequestSchema, ClassifyResultsStateSchema } from '../../../src/shared/classifyResultsProtocol';
import { EvaluationRequestSchema } from '../../../src/shared/evaluationProtocol';
import { base64Length, MAX_RESULT_ROWS, MAX_SKETCH_SIDE, SKETCH_SIDE } from '../../../src/shared/limits';
import { parseMessage } from '../../../src/shared/messageValidation';
import { ModelSummaryRequestSchema } from '../../../src/shared/modelSummaryProtocol';
import { SketchpadRequestSchema } from '../../../src/shared/sketchpadProtocol';
import { TrainingChartRequestSchema } from '../../../src/shared/trainingChartProtocol';

const ink = (bytes: number) => Buffer.alloc(bytes, 255).toString('base64');
const predict = {
  type: 'predict',
  requestId: 1,
  width: SKETCH_SIDE,
  height: SKETCH_SIDE,
  ink: ink(SKETCH_SIDE * SKETCH_SIDE),
};

function accepts(schema: Parameters<typeof parseMessage>[0], message: unknown): void {
  const parsed = parseMessage(schema, message);
  assert.ok(parsed.ok, `rejected ${JSON.stringify(message).slice(0, 120)}: ${parsed.ok ? '' : parsed.reason}`);
}

function rejects(schema: Parameters<typeof parseMessage>[0], message: unknown): string {
  const parsed = parseMessage(schema, message);
  assert.ok(!parsed.ok, `accepted ${JSON.stringify(message)?.slice(0, 120)}`);
  return parsed.reason;
}

describe('webview protocol: sketchpad messages', () => {
  it('accepts ready, a 280x280 prediction request and a PNG save with or without a digit', () => {
    accepts(SketchpadRequestSchema, { type: 'ready' });
    accepts(SketchpadRequestSchema, predict);
    accepts(SketchpadRequestSchema, { type: 'savePng', width: 28, height: 28, ink: ink(784), digit: 3 });
    accepts(SketchpadRequestSchema, { type: 'savePng', width: 28, height: 28, ink: ink(784) });
  });

  it('accepts non-square drawings whose ink matches their size', () => {
    accepts(SketchpadRequestSchema, { ...predict, width: 100, height: 50, ink: ink(5000) });
  });

  it('rejects ink that does not hold exactly width x height bytes', () => {
    const reason = rejects(SketchpadRequestSchema, { ...predict, ink: ink(SKETCH_SIDE * SKETCH_SIDE - 3) });
    assert.match(reason, /width x height/);
    rejects(SketchpadRequestSchema, { ...predict, width: 100, height: 50, ink: ink(5003) });
  });

  it('rejects sizes out of range, fractional or non-numeric', () => {
    rejects(SketchpadRequestSchema, { ...predict, width: 27 });
    rejects(SketchpadRequestSchema, {
      ...predict,
      width: MAX_SKETCH_SIDE + 1,
      height: MAX_SKETCH_SIDE + 1,
      ink: ink((MAX_SKETCH_SIDE + 1) ** 2),
    });
    rejects(SketchpadRequestSchema, { ...predict, width: 280.5 });
    rejects(SketchpadRequestSchema, { ...predict, height: '280' });
    rejects(SketchpadRequestSchema, { ...predict, width: Number.NaN });
  });

  it('rejects an oversized payload before decoding it', () => {
    rejects(SketchpadRequestSchema, { ...predict, ink: 'A'.repeat(base64Length(MAX_SKETCH_SIDE ** 2) + 4) });
  });

  it('rejects ink that is not base64', () => {
    const bad = `${'A'.repeat(predict.ink.length - 4)}<b>!`;
    assert.match(rejects(SketchpadRequestSchema, { ...predict, ink: bad }), /base64/);
    rejects(SketchpadRequestSchema, { ...predict, ink: 12 });
  });

  it('rejects bad request ids and digits', () => {
    for (const requestId of [-1, 1.5, '1', undefined, Number.MAX_SAFE_INTEGER + 2])
      rejects(SketchpadRequestSchema, { ...predict, requestId });
    for (const digit of [-1, 10, 2.5, '3', null])
      rejects(SketchpadRequestSchema, { type: 'savePng', width: 28, height: 28, ink: ink(784), digit });
  });

  it('rejects unknown types, extra fields and non-objects, without echoing the payload', () => {
    rejects(SketchpadRequestSchema, { type: 'format-disk' });
    rejects(SketchpadRequestSchema, { ...predict, extra: true });
    rejects(SketchpadRequestSchema, { type: 'ready', extra: 1 });
    for (const junk of [null, undefined, 'ready', 42, [], {}]) rejects(SketchpadRequestSchema, junk);
    const reason = rejects(SketchpadRequestSchema, { ...predict, ink: `${'B'.repeat(100_000)}!` });
    assert.ok(reason.length < 400, `reason is ${reason.length} characters`);
  });
});

describe('webview protocol: training chart, model summary, evaluation and results messages', () => {
  it('training chart: ready and stop only', () => {
    accepts(TrainingChartRequestSchema, { type: 'ready' });
    accepts(TrainingChartRequestSchema, { type: 'stop' });
    rejects(TrainingChartRequestSchema, { type: 'stop', force: true });
    rejects(TrainingChartRequestSchema, { type: 'start' });
  });

  it("model summary: ready, and a model file's Use as Active Model and Evaluate, which carry nothing", () => {
    accepts(ModelSummaryRequestSchema, { type: 'ready' });
    accepts(ModelSummaryRequestSchema, { type: 'useAsActiveModel' });
    accepts(ModelSummaryRequestSchema, { type: 'evaluate' });
    rejects(ModelSummaryRequestSchema, { type: 'stop' });
    rejects(ModelSummaryRequestSchema, { type: 'useAsActiveModel', path: '/etc/passwd' });
  });

  it('evaluation: cells need digits 0-9 and a request id', () => {
    accepts(EvaluationRequestSchema, { type: 'ready' });
    accepts(EvaluationRequestSchema, { type: 'evaluate' });
    accepts(EvaluationRequestSchema, { type: 'cell', requestId: 4, label: 3, predicted: 5 });
    accepts(EvaluationRequestSchema, { type: 'samples', requestId: 0 });
    rejects(EvaluationRequestSchema, { type: 'cell', requestId: 4, label: 10, predicted: 5 });
    rejects(EvaluationRequestSchema, { type: 'cell', requestId: 4, label: 3, predicted: -1 });
    rejects(EvaluationRequestSchema, { type: 'cell', label: 3, predicted: 5 });
    rejects(EvaluationRequestSchema, { type: 'samples' });
    accepts(EvaluationRequestSchema, { type: 'robustness', requestId: 2 });
    rejects(EvaluationRequestSchema, { type: 'robustness', requestId: 2, limit: 1e9 });
  });

  it('classification results: open takes a row index only, never a path', () => {
    accepts(ClassifyResultsRequestSchema, { type: 'open', index: 0 });
    rejects(ClassifyResultsRequestSchema, { type: 'open', index: -1 });
    rejects(ClassifyResultsRequestSchema, { type: 'open', index: MAX_RESULT_ROWS });
    rejects(ClassifyResultsRequestSchema, { type: 'open', index: 0, file: '/etc/passwd' });
    rejects(ClassifyResultsRequestSchema, { type: 'open', file: '/etc/passwd' });
  });

  it('classification results: the saved state is validated before a revived panel trusts it', () => {
    const row = { file: '/w/a.png', name: 'a.png', digit: 3, confidence: 0.9, top3: [{ digit: 3, probability: 0.9 }] };
    assert.ok(
      parseMessage(ClassifyResultsStateSchema, { rows: [row, { file: '/w/b.png', name: 'b.png', error: 'not a PNG' }] })
        .ok,
    );
    assert.ok(!parseMessage(ClassifyResultsStateSchema, { rows: [{ ...row, file: '' }] }).ok);
    assert.ok(!parseMessage(ClassifyResultsStateSchema, { rows: [{ ...row, confidence: 2 }] }).ok);
    assert.ok(!parseMessage(ClassifyResultsStateSchema, { rows: [{ ...row, digit: 11 }] }).ok);
    assert.ok(!parseMessage(ClassifyResultsStateSchema, { rows: 'x' }).ok);
    // Older shapes: a revived panel starts empty rather than trusting them.
    assert.ok(!parseMessage(ClassifyResultsStateSchema, { results: [row] }).ok);
    assert.ok(!parseMessage(ClassifyResultsStateSchema, { rows: [{ path: '/w/a.png', digit: 3 }] }).ok);
  });
});
