import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from './window-options';

describe('mainWindowOptions', () => {
  it('isolates and sandboxes the renderer, with no Node and web security on', () => {
    const options = mainWindowOptions('/app/out/preload/index.cjs', undefined);
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(options.show).toBe(false);
    expect(options).not.toHaveProperty('icon');
    expect(mainWindowOptions('/p.cjs', '/app/resources/icon.png').icon).toBe('/app/resources/icon.png');
    expect(mainWindowOptions('/p.cjs', undefined, true).webPreferences?.devTools).toBe(true);
  });
});
