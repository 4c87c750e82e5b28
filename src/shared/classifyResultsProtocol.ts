// The classification results table's messages: rows out, "open this row's file" in.
import * as v from 'valibot';
import { MAX_RESULT_ROWS } from './limits';
import { digit, probability, ready } from './panelMessages';

export const ClassifyResultsRequestSchema = v.variant('type', [
  ready,
  /** Open the file of result row `index`: the host only opens files it listed itself. */
  v.strictObject({
    type: v.literal('open'),
    index: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_RESULT_ROWS - 1)),
  }),
]);
export type ClassifyResultsRequest = v.InferOutput<typeof ClassifyResultsRequestSchema>;

/** One classified file. Also the webview's saved state, validated by the host when a reload revives the panel. */
export const ClassifyRowSchema = v.strictObject({
  /** The file as the host was given it (path or URI); only these can be opened. */
  file: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)),
  /** Shown name (workspace-relative where possible). */
  name: v.pipe(v.string(), v.maxLength(4096)),
  digit: v.optional(digit),
  confidence: v.optional(probability),
  top3: v.optional(v.pipe(v.array(v.strictObject({ digit, probability })), v.maxLength(10))),
  /** Set when the model is not sure, e.g. "not sure: 3 or 5?". */
  unsure: v.optional(v.pipe(v.string(), v.maxLength(200))),
  error: v.optional(v.pipe(v.string(), v.maxLength(4000))),
});
export type ClassifyRowView = v.InferOutput<typeof ClassifyRowSchema>;

export const ClassifyResultsStateSchema = v.strictObject({
  rows: v.pipe(v.array(ClassifyRowSchema), v.maxLength(MAX_RESULT_ROWS)),
});
export type ClassifyResultsState = v.InferOutput<typeof ClassifyResultsStateSchema>;

export type ClassifyResultsUpdate = { type: 'results'; rows: ClassifyRowView[] };
