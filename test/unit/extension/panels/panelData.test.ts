// Panel data on the host side (evaluation digits, model description, page skeleton) and its presentation.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../../src/engine/paths';
import type { Evaluation } from '../../../../src/engine/evaluate';
import type { DigitSet } from '../../../../src/engine/data/idx';
import { cellDigits, digitBase64, evaluationView, sampleDigits } from '../../../../src/extension/panels/evaluationData';
import { modelLabel, summaryView } from '../../../../src/extension/panels/modelInfo';
import {
  contentSecurityPolicy,
  createNonce,
  webviewHtml,
  webviewOptions,
} from '../../../../src/extension/panels/webviewHtml';
import { classAccuracyRows, cellTitle, heatCells } from '../../../../src/webview/evaluation/evaluationLayout';
import { architectureBlocks, metadataRows } from '../../../../src/webview/modelSummary/modelSummaryLayout';
import { MAX_MISCLASSIFIED } from '../../../../src/shared/limits';

/** `count` digits labelled i % 10, each image filled with its own index (mod 256). */
function digitSet(count: number): DigitSet {
  const images = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) images.fill(i % 256, i * 784, (i + 1) * 784);
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
}
const imageOf = (base64: string) => Buffer.from(base64, 'base64');

function evaluation(test: DigitSet, mistakes: { index: number; predicted: number }[]): Evaluation {
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  const misclassified = mistakes.map((m) => ({ ...m, label: test.labels[m.index], confidence: 0.6 }));
  for (let i = 0; i < test.count; i++) {
    const wrong = misclassified.find((m) => m.index === i);
    confusion[test.labels[i]][wrong ? wrong.predicted : test.labels[i]]++;
  }
  return {
    n: test.count,
    accuracy: 1 - mistakes.length / test.count,
    loss: 0.1,
    perClassAccuracy: new Array(10).fill(1),
    confusion,
    misclassified,
  };
}

describe('evaluation panel data', () => {
  const test = digitSet(100);

  it('sends each digit as base64 of its own 784 bytes', () => {
    const bytes = imageOf(digitBase64(test, 42));
    assert.equal(bytes.length, 784);
    assert.ok(bytes.every((b) => b === 42));
    assert.throws(() => digitBase64(test, 100), RangeError);
    assert.throws(() => digitBase64(test, -1), RangeError);
  });

  it('a mistake cell lists exactly the digits of that confusion, with the confidence', () => {
    const e = evaluation(test, [
      { index: 3, predicted: 5 },
      { index: 13, predicted: 5 },
      { index: 23, predicted: 8 },
    ]);
    const cell = cellDigits(e, test, 3, 5);
    assert.equal(cell.total, 2);
    assert.deepEqual(
      cell.digits.map((d) => d.index),
      [3, 13],
    );
    assert.ok(cell.digits.every((d) => d.label === 3 && d.predicted === 5 && d.confidence === 0.6));
    assert.ok(imageOf(cell.digits[1].image).every((b) => b === 13));
  });

  it('a diagonal cell lists the correctly recognised digits of the class, capped', () => {
    const e = evaluation(test, [{ index: 3, predicted: 5 }]);
    const cell = cellDigits(e, test, 3, 3, 4);
    assert.equal(cell.total, 9);
    assert.deepEqual(
      cell.digits.map((d) => d.index),
      [13, 23, 33, 43],
    );
  });

  it('caps the misclassified gallery but reports the full count', () => {
    const big = digitSet(3000);
    const e = evaluation(
      big,
      Array.from({ length: 250 }, (_, i) => ({ index: i * 10, predicted: 1 })),
    );
    const shown = evaluationView(e, big, 'Model: trained');
    assert.equal(shown.misclassified.length, MAX_MISCLASSIFIED);
    assert.equal(shown.misclassifiedTotal, 250);
    assert.ok(imageOf(shown.misclassified[1].image).every((b) => b === 10));
  });

  it('samples the first digits of every class', () => {
    const classes = sampleDigits(digitSet(100), 3);
    assert.equal(classes.length, 10);
    assert.deepEqual(
      classes[7].map((d) => d.index),
      [7, 17, 27],
    );
    assert.ok(classes.every((digits, label) => digits.every((d) => d.label === label)));
  });
});

describe('evaluation panel presentation', () => {
  const confusion: number[][] = Array.from({ length: 10 }, (_, t) =>
    Array.from({ length: 10 }, (_, p) => (t === p ? 90 : 0)),
  );
  confusion[4][9] = 10;
  confusion[7][1] = 1;

  it('heatmap: correct cells by their share of the class, mistakes relative to the worst one', () => {
    const cells = heatCells(confusion);
    assert.equal(cells[0][0].heat, 1);
    assert.equal(cells[4][4].heat, 0.9);
    assert.equal(cells[4][9].heat, 1, 'the worst confusion is the strongest red');
    assert.ok(Math.abs(cells[7][1].heat - Math.sqrt(0.1)) < 1e-9);
    assert.equal(cells[2][3].heat, 0);
    assert.equal(cells[4][9].ariaLabel, 'True 4, predicted 9: 10 digits (10.0% of the 4s)');
  });

  it('per-class rows and cell titles', () => {
    const rows = classAccuracyRows([0.9, 1, 1, 1, 0.9, 1, 1, 0.989, 1, 1], confusion);
    assert.equal(rows[4].count, 100);
    assert.equal(rows[7].text, '98.9%');
    assert.equal(cellTitle(4, 9, 10, 10), '4s taken for 9: 10 digits');
    assert.equal(cellTitle(3, 3, 980, 60), '3s recognised correctly: first 60 of 980 digits');
  });
});

describe('model summary', () => {
  const active = {
    source: { kind: 'trained' as const, path: '/models/trained' },
    metadata: {
      architecture: 'cnn',
      epochsRun: 4,
      testAccuracy: 0.98765,
      backend: 'wasm',
      trainingSeconds: 75,
      trainingImages: 54000,
      validationImages: 6000,
      date: '2024-05-01T12:00:00Z',
      tfjsVersion: '4.22.0',
    },
  };

  it('labels the active model with its source and accuracy', () => {
    assert.equal(modelLabel(active), 'Model: trained · 98.8%');
    assert.equal(modelLabel({ source: { kind: 'custom', path: '/x' } }), 'Model: custom');
    assert.equal(modelLabel({ source: { kind: 'opened', path: '/m/mnist_model.keras' } }), 'Model: mnist_model.keras');
  });

  it('builds the layer table with Keras-style shapes, totals and metadata', () => {
    const view = summaryView(
      {
        inputShape: [null, 28, 28, 1],
        layers: [
          { name: 'conv', type: 'Conv2D', outputShape: [null, 26, 26, 8], parameters: 80, trainable: true },
          { name: 'flat', type: 'Flatten', outputShape: [null, 5408], parameters: 0, trainable: true },
        ],
        totalParameters: 80,
        trainableParameters: 80,
      },
      active,
    );
    assert.equal(view.inputShape, '[None, 28, 28, 1]');
    assert.equal(view.layers[0].outputShape, '[None, 26, 26, 8]');
    const rows = Object.fromEntries(metadataRows(view.model));
    assert.equal(rows['Test accuracy'], '98.77%');
    assert.equal(rows['Training time'], '1 min 15 s');
    assert.equal(rows['Training images'], '54,000');
    assert.equal(rows['Validation images'], '6,000');
    assert.equal(rows.Source, 'trained');
    const blocks = architectureBlocks(view);
    assert.deepEqual(
      blocks.map((b) => [b.title, b.shape, b.hasWeights]),
      [
        ['Input', '[None, 28, 28, 1]', false],
        ['Conv2D', '[None, 26, 26, 8]', true],
        ['Flatten', '[None, 5408]', false],
      ],
    );
  });

  it('shows dashes for metadata a custom model lacks', () => {
    const rows = Object.fromEntries(metadataRows({ source: 'custom', path: '/x' }));
    assert.equal(rows['Test accuracy'], '—');
    assert.equal(rows.Backend, '—');
  });
});

describe('webview page skeleton', () => {
  /** Just enough of vscode.Uri and vscode.Webview. */
  const uri = (path: string): any => ({
    path,
    with: ({ path: p }: { path: string }) => uri(p),
    toString: () => `https://res${path}`,
  });
  const webview = { cspSource: 'https://res', asWebviewUri: (u: any) => u };
  const page = { title: 'A <b> panel', page: 'sketchpad' };

  it('has a strict CSP: nothing but nonce scripts, extension styles, images and fonts', () => {
    assert.equal(
      contentSecurityPolicy('https://res', 'N'),
      "default-src 'none'; script-src 'nonce-N'; style-src https://res 'nonce-N'; img-src https://res data:; font-src https://res",
    );
  });

  it('loads only the bundle from dist/webview and the shared and own styles, with the nonce, and escapes the title', () => {
    const html = webviewHtml(webview as any, uri('/ext'), page, 'NONCE');
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, ['<script nonce="NONCE" src="https://res/ext/dist/webview/sketchpad.js">']);
    assert.match(html, /id="vscode-codicon-stylesheet" href="https:\/\/res\/ext\/dist\/webview\/codicon.css"/);
    const styles = [...html.matchAll(/<link rel="stylesheet" nonce="NONCE" href="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(styles, ['https://res/ext/media/panels.css', 'https://res/ext/media/sketchpad.css']);
    assert.match(html, /<title>A &#60;b&#62; panel<\/title>/);
    assert.ok(!/style="/.test(html), 'no inline style attributes');
  });

  it("finds each page's script source and style sheet by the page's name", () => {
    const root = projectRoot();
    const pages = readdirSync(join(root, 'src', 'webview'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'common')
      .map((entry) => entry.name);
    assert.deepEqual(pages.sort(), [
      'classifyResults',
      'evaluation',
      'modelSummary',
      'network',
      'sketchpad',
      'trainingChart',
    ]);
    for (const page of pages) {
      assert.ok(existsSync(join(root, 'src', 'webview', page, `${page}Page.ts`)), `no ${page}Page.ts`);
      assert.ok(existsSync(join(root, 'media', `${page}.css`)), `no media/${page}.css`);
    }
  });

  it('uses a fresh, unguessable nonce per page', () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    assert.equal(nonces.size, 50);
    assert.ok([...nonces].every((n) => n.length >= 32));
    const first = webviewHtml(webview as any, uri('/ext'), page).match(/nonce-([^']+)'/)![1];
    const second = webviewHtml(webview as any, uri('/ext'), page).match(/nonce-([^']+)'/)![1];
    assert.notEqual(first, second);
  });

  it("lets the webview load only from the extension's dist and media folders, with scripts enabled", () => {
    const options = webviewOptions(uri('/ext'));
    assert.equal(options.enableScripts, true);
    assert.deepEqual(
      options.localResourceRoots?.map((u) => u.path),
      ['/ext/dist', '/ext/media'],
    );
    assert.ok(!options.retainContextWhenHidden);
  });
});
