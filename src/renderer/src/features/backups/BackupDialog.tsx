import { Modal, type ModalProps } from '@mantine/core';
import { Fragment, type ReactElement, type ReactNode } from 'react';
import type { BackupDto } from '../../../../shared/domain/backups';
import { backupName } from './backup-words';

export interface BackupDialogProps {
  /** Kept after closing (see useDialog), so the closing animation still shows the dialog. */
  backup: BackupDto | null;
  /** The backup's name on the page (rowNames), unique among its rows; backupName(backup) when the page has none for it. */
  name: string | undefined;
  opened: boolean;
  onClose: () => void;
  title: string;
  size: ModalProps['size'];
  /** False for a dialog that follows a running restore or drill: a stray click must not lose its view. */
  closeOnClickOutside?: boolean;
  children: (backup: BackupDto, name: string) => ReactNode;
}

/** What the page hands each backup dialog: the backup, its name on the page, and whether it shows. */
export type BackupDialogTarget = Pick<BackupDialogProps, 'backup' | 'name' | 'opened' | 'onClose'>;

/**
 * The frame of a dialog about one backup. The body is mounted only while open with a backup, so
 * it starts its calls (verify, sign a link …) on opening and not before; and it is remounted for
 * each backup, so nothing typed or fetched for one shows in the dialog of the next.
 */
export function BackupDialog({ backup, name, opened, onClose, title, size, closeOnClickOutside = true, children }: BackupDialogProps): ReactElement {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size} closeOnClickOutside={closeOnClickOutside}>
      {backup && opened && <Fragment key={backup.id}>{children(backup, name ?? backupName(backup))}</Fragment>}
    </Modal>
  );
}
