import { createTheme } from '@mantine/core';

/** Sober and dense: this is a tool for people who read tables all day. */
export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
  headings: { fontWeight: '600' },
  components: {
    Modal: { defaultProps: { centered: true, size: 'lg' } },
    Tooltip: { defaultProps: { withArrow: true, openDelay: 150 } },
    // Status badges sit in flex rows of narrow table cells: they must not shrink into "L…".
    Badge: { styles: { root: { flexShrink: 0, overflow: 'visible' }, label: { overflow: 'visible' } } },
  },
});
