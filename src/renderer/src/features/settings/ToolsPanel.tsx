import { Alert, Badge, Code, Modal, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState, type ReactElement } from 'react';
import type { ToolName, ToolStatusDto } from '../../../../shared/domain/dto';
import { api, asAppError } from '../../api';
import { FormFooter } from '../../components/FormFooter';
import { LoadState } from '../../components/LoadState';
import { RowActions } from '../../components/RowActions';
import { Section } from '../../components/Section';
import { useDialog } from '../../lib/use-dialog';
import { useFormSubmit } from '../../lib/use-form-submit';
import { useLiveQuery } from '../../lib/use-live-query';

const LABELS: Record<ToolName, string> = {
  pg_dump: 'pg_dump',
  pg_dumpall: 'pg_dumpall',
  pg_restore: 'pg_restore',
  psql: 'psql',
  mysqldump: 'mysqldump (mariadb-dump)',
  mysql: 'mysql (mariadb)',
  '7z': '7-Zip',
};

const PLACEHOLDERS: Record<ToolName, string> = {
  pg_dump: '/usr/lib/postgresql/17/bin/pg_dump',
  pg_dumpall: '/usr/lib/postgresql/17/bin/pg_dumpall',
  pg_restore: '/usr/lib/postgresql/17/bin/pg_restore',
  psql: '/usr/lib/postgresql/17/bin/psql',
  mysqldump: '/usr/local/mysql/bin/mysqldump',
  mysql: '/usr/local/mysql/bin/mysql',
  '7z': '/opt/7zip/7zz',
};

/**
 * The client tools and 7-Zip as a run would find them on the machine Vaultdesk runs on: the path
 * set here, or the search's. A DBA sees which pg_dump a backup will use before it runs, and sets
 * another where the search finds the wrong one (an older client first on the PATH).
 */
export function ToolsPanel(): ReactElement {
  // Each load starts every tool once (--version, 7-Zip's banner): only a change of the settings (a tool's path) can change the answer.
  const tools = useLiveQuery(() => api.settings.tools({}), { on: ['settings'] });
  const editing = useDialog<ToolStatusDto>();
  const [clearError, setClearError] = useState<string | null>(null);
  const search = async (tool: ToolName): Promise<void> => {
    setClearError(null);
    try {
      await api.settings.setToolPath({ tool, path: null });
    } catch (error) {
      setClearError(asAppError(error).message);
    }
  };
  return (
    <Section
      title="Client tools"
      description="The database tools and 7-Zip that backups and restores start on the machine Vaultdesk runs on: the path set here, or the one found on the PATH and in the usual install folders."
    >
      {!tools.data ? (
        <LoadState loading={tools.loading} error={tools.error} empty="" onRetry={tools.reload} />
      ) : (
        <Stack gap="sm">
          <Table verticalSpacing="xs" layout="fixed" aria-label="Client tools">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w="20%">Tool</Table.Th>
                <Table.Th>Path</Table.Th>
                <Table.Th w="30%">Version</Table.Th>
                <Table.Th w={150}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tools.data.map((s) => (
                <Table.Tr key={s.tool} data-testid={`tool-${s.tool}`}>
                  <Table.Td fw={500}>{LABELS[s.tool]}</Table.Td>
                  <Table.Td>
                    <Stack gap={2} align="flex-start">
                      {s.path ?? s.configured ? <Code style={{ overflowWrap: 'anywhere' }}>{s.path ?? s.configured}</Code> : <Text size="sm">Not found</Text>}
                      <Badge size="xs" variant="light" color={s.configured ? 'blue' : 'gray'}>
                        {s.configured ? 'set here' : 'found by searching'}
                      </Badge>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    {s.version ? (
                      <Text size="sm">{s.version}</Text>
                    ) : (
                      <Text size="sm" c="red" style={{ overflowWrap: 'anywhere' }} data-testid="tool-problem">
                        {s.error}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <RowActions
                      what={LABELS[s.tool]}
                      primary={{ label: 'Set path', ariaLabel: `Set path of ${LABELS[s.tool]}`, onClick: () => editing.open(s) }}
                      more={s.configured ? [{ label: 'Search for it instead', onClick: () => void search(s.tool) }] : []}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {clearError && (
            <Alert color="red" role="alert" title="Could not change the setting">
              {clearError}
            </Alert>
          )}
        </Stack>
      )}
      <Modal opened={editing.opened} onClose={editing.close} title={editing.target ? `Where ${LABELS[editing.target.tool]} is` : ''} size="lg">
        {editing.target && <ToolPathForm key={editing.target.tool} status={editing.target} onClose={editing.close} />}
      </Modal>
    </Section>
  );
}

function ToolPathForm({ status, onClose }: { status: ToolStatusDto; onClose: () => void }): ReactElement {
  const form = useForm<{ path: string }>({ mode: 'controlled', initialValues: { path: status.configured ?? status.path ?? '' } });
  const { onSubmit, busy, general } = useFormSubmit(
    form,
    (field) => (field === 'path' ? 'path' : null),
    (v) => api.settings.setToolPath({ tool: status.tool, path: v.path.trim() }),
    () => {
      notifications.show({ color: 'teal', title: 'Tool path saved', message: `${LABELS[status.tool]} is now taken from the path set here.` });
      onClose();
    },
  );
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          Backups and restores start this binary instead of searching for one. The list then says whether it answers and its version; while the path is not
          there, the runs that need it fail and say so.
        </Text>
        <TextInput
          label={`Path of ${LABELS[status.tool]}`}
          description="Absolute path of the executable on the machine Vaultdesk runs on"
          placeholder={PLACEHOLDERS[status.tool]}
          data-autofocus
          {...form.getInputProps('path')}
        />
      </Stack>
      <FormFooter general={general} busy={busy} submitLabel="Save path" onCancel={onClose} />
    </form>
  );
}
