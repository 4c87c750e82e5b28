// Small DOM helpers for the panels: element creation, digit images, bars, tables and theme colours.
import { base64ToBytes } from './base64';
import { IMAGE_SIDE } from '../../shared/mnistImage';
import { digitRgba } from './digitPixels';

type Child = Node | string | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined>;

/** h('button', { class: 'x', 'aria-label': 'Clear' }, 'Clear'): attributes true → present, false/undefined → absent. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes?: Attributes,
  ...children: Child[]
): HTMLElementTagNameMap[K];
export function h(tag: string, attributes?: Attributes, ...children: Child[]): HTMLElement;
export function h(tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== undefined && child !== false) element.append(child);
  return element;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing`);
  return element as T;
}

/** A 28x28 canvas showing a digit; CSS (.digit) scales it up with crisp pixels. */
export function digitCanvas(imageBase64: string, label: string, className = 'digit'): HTMLCanvasElement {
  const canvas = h('canvas', {
    class: className,
    width: IMAGE_SIDE,
    height: IMAGE_SIDE,
    role: 'img',
    'aria-label': label,
  });
  drawDigit(canvas, imageBase64);
  return canvas;
}

export function drawDigit(canvas: HTMLCanvasElement, imageBase64: string): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  context.putImageData(new ImageData(digitRgba(base64ToBytes(imageBase64)), IMAGE_SIDE, IMAGE_SIDE), 0, 0);
}

/**
 * One row of a bar list (ol.bars, styled in panels.css): the digit, a bar `fraction` (0..1) of the track long, the
 * value as text, then any `extra` cells. `attributes.class` adds to "bar-row".
 */
export function barRow(
  digit: number,
  fraction: number,
  value: string,
  attributes: Attributes = {},
  ...extra: Child[]
): HTMLLIElement {
  const bar = h('span', { class: 'bar' });
  bar.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
  return h(
    'li',
    { ...attributes, class: attributes.class ? `bar-row ${attributes.class}` : 'bar-row' },
    h('span', { class: 'bar-digit' }, String(digit)),
    h('span', { class: 'bar-track' }, bar),
    h('span', { class: 'bar-value' }, value),
    ...extra,
  );
}

/** A line with a spinning "loading" codicon: "⟳ Loading digits…". */
export function busyText(text: string): HTMLParagraphElement {
  return h('p', { class: 'busy' }, icon('loading codicon-modifier-spin'), ` ${text}`);
}

/** An error message, announced to screen readers. */
export function errorText(message: string): HTMLParagraphElement {
  return h('p', { class: 'error', role: 'alert' }, message);
}

/** A codicon, hidden from screen readers (the control it sits in carries the label). */
export function icon(name: string): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** Reads a VS Code theme colour (CSS variable) with a fallback. */
export function themeColor(variable: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(variable).trim() || fallback;
}

/** Calls `onChange` when the user switches between light, dark and high-contrast themes. */
export function onThemeChange(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

export interface Column {
  title: string;
  /** Right-aligned (numbers). */
  numeric?: boolean;
}

/** An accessible data table in VS Code's style. Cells are text or nodes. */
export function dataTable(
  caption: string,
  columns: Column[],
  rows: (string | Node)[][],
  footer?: (string | Node)[],
): HTMLTableElement {
  const cell = (tag: 'td' | 'th', content: string | Node, column: Column | undefined, scope?: string) =>
    h(tag, { class: column?.numeric ? 'numeric' : undefined, scope }, content);
  return h(
    'table',
    { class: 'data-table' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, ...columns.map((column) => cell('th', column.title, column, 'col')))),
    h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((content, i) => cell('td', content, columns[i]))))),
    footer &&
      h(
        'tfoot',
        {},
        h(
          'tr',
          {},
          ...footer.map((content, i) => cell(i === 0 ? 'th' : 'td', content, columns[i], i === 0 ? 'row' : undefined)),
        ),
      ),
  );
}
