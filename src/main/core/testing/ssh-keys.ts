import ssh2 from 'ssh2';

/**
 * A new ed25519 key pair in OpenSSH format that ssh2 itself can read back. ssh2's generator
 * writes, about once in 250 keys, one its own parser refuses ("Malformed OpenSSH private key"),
 * which made a test that meant to offer a stranger's key fail on reading it instead.
 */
export function ed25519KeyPair(options: { passphrase?: string; cipher?: string; rounds?: number; comment?: string } = {}): { private: string; public: string } {
  for (let attempt = 0; ; attempt += 1) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', options);
    if (!(ssh2.utils.parseKey(pair.private, options.passphrase) instanceof Error)) return pair;
    if (attempt === 20) throw new Error('ssh2 generated 20 ed25519 keys in a row that it cannot read back');
  }
}
