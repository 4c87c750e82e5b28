// Training chart webview: loss and accuracy per epoch, per-batch loss, speed and ETA, and a Stop button.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import {
  batchSeries,
  chartSummaries,
  epochAxis,
  epochSeries,
  showsBatchChart,
  trainingStats,
  type XY,
} from './trainingChartLayout';
import { byId, h, onThemeChange, themeColor } from '../common/dom';
import type { TrainingChartRequest, TrainingChartUpdate, TrainingView } from '../../shared/trainingChartProtocol';
import { connectToHost, onHostMessage } from '../common/vscodeApi';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

const host = connectToHost<TrainingChartRequest>();

function stat(id: string, name: string): HTMLElement {
  return h('div', { class: 'stat', id: `${id}-stat` }, h('dt', { id: `${id}-name` }, name), h('dd', { id }, '—'));
}

/** Shows `value` in stat `id`, or hides the stat when there is no value. */
function setStat(id: string, value: string | undefined): void {
  byId(`${id}-stat`).hidden = value === undefined;
  byId(id).textContent = value ?? '';
}

function chartFigure(id: string, caption: string, wide = false): HTMLElement {
  return h(
    'figure',
    { class: wide ? 'chart wide' : 'chart', id: `${id}-figure` },
    h('figcaption', { id: `${id}-caption` }, caption),
    h(
      'div',
      { class: 'chart-box' },
      h('canvas', { id, role: 'img', 'aria-labelledby': `${id}-caption`, 'aria-describedby': `${id}-summary` }),
    ),
    h('p', { class: 'chart-summary', id: `${id}-summary` }),
  );
}

document.body.append(
  h(
    'main',
    { class: 'training' },
    h(
      'header',
      { class: 'training-header' },
      h('p', { class: 'status', id: 'status', role: 'status' }, 'Loading…'),
      h('dl', { class: 'stats' }, stat('epoch', 'Epoch'), stat('eta', 'Time left'), stat('speed', 'Speed')),
      h(
        'vscode-button',
        { id: 'stop', icon: 'debug-stop', disabled: true, title: 'Stop training', 'aria-label': 'Stop training' },
        'Stop',
      ),
    ),
    h(
      'section',
      { class: 'charts' },
      chartFigure('loss', 'Loss per epoch'),
      chartFigure('accuracy', 'Accuracy per epoch (%)'),
      chartFigure('batch', 'Training loss per batch', true),
    ),
  ),
);

const colours = () => ({
  training: themeColor('--vscode-charts-blue', '#3794ff'),
  validation: themeColor('--vscode-charts-orange', '#d18616'),
  batch: themeColor('--vscode-charts-purple', '#b180d7'),
  text: themeColor('--vscode-foreground', '#cccccc'),
  grid: themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)'),
  font: themeColor('--vscode-font-family', 'sans-serif'),
});

function line(label: string, colour: string, dashed = false): ChartDataset<'line', XY[]> {
  return {
    label,
    data: [],
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: 2,
    pointRadius: 2,
    borderDash: dashed ? [6, 3] : [],
    tension: 0.2,
  };
}

function makeChart(id: string, datasets: ChartDataset<'line', XY[]>[], xTitle: string): Chart<'line', XY[]> {
  const c = colours();
  return new Chart<'line', XY[]>(byId<HTMLCanvasElement>(id), {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      color: c.text,
      font: { family: c.font },
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: xTitle, color: c.text },
          ticks: { color: c.text, precision: 0 },
          grid: { color: c.grid },
        },
        y: { type: 'linear', ticks: { color: c.text }, grid: { color: c.grid } },
      },
      plugins: { legend: { labels: { color: c.text, boxHeight: 2 } } },
    },
  });
}

function makeCharts() {
  const c = colours();
  return {
    loss: makeChart('loss', [line('Training', c.training), line('Validation', c.validation, true)], 'Epoch'),
    accuracy: makeChart('accuracy', [line('Training', c.training), line('Validation', c.validation, true)], 'Epoch'),
    batch: makeChart(
      'batch',
      [{ ...line('Batch loss', c.batch), pointRadius: 0, borderWidth: 1, tension: 0 }],
      'Epoch',
    ),
  };
}

let charts = makeCharts();
let latest: TrainingView | undefined;

function render(training: TrainingView): void {
  latest = training;
  const stats = trainingStats(training);
  byId('status').textContent = training.status;
  byId('epoch-name').textContent = stats.epochName;
  setStat('epoch', stats.epoch);
  setStat('eta', stats.eta);
  setStat('speed', stats.speed);
  byId('stop').toggleAttribute('disabled', !training.running);

  const series = epochSeries(training.history);
  const axis = epochAxis(training);
  setData(charts.loss, [series.loss, series.valLoss], axis);
  setData(charts.accuracy, [series.accuracy, series.valAccuracy], axis);
  byId('batch-figure').hidden = !showsBatchChart(training);
  setData(charts.batch, [batchSeries(training.batchLoss)], { min: 0, max: axis.max });

  const summaries = chartSummaries(training);
  byId('loss-summary').textContent = summaries.loss;
  byId('accuracy-summary').textContent = summaries.accuracy;
  byId('batch-summary').textContent = summaries.batch;
}

function setData(chart: Chart<'line', XY[]>, data: XY[][], axis: { min: number; max: number }): void {
  data.forEach((points, i) => (chart.data.datasets[i].data = points));
  const x = chart.options.scales?.x;
  if (x) {
    x.min = axis.min;
    x.max = axis.max;
  }
  chart.update('none');
}

onThemeChange(() => {
  for (const chart of Object.values(charts)) chart.destroy();
  charts = makeCharts();
  if (latest) render(latest);
});

byId('stop').addEventListener('click', () => host.post({ type: 'stop' }));
onHostMessage<TrainingChartUpdate>((update) => {
  if (update.type === 'training') render(update.training);
});
host.post({ type: 'ready' });
