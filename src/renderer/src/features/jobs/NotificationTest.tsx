import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { NotificationOutcomeDto } from '../../../../shared/domain/dto';
import type { AppError } from '../../../../shared/ipc/result';
import { api, asAppError } from '../../api';

/**
 * Sends a test through every channel the saved job reaches (its webhook, its Healthchecks URL,
 * the global webhook, the desktop) and shows what each did. It tests what is saved, so with
 * unsaved address changes it asks to save first rather than test the old addresses.
 */
export function NotificationTest({ jobId, unsaved }: { jobId: string | null; unsaved: boolean }): ReactElement {
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<NotificationOutcomeDto[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const answer = useRef<HTMLDivElement>(null);
  // The answer appears below the button, at the bottom of a long section: bring it above the sticky footer.
  useEffect(() => {
    if (outcomes || error) answer.current?.scrollIntoView({ block: 'nearest' });
  }, [outcomes, error]);
  const send = async (): Promise<void> => {
    if (!jobId) return;
    setBusy(true);
    setError(null);
    setOutcomes(null);
    try {
      setOutcomes(await api.notifications.test({ jobId }));
    } catch (err) {
      setError(asAppError(err));
    } finally {
      setBusy(false);
    }
  };
  const why = !jobId ? 'Save the job first: the test uses its saved addresses.' : unsaved ? 'Save first: the test uses the saved addresses, not the ones changed above.' : null;
  return (
    <Stack gap="xs">
      <Group gap="sm">
        <Button variant="light" size="xs" onClick={() => void send()} loading={busy} disabled={why !== null}>
          Send test notification
        </Button>
        {why && <Text size="xs">{why}</Text>}
      </Group>
      <div ref={answer} style={{ scrollMarginBottom: 100 }}>
        {error && (
          <Alert color="red" title="Not sent" role="alert">
            {error.message}
          </Alert>
        )}
        {outcomes && (
          <Table verticalSpacing={4} fz="sm" aria-label="Test notification outcome">
            <Table.Tbody>
              {outcomes.map((o) => (
                <Table.Tr key={`${o.channel}/${o.target}`} data-testid="notification-outcome">
                  <Table.Td w={130}>{o.channel}</Table.Td>
                  <Table.Td w={80}>
                    <OutcomeBadge outcome={o} />
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>
                    {o.target}: {o.message}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </div>
    </Stack>
  );
}

/** A desktop notification nobody can show (no desktop app on this core) is not a failure of the job's settings. */
function OutcomeBadge({ outcome }: { outcome: NotificationOutcomeDto }): ReactElement {
  if (outcome.ok) {
    return (
      <Badge color="teal" variant="light">
        sent
      </Badge>
    );
  }
  return outcome.channel === 'desktop' ? (
    <Badge color="gray" variant="light">
      not shown
    </Badge>
  ) : (
    <Badge color="red" variant="filled">
      failed
    </Badge>
  );
}
