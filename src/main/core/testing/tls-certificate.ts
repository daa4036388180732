/**
 * The openssl command that writes a self-signed certificate for 127.0.0.1 and its unencrypted
 * key, valid one day: what a private test server is restarted with to require TLS.
 */
export function selfSignedCertificateCommand(key: string, cert: string): [string, ...string[]] {
  return ['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', key, '-out', cert];
}
