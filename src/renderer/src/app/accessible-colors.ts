import { darken, luminance, type CSSVariablesResolver, type MantineTheme } from '@mantine/core';

/** WCAG 2 contrast ratio of two opaque colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

/** WCAG AA for text (4.5), with a margin for the rounding of colours the browser blends. */
export const AA_TEXT = 4.6;

/**
 * The first of `candidates` that reads at AA on every one of `backgrounds`; when none does, the
 * last one darkened step by step until it does.
 */
export function readableOn(backgrounds: readonly string[], candidates: readonly string[]): string {
  const reads = (color: string): boolean => backgrounds.every((bg) => contrastRatio(color, bg) >= AA_TEXT);
  const found = candidates.find(reads);
  if (found) return found;
  let color = candidates.at(-1)!;
  for (let step = 0; step < 40 && !reads(color); step++) color = darken(color, 0.05);
  return color;
}

/**
 * Mantine's light scheme draws light badges (shade 9 on shade 1), filled badges (white on shade
 * 6), outlines, links and dimmed text below WCAG AA: axe counted 10 to 20 such elements a page.
 * These variables keep Mantine's palette but pick, per colour, the shades that read at AA on the
 * backgrounds the app puts text on (white, table stripes and row hover), darkening where no shade
 * does (orange, yellow).
 */
export function accessibleColorVariables(theme: MantineTheme): Record<string, string> {
  const white = theme.white;
  const gray = theme.colors.gray;
  const page = [white, gray[0], gray[1]];
  const vars: Record<string, string> = {};
  for (const [name, shades] of Object.entries(theme.colors)) {
    if (name === 'dark') continue;
    const deep = [shades[6], shades[7], shades[8], shades[9]];
    const filled = readableOn([white], deep);
    const text = readableOn(page, deep);
    vars[`--mantine-color-${name}-filled`] = filled;
    vars[`--mantine-color-${name}-filled-hover`] = darken(filled, 0.1);
    vars[`--mantine-color-${name}-text`] = text;
    vars[`--mantine-color-${name}-outline`] = text;
    // Light variants: the text on its own tint and on the hover tint, and on the page (subtle buttons).
    vars[`--mantine-color-${name}-light-color`] = readableOn([...page, shades[1], shades[2]], [shades[9]]);
  }
  const primary = theme.colors[theme.primaryColor]!;
  vars['--mantine-color-anchor'] = readableOn([...page, primary[1]], [primary[6], primary[7], primary[8], primary[9]]);
  // Dimmed text also sits on the tints of alerts and of the active navigation entry.
  const tints = Object.entries(theme.colors)
    .filter(([name]) => name !== 'dark')
    .map(([, shades]) => shades[1]);
  // From gray 6 darkened only as far as needed: dimmed must still look quieter than body text.
  vars['--mantine-color-dimmed'] = readableOn([...page, ...tints], [gray[6]]);
  return vars;
}

export const cssVariablesResolver: CSSVariablesResolver = (theme) => ({
  variables: {},
  light: accessibleColorVariables(theme),
  dark: {},
});
