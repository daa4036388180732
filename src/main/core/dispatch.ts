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

/** Issues listed in a refusal; the rest are counted. Input of any size gets an answer of bounded size. */
const MAX_ISSUES = 10;
const MAX_QUOTED = 40;

/** Part of the caller's own input, quoted and cut short: a 4 MB key must not come back in the message. */
export function quoteInput(value: string): string {
  const text = String(value);
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}...` : text);
}

/**
 * zod's own words for a bound ("Too small: expected string to have >=3 characters") as the
 * schemas' custom messages say it ("must be at least 3 characters"); a custom message is kept.
 */
function boundMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  if (!/^Too (small|big):/.test(issue.message)) return issue.message;
  const small = issue.code === 'too_small';
  const n = Number(small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum);
  const bound = issue.inclusive === false ? (small ? 'more than' : 'less than') : small ? 'at least' : 'at most';
  const plural = (noun: string): string => `${noun}${n === 1 ? '' : 's'}`;
  if (issue.origin === 'string') return `must be ${bound} ${n} ${plural('character')}`;
  if (issue.origin === 'array' || issue.origin === 'set') return `must have ${bound} ${n} ${plural('item')}`;
  if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return `must be ${bound} ${n}`;
  return issue.message;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small' || issue.code === 'too_big') return boundMessage(issue);
  if (issue.code !== 'unrecognized_keys') return issue.message;
  const shown = issue.keys.slice(0, 3).map(quoteInput).join(', ');
  const more = issue.keys.length > 3 ? ` and ${issue.keys.length - 3} more` : '';
  return `Unrecognized key${issue.keys.length === 1 ? '' : 's'}: ${shown}${more}`;
}

/** Field paths like `ssh.port` or `destinationIds.0`, for forms to put the message under the right field. */
export function describeIssues(error: z.ZodError): { message: string; issues: { path: string; message: string }[] } {
  const issues = error.issues.slice(0, MAX_ISSUES).map((i) => ({ path: i.path.map(String).join('.'), message: issueMessage(i) }));
  const more = error.issues.length - issues.length;
  const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return { message: `Invalid input: ${message}${more > 0 ? ` (and ${more} more problems)` : ''}`, issues };
}

/**
 * The one way into the core from any host: the channel must exist, the input must pass its
 * schema before the handler runs, and whatever happens comes back as a Result, never a throw.
 */
export async function dispatch(handlers: Handlers, log: Logger, channel: unknown, rawInput: unknown): Promise<Result<unknown>> {
  if (!isInvokeChannel(channel)) {
    const what = typeof channel === 'string' ? `Unknown channel ${quoteInput(channel)}.` : `A channel is a name like "sources:list", not a ${channel === null ? 'null' : typeof channel}.`;
    return fail({ code: 'UNKNOWN_CHANNEL', message: what });
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
