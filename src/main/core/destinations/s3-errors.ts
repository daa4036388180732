import { AppError } from '../../../shared/ipc/result';

export type S3Operation = 'put' | 'get' | 'list' | 'stat' | 'delete' | 'test';

export interface S3ErrorContext {
  op: S3Operation;
  /** Endpoint URL or "AWS S3 (region)". */
  endpoint: string;
  bucket: string;
  key?: string;
}

type SdkError = Error & { code?: string; Code?: string; $metadata?: { httpStatusCode?: number }; cause?: unknown };

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'TimeoutError', 'EPROTO', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID']);
const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_HTTP2_STREAM_ERROR']);

const NEEDS: Record<S3Operation, string> = {
  put: 's3:PutObject (and s3:AbortMultipartUpload)',
  get: 's3:GetObject',
  list: 's3:ListBucket',
  stat: 's3:GetObject',
  delete: 's3:DeleteObject',
  test: 's3:ListAllMyBuckets or s3:ListBucket',
};

/** Reads the few fields that identify an SDK or network error, wherever the SDK put them. */
export function s3ErrorName(error: unknown): string {
  const e = error as SdkError | null;
  const nested = (e?.cause as SdkError | undefined)?.code;
  return e?.Code ?? (e?.name && e.name !== 'Error' ? e.name : undefined) ?? e?.code ?? nested ?? 'UnknownError';
}

export function s3Status(error: unknown): number | undefined {
  return (error as SdkError | null)?.$metadata?.httpStatusCode;
}

export function isS3NotFound(error: unknown): boolean {
  const name = s3ErrorName(error);
  return name === 'NoSuchKey' || name === 'NotFound' || (s3Status(error) === 404 && name !== 'NoSuchBucket');
}

export function isS3AccessDenied(error: unknown): boolean {
  const name = s3ErrorName(error);
  return name === 'AccessDenied' || name === 'Forbidden' || name === 'AllAccessDisabled' || s3Status(error) === 403;
}

/** A conditional write (`If-None-Match: *`) refused: the key holds an object, or another write of it is in progress. */
export function isConditionRefused(error: unknown): boolean {
  const name = s3ErrorName(error);
  return name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || s3Status(error) === 412;
}

/** Turns what the SDK threw into a message that names the endpoint, bucket and the likely fix. */
export function mapS3Error(error: unknown, ctx: S3ErrorContext): AppError {
  if (error instanceof AppError) return error;
  const e = error as SdkError;
  const name = s3ErrorName(error);
  const codeOf = (e?.code ?? (e?.cause as SdkError | undefined)?.code ?? name) as string;
  const object = ctx.key ? `${ctx.key} in bucket ${ctx.bucket}` : `bucket ${ctx.bucket}`;
  const details: Record<string, unknown> = { endpoint: ctx.endpoint, bucket: ctx.bucket, s3Error: name, ...(ctx.key ? { key: ctx.key } : {}) };
  const status = s3Status(error);
  if (status !== undefined) details.httpStatus = status;

  // The SDK renames socket errors to TimeoutError but keeps the system code: the code decides.
  if (CONNECTION_LOST.has(codeOf) || /socket hang up|premature close|^aborted$/i.test(e?.message ?? '')) {
    return new AppError(
      ctx.op === 'put' ? 'DESTINATION_WRITE_FAILED' : 'DESTINATION_UNREACHABLE',
      `The connection to ${ctx.endpoint} was lost while ${ctx.op === 'put' ? 'uploading' : 'working on'} ${object} (${codeOf}).`,
      details,
    );
  }
  if (name === 'TimeoutError' && /inactivity/i.test(e?.message ?? '')) {
    return new AppError('DESTINATION_UNREACHABLE', `The S3 endpoint ${ctx.endpoint} accepted the connection but stopped answering while ${ctx.op === 'put' ? 'uploading' : 'working on'} ${object}: check that the endpoint is an S3 service and that no proxy or firewall holds the connection.`, details);
  }
  if (UNREACHABLE.has(codeOf) || UNREACHABLE.has(name)) {
    return new AppError('DESTINATION_UNREACHABLE', `Cannot reach the S3 endpoint ${ctx.endpoint} (${codeOf}): check the endpoint URL, the network, the proxy and the firewall.`, details);
  }
  switch (name) {
    case 'CredentialsProviderError':
      return new AppError('DESTINATION_AUTH_FAILED', `No S3 credentials: the access key id is blank, so Vaultdesk used the AWS default credential chain (environment, ~/.aws, SSO, instance role) and it found none. Enter an access key, or configure the chain for the user running Vaultdesk.`, details);
    case 'InvalidAccessKeyId':
      return new AppError('DESTINATION_AUTH_FAILED', `${ctx.endpoint} does not know this access key id: check it in the destination settings (and that it is for this provider and region).`, details);
    case 'SignatureDoesNotMatch':
      return new AppError('DESTINATION_AUTH_FAILED', `${ctx.endpoint} rejected the request signature: the secret access key is wrong (or the server clock is far off).`, details);
    case 'RequestTimeTooSkewed':
      return new AppError('DESTINATION_AUTH_FAILED', `${ctx.endpoint} refused the request because this machine's clock is too far off: fix the system time.`, details);
    case 'NoSuchBucket':
      return new AppError('DESTINATION_UNREACHABLE', `Bucket ${ctx.bucket} does not exist at ${ctx.endpoint}: check the bucket name, the region and the endpoint.`, details);
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
      return new AppError('DESTINATION_UNREACHABLE', `Bucket ${ctx.bucket} is not in region or endpoint ${ctx.endpoint}: set the bucket's region in the destination settings.`, details);
    case 'NoSuchKey':
      return new AppError('OBJECT_NOT_FOUND', `There is no object ${object} at ${ctx.endpoint}.`, details);
    case 'AbortError':
      return new AppError('CANCELLED', `The S3 request for ${object} at ${ctx.endpoint} was cancelled.`, details);
  }
  if (isS3AccessDenied(error)) {
    return new AppError('DESTINATION_AUTH_FAILED', `${ctx.endpoint} denied access to ${object} (${name}): the key needs ${NEEDS[ctx.op]} on this bucket${ctx.op === 'put' ? ', and the bucket must not require object lock or a KMS key the user may not use' : ''}.`, details);
  }
  if (ctx.key && isS3NotFound(error)) return new AppError('OBJECT_NOT_FOUND', `There is no object ${object} at ${ctx.endpoint}.`, details);

  const reason = `${name}${e?.message && e.message !== name ? `: ${e.message}` : ''}`;
  if (ctx.op === 'put' || ctx.op === 'delete') {
    return new AppError('DESTINATION_WRITE_FAILED', `S3 ${ctx.op === 'put' ? 'upload of' : 'delete of'} ${object} at ${ctx.endpoint} failed (${reason}).`, details);
  }
  return new AppError('DESTINATION_UNREACHABLE', `S3 request for ${object} at ${ctx.endpoint} failed (${reason}).`, details);
}
