import { Badge, Center, Group, Loader, Modal, Tabs } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import type { DestinationDto, JobDto, ProfileDto, SourceDto } from '../../../../shared/domain/dto';
import { api } from '../../api';
import { FormFooter } from '../../components/FormFooter';
import { useFormSubmit } from '../../lib/use-form-submit';
import { emptyJobValues, followedDefaults, jobValues, listDefaults, toCreateInput, toUpdateInput, validateJobValues, type JobFormValues } from './job-form';
import { errorsBySection, firstSectionWithError, JOB_SECTIONS, jobFieldFor, type JobSection } from './job-form-sections';
import { HooksEditor } from './HooksEditor';
import { JobAdvancedFields } from './JobAdvancedFields';
import { JobWhatFields } from './JobWhatFields';
import { RetentionEditor } from './RetentionEditor';
import { ScheduleEditor } from './ScheduleEditor';

export interface JobFormModalProps {
  opened: boolean;
  /** null: add a new job. */
  job: JobDto | null;
  sources: SourceDto[];
  destinations: DestinationDto[];
  profiles: ProfileDto[];
  /**
   * The lists above are still loading. A new job's defaults (the default destination, the only
   * profile) are taken from them when the form opens, so it waits for them.
   */
  loading: boolean;
  onClose: () => void;
}

/**
 * Built from Modal's parts so the section tabs sit in the modal's sticky header: whichever
 * section is long, its name and the others stay in view, as the buttons do in the footer.
 */
export function JobFormModal(props: JobFormModalProps): ReactElement {
  const { opened, job, onClose } = props;
  return (
    // Top-aligned, not centred: switching to a shorter section must not make the dialog jump.
    <Modal.Root opened={opened} onClose={onClose} size="xl" centered={false} yOffset="4dvh">
      <Modal.Overlay />
      <Modal.Content>
        {props.loading ? (
          <>
            <Modal.Header>
              <Modal.Title>{job ? `Edit job ${job.name}` : 'Add job'}</Modal.Title>
              <Modal.CloseButton aria-label="Close dialog" />
            </Modal.Header>
            <Modal.Body>
              <Center py="xl">
                <Loader size="sm" aria-label="Loading sources, destinations and profiles" />
              </Center>
            </Modal.Body>
          </>
        ) : (
          <JobForm key={job?.id ?? 'new'} {...props} />
        )}
      </Modal.Content>
    </Modal.Root>
  );
}

const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function JobForm({ job, sources, destinations, profiles, onClose }: Omit<JobFormModalProps, 'opened' | 'loading'>): ReactElement {
  const defaultDestination = destinations.find((d) => d.isDefault)?.id ?? null;
  const form = useForm<JobFormValues>({
    mode: 'controlled',
    initialValues: job ? jobValues(job) : emptyJobValues(defaultDestination, LOCAL_ZONE, profiles),
    validate: validateJobValues,
  });
  const { onSubmit, busy, general } = useFormSubmit(
    form,
    jobFieldFor,
    (v) => (job ? api.jobs.update(toUpdateInput(job, v)) : api.jobs.create(toCreateInput(v))),
    (saved) => {
      notifications.show({ color: 'teal', title: job ? 'Job saved' : 'Job added', message: `Job "${saved.name}" is saved.` });
      onClose();
    },
  );
  // A new job's form follows the lists until the DBA picks (see followedDefaults). Only a change
  // of the lists is followed; form is left out: it is a new object each render.
  const given = useRef(listDefaults(destinations, profiles));
  useEffect(() => {
    if (job) return;
    const changes = followedDefaults(form.getValues(), given.current, listDefaults(destinations, profiles));
    if (!changes) return;
    given.current = { ...given.current, ...changes };
    form.setValues(changes);
  }, [destinations, profiles, job]);
  const [tab, setTab] = useState<JobSection>('what');
  const counts = errorsBySection(form.errors);
  // After a refused save, show the section holding the first problem unless the current one has one.
  const submitted = useRef(false);
  useEffect(() => {
    if (!submitted.current) return;
    const first = firstSectionWithError(form.errors);
    if (!first) return;
    submitted.current = false;
    setTab((current) => (errorsBySection(form.errors)[current] ? current : first));
  }, [form.errors]);
  const submit = (event?: FormEvent<HTMLFormElement>): void => {
    submitted.current = true;
    onSubmit(event);
  };
  return (
    <Tabs value={tab} onChange={(value) => value && setTab(value as JobSection)} keepMounted>
      <Modal.Header style={{ flexDirection: 'column', alignItems: 'stretch', paddingBottom: 0, paddingInlineEnd: 'var(--mb-padding, var(--mantine-spacing-md))' }}>
        <Group justify="space-between" wrap="nowrap">
          <Modal.Title>{job ? `Edit job ${job.name}` : 'Add job'}</Modal.Title>
          <Modal.CloseButton aria-label="Close dialog" />
        </Group>
        <Tabs.List mt="xs">
          {JOB_SECTIONS.map((s) => (
            <Tabs.Tab
              key={s.value}
              value={s.value}
              rightSection={
                counts[s.value] ? (
                  <Badge size="xs" color="red" circle aria-label={`${counts[s.value]} to fix`}>
                    {counts[s.value]}
                  </Badge>
                ) : null
              }
            >
              {s.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Modal.Header>
      <Modal.Body>
        <form onSubmit={submit} noValidate>
          <Tabs.Panel value="what">
            <JobWhatFields form={form} sources={sources} destinations={destinations} profiles={profiles} />
          </Tabs.Panel>
          <Tabs.Panel value="when">
            <ScheduleEditor form={form} />
          </Tabs.Panel>
          <Tabs.Panel value="keep">
            <RetentionEditor form={form} job={job} />
          </Tabs.Panel>
          <Tabs.Panel value="hooks">
            <HooksEditor form={form} job={job} />
          </Tabs.Panel>
          <Tabs.Panel value="advanced">
            <JobAdvancedFields form={form} />
          </Tabs.Panel>
          <FormFooter general={general} busy={busy} submitLabel={job ? 'Save job' : 'Add job'} onCancel={onClose} />
        </form>
      </Modal.Body>
    </Tabs>
  );
}
