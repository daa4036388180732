import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3DestinationConfig } from '../../../shared/domain/dto';
import { OffThreadSha256 } from './s3-hash';

export type S3Sdk = typeof import('@aws-sdk/client-s3');

let sdk: Promise<S3Sdk> | null = null;

/**
 * The AWS SDK, loaded on first use. It is the largest dependency of the backup worker (about a
 * third of the worker's start-up, which every run pays), and most jobs never touch S3.
 */
export function loadS3Sdk(): Promise<S3Sdk> {
  sdk ??= import('@aws-sdk/client-s3').catch((error: unknown) => {
    sdk = null;
    throw error;
  });
  return sdk;
}

export interface S3Secrets {
  secretAccessKey?: string | undefined;
}

/** Endpoints we treat as AWS itself; everything else gets the conservative checksum settings. */
export function isAwsEndpoint(endpoint: string | null): boolean {
  if (endpoint === null) return true;
  try {
    return /(^|\.)amazonaws\.com(\.cn)?$/i.test(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

/** How a DBA recognises this destination in a message: the endpoint URL, or AWS and its region. */
export function endpointLabel(config: S3DestinationConfig): string {
  return config.endpoint ?? `AWS S3 (${config.region})`;
}

/** How long an S3 connection may stay silent mid-request; the SDK then retries (3 attempts in all). */
export const S3_SILENCE_MS = 60_000;

/**
 * The client settings shared by every client of one destination. Credentials are only given
 * when an access key id is set: blank means the AWS default chain (environment, profile files,
 * SSO, instance or task role). Newer SDKs send CRC32 checksums (and aws-chunked bodies) by
 * default, which MinIO, B2, R2 and older gateways reject or mishandle, so non-AWS endpoints
 * only get checksums where the API requires them.
 */
export function s3ClientConfig(config: S3DestinationConfig, secrets: S3Secrets, endpoint: string | null = config.endpoint, silenceMs = S3_SILENCE_MS): S3ClientConfig {
  const options: S3ClientConfig = {
    region: config.region || 'us-east-1',
    forcePathStyle: config.pathStyle,
    // Fail fast on a wrong host instead of the OS's multi-minute TCP timeout; and give up on a
    // connection that goes silent (a server or proxy that accepted it and then stopped answering),
    // which would otherwise wait for ever: the socket's inactivity, so a long upload is not cut.
    requestHandler: { connectionTimeout: 15_000, socketTimeout: silenceMs },
    sha256: OffThreadSha256,
  };
  if (endpoint) options.endpoint = endpoint;
  if (config.accessKeyId) options.credentials = { accessKeyId: config.accessKeyId, secretAccessKey: secrets.secretAccessKey ?? '' };
  if (!isAwsEndpoint(config.endpoint)) {
    options.requestChecksumCalculation = 'WHEN_REQUIRED';
    options.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  return options;
}

type RequestHandler = S3Client['config']['requestHandler'];
type HandleArgs = Parameters<RequestHandler['handle']>;

/**
 * A client whose every HTTP request is torn down when `signal` fires, so a cancelled or failed
 * upload stops sending parts at once rather than finishing them (one could otherwise land after
 * AbortMultipartUpload). Sharing `base`'s handler keeps one connection pool.
 */
export function abortableClient(sdk: S3Sdk, base: S3Client, options: S3ClientConfig, signal: AbortSignal): S3Client {
  const inner: RequestHandler = base.config.requestHandler;
  const handler = {
    handle: (request: HandleArgs[0], handlerOptions?: HandleArgs[1]) => inner.handle(request, { ...handlerOptions, abortSignal: signal }),
    updateHttpClientConfig: (key: never, value: never): void => (inner as { updateHttpClientConfig?: (k: never, v: never) => void }).updateHttpClientConfig?.(key, value),
    httpHandlerConfigs: (): object => (inner as { httpHandlerConfigs?: () => object }).httpHandlerConfigs?.() ?? {},
    // The pool belongs to the destination's main client: destroying this client must not close it.
    destroy: (): void => undefined,
  };
  return new sdk.S3Client({ ...options, requestHandler: handler });
}
