// Model summary webview: the layer table (as Keras' model.summary() prints it), an architecture diagram and
// the model's metadata; for a model file (the Keras model editor), buttons to make it active and to evaluate it.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { byId, dataTable, h } from '../common/dom';
import { formatCount } from '../../shared/format';
import { architectureBlocks, metadataRows } from './modelSummaryLayout';
import type { ModelSummaryRequest, ModelSummaryUpdate, ModelSummaryView } from '../../shared/modelSummaryProtocol';
import { connectToHost, onHostMessage } from '../common/vscodeApi';

const host = connectToHost<ModelSummaryRequest>();

document.body.append(
  h(
    'main',
    { class: 'summary', id: 'content', 'aria-live': 'polite' },
    h('p', { class: 'muted' }, 'Loading the model…'),
  ),
);

function fileActions(): HTMLElement {
  const button = (label: string, icon: string, title: string, request: ModelSummaryRequest) => {
    const element = h('vscode-button', { icon, title }, label);
    element.addEventListener('click', () => host.post(request));
    return element;
  };
  return h(
    'div',
    { class: 'actions', role: 'toolbar', 'aria-label': 'Model file' },
    button('Use as Active Model', 'check', 'Sketchpad, Classify Digit and the status bar use this model', {
      type: 'useAsActiveModel',
    }),
    button('Evaluate', 'checklist', 'Makes it the active model and evaluates it on the 10,000 test images', {
      type: 'evaluate',
    }),
  );
}

function render(summary: ModelSummaryView): HTMLElement[] {
  const nonTrainable = summary.totalParameters - summary.trainableParameters;
  const layers = dataTable(
    'Layers of the model',
    [
      { title: 'Layer' },
      { title: 'Type' },
      { title: 'Output shape' },
      { title: 'Parameters', numeric: true },
      { title: 'Trainable' },
    ],
    summary.layers.map((l) => [
      l.name,
      l.type,
      h('code', {}, l.outputShape),
      formatCount(l.parameters),
      l.trainable ? 'Yes' : 'No',
    ]),
    ['Total', '', '', formatCount(summary.totalParameters), ''],
  );
  return [
    h(
      'section',
      { 'aria-labelledby': 'model-heading' },
      h('h2', { id: 'model-heading' }, 'Model'),
      h(
        'dl',
        { class: 'meta' },
        ...metadataRows(summary.model).flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]),
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'layers-heading' },
      h('h2', { id: 'layers-heading' }, 'Layers'),
      layers,
      h(
        'p',
        { class: 'totals' },
        `Total parameters: ${formatCount(summary.totalParameters)} · Trainable: ${formatCount(summary.trainableParameters)} · Non-trainable: ${formatCount(nonTrainable)}`,
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'diagram-heading' },
      h('h2', { id: 'diagram-heading' }, 'Architecture'),
      h(
        'ol',
        { class: 'diagram' },
        ...architectureBlocks(summary).map((block) =>
          h(
            'li',
            { class: block.hasWeights ? 'block weighted' : 'block' },
            h('span', { class: 'block-title' }, block.title),
            h('span', { class: 'block-detail' }, block.detail),
            h('code', { class: 'block-shape' }, block.shape),
          ),
        ),
      ),
    ),
  ];
}

onHostMessage<ModelSummaryUpdate>((update) => {
  const content = byId('content');
  switch (update.type) {
    case 'loading':
      content.replaceChildren(h('p', { class: 'muted' }, 'Loading the model…'));
      break;
    case 'summary':
      content.replaceChildren(...(update.modelFile ? [fileActions()] : []), ...render(update.summary));
      break;
    case 'summaryError':
      content.replaceChildren(h('p', { class: 'error', role: 'alert' }, update.message));
      break;
  }
});
host.post({ type: 'ready' });
