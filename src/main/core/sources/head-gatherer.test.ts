import { describe, expect, it } from 'vitest';
import { HeadGatherer } from './head-gatherer';

/** A "head" that is complete once `size` bytes are in: its answer is the bytes' sum, to check none is lost. */
function parser(size: number, calls: number[]): (bytes: Buffer) => number | 'more' {
  return (bytes) => {
    calls.push(bytes.length);
    return bytes.length < size ? 'more' : bytes.subarray(0, size).reduce((n, b) => n + b, 0);
  };
}

describe('HeadGatherer', () => {
  const stream = Buffer.from(Array.from({ length: 6_000_000 }, (_, i) => (i * 7) % 251));
  const sum = (n: number): number => stream.subarray(0, n).reduce((a, b) => a + b, 0);

  it('parses a head of many chunks a logarithmic number of times, with every byte in order', () => {
    const calls: number[] = [];
    const gatherer = new HeadGatherer(parser(2_500_000, calls), 64 * 1024 * 1024);
    let answer: number | 'more' = 'more';
    let at = 0;
    while (answer === 'more') {
      answer = gatherer.add(stream.subarray(at, at + 4096));
      at += 4096;
    }
    expect(answer).toBe(sum(2_500_000));
    expect(gatherer.bytes.equals(stream.subarray(0, at))).toBe(true);
    // 4 KiB chunks up to 2.5 MB: about 610 chunks, parsed each time the bytes doubled.
    expect(calls.length).toBeLessThanOrEqual(11);
    expect(at).toBeLessThan(2 * 2_500_000 + 4096);
  });

  it('parses a head that fits in the first chunk at once', () => {
    const calls: number[] = [];
    const gatherer = new HeadGatherer(parser(100, calls), 1000);
    expect(gatherer.add(stream.subarray(0, 65536))).toBe(sum(100));
    expect(calls).toEqual([65536]);
  });

  it('tries the last bytes at the end of the stream, once', () => {
    const calls: number[] = [];
    const gatherer = new HeadGatherer(parser(10_000, calls), 1_000_000);
    expect(gatherer.add(stream.subarray(0, 6000))).toBe('more');
    expect(gatherer.add(stream.subarray(6000, 10_000))).toBe('more');
    expect(gatherer.last()).toBe(sum(10_000));
    expect(gatherer.last()).toBe('more');
  });

  it('says so past its limit, having tried what it holds', () => {
    const calls: number[] = [];
    const gatherer = new HeadGatherer(parser(5000, calls), 3000);
    expect(gatherer.add(stream.subarray(0, 2000))).toBe('more');
    expect(gatherer.tooLong).toBe(false);
    expect(gatherer.add(stream.subarray(2000, 3500))).toBe('more');
    expect(gatherer.tooLong).toBe(true);
    expect(calls).toEqual([2000, 3500]);
  });
});
