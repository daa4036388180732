import { createHash } from 'node:crypto';
import path from 'node:path';
import { generateIdentity } from 'age-encryption';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../src/main/core/testing/s3-server';
import { expectAccessible } from './fixtures/axe';
import { callBridge } from './fixtures/bridge-api';
import { ledgerSource } from './fixtures/ledger-source';
import { runToSuccess } from './fixtures/runs';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { BackupsPage } from './pages/backups-page';

// Copy link writes to the page's clipboard, which the test reads back.
test.use({ permissions: ['clipboard-read', 'clipboard-write'], locale: 'en-US', timezoneId: 'UTC' });

const BUCKET = 'backups';

let s3: S3TestServer;
test.beforeAll(async () => {
  s3 = await startS3Server({ buckets: [BUCKET] });
});
test.afterAll(async () => {
  await s3?.stop();
});

async function fetchBytes(url: string): Promise<{ status: number; bytes: Buffer }> {
  const response = await fetch(url);
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

test('an S3 backup\'s download link, shown and copied on the Backups page, fetches the stored bytes; a local folder\'s backup offers no link', async ({ page, vaultdesk, scratchDir }, testInfo) => {
  const backups = new BackupsPage(page);
  await backups.open(vaultdesk.url);
  const { source } = await ledgerSource(page, scratchDir);
  const bucket = await callBridge(page, 'destinations:create', {
    kind: 's3',
    name: 'team-bucket',
    provider: 'minio',
    endpoint: s3.endpoint,
    bucket: BUCKET,
    prefix: 'vd',
    accessKeyId: S3RVER_CREDENTIALS.accessKeyId,
    secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey,
  });
  const local = await callBridge(page, 'destinations:create', { kind: 'local', name: 'local-disk', path: path.join(scratchDir, 'backups') });
  const profile = await callBridge(page, 'profiles:create', { kind: 'age', name: 'team', identity: await generateIdentity() });
  const job = await callBridge(page, 'jobs:create', { name: 'ledger-nightly', sourceId: source.id, destinationIds: [bucket.id, local.id], encryption: 'age', profileId: profile.id });
  await runToSuccess(page, job.id, 30_000);
  const [stored] = (await callBridge(page, 'backups:list', { destinationId: bucket.id })).backups;
  expect(stored).toMatchObject({ status: 'complete', destinationKind: 's3', job: 'ledger-nightly' });

  await page.reload();
  await backups.show();
  const onS3 = backups.row('ledger-nightly', 'team-bucket');
  const onDisk = backups.row('ledger-nightly', 'local-disk');
  await expect(onS3).toHaveCount(1);
  await expect(onDisk).toHaveCount(1);

  // BackupRow leaves the link out of a non-S3 backup's menu (not disabled: absent).
  const diskActions = await backups.menuActions(onDisk);
  expect(diskActions.map((a) => a.name)).toContain('Download to a file…');
  expect(diskActions.map((a) => a.name)).not.toContain('Copy download link…');
  expect(await backups.menuActions(onS3)).toContainEqual({ name: 'Copy download link…', enabled: true });

  // The dialog offers no expiry to pick: the link is signed for the contract's default hour.
  const { dialog, url } = await backups.openDownloadLink(onS3);
  const link = new URL(url);
  expect(`${link.origin}${link.pathname}`).toBe(`${s3.endpoint}/${BUCKET}/vd/${stored!.key}`);
  expect(link.searchParams.get('X-Amz-Expires')).toBe('3600');
  const signedAt = Date.parse(link.searchParams.get('X-Amz-Date')!.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  // The words under the link name the moment it stops working (en-US, UTC: see test.use).
  const until = /until (.+?)\. Decrypt/.exec((await dialog.textContent()) ?? '')?.[1];
  expect(Math.abs(Date.parse(`${until} UTC`) - (signedAt + 3600_000)), `dialog says until ${until}`).toBeLessThanOrEqual(2_000);
  expect(await backups.copyDownloadLink(dialog)).toBe(url);
  // The dialog-by-dialog check in layout-and-accessibility has no S3 backup to open this one on.
  await expectAccessible(page, testInfo, 'dialog Download link');

  const fetched = await fetchBytes(url);
  expect(fetched.status).toBe(200);
  expect(fetched.bytes.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
  expect(fetched.bytes.length).toBe(stored!.size);
  expect(sha256(fetched.bytes)).toBe(stored!.sha256);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();

  // A link past its expiry is refused. The dialog always signs for an hour, so this one is asked
  // for through the contract, signed for one second.
  const short = await callBridge(page, 'backups:url', { id: stored!.id, expiresInSeconds: 1 });
  await expect.poll(async () => (await fetchBytes(short.url)).status, { timeout: 10_000 }).toBe(403);
  // No tampered-signature check: s3rver (lib/middleware/authentication.js) never computes V4
  // signatures, so it serves a link whose X-Amz-Signature was changed; only real S3 refuses it.
});
