import type { S3Provider } from '../../../../shared/domain/dto';

export interface S3ProviderInfo {
  value: S3Provider;
  label: string;
  /** Which of the preset's inputs the form shows, and whether they are required. */
  region: 'required' | 'optional' | 'none';
  endpoint: 'required' | 'none';
  account: boolean;
  regionPlaceholder: string;
  /** Virtual-host style for the big clouds, path style for self-hosted servers. */
  pathStyle: boolean;
}

export const S3_PROVIDERS: readonly S3ProviderInfo[] = [
  { value: 'aws', label: 'Amazon S3', region: 'optional', endpoint: 'none', account: false, regionPlaceholder: 'us-east-1', pathStyle: false },
  { value: 'minio', label: 'MinIO', region: 'optional', endpoint: 'required', account: false, regionPlaceholder: 'us-east-1', pathStyle: true },
  { value: 'r2', label: 'Cloudflare R2', region: 'none', endpoint: 'none', account: true, regionPlaceholder: 'auto', pathStyle: false },
  { value: 'b2', label: 'Backblaze B2', region: 'required', endpoint: 'none', account: false, regionPlaceholder: 'us-west-004', pathStyle: false },
  { value: 'wasabi', label: 'Wasabi', region: 'optional', endpoint: 'none', account: false, regionPlaceholder: 'us-east-1', pathStyle: false },
  { value: 'spaces', label: 'DigitalOcean Spaces', region: 'required', endpoint: 'none', account: false, regionPlaceholder: 'nyc3', pathStyle: false },
  { value: 'custom', label: 'Other S3-compatible service', region: 'optional', endpoint: 'required', account: false, regionPlaceholder: 'us-east-1', pathStyle: true },
];

export function providerInfo(provider: S3Provider): S3ProviderInfo {
  return S3_PROVIDERS.find((p) => p.value === provider) ?? S3_PROVIDERS[0]!;
}

/** The endpoint a preset will use, to show under the region field before saving. */
export function presetEndpoint(provider: S3Provider, region: string, account: string): string | null {
  const r = region.trim();
  switch (provider) {
    case 'aws':
      return `https://s3.${r || 'us-east-1'}.amazonaws.com`;
    case 'spaces':
      return r ? `https://${r}.digitaloceanspaces.com` : null;
    case 'wasabi':
      return `https://s3.${r || 'us-east-1'}.wasabisys.com`;
    case 'b2':
      return r ? `https://s3.${r}.backblazeb2.com` : null;
    case 'r2':
      return account.trim() ? `https://${account.trim()}.r2.cloudflarestorage.com` : null;
    case 'minio':
    case 'custom':
      return null;
  }
}
