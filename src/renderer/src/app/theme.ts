import { createTheme } from '@mantine/core';

/** Sober and dense: this is a tool for people who read tables all day. Colours: see accessible-colors.ts. */
export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
  headings: { fontWeight: '600' },
  components: {
    // Named apart from a dialog's own Close button, which tests and screen readers tell apart.
    Modal: { defaultProps: { centered: true, size: 'lg', closeButtonProps: { 'aria-label': 'Close dialog' } } },
    Tooltip: { defaultProps: { withArrow: true, openDelay: 150 } },
    // Status badges sit in flex rows of narrow table cells: they must not shrink into "L…".
    Badge: { styles: { root: { flexShrink: 0, overflow: 'visible' }, label: { overflow: 'visible' } } },
    // Mantine's close buttons (dialogs, toasts) are an icon with no name for a screen reader.
    CloseButton: { defaultProps: { 'aria-label': 'Close' } },
    // A toast's text under a title is Mantine's gray 6 (3.3:1 on white); dimmed reads at AA.
    Notification: { defaultProps: { closeButtonProps: { 'aria-label': 'Close notification' } }, styles: { description: { color: 'var(--mantine-color-dimmed)' } } },
    // Mantine fades the active entry's description to 90 %, which takes it below AA contrast.
    NavLink: { styles: { description: { opacity: 1 } } },
  },
});
