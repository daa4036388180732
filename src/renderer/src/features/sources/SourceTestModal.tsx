import { Badge, Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { SourceDto } from '../../../../shared/domain/dto';
import type { InvokeResult } from '../../../../shared/ipc/contract';
import type { AppError } from '../../../../shared/ipc/result';
import { api, asAppError } from '../../api';
import { TestOutcome } from '../../components/TestOutcome';
import { useCall } from '../../lib/use-call';
import { sourceLocation } from './source-form';

interface SourceCheck {
  test: InvokeResult<'sources:test'>;
  /** Server sources only, when the test passed. */
  databases: string[] | null;
  databasesError: AppError | null;
}

async function checkSource(source: SourceDto): Promise<SourceCheck> {
  const test = await api.sources.test({ id: source.id });
  if (!test.success || source.engine === 'sqlite') return { test, databases: null, databasesError: null };
  try {
    return { test, databases: await api.sources.databases({ id: source.id }), databasesError: null };
  } catch (error) {
    return { test, databases: null, databasesError: asAppError(error) };
  }
}

export function SourceTestModal({ source, opened, onClose }: { source: SourceDto | null; opened: boolean; onClose: () => void }): ReactElement {
  return (
    <Modal opened={opened} onClose={onClose} title={`Test source ${source?.name ?? ''}`} size="md">
      {source && opened && <SourceTest key={source.id} source={source} onClose={onClose} />}
    </Modal>
  );
}

function SourceTest({ source, onClose }: { source: SourceDto; onClose: () => void }): ReactElement {
  const check = useCall(() => checkSource(source));
  const result = check.data;
  return (
    <Stack gap="md">
      <Text size="sm" ff="monospace" c="dimmed">
        {sourceLocation(source)}
      </Text>
      <TestOutcome
        loading={check.loading}
        pending={`Connecting to ${source.name}…`}
        error={check.error}
        result={result ? { success: result.test.success, title: result.test.success ? `Connected: ${result.test.serverVersion}` : 'Test failed', message: result.test.message } : null}
      />
      {result?.databases && (
        <div>
          <Text size="sm" fw={500} mb={4}>
            Databases on this server ({result.databases.length})
          </Text>
          {result.databases.length === 0 ? (
            <Text size="sm" c="dimmed">
              This user sees no databases.
            </Text>
          ) : (
            <Group gap={6} aria-label="Databases on this server" role="list">
              {result.databases.map((db) => (
                <Badge key={db} variant="outline" color="gray" tt="none" role="listitem">
                  {db}
                </Badge>
              ))}
            </Group>
          )}
        </div>
      )}
      {result?.databasesError && (
        <Text size="sm" c="red">
          Connected, but the databases could not be listed: {result.databasesError.message}
        </Text>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={check.retry} disabled={check.loading}>
          Test again
        </Button>
        <Button onClick={onClose}>Close</Button>
      </Group>
    </Stack>
  );
}
