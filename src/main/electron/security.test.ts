import { describe, expect, it } from 'vitest';
import { appPage } from './app-origin';
import { isPermissionAllowed } from './security';

describe('isPermissionAllowed', () => {
  const page = appPage(undefined);

  it('grants only clipboard writes, and only to the app page', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://vaultdesk/index.html#/settings', page)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://example.com/', page)).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'file:///app/out/renderer/index.html', page)).toBe(false);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'pointerLock']) {
      expect(isPermissionAllowed(permission, 'app://vaultdesk/index.html', page)).toBe(false);
    }
  });
});
