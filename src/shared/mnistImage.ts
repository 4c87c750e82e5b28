// The MNIST image format, which the engine, the host and the webviews all speak.

/** Side of an MNIST digit image, in pixels. */
export const IMAGE_SIDE = 28;
/** Pixels (and bytes, at one byte per pixel) of one digit image. */
export const IMAGE_SIZE = IMAGE_SIDE * IMAGE_SIDE;
/** Side of the box MNIST scales each digit's ink into, inside the 28x28 image. */
export const INK_BOX_SIDE = 20;
export const DIGIT_CLASSES = 10;
