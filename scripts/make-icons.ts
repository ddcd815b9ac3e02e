/**
 * Draws the Teams app icons with pngjs (no image files to keep in step by hand):
 * appPackage/color.png, 192×192 full colour, and appPackage/outline.png, 32×32 white on a
 * transparent background, as Teams requires. The mark is a magnifying glass over a tick.
 * Run: npx tsx scripts/make-icons.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

type Rgba = [number, number, number, number];

const ACCENT: Rgba = [0x46, 0x47, 0x75, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/** Distance from point p to the segment a–b. */
function toSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Whether the unit-square point (x, y) lies on the mark: a lens ring, a handle and a tick inside the lens. */
function onMark(x: number, y: number): boolean {
  const ring = Math.abs(Math.hypot(x - 0.42, y - 0.42) - 0.25) <= 0.055;
  const handle = toSegment(x, y, 0.6, 0.6, 0.85, 0.85) <= 0.075;
  const tick = toSegment(x, y, 0.31, 0.43, 0.39, 0.51) <= 0.04 || toSegment(x, y, 0.39, 0.51, 0.54, 0.34) <= 0.04;
  return ring || handle || tick;
}

export function drawIcon(size: number, foreground: Rgba, background: Rgba): PNG {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      // Pixel centres, so the mark scales the same at 32 and 192 pixels.
      const colour = onMark((x + 0.5) / size, (y + 0.5) / size) ? foreground : background;
      png.data.set(colour, (y * size + x) * 4);
    }
  }
  return png;
}

export const ICONS = {
  color: { file: 'color.png', size: 192, foreground: WHITE, background: ACCENT },
  outline: { file: 'outline.png', size: 32, foreground: WHITE, background: CLEAR },
} as const;

export function writeIcons(dir: string): string[] {
  return Object.values(ICONS).map(({ file, size, foreground, background }) => {
    const target = path.join(dir, file);
    writeFileSync(target, PNG.sync.write(drawIcon(size, foreground, background)));
    return target;
  });
}

if (require.main === module) {
  for (const written of writeIcons(path.resolve(__dirname, '../appPackage'))) console.log(`wrote ${written}`);
}
