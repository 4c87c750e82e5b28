// Classification results webview: one row per classified file; a file name opens the file.
import { dataTable, h, icon } from '../common/dom';
import { formatPercent } from '../../shared/format';
import { isClassifyResultsState, resultsSummary, runnersUp } from './classifyResultsLayout';
import type {
  ClassifyResultsRequest,
  ClassifyResultsState,
  ClassifyResultsUpdate,
  ClassifyRowView,
} from '../../shared/classifyResultsProtocol';
import { connectToHost, onHostMessage } from '../common/vscodeApi';

const host = connectToHost<ClassifyResultsRequest, ClassifyResultsState>(isClassifyResultsState);
const content = h('main', { class: 'results', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
document.body.append(content);

function fileLink(row: ClassifyRowView, index: number): HTMLElement {
  const link = h('a', { href: '#', class: 'file', title: `Open ${row.name}` }, row.name);
  link.addEventListener('click', (event) => {
    event.preventDefault();
    host.post({ type: 'open', index });
  });
  return link;
}

function render(rows: ClassifyRowView[]): void {
  const table = dataTable(
    'Classification results',
    [
      { title: 'File' },
      { title: 'Digit', numeric: true },
      { title: 'Confidence', numeric: true },
      { title: 'Runners-up' },
    ],
    rows.map((row, index) =>
      row.error !== undefined
        ? [fileLink(row, index), h('span', { class: 'error-cell' }, icon('error'), ` ${row.error}`)]
        : [
            fileLink(row, index),
            h('strong', { class: 'result-digit' }, row.digit === undefined ? '—' : String(row.digit)),
            row.unsure ?? (row.confidence === undefined ? '—' : formatPercent(row.confidence)),
            runnersUp(row),
          ],
    ),
  );
  // An error takes the place of digit, confidence and runners-up.
  table.querySelectorAll('.error-cell').forEach((cell) => {
    const td = cell.parentElement as HTMLTableCellElement;
    td.colSpan = 3;
    td.classList.remove('numeric');
    td.parentElement?.classList.add('error-row');
  });
  content.replaceChildren(h('p', { class: 'muted' }, resultsSummary(rows)), table);
}

// Shown at once after the panel was hidden or the window reloaded; the host's copy follows.
const saved = host.savedState();
if (saved) render(saved.rows);

onHostMessage<ClassifyResultsUpdate>((update) => {
  if (update.type !== 'results') return;
  host.saveState({ rows: update.rows });
  render(update.rows);
});
host.post({ type: 'ready' });
