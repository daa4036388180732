import { DEFAULT_THEME, mergeMantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { accessibleColorVariables, contrastRatio, readableOn } from './accessible-colors';
import { theme } from './theme';

const full = mergeMantineTheme(DEFAULT_THEME, theme);
const vars = accessibleColorVariables(full);
const gray = full.colors.gray;
const page = [full.white, gray[0], gray[1]];
const colors = Object.keys(full.colors).filter((name) => name !== 'dark');

describe('contrastRatio', () => {
  it('gives the WCAG figures', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    // Mantine's own dimmed text on white, which axe reported: 3.32.
    expect(contrastRatio(gray[6], '#ffffff')).toBeCloseTo(3.32, 2);
  });
});

describe('readableOn', () => {
  it('keeps the first candidate that reads, and darkens the last one when none does', () => {
    expect(readableOn(['#ffffff'], ['#868e96', '#495057'])).toBe('#495057');
    const darkened = readableOn(['#ffffff'], ['#fab005']);
    expect(contrastRatio(darkened, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });
});

describe('accessibleColorVariables', () => {
  it('gives every colour a filled background that white text reads on at AA', () => {
    for (const name of colors) expect(contrastRatio(vars[`--mantine-color-${name}-filled`]!, full.white), name).toBeGreaterThanOrEqual(4.5);
  });

  it("gives every colour's text, outline and light-variant text AA contrast on the page, stripes, row hover and its own tints", () => {
    for (const name of colors) {
      const shades = full.colors[name]!;
      for (const bg of page) {
        expect(contrastRatio(vars[`--mantine-color-${name}-text`]!, bg), `${name} text on ${bg}`).toBeGreaterThanOrEqual(4.5);
        expect(contrastRatio(vars[`--mantine-color-${name}-outline`]!, bg), `${name} outline on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
      for (const bg of [...page, shades[1], shades[2]]) {
        expect(contrastRatio(vars[`--mantine-color-${name}-light-color`]!, bg), `${name} light text on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('keeps dimmed text and links readable on the page and on every tint, and dimmed lighter than body text', () => {
    const dimmed = vars['--mantine-color-dimmed']!;
    for (const bg of [...page, ...colors.map((name) => full.colors[name]![1])]) expect(contrastRatio(dimmed, bg), `dimmed on ${bg}`).toBeGreaterThanOrEqual(4.5);
    for (const bg of page) expect(contrastRatio(vars['--mantine-color-anchor']!, bg)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(dimmed, full.white)).toBeLessThan(contrastRatio(gray[7], full.white));
  });

  it('leaves a shade alone where Mantine already reads at AA (no needless darkening)', () => {
    // White on indigo 6 is 4.32, on indigo 7 4.98: the filled primary is indigo 7, as is.
    expect(vars['--mantine-color-indigo-filled']).toBe(full.colors.indigo[7]);
  });
});
