import { Button, Modal, MultiSelect, Stack, Switch, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { ReactElement } from 'react';
import type { DestinationDto, EnvironmentDto } from '../../../../shared/domain/dto';
import { api } from '../../api';
import { ConfirmDeleteModal } from '../../components/ConfirmDeleteModal';
import { FormFooter } from '../../components/FormFooter';
import { LongText } from '../../components/LongText';
import { RowActions } from '../../components/RowActions';
import { Section } from '../../components/Section';
import { topLevelField } from '../../lib/form-errors';
import { useDialog } from '../../lib/use-dialog';
import { useFormSubmit } from '../../lib/use-form-submit';
import { useLiveQuery } from '../../lib/use-live-query';

interface EnvironmentValues {
  name: string;
  description: string;
  allowAllDestinations: boolean;
  allowedDestinationIds: string[];
}

const fieldFor = topLevelField('name', 'description', 'allowAllDestinations', 'allowedDestinationIds');

function allowedSummary(env: EnvironmentDto, destinations: DestinationDto[]): string {
  if (env.allowAllDestinations) return 'all destinations';
  const names = destinations.filter((d) => env.allowedDestinationIds.includes(d.id)).map((d) => d.name);
  return names.length ? names.join(', ') : 'none';
}

/** Environments (production, staging...) say which destinations their sources' jobs may use. */
export function EnvironmentsPanel(): ReactElement {
  const environments = useLiveQuery(() => api.environments.list({}));
  const destinations = useLiveQuery(() => api.destinations.list({}));
  const editing = useDialog<EnvironmentDto | null>();
  const deleting = useDialog<EnvironmentDto>();
  const list = environments.data ?? [];
  const dests = destinations.data ?? [];
  return (
    <Section
      title="Environments"
      description="Each source belongs to an environment; an environment can restrict which destinations its jobs may use."
      action={
        <Button variant="default" onClick={() => editing.open(null)}>
          Add environment
        </Button>
      }
    >
      {list.length === 0 ? (
        <Text size="sm" c="dimmed">
          {environments.error ? environments.error.message : 'None yet. The first source you add creates the "default" environment.'}
        </Text>
      ) : (
        <Table verticalSpacing="xs" layout="fixed" aria-label="Environments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="24%">Name</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th w={80}>Sources</Table.Th>
              <Table.Th w="22%">May use</Table.Th>
              <Table.Th w={100}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((env) => (
              <Table.Tr key={env.id}>
                <Table.Td fw={500} style={{ overflowWrap: 'anywhere' }}>
                  {env.name}
                </Table.Td>
                <Table.Td>
                  <LongText lines={3}>{env.description}</LongText>
                </Table.Td>
                <Table.Td>{env.sourceCount}</Table.Td>
                <Table.Td>
                  <LongText lines={3}>{allowedSummary(env, dests)}</LongText>
                </Table.Td>
                <Table.Td>
                  <RowActions
                    what={`environment ${env.name}`}
                    primary={{ label: 'Edit', ariaLabel: `Edit environment ${env.name}`, onClick: () => editing.open(env) }}
                    more={[{ label: 'Delete', danger: true, onClick: () => deleting.open(env) }]}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={editing.opened} onClose={editing.close} title={editing.target ? `Edit environment ${editing.target.name}` : 'Add environment'} size="md">
        <EnvironmentForm key={editing.target?.id ?? 'new'} environment={editing.target} destinations={dests} onClose={editing.close} />
      </Modal>
      <ConfirmDeleteModal
        opened={deleting.opened}
        what={`environment "${deleting.target?.name ?? ''}"`}
        onConfirm={() => api.environments.delete({ id: deleting.target!.id })}
        onClose={deleting.close}
      />
    </Section>
  );
}

function EnvironmentForm({ environment, destinations, onClose }: { environment: EnvironmentDto | null; destinations: DestinationDto[]; onClose: () => void }): ReactElement {
  const form = useForm<EnvironmentValues>({
    mode: 'controlled',
    initialValues: {
      name: environment?.name ?? '',
      description: environment?.description ?? '',
      allowAllDestinations: environment?.allowAllDestinations ?? true,
      allowedDestinationIds: environment?.allowedDestinationIds ?? [],
    },
  });
  const { onSubmit, busy, general } = useFormSubmit(
    form,
    fieldFor,
    (v) => (environment ? api.environments.update({ id: environment.id, ...v }) : api.environments.create(v)),
    (saved) => {
      notifications.show({ color: 'teal', title: 'Environment saved', message: `Environment "${saved.name}" is saved.` });
      onClose();
    },
  );
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <TextInput label="Name" placeholder="production" data-autofocus {...form.getInputProps('name')} />
        <TextInput label="Description" {...form.getInputProps('description')} />
        <Switch label="May use every destination" {...form.getInputProps('allowAllDestinations', { type: 'checkbox' })} />
        {!form.values.allowAllDestinations && (
          <MultiSelect
            label="Allowed destinations"
            description="Jobs of this environment's sources may only use these"
            data={destinations.map((d) => ({ value: d.id, label: d.name }))}
            {...form.getInputProps('allowedDestinationIds')}
          />
        )}
      </Stack>
      <FormFooter general={general} busy={busy} submitLabel={environment ? 'Save changes' : 'Add environment'} onCancel={onClose} />
    </form>
  );
}
