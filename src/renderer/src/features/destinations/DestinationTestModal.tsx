import { Badge, Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { DestinationDto } from '../../../../shared/domain/dto';
import { api } from '../../api';
import { TestOutcome } from '../../components/TestOutcome';
import { useCall } from '../../lib/use-call';
import { destinationLocation } from './destination-form';

export function DestinationTestModal({ destination, opened, onClose }: { destination: DestinationDto | null; opened: boolean; onClose: () => void }): ReactElement {
  return (
    <Modal opened={opened} onClose={onClose} title={`Test destination ${destination?.name ?? ''}`} size="md">
      {destination && opened && <DestinationTest key={destination.id} destination={destination} onClose={onClose} />}
    </Modal>
  );
}

function DestinationTest({ destination, onClose }: { destination: DestinationDto; onClose: () => void }): ReactElement {
  const check = useCall(() => api.destinations.test({ id: destination.id }));
  const result = check.data;
  return (
    <Stack gap="md">
      <Text size="sm" ff="monospace" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
        {destinationLocation(destination)}
      </Text>
      <TestOutcome
        loading={check.loading}
        // Nothing is connected for a local folder: it is checked (reached, written to, cleaned up).
        pending={destination.kind === 'local' ? 'Checking the folder…' : `Connecting to ${destination.name}…`}
        error={check.error}
        result={result ? { success: result.success, title: result.success ? 'Destination reachable' : 'Test failed', message: result.message } : null}
      >
        {result?.scopedKey && (
          <Text size="sm" mt="xs">
            This key may only use named buckets. Edit the destination and list them under "Buckets to check", then test again.
          </Text>
        )}
        {result?.buckets && result.buckets.length > 0 && (
          <Group gap={6} mt="xs" aria-label="Reachable buckets" role="list">
            <Text size="sm">Reachable buckets:</Text>
            {result.buckets.map((b) => (
              <Badge key={b} variant="outline" color="gray" tt="none" role="listitem">
                {b}
              </Badge>
            ))}
          </Group>
        )}
      </TestOutcome>
      <Group justify="flex-end">
        <Button variant="default" onClick={check.retry} disabled={check.loading}>
          Test again
        </Button>
        <Button onClick={onClose}>Close</Button>
      </Group>
    </Stack>
  );
}
