import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';

/**
 * Draws the two Teams icons: a shield with a glass pane. Deterministic, so the committed PNGs can be
 * regenerated; a designer's files can replace them (`npm run package` checks sizes and transparency).
 *
 *   node --import tsx appPackage/make-icons.ts
 */

type Rgb = readonly [number, number, number];

const ACCENT: Rgb = [0x0b, 0x3d, 0x5c]; // the manifest's accentColor
const WHITE: Rgb = [0xff, 0xff, 0xff];
const GLASS: Rgb = [0x7c, 0xc4, 0xec];
const GLINT: Rgb = [0xe6, 0xf5, 0xfd];

/** Sub-samples per pixel side: smooth edges without a rasteriser library. */
const SAMPLES = 4;

/** Inside a shield shrunk by `inset`, in unit coordinates (u right, v down). */
function inShield(u: number, v: number, inset: number): boolean {
  const top = 0.12 + inset;
  const shoulder = 0.5;
  const tip = 0.9 - inset * 1.5;
  const half = 0.32 - inset;
  if (v < top || v > tip) return false;
  const width = v <= shoulder ? half : half * Math.sqrt(Math.max(0, 1 - ((v - shoulder) / (tip - shoulder)) ** 2));
  return Math.abs(u - 0.5) <= width;
}

/** The two diagonal reflections that make the pane read as glass. */
function inGlint(u: number, v: number): boolean {
  const d = u + v;
  return (d >= 0.7 && d <= 0.8) || (d >= 0.88 && d <= 0.92);
}

function colorAt(u: number, v: number): Rgb {
  if (!inShield(u, v, 0)) return ACCENT;
  if (!inShield(u, v, 0.05)) return WHITE;
  return inGlint(u, v) ? GLINT : GLASS;
}

/** Opacity of white at a point of the outline icon: the shield's rim and one reflection. */
function outlineAt(u: number, v: number): number {
  if (!inShield(u, v, 0)) return 0;
  if (!inShield(u, v, 0.085)) return 1;
  const d = u + v;
  return inShield(u, v, 0.16) && d >= 0.72 && d <= 0.84 ? 1 : 0;
}

function render(size: number, shade: (u: number, v: number) => { rgb: Rgb; alpha: number }): Buffer {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let [r, g, b, coverage] = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy += 1) {
        for (let sx = 0; sx < SAMPLES; sx += 1) {
          const { rgb, alpha } = shade((x + (sx + 0.5) / SAMPLES) / size, (y + (sy + 0.5) / SAMPLES) / size);
          r += rgb[0] * alpha;
          g += rgb[1] * alpha;
          b += rgb[2] * alpha;
          coverage += alpha;
        }
      }
      const at = (y * size + x) * 4;
      // Colour is averaged over the covered samples only (straight alpha), so edges stay pure white.
      const average = (total: number): number => (coverage === 0 ? 255 : Math.round(total / coverage));
      png.data[at] = average(r);
      png.data[at + 1] = average(g);
      png.data[at + 2] = average(b);
      png.data[at + 3] = Math.round((coverage / (SAMPLES * SAMPLES)) * 255);
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

/** 192×192, full colour, opaque. */
export function drawColorIcon(): Buffer {
  return render(192, (u, v) => ({ rgb: colorAt(u, v), alpha: 1 }));
}

/** 32×32, white on transparent. */
export function drawOutlineIcon(): Buffer {
  return render(32, (u, v) => ({ rgb: WHITE, alpha: outlineAt(u, v) }));
}

function main(): void {
  const colorPath = fileURLToPath(new URL('./color.png', import.meta.url));
  const outlinePath = fileURLToPath(new URL('./outline.png', import.meta.url));
  writeFileSync(colorPath, drawColorIcon());
  writeFileSync(outlinePath, drawOutlineIcon());
  process.stdout.write(`wrote ${colorPath}\nwrote ${outlinePath}\n`);
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) main();
