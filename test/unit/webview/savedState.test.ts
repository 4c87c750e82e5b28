// What a panel's webview reads back from its saved state: a state this version wrote comes back as it was; a
// missing, malformed or older one is ignored, and the panel starts fresh.
import { strict as assert } from 'node:assert';
import { isClassifyResultsState } from '../../../src/webview/classifyResults/classifyResultsLayout';
import { validState } from '../../../src/webview/common/vscodeApi';
import { initialEvaluationState, isEvaluationState, TABS } from '../../../src/webview/evaluation/evaluationLayout';
import {
  DEFAULT_BRUSH,
  initialSketchState,
  isSketchState,
  MAX_BRUSH,
  MIN_BRUSH,
} from '../../../src/webview/sketchpad/canvasInk';

/** Saved as VS Code keeps it: through JSON. */
const stored = (state: unknown): unknown => (state === undefined ? undefined : JSON.parse(JSON.stringify(state)));
const notStates = [undefined, null, 'junk', 42, [], {}];

describe('saved state: sketchpad', () => {
  const restore = (saved: unknown) => validState(stored(saved), isSketchState) ?? initialSketchState();
  const saved = {
    strokes: [
      {
        size: 20,
        points: [
          { x: 1, y: 2 },
          { x: 3, y: 4 },
        ],
      },
    ],
    brushSize: 25,
    live: false,
  };
  const fresh = { strokes: [], brushSize: DEFAULT_BRUSH, live: true };

  it('round-trips strokes, brush size and the live toggle', () => {
    assert.deepEqual(restore(saved), saved);
    assert.deepEqual(restore({ ...saved, strokes: [], brushSize: MIN_BRUSH }), {
      ...saved,
      strokes: [],
      brushSize: MIN_BRUSH,
    });
  });

  it('starts fresh from a missing, malformed or older state', () => {
    const stroke = saved.strokes[0];
    const malformed = [
      ...notStates,
      { ...saved, brushSize: MAX_BRUSH + 1 },
      { ...saved, brushSize: 20.5 },
      { ...saved, live: 'yes' },
      { ...saved, strokes: [null] },
      { ...saved, strokes: [{ ...stroke, size: 'big' }] },
      {
        ...saved,
        strokes: [
          {
            ...stroke,
            points: [
              { x: 1, y: 1 },
              { x: 'a', y: 2 },
            ],
          },
        ],
      },
      { ...saved, strokes: [{ ...stroke, points: [{ x: 500, y: -4 }] }] },
      { ...saved, strokes: [{ ...stroke, points: [null] }] },
      { ...saved, strokes: Array.from({ length: 401 }, () => stroke) },
      // An older shape: points as [x, y] pairs, no brush size or live toggle.
      { strokes: [{ size: 20, points: [[1, 2]] }] },
    ];
    for (const state of malformed) assert.deepEqual(restore(state), fresh, JSON.stringify(state)?.slice(0, 100));
  });
});

describe('saved state: evaluation', () => {
  const restore = (saved: unknown) => validState(stored(saved), isEvaluationState) ?? initialEvaluationState();

  it('round-trips the open tab and the chosen confusion-matrix cell', () => {
    assert.deepEqual(restore({ tab: TABS.samples, cell: { label: 4, predicted: 9 } }), {
      tab: TABS.samples,
      cell: { label: 4, predicted: 9 },
    });
    assert.deepEqual(restore({ tab: TABS.misclassified }), { tab: TABS.misclassified });
    assert.deepEqual(restore({ tab: TABS.robustness }), { tab: TABS.robustness });
  });

  it('starts fresh from a missing, malformed or older state', () => {
    const malformed = [
      ...notStates,
      { tab: 4 },
      { tab: -1 },
      { tab: 1.5 },
      { tab: '1' },
      { tab: 0, cell: { label: 10, predicted: 1 } },
      { tab: 0, cell: { label: 1 } },
      { tab: 0, cell: 'x' },
      { tab: 4, cell: { label: 1, predicted: 2 } },
      // An older shape: the tab by name.
      { tab: 'samples' },
    ];
    for (const state of malformed) assert.deepEqual(restore(state), { tab: TABS.overview }, JSON.stringify(state));
  });
});

describe('saved state: classification results', () => {
  const restore = (saved: unknown) => validState(stored(saved), isClassifyResultsState);
  const row = { file: '/w/a.png', name: 'a.png', digit: 3, confidence: 0.9, top3: [{ digit: 3, probability: 0.9 }] };

  it('round-trips the rows, failed ones included', () => {
    const state = { rows: [row, { file: '/w/b.png', name: 'b.png', error: 'not a PNG' }] };
    assert.deepEqual(restore(state), state);
    assert.deepEqual(restore({ rows: [] }), { rows: [] });
  });

  it('shows nothing (waits for the host) from a missing, malformed or older state', () => {
    const malformed = [
      ...notStates,
      { rows: 'x' },
      { rows: [{ ...row, file: '' }] },
      { rows: [{ ...row, name: 7 }] },
      { rows: [{ ...row, digit: 11 }] },
      { rows: [{ ...row, confidence: 2 }] },
      { rows: [{ ...row, top3: [{ digit: 3 }] }] },
      { rows: [{ ...row, error: {} }] },
      // An older shape: the results by file path, with no shown name.
      { results: [{ path: '/w/a.png', digit: 3 }] },
      { rows: [{ path: '/w/a.png', digit: 3 }] },
    ];
    for (const state of malformed) assert.equal(restore(state), undefined, JSON.stringify(state));
  });
});
