import { Button, Code, Group, List, Paper, Text, Title } from '@mantine/core';
import type { ReactElement, ReactNode } from 'react';
import { hashFor } from '../../app/routes';
import type { NextStep } from './next-steps';

export interface NextStepsProps {
  steps: NextStep[];
  /** Jobs whose `jobs:run` call has not answered yet. */
  starting: ReadonlySet<string>;
  onRun: (job: { id: string; name: string }) => void;
  resuming: boolean;
  onResume: () => void;
}

/** The steps still open, each with what it means and the button that does it. */
export function NextSteps({ steps, starting, onRun, resuming, onResume }: NextStepsProps): ReactElement | null {
  if (steps.length === 0) return null;
  return (
    <Paper withBorder p="lg" component="section" aria-label="What to do next" bg="blue.0">
      <Title order={3} size="h4" mb="sm">
        What to do next
      </Title>
      <List spacing="md" listStyleType="none" data-testid="next-steps">
        {steps.map((step) => (
          <List.Item key={step.kind} data-testid={`next-step-${step.kind}`}>
            <Step step={step} starting={starting} onRun={onRun} resuming={resuming} onResume={onResume} />
          </List.Item>
        ))}
      </List>
    </Paper>
  );
}

function Step({ step, starting, onRun, resuming, onResume }: { step: NextStep } & Omit<NextStepsProps, 'steps'>): ReactElement {
  switch (step.kind) {
    case 'add-source':
      return (
        <Row text="Add a source: the database to back up (PostgreSQL, MySQL or MariaDB, or a SQLite file)." title="No source yet">
          <Button component="a" href={hashFor('sources')} size="xs">
            Add a source
          </Button>
        </Row>
      );
    case 'add-destination':
      return (
        <Row text="Add a destination: where the backups go (a local folder, an S3 bucket or an SFTP server)." title="No destination yet">
          <Button component="a" href={hashFor('destinations')} size="xs">
            Add a destination
          </Button>
        </Row>
      );
    case 'add-job':
      return (
        <Row text="Add a job: it backs up a source to one or more destinations, by hand or on a schedule. It needs a source and a destination first." title="No job yet">
          <Button component="a" href={hashFor('jobs')} size="xs">
            Add a job
          </Button>
        </Row>
      );
    case 'run-job':
      return (
        <Row
          title={step.jobs.length === 1 ? `Job ${step.jobs[0]!.name} has never run` : `${step.jobs.length} jobs have never run`}
          text={step.jobs.length === 1 ? 'Run it once now, to see that the backup works before you rely on it.' : 'Run each once now, to see that their backups work before you rely on them.'}
        >
          {step.jobs.slice(0, 3).map((job) => (
            <Button key={job.id} size="xs" loading={starting.has(job.id)} onClick={() => onRun(job)}>
              Run {job.name} now
            </Button>
          ))}
        </Row>
      );
    case 'add-schedule':
      return (
        <Row title="No job runs on a schedule" text="Backups run only when you start them. Give a job a schedule so it runs by itself.">
          <Button component="a" href={hashFor('jobs')} size="xs" variant="light">
            Open Jobs
          </Button>
        </Row>
      );
    case 'resume-schedules':
      return (
        <Row title="Every schedule is paused" text="No backup runs by itself until the schedules are resumed. Runs started by hand still work.">
          <Button size="xs" loading={resuming} onClick={onResume}>
            Resume schedules
          </Button>
        </Row>
      );
    case 'start-scheduler':
      return (
        <Row
          title="Nothing runs the schedules now"
          text={
            <>
              {step.scheduledJobs === 1 ? 'One job has' : `${step.scheduledJobs} jobs have`} a schedule, but schedules run only while the Vaultdesk desktop app or{' '}
              <Code>vaultdesk daemon</Code> is open on this data folder, and neither is now. Open one of them (the daemon is the way on a server).
            </>
          }
        >
          <Button component="a" href={hashFor('settings')} size="xs" variant="light">
            Schedule settings
          </Button>
        </Row>
      );
  }
}

function Row({ title, text, children }: { title: string; text: ReactNode; children: ReactNode }): ReactElement {
  return (
    <Group justify="space-between" wrap="nowrap" gap="md" align="center">
      <div style={{ minWidth: 0, flex: 1 }}>
        <Text fw={600} size="sm">
          {title}
        </Text>
        <Text size="sm">{text}</Text>
      </div>
      <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
        {children}
      </Group>
    </Group>
  );
}
