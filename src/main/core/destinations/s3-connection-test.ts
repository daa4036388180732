import type { S3Client } from '@aws-sdk/client-s3';
import type { S3DestinationConfig } from '../../../shared/domain/dto';
import type { ConnectionTestResult } from './destination';
import { endpointLabel, loadS3Sdk } from './s3-client';
import { isS3AccessDenied, mapS3Error, s3ErrorName, s3Status } from './s3-errors';

export const SCOPED_KEY_MESSAGE = 'This appears to be a bucket-scoped key. Add the bucket names manually.';

/**
 * The check DBAs expect from S3 tools: without a bucket list, ListBuckets (a 403 there means a
 * key limited to some buckets, which is normal for R2/B2/MinIO service accounts); with one,
 * HeadBucket each listed bucket and say which ones this key cannot use.
 */
export async function testS3Connection(client: S3Client, config: S3DestinationConfig): Promise<ConnectionTestResult> {
  const endpoint = endpointLabel(config);
  if (config.buckets.length === 0) return listAll(client, config, endpoint);

  const targets = [...new Set([config.bucket, ...config.buckets].filter(Boolean))];
  const results = await Promise.all(targets.map((bucket) => headBucket(client, bucket, endpoint)));
  const reachable = results.filter((r) => r.ok).map((r) => r.bucket);
  const failing = results.filter((r) => !r.ok);
  const unreachable = failing.find((r) => r.code === 'DESTINATION_UNREACHABLE' && r.reason.startsWith('Cannot reach'));
  if (unreachable && reachable.length === 0) return { success: false, message: unreachable.reason, buckets: [], scopedKey: false };

  let message = `Access to ${reachable.length}/${targets.length} bucket${targets.length === 1 ? '' : 's'} at ${endpoint}`;
  message += failing.length === 0 ? '.' : `; no access to ${failing.map((f) => `${f.bucket} (${f.short})`).join(', ')}.`;
  return { success: failing.length === 0, message, buckets: reachable, scopedKey: false };
}

async function listAll(client: S3Client, config: S3DestinationConfig, endpoint: string): Promise<ConnectionTestResult> {
  try {
    const s3 = await loadS3Sdk();
    const out = await client.send(new s3.ListBucketsCommand({}));
    const names = (out.Buckets ?? []).map((b) => b.Name).filter((n): n is string => Boolean(n));
    if (config.bucket && !names.includes(config.bucket)) {
      return {
        success: false,
        message: `Connected to ${endpoint}, but bucket ${config.bucket} is not among the ${names.length} bucket(s) this key can see${names.length ? ` (${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''})` : ''}. Check the bucket name and region.`,
        buckets: names,
        scopedKey: false,
      };
    }
    return { success: true, message: `Connected to ${endpoint}: bucket ${config.bucket} is there (${names.length} bucket(s) visible to this key).`, buckets: names, scopedKey: false };
  } catch (error) {
    // A scoped key gets AccessDenied on ListBuckets; bad credentials get their own 403 codes.
    if (s3ErrorName(error) === 'AccessDenied') {
      return { success: false, message: SCOPED_KEY_MESSAGE, buckets: [], scopedKey: true };
    }
    return { success: false, message: mapS3Error(error, { op: 'test', endpoint, bucket: config.bucket }).message, buckets: [], scopedKey: false };
  }
}

interface BucketCheck {
  bucket: string;
  ok: boolean;
  code?: string;
  short: string;
  reason: string;
}

async function headBucket(client: S3Client, bucket: string, endpoint: string): Promise<BucketCheck> {
  try {
    const s3 = await loadS3Sdk();
    await client.send(new s3.HeadBucketCommand({ Bucket: bucket }));
    return { bucket, ok: true, short: 'ok', reason: 'ok' };
  } catch (error) {
    const status = s3Status(error);
    const mapped = mapS3Error(error, { op: 'test', endpoint, bucket });
    const short = status === 403 || isS3AccessDenied(error) ? 'access denied' : status === 404 ? 'does not exist' : s3ErrorName(error);
    return { bucket, ok: false, code: mapped.code, short, reason: mapped.message };
  }
}
