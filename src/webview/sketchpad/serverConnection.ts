// The sketchpad outside VS Code, as the prediction server's web page: a stand-in for acquireVsCodeApi that sends the
// panel's requests to the server (POST predict, with the drawing as a PNG, as any client would) and hands the answers
// back as the extension host's messages. The panel's own code (sketchpadPage.ts) runs unchanged on top of it.
import { formatPercent, pngFileName } from '../../shared/format';
import {
  IMAGE_FIELD,
  SEEN_IMAGE_QUERY,
  SERVER_PATHS,
  type ErrorAnswer,
  type HealthAnswer,
  type PredictionAnswer,
} from '../../shared/predictionApi';
import type { SketchpadRequest, SketchpadUpdate } from '../../shared/sketchpadProtocol';
import { base64ToBytes } from '../common/base64';
import type { VsCodeApi } from '../common/vscodeApi';

const STATE_KEY = 'mnist.sketchpad';
/** Relative, so the page works under a proxy's path prefix too. */
const endpoint = (path: string) => `.${path}`;

function deliver(update: SketchpadUpdate): void {
  window.dispatchEvent(new MessageEvent('message', { data: update }));
}

/** The drawing as a PNG: black ink on white, like a pen on paper. */
function inkPng({ ink, width, height }: { ink: string; width: number; height: number }): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(width, height);
  const alpha = base64ToBytes(ink);
  for (let i = 0; i < alpha.length; i++) {
    image.data[i * 4] = image.data[i * 4 + 1] = image.data[i * 4 + 2] = 255 - alpha[i];
    image.data[i * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the drawing cannot be encoded'))), 'image/png'),
  );
}

async function predict(request: Extract<SketchpadRequest, { type: 'predict' }>): Promise<SketchpadUpdate> {
  const { requestId } = request;
  try {
    const form = new FormData();
    form.append(IMAGE_FIELD, await inkPng(request), 'sketch.png');
    const response = await fetch(`${endpoint(SERVER_PATHS.predict)}?${SEEN_IMAGE_QUERY}=1`, {
      method: 'POST',
      body: form,
    });
    const answer = (await response.json()) as PredictionAnswer | ErrorAnswer;
    if (response.status === 422) return { type: 'predictionError', requestId, message: 'Draw a digit first.' };
    if ('error' in answer) return { type: 'predictionError', requestId, message: answer.error };
    return {
      type: 'prediction',
      requestId,
      digit: answer.digit,
      probabilities: Array.from({ length: 10 }, (_, digit) => answer.probabilities[String(digit)] ?? 0),
      top3: answer.top3.map((ranked) => ranked.digit),
      image: answer.image ?? '',
    };
  } catch (err) {
    return { type: 'predictionError', requestId, message: `The server cannot be reached: ${String(err)}` };
  }
}

async function modelLabel(): Promise<string> {
  try {
    const health = (await (await fetch(endpoint(SERVER_PATHS.health))).json()) as HealthAnswer | ErrorAnswer;
    if ('error' in health) return `Model: not loaded (${health.error})`;
    const accuracy = health.testAccuracy === undefined ? '' : ` · ${formatPercent(health.testAccuracy, 1)}`;
    return `Model: ${health.model}${accuracy} · served by ${location.host}`;
  } catch (err) {
    return `Model: the server cannot be reached (${String(err)})`;
  }
}

async function download(request: Extract<SketchpadRequest, { type: 'savePng' }>): Promise<void> {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await inkPng(request));
  link.download = pngFileName(request.digit);
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

function handle(request: SketchpadRequest): void {
  switch (request.type) {
    case 'ready':
      void modelLabel().then((label) => deliver({ type: 'model', label }));
      break;
    case 'predict':
      void predict(request).then(deliver);
      break;
    case 'savePng':
      void download(request);
      break;
  }
}

const api: VsCodeApi = {
  postMessage: (message) => handle(message as SketchpadRequest),
  getState: () => {
    try {
      return JSON.parse(sessionStorage.getItem(STATE_KEY) ?? 'null');
    } catch {
      return undefined;
    }
  },
  setState: (state) => sessionStorage.setItem(STATE_KEY, JSON.stringify(state)),
};

(globalThis as { acquireVsCodeApi?: () => VsCodeApi }).acquireVsCodeApi = () => api;
