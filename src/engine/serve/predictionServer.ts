// The prediction server (node:http): POST /predict, GET /health, GET /openapi.json and the sketchpad page at GET /.
// Images are prepared as Classify Digit prepares them and classified in micro-batches by the classifier's active
// model, so a model switched in VS Code answers the next request. Every error is a JSON answer; close() lets the
// requests under way finish.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Server, type AddressInfo } from 'node:net';
import { errorMessage } from '../../shared/errors';
import { IMAGE_SIDE } from '../../shared/mnistImage';
import {
  SEEN_IMAGE_QUERY,
  SERVER_PATHS,
  type ErrorAnswer,
  type HealthAnswer,
  type PredictionAnswer,
} from '../../shared/predictionApi';
import type { DigitClassifier } from '../classifier';
import { imageToMnistImage, rawToMnistImage } from '../image/decodeImage';
import { ImageHasNoDigitError, ImageInputError, ImageTooLargeError } from '../image/imageInput';
import { pixelsToBase64, type MnistImage } from '../image/preprocess';
import { packageVersion } from '../paths';
import { predictProbabilities, toPrediction } from '../predict';
import { topDigits } from '../ranking';
import { MicroBatcher, QueueFullError } from './microBatcher';
import { openApiDocument } from './openApi';
import { ClientGoneError, HttpError, checkPredictHeaders, readPredictBody, type PredictInput } from './requestBody';
import { assetName, readAsset, sketchpadPage, type Reply } from './pageFiles';
import { DEFAULT_SERVE_OPTIONS, type ServeOptions } from './serveOptions';

/** How long the server goes on accepting after close() is called (see close). */
const SHUTDOWN_GRACE_MS = 250;
/** Seconds a client is told to wait (Retry-After) when the queue is full or the model is not ready. */
const RETRY_AFTER_SECONDS = '1';

export interface PredictionServer {
  /** http://host:port/ as a browser on this machine reaches it. */
  url: string;
  port: number;
  host: string;
  batcher: MicroBatcher;
  /** Stops accepting connections (after a short grace), answers the requests under way, then resolves. */
  close(): Promise<void>;
}

type Route = (req: IncomingMessage, res: ServerResponse, url: URL, expectsContinue: boolean) => Promise<void> | void;

/** Loads the classifier's active model, then listens. */
export async function startPredictionServer(
  classifier: DigitClassifier,
  options: Partial<ServeOptions> = {},
): Promise<PredictionServer> {
  const settings = { ...DEFAULT_SERVE_OPTIONS, ...options };
  const backend = await classifier.startBackend();
  await classifier.activeModel();
  const batcher = new MicroBatcher(
    async (pixels, count) => predictProbabilities((await classifier.activeModel()).model, pixels, count),
    settings,
  );
  const pending = new Set<ServerResponse>();
  let closing = false;

  const send = (res: ServerResponse, status: number, file: Reply) => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, {
      'Content-Type': file.type,
      'Content-Length': Buffer.byteLength(file.body),
      'X-Content-Type-Options': 'nosniff',
      ...(closing ? { Connection: 'close' } : {}),
      ...file.headers,
    });
    res.end(file.body);
  };
  const sendJson = (res: ServerResponse, status: number, answer: object, headers: Record<string, string> = {}) =>
    send(res, status, { body: JSON.stringify(answer), type: 'application/json; charset=utf-8', headers });
  /** An error answer; when the body is left unread, the connection then ends (see lingerAndClose). */
  const sendError = (req: IncomingMessage, res: ServerResponse, status: number, message: string, headers = {}) => {
    if (bodyUnread(req)) lingerAndClose(req, res);
    sendJson(res, status, { error: message } satisfies ErrorAnswer, headers);
  };

  const predict: Route = async (req, res, url, expectsContinue) => {
    const kind = checkPredictHeaders(req);
    if (expectsContinue) res.writeContinue();
    const image = toImage(await readPredictBody(req, kind));
    const probabilities = await batcher.classify(image.pixels);
    const seen = url.searchParams.get(SEEN_IMAGE_QUERY) === '1' ? image.pixels : undefined;
    sendJson(res, 200, predictionAnswer(probabilities, seen));
  };
  const health: Route = async (_req, res) => {
    const { source, metadata } = await classifier.activeModel();
    const { batches, images, largestBatch } = batcher.stats;
    const answer: HealthAnswer = {
      status: 'ok',
      model: source.kind,
      testAccuracy: metadata?.testAccuracy,
      backend: backend.name,
      served: { images, batches, largestBatch },
    };
    sendJson(res, 200, answer);
  };
  const routes: Record<string, { method: 'GET' | 'POST'; handle: Route }> = {
    [SERVER_PATHS.predict]: { method: 'POST', handle: predict },
    [SERVER_PATHS.health]: { method: 'GET', handle: health },
    [SERVER_PATHS.openApi]: {
      method: 'GET',
      handle: (_req, res) => sendJson(res, 200, openApiDocument(packageVersion())),
    },
    [SERVER_PATHS.page]: { method: 'GET', handle: (_req, res) => send(res, 200, sketchpadPage()) },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    pending.add(res);
    res.once('close', () => pending.delete(res));
    const timer = setTimeout(() => {
      if (bodyUnread(req)) {
        sendError(req, res, 408, `the request was not received within ${settings.requestTimeoutMs} ms`);
      } else {
        const message = `no answer within ${settings.requestTimeoutMs} ms: the server is busy`;
        sendError(req, res, 503, message, { 'Retry-After': RETRY_AFTER_SECONDS });
      }
    }, settings.requestTimeoutMs);
    res.once('close', () => clearTimeout(timer));
    try {
      const url = requestUrl(req);
      const asset = url && assetName(url.pathname);
      const route = url && (asset ? undefined : routes[url.pathname]);
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      if (!url || (!route && !asset)) throw new HttpError(404, `no such path: ${url?.pathname ?? req.url}`);
      const allowed = route?.method ?? 'GET';
      if (method !== allowed) throw new HttpError(405, `${url.pathname} takes ${allowed}`, { Allow: allowed });
      if (asset) return send(res, 200, await readAsset(asset));
      await route!.handle(req, res, url, expectsContinue);
    } catch (err) {
      if (err instanceof ClientGoneError) return void res.destroy();
      const [status, message, headers] = errorAnswer(err);
      if (status >= 500 && !(err instanceof QueueFullError)) settings.log?.(`${req.method} ${req.url}: ${message}`);
      sendError(req, res, status, message, headers);
    }
  };

  const server = createServer(
    {
      // Node's own limits, behind the per-request timer: headers and body within the request timeout.
      requestTimeout: settings.requestTimeoutMs + 1000,
      headersTimeout: Math.min(settings.requestTimeoutMs, 60_000),
      keepAliveTimeout: 5000,
    },
    (req, res) => void handle(req, res, false),
  );
  // Expect: 100-continue (curl asks for it before large uploads): the headers are checked before the body is sent.
  server.on('checkContinue', (req, res) => void handle(req, res, true));
  server.on('clientError', (err, socket) => {
    if (!socket.writable) return socket.destroy();
    const body = JSON.stringify({ error: `bad request: ${errorMessage(err)}` });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      closing = true;
      // Connections that arrived just before are accepted and read first: closing now would reset them (Node counts a
      // connection whose request is not parsed yet as idle). Meanwhile answers say Connection: close.
      await new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS));
      // net.Server's close: stops listening without http.Server's closing of idle connections, which would reset a
      // connection whose request has arrived but is not parsed yet.
      const stopped = new Promise<void>((resolve) => Server.prototype.close.call(server, () => resolve()));
      // Requests under way get their answers (each has its timeout), also those parsed meanwhile; then the
      // connections still open (idle keep-alive ones) are ended.
      do {
        await Promise.all([...pending].map((res) => new Promise((resolve) => res.once('close', resolve))));
        await new Promise((resolve) => setImmediate(resolve));
      } while (pending.size);
      server.closeAllConnections();
      await stopped;
    })();
    return closed;
  };
  return { url: `http://${urlHost}:${port}/`, port, host: settings.host, batcher, close };
}

/** How long a connection whose body was refused stays open after the answer, for the client to read it. */
const LINGER_MS = 2000;

/**
 * Ends the connection once the answer has left, without reading the rest of the body: the socket is half-closed and
 * paused, then closed after LINGER_MS. Closing it at once would reset it while the client is still sending, and a
 * client may then lose the answer (as nginx's lingering close avoids).
 */
function lingerAndClose(req: IncomingMessage, res: ServerResponse): void {
  res.once('finish', () => {
    req.pause();
    const socket = req.socket;
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
}

/** Whether the request has a body that has not been received in full. */
function bodyUnread(req: IncomingMessage): boolean {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  return hasBody && !req.complete;
}

/** The request's path and query (dot segments resolved), or undefined for anything but an origin-form target. */
function requestUrl(req: IncomingMessage): URL | undefined {
  if (!req.url?.startsWith('/')) return undefined;
  try {
    return new URL(`http://server${req.url}`);
  } catch {
    return undefined;
  }
}

function toImage(input: PredictInput): MnistImage {
  if (input.kind === 'image') return imageToMnistImage(input.bytes, input.file);
  const data = Uint8Array.from(input.pixels, Math.round);
  return rawToMnistImage({ data, width: IMAGE_SIDE, height: IMAGE_SIDE, channels: 1 }, 'pixels');
}

export function predictionAnswer(probabilities: ArrayLike<number>, seen?: Float32Array): PredictionAnswer {
  const { digit, probabilities: values } = toPrediction(probabilities);
  return {
    digit,
    probability: values[digit],
    top3: topDigits(values),
    probabilities: Object.fromEntries(values.map((p, d) => [String(d), p])),
    ...(seen ? { image: pixelsToBase64(seen) } : {}),
  };
}

/** Status, message and headers for what went wrong. */
function errorAnswer(err: unknown): [number, string, Record<string, string>] {
  if (err instanceof HttpError) return [err.status, err.message, err.headers];
  if (err instanceof ImageTooLargeError) return [413, err.message, {}];
  if (err instanceof ImageHasNoDigitError) return [422, err.message, {}];
  if (err instanceof ImageInputError) return [400, err.message, {}];
  if (err instanceof QueueFullError) return [503, err.message, { 'Retry-After': RETRY_AFTER_SECONDS }];
  return [503, `the model cannot answer: ${errorMessage(err)}`, { 'Retry-After': RETRY_AFTER_SECONDS }];
}
