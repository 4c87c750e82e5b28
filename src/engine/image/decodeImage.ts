// Decoding an image file's bytes (PNG or JPEG, recognised by their first bytes) and preparing the MNIST-style 28x28
// image: the one way the CLI, Classify Digit and the prediction server do it.
import { ImageHasNoDigitError, ImageInputError } from './imageInput';
import { decodeJpeg, isJpeg } from './jpeg';
import { decodePng, isPng } from './png';
import { NoDigitError, toMnistImage, type MnistImage, type RawImage } from './preprocess';

/** Decodes a PNG or a JPEG, told apart by their first bytes (not by the file's name). */
export function decodeImage(bytes: Uint8Array, file: string): RawImage {
  if (bytes.length === 0) throw new ImageInputError(file, 'the file is empty');
  if (isJpeg(bytes)) return decodeJpeg(bytes, file);
  if (isPng(bytes)) return decodePng(bytes, file);
  throw new ImageInputError(file, 'is not a PNG or JPEG image');
}

/** Decodes a PNG or JPEG and prepares it as an MNIST-style 28x28 image. */
export function imageToMnistImage(bytes: Uint8Array, file: string): MnistImage {
  return rawToMnistImage(decodeImage(bytes, file), file);
}

/** toMnistImage, with "no digit found" as an ImageInputError naming the file. */
export function rawToMnistImage(image: RawImage, file: string): MnistImage {
  try {
    return toMnistImage(image);
  } catch (err) {
    if (err instanceof NoDigitError) throw new ImageHasNoDigitError(file, err.message);
    throw err;
  }
}
