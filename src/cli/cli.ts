// Command-line entry point: npm run mnist -- <train|runs|evaluate|classify|serve|summary|activations|bench|export> [options]
import { memory } from '@tensorflow/tfjs-core';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend, type BackendChoice } from '../engine/backend';
import {
  BACKEND_PREFERENCES,
  isBackendPreference,
  type BackendName,
  type BackendPreference,
  type BackendTask,
} from '../engine/backendNames';
import { DEFAULT_BENCH_TRAIN_IMAGES, runBench, type BenchResult } from './bench';
import { spawnSync } from 'node:child_process';
import { runTorchReference } from './torchReference';
import { availableParallelism } from 'node:os';
import { evaluate, type Evaluation } from '../engine/evaluate';
import { robustnessReport } from '../engine/robustness';
import { certaintyOf } from '../engine/uncertainty';
import { unsureText } from '../shared/certainty';
import { loadMnist } from '../engine/data/idx';
import { BUNDLES, builtFile, bundledModelDir, defaultDataDir } from '../engine/paths';
import { imageToMnistImage } from '../engine/image/decodeImage';
import { readImageFile } from '../engine/image/readImageFile';
import { predictDigit } from '../engine/predict';
import { DigitClassifier } from '../engine/classifier';
import { startPredictionServer } from '../engine/serve/predictionServer';
import { DEFAULT_SERVE_OPTIONS, exposureWarning, type ServeOptions } from '../engine/serve/serveOptions';
import { topDigits } from '../engine/ranking';
import { formatBatch, formatEpoch, formatEvaluating } from '../engine/training/progressText';
import { trainEvaluateSave } from '../engine/training/trainingPipeline';
import { formatEvaluation } from '../engine/training/evaluationText';
import { loadModel } from '../engine/model/storage';
import { formatShape, summarizeModel } from '../engine/model/summary';
import { networkActivations } from '../engine/model/activations';
import { disposeModel, TrainingCancelledError, type BatchProgress } from '../engine/training/train';
import {
  DEFAULT_TRAIN_OPTIONS,
  parseTrainOptions,
  TrainOptionsError,
  type TrainOptionName,
  type TrainOptions,
} from '../engine/training/trainOptions';
import { formatCount, formatPercent } from '../shared/format';
import { IMAGE_SIDE } from '../shared/mnistImage';
import { errorMessage } from '../shared/errors';
import { RUNS_DIR, runsFolder, trainDestination } from './trainDestination';
import {
  BUILT_IN_ARCHITECTURES,
  isBuiltInArchitecture,
  type ArchitectureSpec,
  type BuiltInArchitecture,
} from '../engine/model/architectureNames';
import { deleteRun, listRuns, readRun, type Run } from '../engine/runs/runStore';
import { existsSync } from 'node:fs';

const USAGE = `Usage: npm run mnist -- <command> [options]

Commands:
  train     [--arch ${BUILT_IN_ARCHITECTURES.join('|')}|M [--fine-tune]] [--epochs N] [--batch-size N] [--learning-rate X]
            [--patience N] [--limit N] [--augment] [--seed N] [--out DIR | --runs-dir DIR]
  runs      list | show ID | delete ID   [--runs-dir DIR]
  evaluate  [--model M] [--limit N] [--robustness [--seed N]]   (--robustness: accuracy under 12 corruptions)
  classify  FILE... [--model M]   (PNG or JPEG files)
  serve     [--model M] [--port ${DEFAULT_SERVE_OPTIONS.port}] [--host ${DEFAULT_SERVE_OPTIONS.host}] [--max-batch ${DEFAULT_SERVE_OPTIONS.maxBatch}] [--max-wait-ms ${DEFAULT_SERVE_OPTIONS.maxWaitMs}]
            [--max-queue ${DEFAULT_SERVE_OPTIONS.maxQueue}] [--timeout-ms ${DEFAULT_SERVE_OPTIONS.requestTimeoutMs}]   (POST /predict, the sketchpad page at /; Ctrl+C stops)
  summary   [--model M]
  activations FILE [--model M]   (each layer's output shape and activation statistics; the saliency map's strongest pixels)
  export    [--model M] --out FILE.keras   (writes the model in Keras 3's format, for keras.models.load_model)
  bench     [--repeats N] [--arch A] [--vs-torch]   (each backend in its own process, unless --backend names one;
            --vs-torch: also run test/bench/torch_reference.py, PyTorch CPU, and print the ratios)

Common options: --backend ${BACKEND_PREFERENCES.join('|')}   --json (one JSON object as the last line of stdout)
  --native-dir DIR   also look for @tensorflow/tfjs-node in DIR/node_modules (besides this package's own)
--model M: a TensorFlow.js model folder, a Keras file (FILE.keras, or FILE.h5 from Keras 2 or 3).
Models default to the bundled one (${'models/mnist-cnn'}). train --arch M trains M's architecture from scratch, or
with --fine-tune on from M's weights. train saves to --out, a new or empty folder or a model's folder (that model is
replaced); without --out, as a new run <date and time>-<architecture> in --runs-dir (default ${RUNS_DIR}/ in the
working folder), which runs lists, shows and deletes.`;

const OPTIONS = {
  backend: { type: 'string', default: 'auto' },
  'native-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  model: { type: 'string' },
  out: { type: 'string' },
  arch: { type: 'string' },
  'fine-tune': { type: 'boolean', default: false },
  'runs-dir': { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  'learning-rate': { type: 'string' },
  limit: { type: 'string' },
  patience: { type: 'string' },
  seed: { type: 'string' },
  augment: { type: 'boolean', default: false },
  robustness: { type: 'boolean', default: false },
  repeats: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'max-batch': { type: 'string' },
  'max-wait-ms': { type: 'string' },
  'max-queue': { type: 'string' },
  'timeout-ms': { type: 'string' },
  'vs-torch': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

class UsageError extends Error {}

/** The flag that sets each training option (validationSplit has none). */
const TRAIN_FLAGS = {
  epochs: 'epochs',
  batchSize: 'batch-size',
  learningRate: 'learning-rate',
  trainingSubset: 'limit',
  earlyStoppingPatience: 'patience',
  seed: 'seed',
  augment: 'augment',
} as const satisfies Partial<Record<TrainOptionName, keyof typeof OPTIONS>>;

/** The training options the flags ask for, checked by the engine's schema; a UsageError names a bad flag. */
function trainOptionsFromFlags(values: Values): TrainOptions {
  const input: Record<string, unknown> = { ...DEFAULT_TRAIN_OPTIONS };
  for (const [name, flag] of Object.entries(TRAIN_FLAGS)) {
    const raw = values[flag];
    if (raw !== undefined) input[name] = typeof raw === 'string' ? numberOrText(raw) : raw;
  }
  try {
    return parseTrainOptions(input, (name) =>
      name in TRAIN_FLAGS ? `--${TRAIN_FLAGS[name as keyof typeof TRAIN_FLAGS]}` : name,
    );
  } catch (err) {
    throw err instanceof TrainOptionsError ? new UsageError(err.message) : err;
  }
}

/** The number a flag's text spells, or the text itself (which the schema then refuses, quoting it). */
function numberOrText(raw: string): number | string {
  const value = Number(raw);
  return raw.trim() !== '' && !Number.isNaN(value) ? value : raw;
}

type IntegerFlag = 'limit' | 'repeats' | 'seed' | 'port' | 'max-batch' | 'max-wait-ms' | 'max-queue' | 'timeout-ms';

function integer(values: Values, name: IntegerFlag, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

/** Progress on stderr: one line redrawn in place on a terminal, nothing otherwise. */
function progressLine(json: boolean) {
  const tty = process.stderr.isTTY && !json;
  const show = (text: string) => {
    if (tty) process.stderr.write(`\r\x1b[K${text}`);
  };
  const width = 30;
  return {
    batch: (p: BatchProgress) => {
      const filled = Math.round((p.batch / p.batches) * width);
      show(`[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${formatBatch(p)}`);
    },
    evaluating: (done: number, total: number) => show(formatEvaluating(done, total)),
    message: show,
    clear: () => show(''),
  };
}

function log(json: boolean, line: string) {
  (json ? process.stderr : process.stdout).write(line + '\n');
}

function backendPreference(values: Values): BackendPreference {
  const preference = values.backend;
  if (!isBackendPreference(preference)) {
    throw new UsageError(`--backend must be one of ${BACKEND_PREFERENCES.join(', ')} (got "${preference}")`);
  }
  return preference;
}

/** --native-dir, made absolute (the engine looks only in absolute folders). */
function nativeSearchPaths(values: Values): string[] {
  return values['native-dir'] === undefined ? [] : [resolve(values['native-dir'])];
}

function logBackend(json: boolean, choice: BackendChoice) {
  log(json, `Backend: ${choice.name} (${choice.reason})`);
  if (choice.warning) process.stderr.write(`Warning: ${choice.warning}\n`);
}

async function startBackend(values: Values, task: BackendTask = 'inference'): Promise<BackendChoice> {
  const choice = await initBackend(backendPreference(values), { nativeSearchPaths: nativeSearchPaths(values), task });
  logBackend(values.json, choice);
  return choice;
}

function modelDir(values: Values): string {
  return resolve(values.model ?? bundledModelDir());
}

function printEvaluation(evaluation: Evaluation, json: boolean) {
  for (const line of formatEvaluation(evaluation)) log(json, line);
}

/** --arch and --fine-tune: a built-in architecture, or a model's, from scratch or from its weights. */
function architectureFromFlags(values: Values): ArchitectureSpec {
  const arch = values.arch ?? 'seed';
  if (isBuiltInArchitecture(arch)) {
    if (values['fine-tune'])
      throw new UsageError(`--fine-tune starts from a model's weights: give --arch M, not "${arch}"`);
    return { builtIn: arch };
  }
  if (!existsSync(arch)) {
    throw new UsageError(
      `--arch ${arch}: neither a built-in architecture (${BUILT_IN_ARCHITECTURES.join(', ')}) nor a model folder or Keras file`,
    );
  }
  return { model: resolve(arch), fineTune: values['fine-tune'] };
}

async function trainCommand(values: Values) {
  const options = trainOptionsFromFlags(values);
  const architecture = architectureFromFlags(values);
  const destination = trainDestination(values.out, values['runs-dir'], process.cwd());
  if ('problem' in destination) throw new UsageError(destination.problem);
  const request = {
    options,
    architecture,
    backend: backendPreference(values),
    nativeSearchPaths: nativeSearchPaths(values),
    dataDir: defaultDataDir(),
    destination,
  };
  const where = 'modelDir' in destination ? destination.modelDir : `a new run in ${destination.runsDir}`;
  const what =
    'builtIn' in architecture
      ? `the ${architecture.builtIn} architecture`
      : `${architecture.fineTune ? 'on from' : 'the architecture of'} ${architecture.model}`;
  log(values.json, `Training ${what}; the model will be saved to ${where}`);
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nStopping after this batch; the saved model is left as it was.\n');
    controller.abort();
  });
  const progress = progressLine(values.json);
  const outcome = await trainEvaluateSave(request, {
    signal: controller.signal,
    onBackend: (choice) => logBackend(values.json, choice),
    onBatchEnd: progress.batch,
    onEpochEnd: (e) => {
      progress.clear();
      // Tensors and memory after each epoch: both should stay flat from epoch to epoch.
      const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
      log(values.json, `${formatEpoch(e)} · ${memory().numTensors} tensors, RSS ${rssMb} MB`);
    },
    onEvaluating: progress.evaluating,
  });
  progress.clear();
  const { evaluation } = outcome;
  if (outcome.workers > 1) log(values.json, `Trained on ${outcome.workers} worker threads (data-parallel)`);
  if (outcome.stoppedEarly) log(values.json, `Stopped early; keeping the weights of epoch ${outcome.bestEpoch}`);
  printEvaluation(evaluation, values.json);
  log(values.json, `Saved to ${outcome.modelDir}`);
  return {
    run: outcome.runId,
    architecture: outcome.metadata.architectureName,
    parameters: outcome.parameters,
    images_per_second: outcome.history.map((epoch) => epoch.imagesPerSecond),
    accuracy: evaluation.accuracy,
    loss: evaluation.loss,
    n: evaluation.n,
    backend: outcome.backend.name,
    epochs_run: outcome.epochsRun,
    seconds: outcome.seconds,
    workers: outcome.workers,
    out: outcome.modelDir,
  };
}

/** One line per run: id, architecture, test accuracy, epochs, training time, backend. */
function runLine({ id, metadata: m }: Run): string {
  if (!m) return `${id}  (its model.json cannot be read)`;
  const accuracy = m.testAccuracy === undefined ? 'not evaluated' : formatPercent(m.testAccuracy, 2);
  return `${id}  ${m.architectureName ?? 'seed'}  ${accuracy}  ${m.epochsRun} epochs  ${Math.round(m.trainingSeconds)} s  ${m.backend}`;
}

async function runsCommand(values: Values, [action, id, ...extra]: string[]) {
  const runsDir = runsFolder(values['runs-dir'], process.cwd());
  const needsId = action === 'show' || action === 'delete';
  if (needsId ? id === undefined || extra.length : id !== undefined || action !== 'list') {
    throw new UsageError(`runs takes list, show ID or delete ID (got "${[action, id, ...extra].join(' ')}")`);
  }
  if (action === 'list') {
    const runs = await listRuns(runsDir);
    log(values.json, runs.length ? `${runs.length} runs in ${runsDir}, oldest first:` : `No runs in ${runsDir}`);
    for (const run of runs) log(values.json, runLine(run));
    return { runs_dir: runsDir, runs };
  }
  if (action === 'show') {
    const run = await readRun(runsDir, id);
    log(values.json, runLine(run));
    if (run.metadata) log(values.json, JSON.stringify(run.metadata, null, 2));
    return run;
  }
  await deleteRun(runsDir, id);
  log(values.json, `Deleted run ${id} (${join(runsDir, id)})`);
  return { deleted: id, runs_dir: runsDir };
}

async function evaluateCommand(values: Values) {
  if (values.robustness) return robustnessCommand(values);
  const backend = await startBackend(values, 'evaluation');
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

async function robustnessCommand(values: Values) {
  const backend = await startBackend(values, 'evaluation');
  const { model } = await loadModel(modelDir(values));
  const data = loadMnist(defaultDataDir());
  const seed = values.seed === undefined ? undefined : integer(values, 'seed', 1);
  const progress = progressLine(values.json);
  const report = await robustnessReport(model, data.test, {
    limit: integer(values, 'limit', 0),
    seed,
    onProgress: (done, total) => progress.message(`Robustness · ${done}/${total} (clean and each corruption)`),
  });
  progress.clear();
  disposeModel(model);
  const rows = [report.clean, ...report.corruptions];
  log(values.json, `Accuracy on ${formatCount(report.n)} test digits (seed ${report.seed}):`);
  for (const row of rows)
    log(
      values.json,
      `${row.label.padEnd(36)}${formatPercent(row.accuracy, 2).padStart(8)}${row.unreadable ? `  (${row.unreadable} unreadable)` : ''}`,
    );
  log(values.json, `${'Mean over the corruptions'.padEnd(36)}${formatPercent(report.meanCorrupted, 2).padStart(8)}`);
  const summary = ({ name, label, accuracy, unreadable }: (typeof rows)[number]) => ({
    name,
    label,
    accuracy,
    unreadable,
  });
  return {
    backend: backend.name,
    n: report.n,
    seed: report.seed,
    clean: summary(report.clean),
    corruptions: report.corruptions.map(summary),
    meanCorrupted: report.meanCorrupted,
  };
}

async function classifyCommand(values: Values, files: string[]) {
  if (!files.length) throw new UsageError('classify needs at least one PNG or JPEG file');
  const backend = await startBackend(values);
  const { model } = await loadModel(modelDir(values));
  const results = [];
  for (const file of files) {
    try {
      const image = imageToMnistImage(await readImageFile(file), basename(file));
      const prediction = predictDigit(model, image.pixels);
      const top3 = topDigits(prediction.probabilities);
      const certainty = certaintyOf(prediction);
      const unsure = unsureText(certainty);
      log(
        values.json,
        `${file} → ${prediction.digit} (${top3.map((t) => `${t.digit} ${formatPercent(t.probability, 1)}`).join(', ')})${unsure ? ` — ${unsure}` : ''}`,
      );
      results.push({ file, digit: prediction.digit, top3, sure: certainty.sure });
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

/** Pixels listed per saliency map in the activations command. */
const STRONGEST_PIXELS = 5;

async function activationsCommand(values: Values, files: string[]) {
  if (files.length !== 1) throw new UsageError('activations needs one image file (PNG or JPEG)');
  const [file] = files;
  await startBackend(values);
  const { model } = await loadModel(modelDir(values));
  const image = imageToMnistImage(await readImageFile(file), basename(file));
  const { prediction, layers, saliency } = networkActivations(model, image.pixels);
  disposeModel(model);
  const round = (value: number) => Number(value.toPrecision(4));
  const layerRows = layers.map(({ name, className, shape, stats }) => ({
    name,
    type: className,
    shape,
    min: round(stats.min),
    max: round(stats.max),
    mean: round(stats.mean),
    zeros: round(stats.zeros),
  }));
  log(values.json, `${file} → ${prediction.digit}`);
  log(
    values.json,
    `${'Layer (type)'.padEnd(34)}${'Output shape'.padEnd(20)}${'min'.padStart(10)}${'max'.padStart(10)}${'mean'.padStart(10)}  zeros`,
  );
  for (const row of layerRows)
    log(
      values.json,
      `${`${row.name} (${row.type})`.padEnd(34)}${formatShape([null, ...row.shape]).padEnd(20)}${[row.min, row.max, row.mean].map((v) => String(v).padStart(10)).join('')}  ${formatPercent(row.zeros, 0)}`,
    );
  const maps = saliency.map(({ digit, probability, map }) => {
    const strongest = [...map.keys()]
      .sort((a, b) => map[b] - map[a])
      .slice(0, STRONGEST_PIXELS)
      .map((i) => ({ row: Math.floor(i / IMAGE_SIDE), column: i % IMAGE_SIDE, weight: round(map[i] / 255) }));
    return { digit, probability: round(probability), strongest };
  });
  for (const { digit, probability, strongest } of maps)
    log(
      values.json,
      `Saliency of ${digit} (${formatPercent(probability, 1)}): strongest pixels (row, column) ${strongest.map((p) => `(${p.row}, ${p.column})`).join(' ')}`,
    );
  return { file, digit: prediction.digit, layers: layerRows, saliency: maps };
}

function serveOptionsFromFlags(values: Values): ServeOptions {
  const defaults = DEFAULT_SERVE_OPTIONS;
  return {
    port: integer(values, 'port', defaults.port, 0, 65535),
    host: values.host ?? defaults.host,
    maxBatch: integer(values, 'max-batch', defaults.maxBatch, 1, 4096),
    maxWaitMs: integer(values, 'max-wait-ms', defaults.maxWaitMs, 0, 1000),
    maxQueue: integer(values, 'max-queue', defaults.maxQueue, 1),
    requestTimeoutMs: integer(values, 'timeout-ms', defaults.requestTimeoutMs, 1),
  };
}

/** Serves until SIGINT or SIGTERM; then answers the requests under way and stops. */
async function serveCommand(values: Values) {
  const options = serveOptionsFromFlags(values);
  // Listening for the signals before saying where it serves: a client told the address may signal at once.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const preference = backendPreference(values);
  const dir = modelDir(values);
  const classifier = new DigitClassifier(
    { path: dir, kind: values.model ? 'custom' : 'bundled' },
    () => preference,
    () => nativeSearchPaths(values),
  );
  logBackend(values.json, await classifier.startBackend());
  const warning = exposureWarning(options.host);
  if (warning) process.stderr.write(`Warning: ${warning}\n`);
  const server = await startPredictionServer(classifier, {
    ...options,
    log: (line) => process.stderr.write(`Error: ${line}\n`),
  });
  log(
    values.json,
    `Serving ${dir} at ${server.url} — POST ${server.url}predict, the sketchpad at ${server.url}; Ctrl+C stops`,
  );
  if (values.json) process.stdout.write(JSON.stringify({ url: server.url, port: server.port }) + '\n');
  await stopRequested;
  log(values.json, 'Stopping: answering the requests under way…');
  await server.close();
  classifier.dispose();
  log(
    values.json,
    `Stopped after ${server.batcher.stats.images} predictions in ${server.batcher.stats.batches} model calls`,
  );
  return { url: server.url, served: server.batcher.stats };
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
  if (metadata)
    log(
      values.json,
      `Training images ${formatCount(metadata.trainingImages)} · validation images ${metadata.validationImages === undefined ? 'not recorded' : formatCount(metadata.validationImages)}`,
    );
  return { ...summary, metadata };
}

/** The backends `bench` measures, each in a child process, when none is named (cpu trains at about 1 image/s). */
const BENCH_BACKENDS = ['tensorflow', 'wasm'] as const satisfies readonly BackendName[];

type BenchFigures = BenchResult & { reason: string };
type BenchRun = { backend: string; figures?: BenchFigures; problem?: string };

async function exportCommand(values: Values) {
  if (!values.out?.toLowerCase().endsWith('.keras')) throw new UsageError('export needs --out FILE.keras');
  await startBackend(values);
  const { model } = await loadModel(modelDir(values));
  const out = resolve(values.out);
  try {
    const { exportKeras } = await import('../engine/keras/kerasWrite');
    await exportKeras(model, out);
  } finally {
    disposeModel(model);
  }
  log(values.json, `Saved to ${out} (Keras 3 format)`);
  return { out };
}

async function benchCommand(values: Values) {
  const repeats = integer(values, 'repeats', 3);
  const runs: BenchRun[] =
    values.backend === 'auto'
      ? await benchEachBackend(values, repeats)
      : [{ backend: values.backend, figures: await benchHere(values, repeats) }];
  if (values.backend === 'auto') logBenchTable(values.json, runs);
  else logBench(values.json, runs[0]);
  const measured = runs.flatMap((run) => (run.figures ? [run.figures] : []));
  const result =
    values.backend === 'auto' ? { results: measured, not_run: runs.filter((r) => r.problem) } : measured[0];
  if (!values['vs-torch']) return result;

  process.stderr.write(`… PyTorch reference (test/bench/torch_reference.py), same data and image counts\n`);
  const torch = runTorchReference({
    dataDir: defaultDataDir(),
    trainImages: DEFAULT_BENCH_TRAIN_IMAGES,
    repeats,
    threads: availableParallelism(),
  });
  if (!torch.figures) {
    log(values.json, `PyTorch reference not run: ${torch.problem}; the figures above are this engine's only.`);
    return { ...result, torch_problem: torch.problem };
  }
  const t = torch.figures;
  log(
    values.json,
    `PyTorch ${t.torch_version} CPU, ${t.torch_threads} threads: training ${t.torch_train_img_s_b32} img/s at batch 32, ${t.torch_train_img_s_b128} at batch 128; inference ${t.torch_infer_img_s} img/s`,
  );
  const ratio = (ours: number, theirs: number) => Math.round((ours / theirs) * 100) / 100;
  const ratios = measured.map((r) => ({
    backend: r.backend,
    ratio_train_b32: ratio(r.train_img_s_b32, t.torch_train_img_s_b32),
    ratio_train_b128: ratio(r.train_img_s_b128, t.torch_train_img_s_b128),
    ratio_infer: ratio(r.infer_img_s, t.torch_infer_img_s),
  }));
  for (const r of ratios)
    log(
      values.json,
      `${r.backend} / PyTorch: training ×${r.ratio_train_b32} at batch 32, ×${r.ratio_train_b128} at batch 128; inference ×${r.ratio_infer}`,
    );
  return { ...result, ...t, ratios };
}

/** bench --arch: a built-in architecture (default: the seed CNN). */
function benchArchitecture(values: Values): BuiltInArchitecture {
  const arch = values.arch ?? 'seed';
  if (!isBuiltInArchitecture(arch)) {
    throw new UsageError(`bench --arch must be one of ${BUILT_IN_ARCHITECTURES.join(', ')} (got "${arch}")`);
  }
  return arch;
}

/** Measures the backend this process starts. */
async function benchHere(values: Values, repeats: number): Promise<BenchFigures> {
  const backend = await startBackend(values, 'training');
  const result = await runBench(loadMnist(defaultDataDir()), backend.name, {
    repeats,
    architecture: benchArchitecture(values),
    onStep: (message) => process.stderr.write(`… ${backend.name}: ${message}\n`),
  });
  return { ...result, reason: backend.reason };
}

/** Measures each of BENCH_BACKENDS in a child process of its own (one TensorFlow.js backend per process). */
async function benchEachBackend(values: Values, repeats: number): Promise<BenchRun[]> {
  const runs: BenchRun[] = [];
  for (const backend of BENCH_BACKENDS) {
    const args = [
      'bench',
      '--backend',
      backend,
      '--repeats',
      String(repeats),
      '--arch',
      benchArchitecture(values),
      '--json',
    ];
    if (values['native-dir'] !== undefined) args.push('--native-dir', resolve(values['native-dir']));
    const child = spawnSync(process.execPath, [builtFile(BUNDLES.cli), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    });
    const last = JSON.parse(child.stdout.trim().split('\n').at(-1) || '{}') as Partial<BenchFigures>;
    if (last.backend === backend) runs.push({ backend, figures: last as BenchFigures });
    else runs.push({ backend, problem: last.reason ?? `the benchmark process failed (exit ${child.status})` });
  }
  return runs;
}

/** The backends side by side, after each has printed its own figures. */
function logBenchTable(json: boolean, runs: BenchRun[]) {
  const columns = ['train b32', 'b64', 'b128 img/s', 'infer img/s', 'p50 ms', 'p99 ms', 'RSS MB'];
  log(json, ['backend'.padEnd(12), ...columns.map((c) => c.padStart(12))].join(''));
  for (const { backend, figures: f, problem } of runs) {
    const cells = f
      ? [
          f.train_img_s_b32,
          f.train_img_s_b64,
          f.train_img_s_b128,
          f.infer_img_s,
          f.latency_ms_p50,
          f.latency_ms_p99,
          f.peak_rss_mb,
        ]
      : [];
    log(
      json,
      backend.padEnd(12) + (f ? cells.map((c) => String(c).padStart(12)).join('') : `not measured: ${problem}`),
    );
  }
}

function logBench(json: boolean, { backend, figures, problem }: BenchRun) {
  if (!figures) return log(json, `${backend}: not measured — ${problem}`);
  const trainedBy = figures.train_workers > 1 ? ` (${figures.train_workers} worker threads)` : '';
  log(
    json,
    `${backend} training ${figures.architecture}${trainedBy}: ${figures.train_img_s_b32} img/s at batch 32, ${figures.train_img_s_b64} at batch 64, ${figures.train_img_s_b128} at batch 128`,
  );
  log(
    json,
    `${backend} inference: ${figures.infer_img_s} img/s batched; single image p50 ${figures.latency_ms_p50} ms, p99 ${figures.latency_ms_p99} ms; activations update p50 ${figures.activations_ms_p50} ms, p99 ${figures.activations_ms_p99} ms; peak RSS ${figures.peak_rss_mb} MB`,
  );
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
    runs: () => runsCommand(values, rest),
    evaluate: () => evaluateCommand(values),
    classify: () => classifyCommand(values, rest),
    summary: () => summaryCommand(values),
    activations: () => activationsCommand(values, rest),
    bench: () => benchCommand(values),
    export: () => exportCommand(values),
    serve: () => serveCommand(values),
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
