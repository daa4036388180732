import fc from 'fast-check';
import type { ContractFixture } from './contract-fixture';

/**
 * Hostile values for the contract fuzz test: what a buggy script, a compromised renderer or a
 * page talking to `serve` can send. Structured-clone values (Map, Date, BigInt, typed arrays,
 * null-prototype objects, sparse arrays) are included because Electron IPC carries them. Sparse
 * arrays come only from `sparseArray`: fast-check's own may be 2^32-1 long, which its shrinker
 * and reporter then walk element by element.
 */

const SPECIAL = ['\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\u202E', '\u200F', '\u200E', '\uFEFF', '\u2028', '\n', '\r\n', '\t', '\\', '"', "'", '`', '${x}', '%s', '☕', '𝄞', 'é', 'e\u0301', 'İ', 'ß', ' ', 'a'];

export const weirdString = fc
  .array(fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ maxLength: 6 })), { maxLength: 10 })
  .map((parts) => parts.join(''));

/** Built once: generating megabytes per run would dominate the test's time. */
const HUGE = [
  'a'.repeat(65_537),
  'x'.repeat(1 << 20),
  '☕'.repeat(1 << 19),
  '\uD800'.repeat(1 << 18),
  `\u202E${'é'.repeat(300_000)}\u0000`,
  'y'.repeat(4 << 20),
];
export const hugeString = fc.constantFrom(...HUGE);

/** Lengths around every limit the schemas set. */
export const edgeLengthString = fc.constantFrom(0, 1, 2, 3, 11, 12, 30, 31, 63, 64, 65, 128, 129, 255, 256, 500, 501, 512, 513, 1024, 1025, 4096, 4097, 65_536, 65_537).map((n) => 'k'.repeat(n));

export const weirdNumber = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1, -1, 0.5, 2 ** 31, 2 ** 53, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE, 1e21, 65_535, 65_536, 5, 5120, 5121, 19, 22, 23, 500, 501, 10_000, 10_001, 10_080, 10_081),
  fc.double(),
  fc.integer(),
);

function deep(levels: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = wrap(value);
  return value;
}

const DEEP = [
  deep(5_000, (v) => ({ a: v })),
  deep(5_000, (v) => [v]),
  // One object shared at every level: structured clone keeps the sharing, a walk that copies it never ends.
  deep(2_000, (v) => ({ id: v, name: v })),
  JSON.parse(`${'{"x":'.repeat(3_000)}1${'}'.repeat(3_000)}`) as unknown,
];
export const deepValue = fc.constantFrom(...DEEP);

/** Own `__proto__` / `constructor` / `prototype` keys, as JSON.parse makes them (not setters). */
export const pollutingObject = fc.constantFrom(
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"prototype":{"polluted":"yes"}}',
  '{"a":{"__proto__":{"polluted":"yes"}}}',
  '{"__proto__":{"__proto__":{"polluted":"yes"}}}',
  '[{"__proto__":{"polluted":"yes"}}]',
).map((json) => JSON.parse(json) as unknown);

export const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'] as const;

export const structuredValue = fc.anything({
  maxDepth: 3,
  maxKeys: 6,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withTypedArray: true,
  key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...POLLUTING_KEYS, 'id', 'name', 'path', 'kind', 'engine')),
});

/** Any hostile value, without reference to the fixture. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: weirdString, weight: 4 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: edgeLengthString, weight: 2 },
  { arbitrary: weirdNumber, weight: 3 },
  { arbitrary: fc.constantFrom(true, false, null, undefined, [], {}, ''), weight: 3 },
  { arbitrary: deepValue, weight: 1 },
  { arbitrary: pollutingObject, weight: 2 },
  { arbitrary: structuredValue, weight: 3 },
  { arbitrary: fc.array(weirdString, { maxLength: 4 }), weight: 1 },
  { arbitrary: fc.constantFrom(...HUGE.slice(0, 2)).map((s) => Array.from({ length: 20_000 }, () => s.slice(0, 3))), weight: 1 },
  { arbitrary: fc.constantFrom('a', '3f1c1d2e-0000-4000-8000-000000000000').map(sparseArray), weight: 1 },
);

/** A path inside the sandbox with a hostile last part (no `/` in it, so it cannot climb out). */
export function sandboxPath(sandbox: string): fc.Arbitrary<string> {
  const segment = fc.oneof(weirdString, fc.constantFrom('app.db', 'backups', 'new', 'n'.repeat(300), ''), hugeString.map((s) => s.slice(0, 5_000)));
  return segment.map((s) => {
    const safe = s.replaceAll('/', '_').replaceAll('\\', '_');
    return safe === '' ? sandbox : `${sandbox}/${safe === '.' || safe === '..' ? `x${safe}` : safe}`;
  });
}

/**
 * Values that mean something to the store: ids of the fixture's rows, names it already holds,
 * enum members, paths in the sandbox. Valid inputs mutated with these get past the schema and
 * reach the rules behind it.
 */
export function meaningfulValue(f: ContractFixture): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(...Object.values(f.ids)),
    fc.uuid(),
    fc.uuid().map((u) => u.toUpperCase()),
    fc.uuid().map((u) => ` ${u}\n`),
    fc.constantFrom(...f.names, ...f.names.map((n) => n.toUpperCase()), ` ${f.names[0]} `),
    fc.constantFrom('postgres', 'mysql', 'sqlite', 'local', 's3', 'sftp', 'age', '7z', 'none', 'zstd', 'gzip', 'custom', 'plain', 'exec', 'tunnel', 'require', 'pg_dump', 'mysql', 'aws', 'r2'),
    fc.constantFrom(f.recipient, `${f.recipient}x`, 'AGE-SECRET-KEY-1QQQQ', 'AGE-SECRET-KEY-1'),
    fc.constantFrom('0 3 * * *', '* * * * * * *', '61 * * * *', 'UTC', 'Europe/Paris', 'Mars/Olympus', 'http://127.0.0.1:9', 'javascript:alert(1)'),
    fc.array(fc.constantFrom(...Object.values(f.ids)), { maxLength: 4 }),
    sandboxPath(f.sandbox),
  );
}

/**
 * JSON of a generated value, or null for what JSON cannot hold: BigInt, cycles, a sparse array
 * 2^32-1 long, or a DAG that shares one object at every level (written out, it doubles per level).
 */
function json(value: unknown): string | null {
  let budget = 100_000;
  try {
    return (
      JSON.stringify(value, (_key, v: unknown) => {
        if (--budget < 0 || (Array.isArray(v) && v.length > 100_000)) throw new RangeError('too big to write out');
        return v;
      }) ?? null
    );
  } catch {
    return null;
  }
}

/** An array as long as JavaScript allows with two elements set: cheap to send by structured clone, endless to walk. */
export function sparseArray(first: unknown): unknown[] {
  const array: unknown[] = [];
  array.length = 2 ** 32 - 1;
  array[0] = first;
  array[1_000_000] = first;
  return array;
}

export type Mutation = (input: Record<string, unknown>) => unknown;

function withOwnKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

/** One change to a valid input: a field replaced, removed or added, or the whole shape broken. */
export function mutation(f: ContractFixture): fc.Arbitrary<Mutation> {
  const value = fc.oneof({ arbitrary: meaningfulValue(f), weight: 3 }, { arbitrary: hostileValue, weight: 2 });
  const replace = fc.tuple(fc.nat(), value).map(
    ([i, v]): Mutation =>
      (input) => {
        const keys = Object.keys(input);
        if (keys.length === 0) return withOwnKey(input, 'id', v);
        const key = keys[i % keys.length]!;
        const current = input[key];
        // Reach into nested objects (ssh, retention) as often as replacing them whole.
        if (current && typeof current === 'object' && !Array.isArray(current) && i % 2 === 0) {
          const inner = Object.keys(current);
          if (inner.length > 0) return { ...input, [key]: withOwnKey(current as Record<string, unknown>, inner[i % inner.length]!, v) };
        }
        return withOwnKey(input, key, v);
      },
  );
  const remove = fc.nat().map(
    (i): Mutation =>
      (input) => {
        const keys = Object.keys(input);
        if (keys.length === 0) return input;
        const copy = { ...input };
        delete copy[keys[i % keys.length]!];
        return copy;
      },
  );
  const extra = fc.tuple(fc.oneof(fc.constantFrom(...POLLUTING_KEYS), weirdString, hugeString), value).map(([k, v]): Mutation => (input) => withOwnKey(input, k, v));
  const reshape = fc.constantFrom<Mutation>(
    (input) => [input],
    (input) => Object.values(input),
    (input) => json(input) ?? [input],
    (input) => new Map(Object.entries(input)),
    (input) => Object.assign(Object.create(null) as object, input),
    (input) => {
      const text = json(input);
      return text === null ? input : (JSON.parse(text.replace(/^\{/, '{"__proto__":{"polluted":"yes"},').replace(/,\}$/, '}')) as unknown);
    },
  );
  return fc.oneof({ arbitrary: replace, weight: 6 }, { arbitrary: remove, weight: 2 }, { arbitrary: extra, weight: 2 }, { arbitrary: reshape, weight: 1 });
}

/**
 * Input for one channel: hostile values, valid inputs (half of them under a fresh name, so
 * creates are accepted more than once) and valid inputs with one or two mutations.
 */
export function channelInput(f: ContractFixture, valid: Record<string, unknown>[]): fc.Arbitrary<unknown> {
  const fresh = fc.tuple(fc.constantFrom(...valid), fc.nat(9_999)).map(([input, n]) => (typeof input.name === 'string' && n % 2 === 0 ? { ...input, name: `${input.name}${n}` } : input));
  const mutated = fc
    .tuple(fresh, fc.array(mutation(f), { minLength: 1, maxLength: 2 }))
    .map(([input, changes]) => changes.reduce<unknown>((acc, m) => (acc && typeof acc === 'object' && !Array.isArray(acc) ? m(acc as Record<string, unknown>) : acc), input));
  return fc.oneof({ arbitrary: hostileValue, weight: 1 }, { arbitrary: mutated, weight: 3 }, { arbitrary: fresh, weight: 1 });
}
