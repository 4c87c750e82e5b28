// The messages between the extension host and the panels' webviews, imported by both sides.
// Webview → host messages are untrusted input: the host validates every one with the schemas below and
// drops (and logs) anything else. Host → webview messages are typed only.
import * as v from 'valibot';

/** Side of the square, logical-pixel canvas whose ink the sketchpad sends (1 byte per pixel). */
export const SKETCH_SIDE = 280;
export const MIN_SKETCH_SIDE = 28;
export const MAX_SKETCH_SIDE = 560;
/** One 28x28 digit, 0 = background, 255 = ink. */
export const DIGIT_BYTES = 784;
/** Digits shown for one confusion-matrix cell. */
export const MAX_CELL_DIGITS = 60;
/** Misclassified test digits shown in the gallery. */
export const MAX_MISCLASSIFIED = 200;
export const SAMPLES_PER_CLASS = 10;
export const MAX_REQUEST_ID = Number.MAX_SAFE_INTEGER;
/** Rows of the classification results table. */
export const MAX_RESULT_ROWS = 10_000;

/** Characters of base64 (with padding) for `bytes` bytes. */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

// ---- Field schemas ----

const requestId = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_REQUEST_ID));
const digit = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(9));
const sketchSide = v.pipe(v.number(), v.integer(), v.minValue(MIN_SKETCH_SIDE), v.maxValue(MAX_SKETCH_SIDE));
const base64 = v.pipe(
  v.string(),
  v.maxLength(base64Length(MAX_SKETCH_SIDE * MAX_SKETCH_SIDE)),
  v.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64'),
);
const ready = v.strictObject({ type: v.literal('ready') });
/** A one-channel drawing: width x height bytes, base64. */
const inkFields = { width: sketchSide, height: sketchSide, ink: base64 };

/** Ink must hold exactly width x height bytes (checked after the shape, so the fields are known numbers). */
function inkMatchesSize(message: object): boolean {
  if (!('ink' in message)) return true;
  const { ink, width, height } = message as { ink: string; width: number; height: number };
  return ink.length === base64Length(width * height);
}
const INK_SIZE_MESSAGE = 'ink does not hold width x height bytes';

// ---- Sketchpad ----

export const SketchpadRequestSchema = v.pipe(
  v.variant('type', [
    ready,
    v.strictObject({ type: v.literal('predict'), requestId, ...inkFields }),
    /** `digit`: the last prediction, used for the suggested file name. */
    v.strictObject({ type: v.literal('savePng'), ...inkFields, digit: v.optional(digit) }),
  ]),
  v.check((message) => inkMatchesSize(message), INK_SIZE_MESSAGE),
);
export type SketchpadRequest = v.InferOutput<typeof SketchpadRequestSchema>;

export type SketchpadUpdate =
  | { type: 'model'; label: string }
  | {
      type: 'prediction';
      requestId: number;
      digit: number;
      /** Ten probabilities, index = digit. */
      probabilities: number[];
      /** The three most likely digits, most likely first. */
      top3: number[];
      /** The 28x28 image the model saw: base64 of 784 bytes. */
      image: string;
    }
  | { type: 'predictionError'; requestId: number; message: string };

// ---- Training chart ----

export const TrainingChartRequestSchema = v.variant('type', [ready, v.strictObject({ type: v.literal('stop') })]);
export type TrainingChartRequest = v.InferOutput<typeof TrainingChartRequestSchema>;

export interface EpochPoint {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
}

export interface TrainingView {
  running: boolean;
  status: string;
  epoch: number;
  epochs: number;
  imagesPerSecond: number;
  etaSeconds?: number;
  history: EpochPoint[];
  /** x = fractional epoch. */
  batchLoss: { x: number; loss: number }[];
}

export type TrainingChartUpdate = { type: 'training'; training: TrainingView };

// ---- Model summary ----

export const ModelSummaryRequestSchema = v.variant('type', [ready]);
export type ModelSummaryRequest = v.InferOutput<typeof ModelSummaryRequestSchema>;

export interface LayerView {
  name: string;
  type: string;
  /** e.g. "[None, 26, 26, 32]". */
  outputShape: string;
  parameters: number;
  trainable: boolean;
}

export interface ModelInfoView {
  /** "bundled", "trained" or "custom". */
  source: string;
  dir: string;
  architecture?: string;
  testAccuracy?: number;
  /** ISO 8601. */
  date?: string;
  epochs?: number;
  backend?: string;
  trainingSeconds?: number;
  trainingImages?: number;
  tfjsVersion?: string;
}

export interface ModelSummaryView {
  inputShape: string;
  layers: LayerView[];
  totalParameters: number;
  trainableParameters: number;
  model: ModelInfoView;
}

export type ModelSummaryUpdate =
  | { type: 'loading' }
  | { type: 'summary'; summary: ModelSummaryView }
  | { type: 'summaryError'; message: string };

// ---- Evaluation ----

export const EvaluationRequestSchema = v.variant('type', [
  ready,
  /** Run (again) on the active model. */
  v.strictObject({ type: v.literal('evaluate') }),
  /** The test digits of one confusion-matrix cell. */
  v.strictObject({ type: v.literal('cell'), requestId, label: digit, predicted: digit }),
  /** Training digits per class for the samples tab. */
  v.strictObject({ type: v.literal('samples'), requestId }),
]);
export type EvaluationRequest = v.InferOutput<typeof EvaluationRequestSchema>;

export interface DigitView {
  /** Index in the test (or training) set. */
  index: number;
  /** base64 of 784 bytes. */
  image: string;
  label: number;
  predicted?: number;
  confidence?: number;
}

export interface EvaluationView {
  n: number;
  accuracy: number;
  loss: number;
  perClassAccuracy: number[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  misclassifiedTotal: number;
  /** The first MAX_MISCLASSIFIED mistakes, with images. */
  misclassified: DigitView[];
  modelLabel: string;
}

export type EvaluationUpdate =
  | { type: 'evaluating'; modelLabel: string }
  | { type: 'evaluation'; evaluation: EvaluationView }
  | { type: 'evaluationError'; message: string }
  /** The active model changed since the shown evaluation. */
  | { type: 'stale'; modelLabel: string }
  | { type: 'cell'; requestId: number; label: number; predicted: number; total: number; digits: DigitView[] }
  | { type: 'samples'; requestId: number; classes: DigitView[][] }
  | { type: 'requestError'; requestId: number; message: string };

// ---- Classification results ----

export const ClassifyResultsRequestSchema = v.variant('type', [
  ready,
  /** Open the file of result row `index`: the host only opens files it listed itself. */
  v.strictObject({ type: v.literal('open'), index: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_RESULT_ROWS - 1)) }),
]);
export type ClassifyResultsRequest = v.InferOutput<typeof ClassifyResultsRequestSchema>;

const probability = v.pipe(v.number(), v.minValue(0), v.maxValue(1));

/** One classified file. Also the webview's saved state, validated by the host when a reload revives the panel. */
export const ClassifyRowSchema = v.strictObject({
  /** The file as the host was given it (path or URI); only these can be opened. */
  file: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)),
  /** Shown name (workspace-relative where possible). */
  name: v.pipe(v.string(), v.maxLength(4096)),
  digit: v.optional(digit),
  confidence: v.optional(probability),
  top3: v.optional(v.pipe(v.array(v.strictObject({ digit, probability })), v.maxLength(10))),
  error: v.optional(v.pipe(v.string(), v.maxLength(4000))),
});
export type ClassifyRowView = v.InferOutput<typeof ClassifyRowSchema>;

export const ClassifyResultsStateSchema = v.strictObject({ rows: v.pipe(v.array(ClassifyRowSchema), v.maxLength(MAX_RESULT_ROWS)) });
export type ClassifyResultsState = v.InferOutput<typeof ClassifyResultsStateSchema>;

export type ClassifyResultsUpdate = { type: 'results'; rows: ClassifyRowView[] };

// ---- Validation ----

export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

/** Validates a message from a webview; `reason` names the first problem (never echoes the payload). */
export function parseMessage<const S extends v.GenericSchema>(schema: S, message: unknown): Parsed<v.InferOutput<S>> {
  const result = v.safeParse(schema, message, { abortEarly: true });
  if (result.success) return { ok: true, message: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((item) => String(item.key)).join('.');
  const type = typeof message === 'object' && message !== null && 'type' in message ? String((message as { type: unknown }).type).slice(0, 40) : typeof message;
  return { ok: false, reason: `${type}${path ? ` · ${path}` : ''}: ${issue.message.slice(0, 200)}` };
}
