// The sketchpad's messages: ink to classify or save as PNG in, predictions out.
import * as v from 'valibot';
import { digit, inkFields, inkMatchesSize, INK_SIZE_MESSAGE, ready, requestId } from './panelMessages';

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
      /** Set when the model is not sure (unsureText), e.g. "not sure: 3 or 5?". */
      unsure?: string;
    }
  | { type: 'predictionError'; requestId: number; message: string };
