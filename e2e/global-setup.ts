import { buildForTests } from '../scripts/build-for-tests';

/** The browser tests drive `vaultdesk serve` from the build: make it from the current sources. */
export default function globalSetup(): void {
  buildForTests();
}
