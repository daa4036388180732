// `node --import ./register-electron.ts`: from here on, `import ... from 'electron'` gets the stand-in.
import { register } from 'node:module';

register('./resolve-electron.ts', import.meta.url);
