// GET /openapi.json: every endpoint of the prediction server, in OpenAPI 3.1.
import { IMAGE_SIZE } from '../../shared/mnistImage';
import { IMAGE_FIELD, SEEN_IMAGE_QUERY, SERVER_PATHS } from '../../shared/predictionApi';
import { IMAGE_LIMITS } from '../image/imageInput';

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const probability = { type: 'number', minimum: 0, maximum: 1 };

export function openApiDocument(version: string): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'MNIST Digits prediction server',
      version,
      description: 'Classifies a handwritten digit (PNG or JPEG, or 28x28 pixels) with the active model.',
    },
    paths: {
      [SERVER_PATHS.predict]: {
        post: {
          summary: 'Classify one digit',
          description: `The image is prepared as Classify Digit prepares it (cropped to the ink, scaled into 20x20, centred by mass in 28x28). Images up to ${IMAGE_LIMITS.maxBytes / 1024 / 1024} MB and ${IMAGE_LIMITS.maxSide} pixels a side.`,
          parameters: [
            {
              name: SEEN_IMAGE_QUERY,
              in: 'query',
              required: false,
              description: 'When 1, the answer also holds the 28x28 image the model saw.',
              schema: { type: 'string', enum: ['1'] },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: [IMAGE_FIELD],
                  properties: {
                    [IMAGE_FIELD]: { type: 'string', format: 'binary', description: 'A PNG or JPEG file' },
                  },
                },
              },
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['pixels'],
                  additionalProperties: false,
                  properties: {
                    pixels: {
                      type: 'array',
                      minItems: IMAGE_SIZE,
                      maxItems: IMAGE_SIZE,
                      items: { type: 'number', minimum: 0, maximum: 255 },
                      description: '28x28 grey levels, row by row',
                    },
                  },
                },
              },
            },
          },
          responses: {
            200: {
              description: 'The prediction',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Prediction' } } },
            },
            400: error('Not an image (or a damaged one), a malformed multipart or JSON body, or no image field'),
            408: error('The request was not received in time'),
            413: error('The image or body is over the size limit (answered before the body is read)'),
            415: error('Neither multipart/form-data nor application/json'),
            422: error('The image holds no digit (no ink)'),
            503: error('Too many images waiting, or the model is not ready; see Retry-After'),
          },
        },
      },
      [SERVER_PATHS.health]: {
        get: {
          summary: 'Whether the server can answer, and with which model',
          responses: {
            200: {
              description: 'Ready',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } },
            },
          },
        },
      },
      [SERVER_PATHS.openApi]: {
        get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1 document' } } },
      },
      [SERVER_PATHS.page]: {
        get: {
          summary: 'The sketchpad as a web page: draw a digit, see the live top 3',
          responses: { 200: { description: 'HTML page', content: { 'text/html': {} } } },
        },
      },
    },
    components: {
      schemas: {
        Prediction: {
          type: 'object',
          required: ['digit', 'probability', 'top3', 'probabilities'],
          properties: {
            digit: { type: 'integer', minimum: 0, maximum: 9 },
            probability,
            top3: {
              type: 'array',
              minItems: 3,
              maxItems: 3,
              items: {
                type: 'object',
                required: ['digit', 'probability'],
                properties: { digit: { type: 'integer', minimum: 0, maximum: 9 }, probability },
              },
            },
            probabilities: {
              type: 'object',
              description: 'Every digit, "0" to "9"',
              propertyNames: { pattern: '^[0-9]$' },
              additionalProperties: probability,
            },
            image: { type: 'string', contentEncoding: 'base64', description: `${IMAGE_SIZE} bytes, when asked for` },
          },
        },
        Health: {
          type: 'object',
          required: ['status', 'model', 'backend'],
          properties: { status: { const: 'ok' }, model: { type: 'string' }, backend: { type: 'string' } },
        },
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
      },
    },
  };
}
