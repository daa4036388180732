// Runs inside `dbus-run-session` with a fresh HOME and an unlocked gnome-keyring: exercises the
// real Secret Service through the core and prints what it saw as one JSON line.
import { Entry } from '@napi-rs/keyring';
import { createCore } from '../create-core';
import { createOsKeychain } from '../keys/os-keychain';

const [dataDir, service, phase] = process.argv.slice(2) as [string, string, string];
const keyStore = createOsKeychain(service);
const core = await createCore({ dataDir, keyStore, toolEnv: { PATH: process.env.PATH } });
const out: Record<string, unknown> = { state: core.keys.state, fingerprint: core.keys.status().fingerprint };
const account = `data-dir-${(core.db.prepare("SELECT value FROM meta WHERE key = 'instance_id'").get() as { value: string }).value}`;
out.keychainHasKey = new Entry(service, account, { linux: { store: 'secret-service' } }).getPassword() !== null;
if (phase === 'seed') {
  const src = await core.call('sources:create', { engine: 'postgres', name: 'pg', host: 'h', user: 'u', database: 'd', password: 'keychain-held-secret' });
  out.sourceId = src.id;
} else if (phase === 'read') {
  out.password = core.sources.secrets(core.sources.findByName('pg')!.id).password;
} else if (phase === 'rotate') {
  out.rotated = await core.call('keys:rotate', {});
  out.password = core.sources.secrets(core.sources.findByName('pg')!.id).password;
} else if (phase === 'forget') {
  new Entry(service, account, { linux: { store: 'secret-service' } }).deletePassword();
}
core.close();
process.stdout.write(`${JSON.stringify(out)}\n`);
