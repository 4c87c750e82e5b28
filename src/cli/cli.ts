// Command-line entry point: npm run mnist -- <train|evaluate|classify|summary|bench> [options]
import { memory } from '@tensorflow/tfjs-core';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKENDS, initBackend, type BackendChoice, type BackendPreference } from '../engine/backend';
import { DEFAULT_BENCH_TRAIN_IMAGES, runBench } from './bench';
import { runTorchReference } from './torchReference';
import { availableParallelism } from 'node:os';
import { evaluate, type Evaluation } from '../engine/evaluate';
import { loadMnist } from '../engine/data/idx';
import { bundledModelDir, defaultDataDir } from '../engine/paths';
import { pngToMnistImage, readPngFile } from '../engine/image/png';
import { predictDigit, topDigits } from '../engine/predict';
import { formatEpoch } from '../engine/training/progressText';
import { loadModel, saveModel, trainedModelMetadata } from '../engine/model/storage';
import { formatShape, summarizeModel } from '../engine/model/summary';
import {
  DEFAULT_TRAIN_OPTIONS,
  disposeModel,
  train,
  TrainingCancelledError,
  type BatchProgress,
} from '../engine/training/train';
import { formatPercent } from '../shared/format';
import { errorMessage } from '../shared/errors';

const USAGE = `Usage: npm run mnist -- <command> [options]

Commands:
  train     [--epochs N] [--batch-size N] [--learning-rate X] [--patience N] [--limit N] [--augment] [--seed N] [--out DIR]
  evaluate  [--model DIR] [--limit N]
  classify  FILE... [--model DIR]
  summary   [--model DIR]
  bench     [--repeats N] [--vs-torch]   (--vs-torch: also run test/bench/torch_reference.py, PyTorch CPU, and print the ratios)

Common options: --backend auto|tensorflow|wasm|cpu   --json (one JSON object as the last line of stdout)
Models default to the bundled one (${'models/mnist-cnn'}); train writes to --out (default: the bundled model's folder).`;

const OPTIONS = {
  backend: { type: 'string', default: 'auto' },
  json: { type: 'boolean', default: false },
  model: { type: 'string' },
  out: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  'learning-rate': { type: 'string' },
  limit: { type: 'string' },
  patience: { type: 'string' },
  seed: { type: 'string' },
  augment: { type: 'boolean', default: false },
  repeats: { type: 'string' },
  'vs-torch': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

class UsageError extends Error {}

function integer(
  values: Values,
  name: 'epochs' | 'batch-size' | 'limit' | 'seed' | 'repeats' | 'patience',
  fallback: number,
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`--${name} must be a whole number (got "${raw}")`);
  return value;
}

/** Progress on stderr: a bar redrawn in place on a terminal, nothing per batch otherwise. */
function progressPrinter(json: boolean) {
  const tty = process.stderr.isTTY && !json;
  return (p: BatchProgress) => {
    if (!tty) return;
    const width = 30;
    const filled = Math.round((p.batch / p.batches) * width);
    process.stderr.write(
      `\rEpoch ${p.epoch}/${p.epochs} [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${p.batch}/${p.batches}` +
        ` loss ${p.loss.toFixed(4)} acc ${formatPercent(p.accuracy, 1)} ${Math.round(p.imagesPerSecond)} img/s `,
    );
  };
}

function log(json: boolean, line: string) {
  (json ? process.stderr : process.stdout).write(line + '\n');
}

async function startBackend(values: Values): Promise<BackendChoice> {
  const preference = values.backend as BackendPreference;
  if (preference !== 'auto' && !BACKENDS.includes(preference as never)) {
    throw new UsageError(`--backend must be auto, ${BACKENDS.join(', ')} (got "${preference}")`);
  }
  const choice = await initBackend(preference);
  log(values.json, `Backend: ${choice.name} (${choice.reason})`);
  if (choice.warning) process.stderr.write(`Warning: ${choice.warning}\n`);
  return choice;
}

function modelDir(values: Values): string {
  return resolve(values.model ?? bundledModelDir());
}

function printEvaluation(evaluation: Evaluation, json: boolean) {
  log(
    json,
    `Test accuracy ${formatPercent(evaluation.accuracy, 2)} · loss ${evaluation.loss.toFixed(4)} · ${evaluation.n} images`,
  );
  log(json, `Per class: ${evaluation.perClassAccuracy.map((a, d) => `${d}:${formatPercent(a, 1)}`).join('  ')}`);
  log(json, 'Confusion matrix (rows = true digit, columns = predicted):');
  log(json, '      ' + [...Array(10).keys()].map((d) => String(d).padStart(5)).join(''));
  evaluation.confusion.forEach((row, digit) =>
    log(json, `  ${digit}:  ${row.map((c) => String(c).padStart(5)).join('')}`),
  );
}

async function trainCommand(values: Values) {
  const backend = await startBackend(values);
  const options = {
    ...DEFAULT_TRAIN_OPTIONS,
    epochs: integer(values, 'epochs', DEFAULT_TRAIN_OPTIONS.epochs),
    batchSize: integer(values, 'batch-size', DEFAULT_TRAIN_OPTIONS.batchSize),
    learningRate:
      values['learning-rate'] === undefined ? DEFAULT_TRAIN_OPTIONS.learningRate : Number(values['learning-rate']),
    trainingSubset: integer(values, 'limit', 0),
    earlyStoppingPatience: integer(values, 'patience', DEFAULT_TRAIN_OPTIONS.earlyStoppingPatience),
    seed: integer(values, 'seed', DEFAULT_TRAIN_OPTIONS.seed),
    augment: values.augment,
  };
  const out = resolve(values.out ?? bundledModelDir());
  const data = loadMnist(defaultDataDir());
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nStopping after this batch; the saved model is left as it was.\n');
    controller.abort();
  });
  const showProgress = progressPrinter(values.json);
  const result = await train(data.train, options, {
    signal: controller.signal,
    onBatchEnd: showProgress,
    onEpochEnd: (e) => {
      if (process.stderr.isTTY && !values.json) process.stderr.write('\r\x1b[K');
      // Tensors and memory after each epoch: both should stay flat from epoch to epoch.
      const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
      log(values.json, `${formatEpoch(e)} · ${memory().numTensors} tensors, RSS ${rssMb} MB`);
    },
  });
  if (result.workers > 1) log(values.json, `Trained on ${result.workers} worker threads (data-parallel)`);
  if (result.stoppedEarly) log(values.json, `Stopped early; keeping the weights of epoch ${result.bestEpoch}`);
  const evaluation = await evaluate(result.model, data.test);
  printEvaluation(evaluation, values.json);
  const metadata = trainedModelMetadata(
    result,
    evaluation,
    backend.name,
    options,
    options.trainingSubset || data.train.count,
  );
  await saveModel(result.model, out, metadata);
  disposeModel(result.model);
  log(values.json, `Saved to ${out}`);
  return {
    accuracy: evaluation.accuracy,
    loss: evaluation.loss,
    n: evaluation.n,
    backend: backend.name,
    epochs_run: result.epochsRun,
    seconds: result.seconds,
    workers: result.workers,
    out,
  };
}

async function evaluateCommand(values: Values) {
  const backend = await startBackend(values);
  const { model } = await loadModel(modelDir(values));
  const data = loadMnist(defaultDataDir());
  const evaluation = await evaluate(model, data.test, { limit: integer(values, 'limit', 0) });
  disposeModel(model);
  printEvaluation(evaluation, values.json);
  return {
    accuracy: evaluation.accuracy,
    loss: evaluation.loss,
    n: evaluation.n,
    backend: backend.name,
    per_class_accuracy: evaluation.perClassAccuracy,
    confusion: evaluation.confusion,
    misclassified: evaluation.misclassified.length,
  };
}

async function classifyCommand(values: Values, files: string[]) {
  if (!files.length) throw new UsageError('classify needs at least one PNG file');
  const backend = await startBackend(values);
  const { model } = await loadModel(modelDir(values));
  const results = [];
  for (const file of files) {
    try {
      const image = pngToMnistImage(await readPngFile(file), basename(file));
      const prediction = predictDigit(model, image.pixels);
      const top3 = topDigits(prediction.probabilities);
      log(
        values.json,
        `${file} → ${prediction.digit} (${top3.map((t) => `${t.digit} ${formatPercent(t.probability, 1)}`).join(', ')})`,
      );
      results.push({ file, digit: prediction.digit, top3 });
    } catch (err) {
      const message = errorMessage(err);
      process.stderr.write(`${file}: error: ${message}\n`);
      results.push({ file, error: message });
    }
  }
  disposeModel(model);
  if (results.some((r) => 'error' in r)) process.exitCode = 1;
  return { backend: backend.name, results };
}

async function summaryCommand(values: Values) {
  await startBackend(values);
  const { model, metadata } = await loadModel(modelDir(values));
  const summary = summarizeModel(model);
  disposeModel(model);
  log(values.json, `${'Layer (type)'.padEnd(34)}${'Output shape'.padEnd(24)}Params`);
  for (const layer of summary.layers) {
    log(
      values.json,
      `${`${layer.name} (${layer.type})`.padEnd(34)}${formatShape(layer.outputShape).padEnd(24)}${layer.parameters}`,
    );
  }
  log(values.json, `Total params: ${summary.totalParameters} (trainable ${summary.trainableParameters})`);
  if (metadata?.testAccuracy !== undefined)
    log(
      values.json,
      `Test accuracy ${formatPercent(metadata.testAccuracy, 2)} after ${metadata.epochsRun} epochs on ${metadata.backend}, ${metadata.date}`,
    );
  return { ...summary, metadata };
}

async function benchCommand(values: Values) {
  const backend = await startBackend(values);
  const dataDir = defaultDataDir();
  const data = loadMnist(dataDir);
  const repeats = integer(values, 'repeats', 3);
  const result = await runBench(data, backend.name, {
    repeats,
    onStep: (message) => process.stderr.write(`… ${message}\n`),
  });
  const trainedBy = result.train_workers > 1 ? ` (${result.train_workers} worker threads)` : '';
  log(
    values.json,
    `Training${trainedBy}: ${result.train_img_s_b32} img/s at batch 32, ${result.train_img_s_b128} img/s at batch 128`,
  );
  log(
    values.json,
    `Inference: ${result.infer_img_s} img/s batched; single image p50 ${result.latency_ms_p50} ms, p99 ${result.latency_ms_p99} ms`,
  );
  log(values.json, `Peak RSS ${result.peak_rss_mb} MB on ${result.backend}`);
  if (!values['vs-torch']) return result;

  process.stderr.write(`… PyTorch reference (test/bench/torch_reference.py), same data and image counts\n`);
  const torch = runTorchReference({
    dataDir,
    trainImages: DEFAULT_BENCH_TRAIN_IMAGES,
    repeats,
    threads: availableParallelism(),
  });
  if (!torch.figures) {
    log(values.json, `PyTorch reference not run: ${torch.problem}; the figures above are this engine's only.`);
    return { ...result, torch_problem: torch.problem };
  }
  const t = torch.figures;
  const ratio = (ours: number, theirs: number) => Math.round((ours / theirs) * 100) / 100;
  const ratios = {
    ratio_train_b32: ratio(result.train_img_s_b32, t.torch_train_img_s_b32),
    ratio_train_b128: ratio(result.train_img_s_b128, t.torch_train_img_s_b128),
    ratio_infer: ratio(result.infer_img_s, t.torch_infer_img_s),
  };
  log(
    values.json,
    `PyTorch ${t.torch_version} CPU, ${t.torch_threads} threads: training ${t.torch_train_img_s_b32} img/s at batch 32, ${t.torch_train_img_s_b128} at batch 128; inference ${t.torch_infer_img_s} img/s`,
  );
  log(
    values.json,
    `Ours / PyTorch: training ×${ratios.ratio_train_b32} at batch 32, ×${ratios.ratio_train_b128} at batch 128; inference ×${ratios.ratio_infer}`,
  );
  return { ...result, ...t, ...ratios };
}

export async function main(argv: string[]): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    console.error(`${errorMessage(err)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  const commands: Record<string, () => Promise<object>> = {
    train: () => trainCommand(values),
    evaluate: () => evaluateCommand(values),
    classify: () => classifyCommand(values, rest),
    summary: () => summaryCommand(values),
    bench: () => benchCommand(values),
  };
  try {
    if (!commands[command]) throw new UsageError(`unknown command "${command}"`);
    const result = await commands[command]();
    if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
  } catch (err) {
    if (err instanceof TrainingCancelledError) {
      console.error('Training cancelled; nothing was saved.');
      process.exitCode = 130;
    } else if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(`Error: ${errorMessage(err)}`);
      process.exitCode = 1;
    }
    if (values.json) process.stdout.write(JSON.stringify({ error: errorMessage(err) }) + '\n');
  }
}

/** Resolves once everything written to `stream` so far has been handed to the OS, or the stream failed (closed pipe). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((done) => {
    stream.once('error', () => done());
    stream.write('', () => done());
  });
}

// The threaded wasm backend's workers would keep the process alive: exit when the command is done and its output has
// left (a pipe takes 64 KiB at a time; exiting sooner cuts the rest).
if (require.main === module)
  void main(process.argv.slice(2))
    .then(() => Promise.all([flushed(process.stdout), flushed(process.stderr)]))
    .then(() => process.exit());
