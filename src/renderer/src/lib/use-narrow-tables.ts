import { useMatches } from '@mantine/core';

/**
 * Whether the wide tables (Jobs, Backups) take their narrow layout: below Mantine's `lg`
 * breakpoint (1200 px) the page beside the 230 px navigation is under the 930 px their every
 * column needs, and at 1024 px their row actions were pushed out of sight. Read at the first
 * render, so a page does not open in one layout and jump to the other.
 */
export function useNarrowTables(): boolean {
  return useMatches({ base: true, lg: false }, { getInitialValueInEffect: false });
}

/**
 * Below it, even the narrow layout would squeeze the names to a few letters a line: the table
 * scrolls on its own instead. Under the 675 px a 960 px window (the app's minimum) leaves beside
 * the navigation with a classic 15 px scrollbar, so the tables fit in any window the app allows;
 * only a zoomed-in page is narrower.
 */
export const NARROW_TABLE_MIN_WIDTH = 660;
/** The wide layout's: only reached between 1200 px and the width its columns fit in. */
export const WIDE_TABLE_MIN_WIDTH = 900;
