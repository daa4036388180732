import { LineChart } from '@mantine/charts';
import { Box, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import type { ReactElement } from 'react';
import { api } from '../../api';
import { formatBytes, formatDateTime, formatDuration } from '../../lib/format';
import { backupSize, chartSeries, runMs, type ChartSeriesData } from './run-charts';
import { useReloadOn, useRunsQuery } from './use-runs-query';

/** Successful runs the charts draw: months of a nightly job. */
const CHART_RUNS = 200;

/** Backup size and run duration over time, one line per job (or the chosen job's only). */
export function RunCharts({ jobId }: { jobId: string | null }): ReactElement | null {
  const runs = useRunsQuery(() => api.runs.list({ jobId: jobId ?? undefined, status: 'succeeded', limit: CHART_RUNS }));
  useReloadOn(jobId, runs.reload);
  const list = runs.data ?? [];
  if (list.length === 0) return null;
  return (
    <Paper withBorder p="md" mb="lg" component="section" aria-label="Charts">
      <Title order={3} size="h5">
        Successful runs over time
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {list.length === 1 ? 'One successful run so far: the lines start with the next.' : `The last ${list.length} successful runs${jobId ? ' of this job' : ', one line per job'}.`}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Chart title="Backup size" testId="size-chart" chart={chartSeries(list, backupSize)} format={formatBytes} />
        <Chart title="Run duration" testId="duration-chart" chart={chartSeries(list, runMs)} format={chartDuration} />
      </SimpleGrid>
    </Paper>
  );
}

function Chart({ title, testId, chart, format }: { title: string; testId: string; chart: ChartSeriesData; format: (n: number) => string }): ReactElement {
  const times = chart.data.map((p) => p.time!);
  const span = times.length > 1 ? times[times.length - 1]! - times[0]! : 0;
  return (
    <Box component="figure" m={0} aria-label={`${title} over time`} data-testid={testId} miw={0}>
      <Text component="figcaption" size="sm" fw={500} mb={4}>
        {title}
      </Text>
      <LineChart
        h={200}
        data={chart.data}
        dataKey="time"
        series={chart.series}
        curveType="linear"
        connectNulls
        withLegend={chart.series.length > 1}
        valueFormatter={format}
        xAxisProps={{ type: 'number', scale: 'time', domain: ['dataMin', 'dataMax'], tickFormatter: (t: number) => tickLabel(t, span) }}
        yAxisProps={{ width: 72 }}
        tooltipProps={{ labelFormatter: timeLabel }}
        gridAxis="xy"
      />
    </Box>
  );
}

/** Durations on an axis: short runs need more than formatDuration's tenth of a second, or ticks repeat ("0.3 s", "0.3 s"). */
function chartDuration(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : formatDuration(ms);
}

/** The tooltip's heading: when the run started. Recharts also asks with no label while no point is active. */
function timeLabel(label: unknown): string {
  const time = Number(label);
  return typeof label === 'number' && Number.isFinite(time) ? formatDateTime(new Date(time).toISOString()) : '';
}

/** Times of day when the runs span a day or two, dates beyond that. */
function tickLabel(time: number, span: number): string {
  const date = new Date(time);
  return span < 2 * 24 * 3_600_000
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}
