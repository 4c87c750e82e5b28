// Network webview: what each layer of the active model does with the sketchpad's latest drawing — every feature map
// as a small grey image, dense layers as a strip or bars, the first convolution's filters, and saliency per top digit.
import { base64ToBytes } from '../common/base64';
import { barRow, byId, digitCanvas, errorText, h, onThemeChange, themeColor } from '../common/dom';
import { connectToHost, onHostMessage } from '../common/vscodeApi';
import { formatPercent } from '../../shared/format';
import { IMAGE_SIDE } from '../../shared/mnistImage';
import type {
  FiltersView,
  LayerActivationView,
  NetworkRequest,
  NetworkUpdate,
  SaliencyView,
} from '../../shared/networkProtocol';
import {
  divergingColour,
  fingerprint,
  greyRgba,
  layerShape,
  mapBytes,
  parseHexColour,
  saliencyRgba,
  shapeText,
  statsText,
  type Rgb,
} from './networkLayout';

/** Vectors up to this length are drawn as bars, longer ones as a strip. */
const MAX_BARS = 64;

const host = connectToHost<NetworkRequest>();

const section = (id: string, title: string, ...children: HTMLElement[]) =>
  h(
    'section',
    { id: `${id}-section`, 'aria-labelledby': `${id}-heading`, hidden: true },
    h('h2', { id: `${id}-heading` }, title),
    ...children,
  );

document.body.append(
  h(
    'main',
    { class: 'network' },
    h('p', { id: 'model', class: 'muted' }, 'Loading the model…'),
    h('p', { id: 'status', 'aria-live': 'polite' }),
    section(
      'saliency',
      'Why this digit',
      h(
        'p',
        { class: 'muted' },
        'The input, then for each likely digit the pixels where more ink changes its score most.',
      ),
      h('div', { id: 'saliency', class: 'saliency' }),
    ),
    section('filters', 'Filters of the first convolution', h('div', { id: 'filters', class: 'filters' })),
    section('layers', 'Layers', h('div', { id: 'layers' })),
  ),
);

function canvasFrom(
  rgba: Uint8ClampedArray<ArrayBuffer>,
  width: number,
  height: number,
  className: string,
): HTMLCanvasElement {
  const canvas = h('canvas', { class: className, width, height, 'aria-hidden': 'true' });
  canvas.getContext('2d')?.putImageData(new ImageData(rgba, width, height), 0, 0);
  return canvas;
}

function renderSaliency(image: string, saliency: SaliencyView[]): void {
  const input = base64ToBytes(image);
  const heat = parseHexColour(themeColor('--vscode-charts-orange', '#d18616'), [209, 134, 22]);
  byId('saliency').replaceChildren(
    h('figure', {}, digitCanvas(image, 'The input the model saw', 'digit'), h('figcaption', {}, 'Input')),
    ...saliency.map(({ digit, probability, map }) => {
      const canvas = canvasFrom(saliencyRgba(input, base64ToBytes(map), heat), IMAGE_SIDE, IMAGE_SIDE, 'digit');
      canvas.setAttribute('role', 'img');
      canvas.removeAttribute('aria-hidden');
      canvas.setAttribute('aria-label', `Pixels that matter most for ${digit}`);
      return h('figure', {}, canvas, h('figcaption', {}, `${digit} · ${formatPercent(probability, 1)}`));
    }),
  );
  byId('saliency-section').hidden = false;
}

let filters: FiltersView | undefined;

function renderFilters(): void {
  const target = byId('filters');
  if (!filters) {
    target.replaceChildren();
    byId('filters-section').hidden = true;
    return;
  }
  const [height, width] = filters.size;
  const area = height * width;
  const largest = filters.weights.reduce((most, w) => Math.max(most, Math.abs(w)), 0);
  const colours = {
    negative: parseHexColour(themeColor('--vscode-charts-blue', '#3794ff'), [55, 148, 255]),
    zero: parseHexColour(themeColor('--vscode-editor-background', '#1e1e1e'), [30, 30, 30]),
    positive: parseHexColour(themeColor('--vscode-charts-red', '#f14c4c'), [241, 76, 76]),
  };
  const canvases = Array.from({ length: filters.count }, (_, f) => {
    const rgba = new Uint8ClampedArray(area * 4);
    for (let i = 0; i < area; i++) {
      const colour: Rgb = divergingColour(filters!.weights[f * area + i], largest, colours);
      rgba.set([...colour, 255], i * 4);
    }
    return canvasFrom(rgba, width, height, 'filter');
  });
  target.replaceChildren(
    h(
      'div',
      {
        class: 'maps',
        role: 'img',
        'aria-label': `${filters.count} filters of ${height}×${width} in ${filters.layer}: red positive, blue negative`,
      },
      ...canvases,
    ),
  );
  byId('filters-section').hidden = false;
}

/** A layer's section, built once per model structure and redrawn in place for each drawing. */
interface LayerView {
  section: HTMLElement;
  stats: HTMLElement;
  draw(bytes: Uint8Array, layer: LayerActivationView): void;
}

function putGrey(canvas: HTMLCanvasElement, levels: Uint8Array): void {
  canvas.getContext('2d')?.putImageData(new ImageData(greyRgba(levels), canvas.width, canvas.height), 0, 0);
}

function layerBody(layer: LayerActivationView, isOutput: boolean): [HTMLElement, LayerView['draw']] {
  const shape = layerShape(layer.shape);
  if (shape.kind === 'maps') {
    const maps = Array.from({ length: shape.count }, () =>
      h('canvas', { class: 'map', width: shape.width, height: shape.height, 'aria-hidden': 'true' }),
    );
    const body = h(
      'div',
      { class: 'maps', role: 'img', 'aria-label': `${shape.count} feature maps of ${shape.height}×${shape.width}` },
      ...maps,
    );
    return [body, (bytes) => maps.forEach((canvas, i) => putGrey(canvas, mapBytes(bytes, shape, i)))];
  }
  if (isOutput && shape.length === 10) {
    const list = h('ol', { class: 'bars' });
    const draw = (bytes: Uint8Array, view: LayerActivationView) =>
      list.replaceChildren(
        ...Array.from(bytes, (b, digit) => barRow(digit, b / 255, formatPercent((b / 255) * view.max, 0))),
      );
    return [list, draw];
  }
  if (shape.length <= MAX_BARS) {
    const bars = Array.from({ length: shape.length }, () => h('span', { class: 'unit' }));
    const body = h('div', { class: 'units', role: 'img', 'aria-label': `${shape.length} units` }, ...bars);
    return [body, (bytes) => bars.forEach((bar, i) => (bar.style.height = `${(bytes[i] / 255) * 100}%`))];
  }
  const strip = h('canvas', { class: 'strip', width: shape.length, height: 1, 'aria-hidden': 'true' });
  return [strip, (bytes) => putGrey(strip, bytes)];
}

let views: { key: string; layers: LayerView[] } | undefined;

function renderLayers(layers: LayerActivationView[]): void {
  const key = layers.map((l) => `${l.name}:${l.shape.join('x')}`).join(',');
  if (views?.key !== key) {
    views = {
      key,
      layers: layers.map((layer, i) => {
        const [body, draw] = layerBody(layer, i === layers.length - 1);
        const stats = h('p', { class: 'muted stats' });
        const section = h(
          'section',
          { class: 'layer', 'data-layer': layer.name, 'aria-label': layer.name },
          h(
            'h3',
            {},
            `${layer.name} `,
            h('span', { class: 'muted' }, `${layer.className} · ${shapeText(layer.shape)}`),
          ),
          stats,
          body,
        );
        return { section, stats, draw };
      }),
    };
    byId('layers').replaceChildren(...views.layers.map((view) => view.section));
  }
  views.layers.forEach((view, i) => {
    const bytes = base64ToBytes(layers[i].bytes);
    view.draw(bytes, layers[i]);
    view.stats.textContent = statsText(layers[i]);
    view.section.dataset.fingerprint = fingerprint(bytes);
  });
  byId('layers-section').hidden = false;
}

onHostMessage<NetworkUpdate>((update) => {
  switch (update.type) {
    case 'model':
      byId('model').textContent = update.label;
      filters = update.filters;
      renderFilters();
      break;
    case 'waiting':
      byId('status').replaceChildren(
        'Draw a digit in the sketchpad (MNIST: Open Sketchpad) to see what each layer does with it.',
      );
      break;
    case 'activations':
      byId('status').replaceChildren(`Predicted ${update.digit}`);
      renderSaliency(update.image, update.saliency);
      renderLayers(update.layers);
      break;
    case 'activationsError':
      byId('status').replaceChildren(errorText(update.message));
      break;
  }
});
onThemeChange(renderFilters);
host.post({ type: 'ready' });
