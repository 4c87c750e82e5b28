// A 28x28 digit (784 bytes, 0 = background, 255 = ink) → RGBA for ImageData: white ink on black, as the model sees it.
import { DIGIT_BYTES } from './protocol';

export const DIGIT_SIDE = 28;

export function digitRgba(digit: Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  if (digit.length !== DIGIT_BYTES) throw new Error(`a digit has ${DIGIT_BYTES} bytes, got ${digit.length}`);
  const rgba = new Uint8ClampedArray(DIGIT_BYTES * 4);
  for (let i = 0; i < DIGIT_BYTES; i++) {
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = digit[i];
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}
