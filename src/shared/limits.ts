// Limits of the panels' messages, checked by the host's schemas and respected by the webviews.

/** Side of the square, logical-pixel canvas whose ink the sketchpad sends (1 byte per pixel). */
export const SKETCH_SIDE = 280;
export const MIN_SKETCH_SIDE = 28;
export const MAX_SKETCH_SIDE = 560;
/** Digits shown for one confusion-matrix cell. */
export const MAX_CELL_DIGITS = 60;
/** Misclassified test digits shown in the gallery. */
export const MAX_MISCLASSIFIED = 200;
export const SAMPLES_PER_CLASS = 10;
/** Test digits per corruption in the evaluation panel's robustness report (the CLI runs all of them). */
export const ROBUSTNESS_PANEL_DIGITS = 1000;
export const MAX_REQUEST_ID = Number.MAX_SAFE_INTEGER;
/** Rows of the classification results table. */
export const MAX_RESULT_ROWS = 10_000;

/** Characters of base64 (with padding) for `bytes` bytes. */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}
