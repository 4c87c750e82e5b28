// Evaluation webview: test-set accuracy and loss, per-class accuracy, a clickable confusion matrix, the
// misclassified digits and sample training digits per class.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import { barRow, busyText, byId, digitCanvas, errorText, h } from '../common/dom';
import {
  cellTitle,
  classAccuracyRows,
  heatCells,
  heatTextIsLight,
  initialEvaluationState,
  isEvaluationState,
  TABS,
  type EvaluationState,
} from './evaluationLayout';
import { formatCount, formatPercent } from '../../shared/format';
import type {
  CorruptionView,
  DigitView,
  EvaluationRequest,
  EvaluationUpdate,
  EvaluationView,
  RobustnessView,
} from '../../shared/evaluationProtocol';
import { ROBUSTNESS_PANEL_DIGITS } from '../../shared/limits';
import { LatestRequest } from '../../shared/throttle';
import { connectToHost, onHostMessage } from '../common/vscodeApi';

const host = connectToHost<EvaluationRequest, EvaluationState>(isEvaluationState);
const state = host.savedState() ?? initialEvaluationState();
/** One id sequence for both kinds of request, so a requestError names exactly one. */
const requests = new LatestRequest();
let cellRequest = -1;
let samplesRequest = -1;
let samplesRequested = false;
let robustnessRequest = -1;

document.body.append(
  h(
    'main',
    { class: 'evaluation' },
    h('div', { id: 'banner', class: 'banner', role: 'status', hidden: true }),
    h('div', { id: 'content', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Waiting for the evaluation…')),
  ),
);

function evaluateButton(label: string): HTMLElement {
  const button = h('vscode-button', { icon: 'refresh' }, label);
  button.addEventListener('click', () => host.post({ type: 'evaluate' }));
  return button;
}

function showBusy(text: string): void {
  byId('banner').hidden = true;
  byId('content').replaceChildren(busyText(text));
}

function showError(message: string): void {
  byId('content').replaceChildren(errorText(message), evaluateButton('Evaluate again'));
}

function digitFigure(digit: DigitView, caption: string, label: string): HTMLElement {
  return h('figure', { class: 'digit-figure' }, digitCanvas(digit.image, label), h('figcaption', {}, caption));
}

// ---- Overview tab ----

function overview(evaluation: EvaluationView): HTMLElement {
  const bars = classAccuracyRows(evaluation.perClassAccuracy, evaluation.confusion).map((row) =>
    barRow(row.digit, row.accuracy, row.text, {
      'aria-label': `Digit ${row.digit}: ${row.text} of ${formatCount(row.count)}`,
    }),
  );
  return h(
    'div',
    { class: 'overview' },
    h(
      'section',
      { class: 'headline', 'aria-label': 'Overall results' },
      h(
        'div',
        { class: 'metric' },
        h('span', { class: 'metric-value' }, formatPercent(evaluation.accuracy, 2)),
        h('span', { class: 'metric-name' }, 'accuracy'),
      ),
      h(
        'div',
        { class: 'metric' },
        h('span', { class: 'metric-value' }, evaluation.loss.toFixed(4)),
        h('span', { class: 'metric-name' }, 'loss'),
      ),
      h(
        'div',
        { class: 'metric' },
        h('span', { class: 'metric-value' }, formatCount(evaluation.n)),
        h('span', { class: 'metric-name' }, 'test digits'),
      ),
      h(
        'div',
        { class: 'metric' },
        h('span', { class: 'metric-value' }, formatCount(evaluation.misclassifiedTotal)),
        h('span', { class: 'metric-name' }, 'mistakes'),
      ),
    ),
    h(
      'div',
      { class: 'overview-grid' },
      h(
        'section',
        { 'aria-labelledby': 'classes-heading' },
        h('h2', { id: 'classes-heading' }, 'Accuracy per digit'),
        h('ol', { class: 'bars' }, ...bars),
      ),
      h(
        'section',
        { 'aria-labelledby': 'confusion-heading' },
        h('h2', { id: 'confusion-heading' }, 'Confusion matrix'),
        h('p', { class: 'muted' }, 'Rows: true digit · columns: prediction. Select a cell to see its digits.'),
        confusionTable(evaluation.confusion),
      ),
    ),
    h('section', { id: 'cell', class: 'cell-digits', 'aria-live': 'polite' }),
  );
}

function confusionTable(confusion: number[][]): HTMLTableElement {
  const cells = heatCells(confusion);
  const table = h(
    'table',
    { class: 'confusion' },
    h(
      'caption',
      { class: 'visually-hidden' },
      'Confusion matrix: rows are the true digits, columns the predicted digits',
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('td', { class: 'corner' }, 'true ↓ / predicted →'),
        ...cells.map((_, d) => h('th', { scope: 'col' }, String(d))),
      ),
    ),
    h(
      'tbody',
      {},
      ...cells.map((row, label) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, String(label)),
          ...row.map((cell) => {
            const button = h(
              'button',
              {
                class: `heat ${cell.correct ? 'correct' : 'wrong'}${heatTextIsLight(cell.heat) ? ' strong' : ''}`,
                'aria-label': cell.ariaLabel,
                title: cell.ariaLabel,
                'data-label': cell.label,
                'data-predicted': cell.predicted,
                disabled: cell.count === 0,
              },
              cell.count ? formatCount(cell.count) : '',
            );
            button.style.setProperty('--heat', String(cell.heat));
            return h('td', {}, button);
          }),
        ),
      ),
    ),
  );
  table.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest('button.heat');
    if (button instanceof HTMLButtonElement)
      requestCell(Number(button.dataset.label), Number(button.dataset.predicted));
  });
  table.addEventListener('keydown', (event) => moveFocus(table, event));
  return table;
}

/** Arrow keys move between the matrix cells. */
function moveFocus(table: HTMLTableElement, event: KeyboardEvent): void {
  const button = (event.target as HTMLElement).closest('button.heat') as HTMLButtonElement | null;
  const step = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[event.key];
  if (!button || !step) return;
  let label = Number(button.dataset.label);
  let predicted = Number(button.dataset.predicted);
  for (;;) {
    label += step[0];
    predicted += step[1];
    if (label < 0 || label > 9 || predicted < 0 || predicted > 9) return;
    const next = table.querySelector<HTMLButtonElement>(`button[data-label="${label}"][data-predicted="${predicted}"]`);
    if (next && !next.disabled) {
      event.preventDefault();
      next.focus();
      return;
    }
  }
}

function requestCell(label: number, predicted: number): void {
  state.cell = { label, predicted };
  host.saveState(state);
  byId('cell').replaceChildren(busyText('Loading digits…'));
  cellRequest = requests.next();
  host.post({ type: 'cell', requestId: cellRequest, label, predicted });
}

function showCell(update: Extract<EvaluationUpdate, { type: 'cell' }>): void {
  const section = document.getElementById('cell');
  if (!section) return;
  section.replaceChildren(
    h('h2', {}, cellTitle(update.label, update.predicted, update.total, update.digits.length)),
    h(
      'div',
      { class: 'gallery' },
      ...update.digits.map((d) => {
        const confidence = d.confidence === undefined ? '' : ` · ${formatPercent(d.confidence, 0)}`;
        return digitFigure(
          d,
          `#${d.index}${confidence}`,
          `Test digit ${d.index}, a ${d.label} predicted as ${d.predicted ?? d.label}`,
        );
      }),
    ),
  );
}

// ---- Misclassified tab ----

function misclassified(evaluation: EvaluationView): HTMLElement {
  const shown = evaluation.misclassified.length;
  return h(
    'section',
    { class: 'mistakes', 'aria-label': 'Misclassified test digits' },
    h(
      'p',
      { class: 'muted' },
      shown < evaluation.misclassifiedTotal
        ? `The first ${shown} of ${formatCount(evaluation.misclassifiedTotal)} misclassified test digits.`
        : `${formatCount(shown)} misclassified test digits.`,
    ),
    h(
      'div',
      { class: 'gallery' },
      ...evaluation.misclassified.map((d) =>
        digitFigure(
          d,
          `${d.label} → ${d.predicted} · ${formatPercent(d.confidence ?? 0, 0)}`,
          `Test digit ${d.index}: a ${d.label} predicted as ${d.predicted} with ${formatPercent(d.confidence ?? 0, 0)} confidence`,
        ),
      ),
    ),
  );
}

// ---- Training samples tab ----

function requestSamples(): void {
  if (samplesRequested) return;
  samplesRequested = true;
  samplesRequest = requests.next();
  host.post({ type: 'samples', requestId: samplesRequest });
}

function showSamples(classes: DigitView[][]): void {
  const section = document.getElementById('samples');
  section?.replaceChildren(
    ...classes.map((digits, label) =>
      h(
        'div',
        { class: 'sample-row' },
        h('h3', { class: 'sample-label', 'aria-label': `Training digits labelled ${label}` }, String(label)),
        h(
          'div',
          { class: 'gallery' },
          ...digits.map((d) => digitCanvas(d.image, `Training digit ${d.index}, labelled ${label}`)),
        ),
      ),
    ),
  );
}

// ---- Robustness tab ----

function robustnessTab(): HTMLElement {
  const run = h('vscode-button', { id: 'run-robustness', icon: 'play' }, 'Run the robustness report');
  run.addEventListener('click', requestRobustness);
  return h(
    'div',
    { class: 'robustness' },
    h(
      'p',
      { class: 'muted' },
      `Accuracy on the first ${formatCount(ROBUSTNESS_PANEL_DIGITS)} test digits under 12 corruptions (seeded), each prepared as a PNG would be; \`npm run mnist -- evaluate --robustness\` runs all 10,000.`,
    ),
    run,
    h('section', { id: 'robustness', 'aria-live': 'polite', 'aria-label': 'Robustness report' }),
  );
}

function requestRobustness(): void {
  robustnessRequest = requests.next();
  byId('robustness').replaceChildren(busyText('Corrupting the test digits…'));
  host.post({ type: 'robustness', requestId: robustnessRequest });
}

function robustnessRow(row: CorruptionView, emphasis = false): HTMLLIElement {
  const bar = h('span', { class: 'bar' });
  bar.style.width = `${row.accuracy * 100}%`;
  const unreadable = row.unreadable ? ` (${formatCount(row.unreadable)} without a digit)` : '';
  return h(
    'li',
    { class: emphasis ? 'robust-row clean' : 'robust-row', 'data-corruption': row.name },
    digitCanvas(row.sample, `${row.label}: the first test digit as the model saw it`, 'digit small'),
    h('span', { class: 'robust-label' }, row.label),
    h('span', { class: 'bar-track' }, bar),
    h('span', { class: 'bar-value' }, `${formatPercent(row.accuracy, 1)}${unreadable}`),
  );
}

function showRobustness(report: RobustnessView): void {
  byId('robustness').replaceChildren(
    h(
      'p',
      { class: 'robust-mean' },
      `Mean over the corruptions: ${formatPercent(report.meanCorrupted, 1)} · clean: ${formatPercent(report.clean.accuracy, 1)} (${formatCount(report.n)} test digits)`,
    ),
    h(
      'ol',
      { class: 'robust-rows' },
      robustnessRow(report.clean, true),
      ...report.corruptions.map((row) => robustnessRow(row)),
    ),
  );
}

// ---- Tabs ----

function render(evaluation: EvaluationView): void {
  byId('banner').hidden = true;
  samplesRequested = false;
  const tabs = h(
    'vscode-tabs',
    { 'selected-index': state.tab },
    h('vscode-tab-header', { slot: 'header' }, 'Overview'),
    h('vscode-tab-panel', {}, overview(evaluation)),
    h('vscode-tab-header', { slot: 'header' }, `Misclassified (${formatCount(evaluation.misclassifiedTotal)})`),
    h('vscode-tab-panel', {}, misclassified(evaluation)),
    h('vscode-tab-header', { slot: 'header' }, 'Training samples'),
    h(
      'vscode-tab-panel',
      {},
      h(
        'section',
        { id: 'samples', class: 'samples', 'aria-label': 'Training digits per class' },
        busyText('Loading training digits…'),
      ),
    ),
    h('vscode-tab-header', { slot: 'header' }, 'Robustness'),
    h('vscode-tab-panel', {}, robustnessTab()),
  );
  tabs.addEventListener('vsc-tabs-select', (event) => {
    state.tab = (event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    host.saveState(state);
    if (state.tab === TABS.samples) requestSamples();
  });
  byId('content').replaceChildren(h('p', { class: 'muted model' }, evaluation.modelLabel), tabs);
  if (state.tab === TABS.samples) requestSamples();
  if (state.cell) requestCell(state.cell.label, state.cell.predicted);
}

onHostMessage<EvaluationUpdate>((update) => {
  switch (update.type) {
    case 'evaluating':
      showBusy(`Evaluating on the test set… (${update.modelLabel})`);
      break;
    case 'evaluation':
      render(update.evaluation);
      break;
    case 'evaluationError':
      showError(update.message);
      break;
    case 'stale': {
      const banner = byId('banner');
      banner.replaceChildren(
        h('span', {}, `The active model changed (${update.modelLabel}).`),
        evaluateButton('Evaluate again'),
      );
      banner.hidden = false;
      break;
    }
    case 'cell':
      if (update.requestId === cellRequest) showCell(update);
      break;
    case 'samples':
      if (update.requestId === samplesRequest) showSamples(update.classes);
      break;
    case 'robustnessProgress':
      if (update.requestId === robustnessRequest)
        byId('robustness').replaceChildren(busyText(`Corrupting the test digits… ${update.done}/${update.total}`));
      break;
    case 'robustness':
      if (update.requestId === robustnessRequest) showRobustness(update.report);
      break;
    case 'requestError':
      if (update.requestId === cellRequest) document.getElementById('cell')?.replaceChildren(errorText(update.message));
      else if (update.requestId === samplesRequest)
        document.getElementById('samples')?.replaceChildren(errorText(update.message));
      else if (update.requestId === robustnessRequest)
        document.getElementById('robustness')?.replaceChildren(errorText(update.message));
      break;
  }
});
host.post({ type: 'ready' });
