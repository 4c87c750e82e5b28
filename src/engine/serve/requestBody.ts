// The body of POST /predict: a multipart form whose field "image" holds a PNG or JPEG (busboy), or JSON
// {"pixels": [784 numbers 0..255]}. Sizes are checked from the headers before a byte is read, and while reading.
import Busboy, { type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import type { IncomingMessage } from 'node:http';
import * as v from 'valibot';
import { errorMessage } from '../../shared/errors';
import { IMAGE_SIZE } from '../../shared/mnistImage';
import { IMAGE_FIELD } from '../../shared/predictionApi';
import { IMAGE_LIMITS, tooLarge } from '../image/imageInput';

/** What a multipart body may hold besides the image: the boundaries, part headers and a few small fields. */
const MULTIPART_ALLOWANCE = 64 * 1024;
/** The largest multipart body: an image at the size limit, with its allowance. */
export const MAX_MULTIPART_BYTES = IMAGE_LIMITS.maxBytes + MULTIPART_ALLOWANCE;
/** 784 numbers written out at length fit in a tenth of this. */
export const MAX_JSON_BYTES = 64 * 1024;

/** A problem with the request, answered with `status` and a JSON error. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The client went away before its request was read: nobody to answer. */
export class ClientGoneError extends Error {}

export type PredictInput = { kind: 'image'; bytes: Uint8Array; file: string } | { kind: 'pixels'; pixels: number[] };

type BodyKind = 'multipart' | 'json';

const PixelsSchema = v.strictObject({
  pixels: v.pipe(
    v.array(v.pipe(v.number(), v.minValue(0), v.maxValue(255))),
    v.length(IMAGE_SIZE, `must hold ${IMAGE_SIZE} numbers (28x28, row by row)`),
  ),
});

/** The kind of body the headers announce, or an HttpError (415, or 413 when Content-Length is over the limit). */
export function checkPredictHeaders(req: IncomingMessage): BodyKind {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const kind = type === 'multipart/form-data' ? 'multipart' : type === 'application/json' ? 'json' : undefined;
  if (!kind) {
    throw new HttpError(
      415,
      `Content-Type must be multipart/form-data (a PNG or JPEG in the field "${IMAGE_FIELD}") or application/json ({"pixels": [${IMAGE_SIZE} numbers]}), not ${type ? `"${type}"` : 'missing'}`,
    );
  }
  const length = Number(req.headers['content-length']);
  const limit = kind === 'multipart' ? MAX_MULTIPART_BYTES : MAX_JSON_BYTES;
  if (length > limit) throw bodyTooLarge(kind, length);
  return kind;
}

function bodyTooLarge(kind: BodyKind, length?: number): HttpError {
  if (kind === 'json') return new HttpError(413, `a JSON body may hold ${MAX_JSON_BYTES / 1024} KiB at most`);
  return new HttpError(413, `the image ${length === undefined ? 'is too large' : tooLarge(length)}`);
}

/** Reads the body the headers announced (see checkPredictHeaders). */
export function readPredictBody(req: IncomingMessage, kind: BodyKind): Promise<PredictInput> {
  const body = kind === 'multipart' ? readMultipartImage(req) : readJsonPixels(req);
  // The request's 'close' before its end: the client went away (or cut the body short).
  return Promise.race([body, clientGone(req)]);
}

function clientGone(req: IncomingMessage): Promise<never> {
  return new Promise((_resolve, reject) => {
    req.once('close', () => {
      if (!req.complete) reject(new ClientGoneError('the client closed the connection before sending the whole body'));
    });
  });
}

function readMultipartImage(req: IncomingMessage): Promise<PredictInput> {
  return new Promise((resolve, reject) => {
    let busboy: BusboyInstance;
    try {
      busboy = new Busboy({
        headers: req.headers as BusboyHeaders,
        limits: { fileSize: IMAGE_LIMITS.maxBytes, files: 4, fields: 16, parts: 32, headerPairs: 64 },
      });
    } catch (err) {
      return reject(new HttpError(400, `the multipart body cannot be read: ${errorMessage(err)}`));
    }
    let image: { chunks: Buffer[]; file: string; ended: boolean } | undefined;
    let settled = false;
    const fail = (error: HttpError) => {
      if (settled) return;
      settled = true;
      req.unpipe(busboy);
      req.pause(); // the rest is not read: the answer ends the connection
      reject(error);
    };
    // The whole body is bounded too (other parts are read past, not kept), also when chunked.
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_MULTIPART_BYTES) fail(bodyTooLarge('multipart'));
    });
    const unreadable = (err: unknown) =>
      fail(new HttpError(400, `the multipart body cannot be read: ${errorMessage(err)}`));
    busboy.on('file', (field, stream, filename) => {
      // A part cut short errs on its stream as well as on busboy.
      stream.on('error', unreadable);
      if (field !== IMAGE_FIELD || image) return stream.resume();
      const current = { chunks: [] as Buffer[], file: filename || IMAGE_FIELD, ended: false };
      image = current;
      stream.on('data', (chunk: Buffer) => current.chunks.push(chunk));
      stream.on('limit', () => fail(bodyTooLarge('multipart')));
      stream.on('end', () => (current.ended = true));
    });
    busboy.on('error', unreadable);
    busboy.on('finish', () => {
      if (settled) return;
      if (!image)
        return fail(new HttpError(400, `the multipart field "${IMAGE_FIELD}" (a PNG or JPEG file) is missing`));
      if (!image.ended) return fail(new HttpError(400, 'the multipart body ends inside the image'));
      settled = true;
      resolve({ kind: 'image', bytes: Buffer.concat(image.chunks), file: image.file });
    });
    req.pipe(busboy);
  });
}

function readJsonPixels(req: IncomingMessage): Promise<PredictInput> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_JSON_BYTES) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      reject(bodyTooLarge('json'));
    };
    req.on('data', onData);
    req.on('end', () => {
      if (size > MAX_JSON_BYTES) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        return reject(new HttpError(400, `the body is not valid JSON: ${errorMessage(err)}`));
      }
      const parsed = v.safeParse(PixelsSchema, body, { abortEarly: true });
      if (parsed.success) return resolve({ kind: 'pixels', pixels: parsed.output.pixels });
      const issue = parsed.issues[0];
      const path = issue.path?.map((item) => String(item.key)).join('.');
      reject(
        new HttpError(
          400,
          `expected {"pixels": [${IMAGE_SIZE} numbers 0..255]}: ${path ? `${path} ` : ''}${issue.message}`,
        ),
      );
    });
  });
}
