import type { S3Provider } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';

export interface S3PresetInput {
  provider: S3Provider;
  region?: string | undefined;
  endpoint?: string | null | undefined;
  pathStyle?: boolean | undefined;
  account?: string | null | undefined;
  buckets?: string[] | undefined;
  bucket: string;
}

export interface S3Resolved {
  region: string;
  endpoint: string | null;
  pathStyle: boolean;
}

const fail = (field: string, message: string): never => {
  throw new AppError('VALIDATION_FAILED', message, { field });
};

/**
 * Fills in what each S3-compatible service expects, so a DBA only picks the provider and a
 * region. An explicit endpoint always wins.
 */
export function resolveS3Preset(input: S3PresetInput): S3Resolved {
  const region = input.region?.trim() || '';
  const explicit = input.endpoint ?? null;
  switch (input.provider) {
    case 'aws':
      return { region: region || 'us-east-1', endpoint: explicit, pathStyle: input.pathStyle ?? false };
    case 'spaces': {
      const r = region || fail('region', 'DigitalOcean Spaces needs a region (for example nyc3).');
      return { region: r, endpoint: explicit ?? `https://${r}.digitaloceanspaces.com`, pathStyle: input.pathStyle ?? false };
    }
    case 'wasabi': {
      const r = region || 'us-east-1';
      return { region: r, endpoint: explicit ?? `https://s3.${r}.wasabisys.com`, pathStyle: input.pathStyle ?? false };
    }
    case 'b2': {
      const r = region || fail('region', 'Backblaze B2 needs the region of the bucket (for example us-west-004).');
      return { region: r, endpoint: explicit ?? `https://s3.${r}.backblazeb2.com`, pathStyle: input.pathStyle ?? false };
    }
    case 'r2': {
      const account = input.account?.trim() || (explicit ? '' : fail('account', 'Cloudflare R2 needs the account id (the first part of {account}.r2.cloudflarestorage.com).'));

      return { region: 'auto', endpoint: explicit ?? `https://${account}.r2.cloudflarestorage.com`, pathStyle: input.pathStyle ?? false };
    }
    case 'minio':
    case 'custom': {
      const endpoint = explicit || fail('endpoint', `A ${input.provider === 'minio' ? 'MinIO' : 'custom S3'} destination needs its endpoint URL.`);
      return { region: region || 'us-east-1', endpoint, pathStyle: input.pathStyle ?? true };
    }
  }
}
