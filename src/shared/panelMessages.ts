// What every panel protocol shares: the ready message, request ids, digits, and sketched ink.
// Webview → host messages are untrusted input: the host validates every one with the panels' schemas and drops
// (and logs) anything else. Host → webview messages are typed only. Webviews import these files' types only.
import * as v from 'valibot';
import { base64Length, MAX_REQUEST_ID, MAX_SKETCH_SIDE, MIN_SKETCH_SIDE } from './limits';

export const requestId = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_REQUEST_ID));
export const digit = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(9));
const sketchSide = v.pipe(v.number(), v.integer(), v.minValue(MIN_SKETCH_SIDE), v.maxValue(MAX_SKETCH_SIDE));
const base64 = v.pipe(
  v.string(),
  v.maxLength(base64Length(MAX_SKETCH_SIDE * MAX_SKETCH_SIDE)),
  v.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64'),
);
export const ready = v.strictObject({ type: v.literal('ready') });
/** A one-channel drawing: width x height bytes, base64. */
export const inkFields = { width: sketchSide, height: sketchSide, ink: base64 };

/** Ink must hold exactly width x height bytes (checked after the shape, so the fields are known numbers). */
export function inkMatchesSize(message: object): boolean {
  if (!('ink' in message)) return true;
  const { ink, width, height } = message as { ink: string; width: number; height: number };
  return ink.length === base64Length(width * height);
}
export const INK_SIZE_MESSAGE = 'ink does not hold width x height bytes';

export const probability = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
