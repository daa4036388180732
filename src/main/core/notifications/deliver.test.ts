import { describe, expect, it } from 'vitest';
import { DEFAULT_DELIVERY, deliver } from './deliver';

describe('deliver', () => {
  it('a URL on a port fetch refuses (one saved before such URLs were refused) fails at once, saying why', async () => {
    const started = Date.now();
    const result = await deliver({ url: 'http://127.0.0.1:9/hook/token', body: '{}', contentType: 'application/json' }, DEFAULT_DELIVERY);
    expect(result).toEqual({ ok: false, attempts: 0, message: "port 9 is one that browsers and Node's fetch refuse to connect to (the fetch standard's blocked ports): move the receiver to another port" });
    // Not retried for a minute: no attempt can ever reach it.
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
