// A 28x28 digit (784 bytes, 0 = background, 255 = ink) → RGBA for ImageData: white ink on black, as the model sees it.
import { IMAGE_SIZE } from '../../shared/mnistImage';

export function digitRgba(digit: Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  if (digit.length !== IMAGE_SIZE) throw new Error(`a digit has ${IMAGE_SIZE} bytes, got ${digit.length}`);
  const rgba = new Uint8ClampedArray(IMAGE_SIZE * 4);
  for (let i = 0; i < IMAGE_SIZE; i++) {
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = digit[i];
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}
