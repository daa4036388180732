import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The parts of s3rver (a CommonJS package without types) this fixture uses. */
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  req: IncomingMessage;
  res: ServerResponse;
  status: number;
  body: unknown;
  type: string;
  respond: boolean;
}
interface S3rverInstance {
  middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>)[];
  store: { getResourcePath(bucket: string, key: string | undefined, resource: string): string; existsObject(bucket: string, key: string): Promise<boolean> };
  httpServer?: Server;
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
interface S3rverAccounts {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void; revokeAccessKey(accessKeyId: string): void };
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

/** s3rver accepts only its built-in account's credentials; it checks request signatures against them. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** Switches a test can flip between requests, to get answers s3rver cannot give by itself. */
export interface S3ServerRules {
  /** Answer ListBuckets with 403 AccessDenied, as AWS/R2/B2 do for a bucket-scoped key. */
  denyListBuckets: boolean;
  /** Answer every request to these buckets with 403 AccessDenied. */
  denyBuckets: Set<string>;
  /** Answer GET and HEAD of objects with 403 AccessDenied: a key allowed s3:PutObject and not s3:GetObject. */
  denyObjectReads: boolean;
  /** Cut the TCP connection after `afterBytes` of the body of UploadPart number `partNumber`: a destination dying mid-upload. */
  cutUploadPart: { partNumber: number; afterBytes: number } | null;
  /**
   * What a PutObject or CompleteMultipartUpload with `If-None-Match: *` gets. s3rver ignores the
   * header ('ignored'); 'enforced' answers as AWS S3 does (412 PreconditionFailed when the key holds
   * an object, 409 ConditionalRequestConflict while another conditional write of it is in
   * progress); 'not-implemented' as a gateway that does not know it (501 NotImplemented).
   */
  conditionalWrites: 'ignored' | 'enforced' | 'not-implemented';
  /**
   * The next this many PutObject or CompleteMultipartUpload requests are carried out and their
   * answer lost (the connection dropped instead): the SDK then sends the same request again.
   */
  loseCommitAnswers: number;
}

export interface S3TestServer {
  endpoint: string;
  port: number;
  dir: string;
  rules: S3ServerRules;
  /** UploadPart requests that reached s3rver, so a test can prove an upload really was multipart. */
  readonly partsStored: number;
  /**
   * Makes s3rver accept another key pair besides S3RVER/S3RVER, so a test can use a secret that
   * appears nowhere else (S3RVER is also the access key id). Revoked when the server stops.
   */
  grantKey(accessKeyId: string, secretAccessKey: string): void;
  /** Multipart uploads started and neither completed nor aborted, read from s3rver's store. */
  pendingUploads(bucket: string): Promise<{ key: string; uploadId: string }[]>;
  stop(): Promise<void>;
}

/**
 * A real S3 API server (s3rver) on 127.0.0.1 and a free port, with its store in a temp folder.
 *
 * s3rver does not implement ListMultipartUploads or AbortMultipartUpload (it answers
 * NotImplemented / MethodNotAllowed), and cannot emulate IAM. A small middleware placed in
 * front of its router adds those two calls on top of s3rver's own upload store (the folder its
 * UploadPart and CompleteMultipartUpload use) and applies `rules` for 403s and dropped
 * connections. Everything else is s3rver's own behaviour.
 */
export async function startS3Server(options: { buckets?: string[] } = {}): Promise<S3TestServer> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;
  const accounts = createRequire(import.meta.url)('s3rver/lib/models/account') as S3rverAccounts;
  const granted: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'vaultdesk-s3rver-'));
  const rules: S3ServerRules = { denyListBuckets: false, denyBuckets: new Set(), denyObjectReads: false, cutUploadPart: null, conditionalWrites: 'ignored', loseCommitAnswers: 0 };
  const writing = new Set<string>();
  let partsStored = 0;
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  const uploadsDir = (bucket: string): string => server.store.getResourcePath(bucket, undefined, 'uploads');

  server.middleware.unshift(async (ctx, handle) => {
    let next = handle;
    const [bucket = '', ...rest] = ctx.path.replace(/^\/+/, '').split('/');
    const key = decodeURIComponent(rest.join('/'));
    if (ctx.path === '/' && ctx.method === 'GET' && rules.denyListBuckets) return accessDenied(ctx);
    if (bucket && rules.denyBuckets.has(bucket)) return accessDenied(ctx);
    if (key && rules.denyObjectReads && (ctx.method === 'GET' || ctx.method === 'HEAD')) return accessDenied(ctx);
    if (bucket && !key && ctx.method === 'GET' && 'uploads' in ctx.query) {
      const prefix = typeof ctx.query.prefix === 'string' ? ctx.query.prefix : '';
      const uploads = (await listUploads(uploadsDir(bucket))).filter((u) => u.key.startsWith(prefix));
      ctx.type = 'application/xml';
      ctx.body = listUploadsXml(bucket, prefix, uploads);
      return;
    }
    if (key && ctx.method === 'DELETE' && typeof ctx.query.uploadId === 'string') {
      const folder = path.join(uploadsDir(bucket), path.basename(ctx.query.uploadId));
      if (!(await stat(folder).catch(() => null))) return s3Error(ctx, 404, 'NoSuchUpload', 'The specified upload does not exist.');
      await rm(folder, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    const commits = (ctx.method === 'PUT' && ctx.query.uploadId === undefined) || (ctx.method === 'POST' && typeof ctx.query.uploadId === 'string');
    if (key && commits && rules.loseCommitAnswers > 0) {
      next = async () => {
        await handle();
        if (ctx.status !== 200 || rules.loseCommitAnswers === 0) return;
        rules.loseCommitAnswers -= 1;
        ctx.respond = false;
        ctx.req.socket.destroy();
      };
    }
    if (key && commits && ctx.req.headers['if-none-match'] === '*' && rules.conditionalWrites !== 'ignored') {
      if (rules.conditionalWrites === 'not-implemented') return s3Error(ctx, 501, 'NotImplemented', 'A header you provided implies functionality that is not implemented');
      const name = `${bucket}/${key}`;
      if (writing.has(name)) return s3Error(ctx, 409, 'ConditionalRequestConflict', 'A conflicting operation occurred. If using PutObject you can retry the request.');
      writing.add(name);
      try {
        if (await server.store.existsObject(bucket, key)) return s3Error(ctx, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
        await next();
      } finally {
        writing.delete(name);
      }
      return;
    }
    if (key && ctx.method === 'PUT' && typeof ctx.query.uploadId === 'string') {
      const cut = rules.cutUploadPart;
      if (cut && Number(ctx.query.partNumber) === cut.partNumber) return cutAfter(ctx, cut.afterBytes);
      await next();
      if (ctx.status === 200) partsStored += 1;
      return;
    }
    await next();
  });

  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    dir,
    rules,
    get partsStored() {
      return partsStored;
    },
    grantKey: (accessKeyId, secretAccessKey) => {
      accounts.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
      granted.push(accessKeyId);
    },
    pendingUploads: (bucket) => listUploads(uploadsDir(bucket)).then((list) => list.map(({ key, uploadId }) => ({ key, uploadId }))),
    async stop() {
      for (const key of granted) accounts.DUMMY_ACCOUNT.revokeAccessKey(key);
      server.httpServer?.closeAllConnections();
      await server.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function listUploads(folder: string): Promise<{ key: string; uploadId: string; initiated: Date }[]> {
  const ids = await readdir(folder).catch(() => [] as string[]);
  const uploads = await Promise.all(
    ids.map(async (uploadId) => {
      const key = await readFile(path.join(folder, uploadId, 'key'), 'utf8').catch(() => null);
      const info = await stat(path.join(folder, uploadId)).catch(() => null);
      return key === null || info === null ? null : { key, uploadId, initiated: info.birthtime };
    }),
  );
  return uploads.filter((u): u is { key: string; uploadId: string; initiated: Date } => u !== null).sort((a, b) => a.key.localeCompare(b.key));
}

function listUploadsXml(bucket: string, prefix: string, uploads: { key: string; uploadId: string; initiated: Date }[]): string {
  const items = uploads
    .map((u) => `<Upload><Key>${xml(u.key)}</Key><UploadId>${xml(u.uploadId)}</UploadId><Initiated>${u.initiated.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Bucket>${xml(bucket)}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><Prefix>${xml(prefix)}</Prefix>` +
    `<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${items}</ListMultipartUploadsResult>`
  );
}

function accessDenied(ctx: KoaContext): void {
  s3Error(ctx, 403, 'AccessDenied', 'Access Denied');
}

function s3Error(ctx: KoaContext, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message><RequestId>vaultdesk-test</RequestId></Error>`;
}

/** Reads `limit` bytes of the request body, then drops the connection without an answer. */
function cutAfter(ctx: KoaContext, limit: number): Promise<void> {
  ctx.respond = false;
  return new Promise<void>((resolve) => {
    let seen = 0;
    const drop = (): void => {
      ctx.req.socket.destroy();
      resolve();
    };
    ctx.req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen >= limit) drop();
    });
    ctx.req.on('end', drop);
    ctx.req.on('error', drop);
    ctx.req.on('close', resolve);
  });
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
