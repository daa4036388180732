import type { KitProfileKind } from '../../../../shared/domain/recovery';

/** A profile's kind as the Recovery page names it. */
export function kindWord(kind: KitProfileKind): string {
  return kind === '7z' ? '7-Zip' : 'age';
}
