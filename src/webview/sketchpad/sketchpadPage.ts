// Sketchpad webview: draw a digit with mouse, pen or touch; the host classifies it.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import { bytesToBase64 } from '../common/base64';
import {
  addPoint,
  canAddStroke,
  hasInk,
  initialSketchState,
  inkFromRgba,
  isSketchState,
  MAX_BRUSH,
  MIN_BRUSH,
  toLogical,
  traceStroke,
  type SketchState,
  type Stroke,
} from './canvasInk';
import { barRow, byId, drawDigit, h, onThemeChange, themeColor } from '../common/dom';
import { formatPercent } from '../../shared/format';
import { SKETCH_SIDE } from '../../shared/limits';
import { IMAGE_SIDE } from '../../shared/mnistImage';
import { type SketchpadRequest, type SketchpadUpdate } from '../../shared/sketchpadProtocol';
import { LatestRequest, throttle } from '../../shared/throttle';
import { connectToHost, onHostMessage } from '../common/vscodeApi';

/** Live prediction runs at most this long after the latest change to the drawing. */
const LIVE_INTERVAL_MS = 150;

const host = connectToHost<SketchpadRequest, SketchState>(isSketchState);
const state = host.savedState() ?? initialSketchState();
const requests = new LatestRequest();
let lastDigit: number | undefined;
/** When the newest prediction request left, to show the round trip through the extension host. */
let requestSentAt = 0;
let predictionsShown = 0;

function button(id: string, label: string, codicon: string, title: string, secondary = true): HTMLElement {
  return h('vscode-button', { id, icon: codicon, secondary, title, 'aria-label': title }, label);
}

document.body.append(
  h(
    'main',
    { class: 'sketchpad' },
    h(
      'section',
      { class: 'pad', 'aria-label': 'Drawing' },
      h('p', { class: 'model-label', id: 'model' }, 'Model: loading…'),
      h(
        'div',
        { class: 'canvas-frame' },
        h('canvas', {
          id: 'pad',
          role: 'img',
          'aria-label':
            'Drawing area. Draw a digit with the mouse, a pen or touch. Escape or Delete clears, Ctrl+Z undoes the last stroke.',
        }),
      ),
      h(
        'div',
        { class: 'controls' },
        h('label', { for: 'brush' }, 'Brush'),
        h('input', {
          id: 'brush',
          type: 'range',
          min: MIN_BRUSH,
          max: MAX_BRUSH,
          step: 1,
          value: state.brushSize,
          'aria-label': 'Brush size',
        }),
        h('vscode-checkbox', { id: 'live', toggle: true, checked: state.live }, 'Live'),
      ),
      h(
        'div',
        { class: 'buttons' },
        button('predict', 'Predict', 'play', 'Predict the digit', false),
        button('undo', 'Undo', 'discard', 'Undo the last stroke (Ctrl+Z)'),
        button('clear', 'Clear', 'clear-all', 'Clear the drawing (Escape)'),
        button('save', 'Save as PNG', 'save', 'Save the drawing as a PNG file in the workspace'),
      ),
    ),
    h(
      'section',
      { class: 'result', 'aria-label': 'Prediction', 'aria-live': 'polite' },
      h(
        'div',
        { class: 'verdict' },
        h('div', { class: 'digit-big', id: 'digit', 'aria-label': 'Predicted digit' }, '–'),
        h('div', { class: 'confidence', id: 'confidence' }, 'Draw a digit'),
      ),
      h('p', { class: 'error', id: 'error', role: 'alert', hidden: true }),
      h('ol', { class: 'bars', id: 'bars', 'aria-label': 'Probability of each digit' }),
      h(
        'figure',
        { class: 'seen' },
        h('canvas', {
          id: 'seen',
          class: 'digit seen-digit',
          width: IMAGE_SIDE,
          height: IMAGE_SIDE,
          role: 'img',
          'aria-label': 'The 28 by 28 image the model saw',
        }),
        h('figcaption', {}, 'What the model saw (28×28)'),
      ),
    ),
  ),
);

const pad = byId<HTMLCanvasElement>('pad');
const padContext = pad.getContext('2d')!;
const brushSlider = byId<HTMLInputElement>('brush');
const liveToggle = byId<HTMLElement & { checked: boolean }>('live');

// ---- Drawing ----

let activePointer: number | undefined;
let current: Stroke | undefined;
let redrawQueued = false;

/** Backing store = CSS size x devicePixelRatio, so strokes stay sharp on HiDPI screens and when zoomed. */
function fitCanvas(): void {
  const rect = pad.getBoundingClientRect();
  const pixels = Math.max(1, Math.round(rect.width * window.devicePixelRatio));
  if (pad.width !== pixels || pad.height !== pixels) {
    pad.width = pad.height = pixels;
  }
  redraw();
}

function redraw(): void {
  redrawQueued = false;
  const scale = pad.width / SKETCH_SIDE;
  padContext.setTransform(1, 0, 0, 1, 0, 0);
  padContext.clearRect(0, 0, pad.width, pad.height);
  padContext.setTransform(scale, 0, 0, scale, 0, 0);
  const ink = themeColor('--vscode-editor-foreground', '#000');
  padContext.strokeStyle = padContext.fillStyle = ink;
  for (const stroke of state.strokes) traceStroke(padContext, stroke);
}

function queueRedraw(): void {
  if (redrawQueued) return;
  redrawQueued = true;
  requestAnimationFrame(redraw);
}

function pointAt(event: PointerEvent) {
  return toLogical(event.clientX, event.clientY, pad.getBoundingClientRect());
}

pad.addEventListener('pointerdown', (event) => {
  if (activePointer !== undefined || (event.pointerType === 'mouse' && event.button !== 0) || !canAddStroke(state))
    return;
  event.preventDefault();
  activePointer = event.pointerId;
  pad.setPointerCapture(event.pointerId);
  current = { size: state.brushSize, points: [] };
  addPoint(current, pointAt(event));
  state.strokes.push(current);
  queueRedraw();
  drawingChanged();
});

pad.addEventListener('pointermove', (event) => {
  if (event.pointerId !== activePointer || !current) return;
  // Coalesced events: every point the pointer passed through since the last frame, for smooth curves.
  const events = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
  let added = false;
  for (const e of events.length ? events : [event]) added = addPoint(current, pointAt(e)) || added;
  if (added) {
    queueRedraw();
    drawingChanged();
  }
});

function endStroke(event: PointerEvent): void {
  if (event.pointerId !== activePointer) return;
  activePointer = undefined;
  current = undefined;
  saveState();
  drawingChanged();
}
pad.addEventListener('pointerup', endStroke);
pad.addEventListener('pointercancel', endStroke);

function undo(): void {
  if (activePointer !== undefined || !state.strokes.length) return;
  state.strokes.pop();
  afterEdit();
}

function clear(): void {
  if (activePointer !== undefined) return;
  state.strokes = [];
  afterEdit();
}

function afterEdit(): void {
  queueRedraw();
  saveState();
  if (!state.strokes.length) {
    livePredict.cancel();
    requests.next(); // any reply still on its way is now stale
    showEmpty();
  } else {
    drawingChanged();
  }
}

function saveState(): void {
  host.saveState(state);
}

// ---- Prediction ----

/** The drawing as one channel at the fixed logical resolution: drawn over transparency, alpha = ink. */
function inkBytes(): Uint8Array {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = SKETCH_SIDE;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.strokeStyle = context.fillStyle = '#000';
  for (const stroke of state.strokes) traceStroke(context, stroke);
  return inkFromRgba(context.getImageData(0, 0, SKETCH_SIDE, SKETCH_SIDE).data, SKETCH_SIDE, SKETCH_SIDE);
}

function predict(): void {
  const ink = inkBytes();
  if (!hasInk(ink)) {
    showError('Draw a digit first.');
    return;
  }
  requestSentAt = performance.now();
  host.post({
    type: 'predict',
    requestId: requests.next(),
    width: SKETCH_SIDE,
    height: SKETCH_SIDE,
    ink: bytesToBase64(ink),
  });
}

const livePredict = throttle(predict, LIVE_INTERVAL_MS);

function drawingChanged(): void {
  if (state.live && state.strokes.length) livePredict();
}

function showEmpty(): void {
  lastDigit = undefined;
  byId('digit').textContent = '–';
  byId('confidence').textContent = 'Draw a digit';
  byId('bars').replaceChildren();
  byId('error').hidden = true;
  const seen = byId<HTMLCanvasElement>('seen');
  seen.getContext('2d')?.clearRect(0, 0, seen.width, seen.height);
}

function showError(message: string): void {
  const error = byId('error');
  error.textContent = message;
  error.hidden = false;
}

function showPrediction(update: Extract<SketchpadUpdate, { type: 'prediction' }>): void {
  lastDigit = update.digit;
  byId('error').hidden = true;
  byId('digit').textContent = String(update.digit);
  const roundTripMs = Math.round(performance.now() - requestSentAt);
  byId('digit').dataset.roundTripMs = String(roundTripMs);
  byId('digit').dataset.predictions = String(++predictionsShown);
  byId('digit').classList.toggle('unsure', update.unsure !== undefined);
  byId('confidence').textContent = update.unsure
    ? `${update.unsure} · ${roundTripMs} ms`
    : `${formatPercent(update.probabilities[update.digit] ?? 0)} sure · ${roundTripMs} ms`;
  byId('bars').replaceChildren(
    ...update.probabilities.map((probability, digit) => {
      const rank = update.top3.indexOf(digit);
      const percent = formatPercent(probability);
      return barRow(
        digit,
        probability,
        percent,
        {
          class: rank >= 0 ? `top top${rank + 1}` : undefined,
          'aria-label': `Digit ${digit}: ${percent}${rank >= 0 ? `, rank ${rank + 1}` : ''}`,
        },
        h('span', { class: 'bar-rank' }, rank >= 0 ? `#${rank + 1}` : ''),
      );
    }),
  );
  drawDigit(byId<HTMLCanvasElement>('seen'), update.image);
}

onHostMessage<SketchpadUpdate>((update) => {
  switch (update.type) {
    case 'model':
      byId('model').textContent = update.label;
      break;
    case 'prediction':
      if (requests.isCurrent(update.requestId) && state.strokes.length) showPrediction(update);
      break;
    case 'predictionError':
      if (requests.isCurrent(update.requestId)) showError(update.message);
      break;
  }
});

// ---- Controls ----

byId('predict').addEventListener('click', predict);
byId('undo').addEventListener('click', undo);
byId('clear').addEventListener('click', clear);
byId('save').addEventListener('click', () => {
  const ink = inkBytes();
  if (!hasInk(ink)) return showError('Draw a digit first.');
  host.post({ type: 'savePng', width: SKETCH_SIDE, height: SKETCH_SIDE, ink: bytesToBase64(ink), digit: lastDigit });
});
brushSlider.addEventListener('input', () => {
  state.brushSize = Number(brushSlider.value);
  saveState();
});
liveToggle.addEventListener('change', () => {
  state.live = liveToggle.checked;
  saveState();
  drawingChanged();
});

document.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z') {
    event.preventDefault();
    undo();
  } else if (event.key === 'Escape' || (event.key === 'Delete' && !(event.target instanceof HTMLInputElement))) {
    clear();
  }
});

new ResizeObserver(fitCanvas).observe(pad);
window.addEventListener('resize', fitCanvas); // devicePixelRatio changes with zoom
onThemeChange(redraw);
host.post({ type: 'ready' });
if (state.strokes.length) predict();
