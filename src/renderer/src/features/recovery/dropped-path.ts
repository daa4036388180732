import type { DragEvent } from 'react';

/**
 * The path of the file dropped with `event`, or null: in the desktop app the preload can tell
 * it; in a browser connected to `vaultdesk serve` the page never learns where a file is (and it
 * may be on another machine than Vaultdesk), so the path is typed instead.
 */
export function droppedPath(event: DragEvent): string | null {
  const file = event.dataTransfer.files[0];
  if (!file || !window.vaultdeskFiles) return null;
  const p = window.vaultdeskFiles.pathOf(file);
  return p || null;
}

/** Whether dropped files can be read as paths here (the desktop app). */
export function canDropFiles(): boolean {
  return window.vaultdeskFiles !== undefined;
}
