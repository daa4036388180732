import { describe, expect, it } from 'vitest';
import type { RunDto, RunObjectDto } from '../../../../shared/domain/runs';
import { backupSize, chartSeries, runMs } from './run-charts';

function object(size: number, status: RunObjectDto['status'] = 'succeeded', destinations = 1): RunObjectDto {
  const dest = { destinationId: 'd', name: 'disk', ok: status === 'succeeded', location: null, error: null };
  return { database: 'shop', kind: 'database', key: `k${size}`, status, bytesIn: size * 3, size, sha256: null, destinations: Array.from({ length: destinations }, () => dest) };
}

function run(jobName: string, startedAt: string, seconds: number, objects: RunObjectDto[]): RunDto {
  const finishedAt = new Date(Date.parse(startedAt) + seconds * 1000).toISOString();
  return { id: `${jobName}-${startedAt}`, jobId: jobName, jobName, status: 'succeeded', trigger: 'manual', startedAt, finishedAt, bytesIn: 0, bytesOut: 0, stageMs: {}, objects, error: null, log: [], retention: null, hooks: {} };
}

describe('chart data from runs', () => {
  it('counts one copy of each stored object, whatever the number of destinations', () => {
    expect(backupSize({ objects: [object(100, 'succeeded', 3), object(50)] })).toBe(150);
    expect(backupSize({ objects: [object(100), object(70, 'failed')] })).toBe(100);
    expect(backupSize({ objects: [] })).toBe(0);
  });

  it('times a finished run and leaves a running one out', () => {
    expect(runMs(run('a', '2026-11-30T01:00:00Z', 90, []))).toBe(90_000);
    expect(runMs({ startedAt: '2026-11-30T01:00:00Z', finishedAt: null })).toBeNull();
  });

  it('makes one line per job, points oldest first, keys safe from dots in job names', () => {
    const runs = [
      run('shop.nightly', '2026-11-30T02:00:00Z', 10, [object(300)]),
      run('crm', '2026-11-29T02:00:00Z', 20, [object(100)]),
      run('shop.nightly', '2026-11-29T02:00:00Z', 30, [object(200)]),
    ];
    const size = chartSeries(runs, backupSize);
    expect(size.series).toEqual([
      { name: 's0', label: 'crm', color: 'blue.6' },
      { name: 's1', label: 'shop.nightly', color: 'teal.6' },
    ]);
    expect(size.data.map((p) => Object.keys(p).sort().join(','))).toEqual(['s0,time', 's1,time', 's1,time']);
    expect(size.data.map((p) => p.s0 ?? p.s1)).toEqual([100, 200, 300]);
    expect(size.data.map((p) => new Date(p.time!).toISOString())).toEqual(['2026-11-29T02:00:00.000Z', '2026-11-29T02:00:00.000Z', '2026-11-30T02:00:00.000Z']);
    expect(chartSeries(runs, runMs).data.map((p) => p.s0 ?? p.s1)).toEqual([20_000, 30_000, 10_000]);
    expect(chartSeries(runs, () => null).data).toEqual([]);
  });
});
