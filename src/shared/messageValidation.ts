// Validation on receipt, for every protocol: panels, the training process, the training workers.
import * as v from 'valibot';

export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

/** Validates a message; `reason` names the first problem (never echoes the payload). */
export function parseMessage<const S extends v.GenericSchema>(schema: S, message: unknown): Parsed<v.InferOutput<S>> {
  const result = v.safeParse(schema, message, { abortEarly: true });
  if (result.success) return { ok: true, message: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((item) => String(item.key)).join('.');
  const type =
    typeof message === 'object' && message !== null && 'type' in message
      ? String((message as { type: unknown }).type).slice(0, 40)
      : typeof message;
  return { ok: false, reason: `${type}${path ? ` · ${path}` : ''}: ${issue.message.slice(0, 200)}` };
}

/** `message` as the schema's output, or undefined when it does not match. */
export function validMessage<const S extends v.GenericSchema>(
  schema: S,
  message: unknown,
): v.InferOutput<S> | undefined {
  const parsed = parseMessage(schema, message);
  return parsed.ok ? parsed.message : undefined;
}
