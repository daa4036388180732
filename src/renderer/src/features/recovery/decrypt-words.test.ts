import { describe, expect, it } from 'vitest';
import { decryptFailureHeadline, decryptField, suggestedOutput } from './decrypt-words';

describe('decrypt words', () => {
  it('names each failure kind, and nothing for others', () => {
    expect(decryptFailureHeadline('wrong-key')).toBe('Wrong key');
    expect(decryptFailureHeadline('truncated')).toBe('The file is truncated');
    expect(decryptFailureHeadline(undefined)).toBeNull();
    expect(decryptFailureHeadline('something-new')).toBeNull();
  });

  it('puts an error under the field the core names', () => {
    expect(decryptField('out')).toBe('out');
    expect(decryptField('identity')).toBe('identity');
    expect(decryptField('decompress')).toBeNull();
  });

  it('suggests an output beside the backup, without .age and the compression undone', () => {
    expect(suggestedOutput('/b/shop/20261130T091500Z.dump.zst.age', true)).toBe('/b/shop/20261130T091500Z.dump');
    expect(suggestedOutput('/b/shop/20261130T091500Z.dump.zst.age', false)).toBe('/b/shop/20261130T091500Z.dump.zst');
    expect(suggestedOutput('/b/shop.7z', true)).toBe('/b/shop.7z.decrypted');
  });
});
