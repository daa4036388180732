import { randomBytes } from 'node:crypto';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { pageText, recordWebSocketFrames } from './fixtures/websocket-recorder';
import { DestinationsPage } from './pages/destinations-page';
import { SourcesPage } from './pages/sources-page';

const secret = (label: string): string => `${label}-${randomBytes(12).toString('hex')}`;

test('the page never receives a secret: not in any WebSocket frame, not in the DOM', async ({ page, vaultdesk }) => {
  const frames = recordWebSocketFrames(page);
  const pgPassword = secret('pg-password');
  const pgNewPassword = secret('pg-new-password');
  const s3Secret = secret('s3-secret');
  const sftpKey = `-----BEGIN OPENSSH PRIVATE KEY-----\n${secret('sftp-key')}\n-----END OPENSSH PRIVATE KEY-----`;
  const secrets = [pgPassword, pgNewPassword, s3Secret, sftpKey.split('\n')[1]!];

  const sources = new SourcesPage(page);
  await sources.open(vaultdesk.url);
  await sources.addServerSource({ engine: 'PostgreSQL', name: 'billing', host: '127.0.0.1', user: 'postgres', password: pgPassword, database: 'billing' });
  await expect(sources.row('billing')).toContainText('password stored');

  // Edit: the stored password is not in the form; a new one replaces it.
  const edit = await sources.edit('billing');
  const password = edit.getByLabel('Password', { exact: true });
  await expect(password).toHaveValue('');
  await expect(password).toHaveAttribute('placeholder', 'stored — leave blank to keep');
  await password.fill(pgNewPassword);
  await sources.save(edit);
  await expect(sources.row('billing')).toContainText('password stored');

  const destinations = new DestinationsPage(page);
  await destinations.show();
  await destinations.addS3({ name: 'minio-lab', provider: 'MinIO', endpoint: 'http://127.0.0.1:9000', bucket: 'backups', accessKeyId: 'vaultdesk', secretAccessKey: s3Secret });
  await expect(destinations.row('minio-lab')).toContainText('secret key stored');

  await page.getByRole('button', { name: 'Add destination' }).click();
  const sftp = destinations.dialog('Add destination');
  await destinations.choose(sftp, 'Kind', 'SFTP server');
  await destinations.fill(sftp, 'Name', 'offsite');
  await destinations.fill(sftp, 'Host', '127.0.0.1');
  await destinations.fill(sftp, 'User', 'backup');
  await destinations.fill(sftp, 'Remote folder', '/srv/backups');
  await sftp.getByText('With a private key', { exact: true }).click();
  await destinations.fill(sftp, 'Private key', sftpKey);
  await destinations.submitTested(sftp, 'Add destination');

  // Open both edit forms: they show which secret is stored, never the secret.
  for (const [name, stored] of [['minio-lab', 'A secret access key is stored.'], ['offsite', 'A private key is stored.']] as const) {
    const form = await destinations.edit(name);
    await expect(form.getByText(stored)).toBeVisible();
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(form).toBeHidden();
  }
  await page.reload();
  await expect(destinations.row('offsite')).toContainText('private key stored');

  // The secrets did go out (write-only), and the lists did come back over the same socket...
  const sent = frames.sent.join('\n');
  for (const value of [pgPassword, pgNewPassword, s3Secret]) expect(sent).toContain(value);
  const received = frames.received.join('\n');
  expect(received).toContain('"billing"');
  expect(received).toContain('"minio-lab"');
  expect(received).toContain('"hasPassword":true');
  // ...but no secret ever came back, nor sits in the page.
  const dom = await pageText(page);
  for (const value of secrets) {
    expect(received, 'a WebSocket frame carried a secret').not.toContain(value);
    expect(dom, 'the DOM holds a secret').not.toContain(value);
  }
});
