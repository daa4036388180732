import { Badge, Tooltip } from '@mantine/core';
import type { ReactElement } from 'react';
import type { ConnectionTestDto } from '../../../shared/domain/dto';
import { formatDateTime } from '../lib/format';

/** A source's or destination's last connection test, for the lists' status column; the tooltip says when and what it found. */
export function LastTestBadge({ test, what }: { test: ConnectionTestDto | null; what: string }): ReactElement {
  if (!test) {
    return (
      <Tooltip label={`${what} has not been tested since its settings were saved. Test it from this row.`} multiline w={280} withArrow>
        <Badge color="gray" variant="light" data-testid="last-test">
          not tested
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Tooltip label={`${test.success ? 'Test passed' : 'Test failed'} ${formatDateTime(test.at)}: ${test.message}`} multiline w={320} withArrow>
      <Badge color={test.success ? 'teal' : 'red'} variant="light" data-testid="last-test">
        {test.success ? 'test passed' : 'last test failed'}
      </Badge>
    </Tooltip>
  );
}
