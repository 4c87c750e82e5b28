// The sketchpad's data on the host side: the webview's one-channel ink decoded or saved as PNG, and the
// classifier's answer as the prediction the webview shows. No vscode import (unit-tested).
import { PNG } from 'pngjs';
import type { Classification } from '../../engine/classifier';
import { pixelsToBase64 } from '../../engine/image/preprocess';
import { topDigits } from '../../engine/ranking';
import { certaintyOf } from '../../engine/uncertainty';
import { unsureText } from '../../shared/certainty';
import type { SketchpadUpdate } from '../../shared/sketchpadProtocol';

/** The ink bytes, or undefined when the base64 does not decode to exactly width x height bytes. */
export function decodeInk(ink: string, width: number, height: number): Uint8Array | undefined {
  const bytes = Buffer.from(ink, 'base64');
  return bytes.length === width * height ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : undefined;
}

/** A PNG of the drawing: black ink on an opaque white background, like a pen on paper. */
export function inkToPng(ink: Uint8Array, width: number, height: number): Buffer {
  const png = new PNG({ width, height, colorType: 6 });
  for (let i = 0; i < width * height; i++) {
    const level = 255 - ink[i];
    png.data[i * 4] = png.data[i * 4 + 1] = png.data[i * 4 + 2] = level;
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png, { colorType: 0 });
}

/** The answer to prediction request `requestId`: the probabilities, the three likeliest digits, the image seen. */
export function predictionUpdate(requestId: number, result: Classification): SketchpadUpdate {
  return {
    type: 'prediction',
    requestId,
    digit: result.digit,
    probabilities: result.probabilities,
    top3: topDigits(result.probabilities, 3).map((d) => d.digit),
    image: pixelsToBase64(result.image),
    unsure: unsureText(certaintyOf(result)),
  };
}
