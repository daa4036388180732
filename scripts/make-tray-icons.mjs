#!/usr/bin/env node
/**
 * Draws the tray icons, one per state, into resources/: tray-<state>.png (16 px) and
 * tray-<state>@2x.png (32 px, which Electron picks on HiDPI screens). The picture is
 * resources/icon.svg's database on its blue square, with the state as a large badge in the
 * corner (a 16 px icon has room for little else): ok a green check, running a blue play sign,
 * failing a red "!", stale an amber clock, paused two grey bars.
 *
 * Plain Node, no image library: each pixel is 8x8 supersampled against the shapes below (in the
 * 64-unit space of icon.svg), and the PNG written with zlib. Run `node scripts/make-tray-icons.mjs`
 * after changing the design, and commit the PNGs.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

const OUT = path.resolve(import.meta.dirname, '../resources');
const BLUE = [0x36, 0x4f, 0xc7];
const WHITE = [0xff, 0xff, 0xff];
const BADGE = { cx: 45, cy: 45, r: 16, ring: 3 };

const STATES = {
  ok: { colour: [0x2f, 0x9e, 0x44], glyph: (x, y) => nearPolyline(x, y, [[37, 45], [43, 51], [53, 39]], 3.2) },
  running: { colour: [0x1c, 0x7e, 0xd6], glyph: (x, y) => inTriangle(x, y, [40, 36], [40, 54], [55, 45]) },
  failing: { colour: [0xe0, 0x31, 0x31], glyph: (x, y) => nearSegment(x, y, [45, 35], [45, 47], 2.6) || (x - 45) ** 2 + (y - 53) ** 2 <= 2.9 ** 2 },
  stale: { colour: [0xf0, 0x8c, 0x00], glyph: (x, y) => nearPolyline(x, y, [[45, 35], [45, 46], [52, 50]], 2.4) },
  paused: { colour: [0x86, 0x8e, 0x96], glyph: (x, y) => inRect(x, y, 38, 36, 43, 54) || inRect(x, y, 47, 36, 52, 54) },
};

function inRect(x, y, x0, y0, x1, y1) {
  return x >= x0 && x <= x1 && y >= y0 && y <= y1;
}

function inRoundedRect(x, y, x0, y0, x1, y1, r) {
  if (!inRect(x, y, x0, y0, x1, y1)) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function inEllipse(x, y, cx, cy, rx, ry) {
  return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
}

/** An ellipse's outline `w` wide; `lowerOnly` keeps its lower half (the cylinder's arcs). */
function onEllipse(x, y, cx, cy, rx, ry, w, lowerOnly = false) {
  if (lowerOnly && y < cy) return false;
  return inEllipse(x, y, cx, cy, rx + w / 2, ry + w / 2) && !inEllipse(x, y, cx, cy, rx - w / 2, ry - w / 2);
}

function nearSegment(x, y, [ax, ay], [bx, by], w) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= (w / 2) ** 2;
}

function nearPolyline(x, y, points, w) {
  return points.slice(1).some((p, i) => nearSegment(x, y, points[i], p, w));
}

function inTriangle(x, y, a, b, c) {
  const side = (p, q) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const s1 = side(a, b);
  const s2 = side(b, c);
  const s3 = side(c, a);
  return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
}

/** The colour at a point of the 64-unit design, or null where it is transparent. */
function paint(x, y, state) {
  const badge = (x - BADGE.cx) ** 2 + (y - BADGE.cy) ** 2;
  if (badge <= BADGE.r ** 2) return state.glyph(x, y) ? WHITE : state.colour;
  if (badge <= (BADGE.r + BADGE.ring) ** 2) return inRoundedRect(x, y, 0, 0, 64, 64, 12) ? BLUE : null;
  if (!inRoundedRect(x, y, 0, 0, 64, 64, 12)) return null;
  const cylinder =
    onEllipse(x, y, 28, 17, 15, 6, 4.5) ||
    onEllipse(x, y, 28, 28, 15, 6, 4.5, true) ||
    onEllipse(x, y, 28, 39, 15, 6, 4.5, true) ||
    (inRect(x, y, 10.75, 17, 15.25, 39) || inRect(x, y, 40.75, 17, 45.25, 39));
  return cylinder ? WHITE : BLUE;
}

function render(state, size, samples = 8) {
  const rgba = Buffer.alloc(size * size * 4);
  const unit = 64 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = paint((px + (sx + 0.5) / samples) * unit, (py + (sy + 0.5) / samples) * unit, state);
          if (!colour) continue;
          sum[0] += colour[0];
          sum[1] += colour[1];
          sum[2] += colour[2];
          sum[3] += 1;
        }
      }
      const i = (py * size + px) * 4;
      // Colours averaged over the covered samples only (straight alpha), coverage as alpha.
      if (sum[3] > 0) for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(sum[c] / sum[3]);
      rgba[i + 3] = Math.round((255 * sum[3]) / (samples * samples));
    }
  }
  return png(size, size, rgba);
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function png(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

for (const [name, state] of Object.entries(STATES)) {
  writeFileSync(path.join(OUT, `tray-${name}.png`), render(state, 16));
  writeFileSync(path.join(OUT, `tray-${name}@2x.png`), render(state, 32));
}
process.stdout.write(`tray icons written to ${OUT}\n`);
