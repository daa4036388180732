import type { z } from 'zod';
import { INVOKE_CHANNELS, type InvokeChannel } from '../../shared/ipc/channels';
import type { InvokeResult, ParsedInput } from '../../shared/ipc/contract';
import { inputSchemas } from '../../shared/ipc/input-schemas';
import { fail, ok, toErrorPayload, type Result } from '../../shared/ipc/result';
import type { Logger } from './logger';

export type Handlers = { [C in InvokeChannel]: (input: ParsedInput<C>) => InvokeResult<C> | Promise<InvokeResult<C>> };

export function isInvokeChannel(channel: unknown): channel is InvokeChannel {
  return typeof channel === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(channel);
}

/** Field paths like `ssh.port` or `destinationIds.0`, for forms to put the message under the right field. */
export function describeIssues(error: z.ZodError): { message: string; issues: { path: string; message: string }[] } {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return { message: `Invalid input: ${message}`, issues };
}

/**
 * The one way into the core from any host: the channel must exist, the input must pass its
 * schema before the handler runs, and whatever happens comes back as a Result, never a throw.
 */
export async function dispatch(handlers: Handlers, log: Logger, channel: unknown, rawInput: unknown): Promise<Result<unknown>> {
  if (!isInvokeChannel(channel)) {
    return fail({ code: 'UNKNOWN_CHANNEL', message: `Unknown channel ${JSON.stringify(channel)}.` });
  }
  const parsed = inputSchemas[channel].safeParse(rawInput === undefined ? {} : rawInput);
  if (!parsed.success) {
    const { message, issues } = describeIssues(parsed.error);
    return fail({ code: 'VALIDATION_FAILED', message, details: { field: issues[0]?.path ?? '', issues } });
  }
  try {
    const handler = handlers[channel] as (input: unknown) => unknown;
    return ok(await handler(parsed.data));
  } catch (error) {
    const payload = toErrorPayload(error);
    if (payload.code === 'INTERNAL') log.error('handler failed', { channel, error: error instanceof Error ? error.stack : String(error) });
    return fail(payload);
  }
}
