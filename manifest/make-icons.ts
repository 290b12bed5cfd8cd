import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng, type RgbaImage } from './png';

type Point = readonly [number, number];
type Rgb = readonly [number, number, number];

/** Sizes Teams requires for the two manifest icons. */
export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

/** The colour icon's background; manifest.json's accentColor uses the same value. */
export const ACCENT_COLOR = '#1F4E9C';
const BACKGROUND: Rgb = [0x1f, 0x4e, 0x9c];
const SHIELD: Rgb = [0xff, 0xff, 0xff];
const CHECK: Rgb = [0x1e, 0x9e, 0x5a];
const WHITE: Rgb = [0xff, 0xff, 0xff];

const SUPERSAMPLE = 8;
const CURVE_STEPS = 48;

function quadratic(p0: Point, c: Point, p1: Point, t: number): Point {
  const u = 1 - t;
  return [u * u * p0[0] + 2 * u * t * c[0] + t * t * p1[0], u * u * p0[1] + 2 * u * t * c[1] + t * t * p1[1]];
}

// The shield spans y 0.17..0.9; this centres it vertically and scales it about the icon's centre.
function place(points: readonly Point[], scale: number): Point[] {
  return points.map(([x, y]) => [0.5 + (x - 0.5) * scale, 0.5 + (y - 0.535) * scale]);
}

function shieldPolygon(): Point[] {
  const points: Point[] = [];
  for (let i = 0; i <= CURVE_STEPS; i++) {
    const t = i / CURVE_STEPS;
    points.push([0.2 + 0.6 * t, 0.17 + 0.05 * Math.sin(Math.PI * t)]);
  }
  for (let i = 0; i <= CURVE_STEPS; i++) points.push(quadratic([0.8, 0.5], [0.79, 0.77], [0.5, 0.9], i / CURVE_STEPS));
  for (let i = 1; i <= CURVE_STEPS; i++) points.push(quadratic([0.5, 0.9], [0.21, 0.77], [0.2, 0.5], i / CURVE_STEPS));
  return points;
}

const CHECK_MARK: Point[] = [
  [0.36, 0.52],
  [0.46, 0.63],
  [0.65, 0.41],
];

function insidePolygon(polygon: readonly Point[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] ?? [0, 0];
    const [xj, yj] = polygon[j] ?? [0, 0];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function distanceToSegment(a: Point, b: Point, x: number, y: number): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy)));
  const ex = x - (a[0] + t * dx);
  const ey = y - (a[1] + t * dy);
  return Math.sqrt(ex * ex + ey * ey);
}

function distanceToPolyline(points: readonly Point[], closed: boolean, x: number, y: number): number {
  let best = Infinity;
  const last = closed ? points.length : points.length - 1;
  for (let i = 0; i < last; i++) {
    const a = points[i] ?? [0, 0];
    const b = points[(i + 1) % points.length] ?? [0, 0];
    best = Math.min(best, distanceToSegment(a, b, x, y));
  }
  return best;
}

/** A shape as a point test plus the distance from a point to the shape's boundary. */
interface Shape {
  contains(x: number, y: number): boolean;
  boundaryDistance(x: number, y: number): number;
}

function filledPolygon(polygon: readonly Point[]): Shape {
  return {
    contains: (x, y) => insidePolygon(polygon, x, y),
    boundaryDistance: (x, y) => distanceToPolyline(polygon, true, x, y),
  };
}

function stroke(points: readonly Point[], closed: boolean, halfWidth: number): Shape {
  return {
    contains: (x, y) => distanceToPolyline(points, closed, x, y) < halfWidth,
    boundaryDistance: (x, y) => Math.abs(distanceToPolyline(points, closed, x, y) - halfWidth),
  };
}

function union(...shapes: Shape[]): Shape {
  return {
    contains: (x, y) => shapes.some((s) => s.contains(x, y)),
    boundaryDistance: (x, y) => Math.min(...shapes.map((s) => s.boundaryDistance(x, y))),
  };
}

/**
 * Fraction of each pixel that a shape covers. A pixel whose centre is farther from the boundary than half
 * its diagonal is wholly inside or outside, so only pixels near the boundary are supersampled.
 */
function coverage(size: number, shape: Shape): Float64Array {
  const result = new Float64Array(size * size);
  const halfDiagonal = Math.SQRT1_2 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const cx = (px + 0.5) / size;
      const cy = (py + 0.5) / size;
      if (shape.boundaryDistance(cx, cy) > halfDiagonal) {
        result[py * size + px] = shape.contains(cx, cy) ? 1 : 0;
        continue;
      }
      let hits = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          if (shape.contains((px + (sx + 0.5) / SUPERSAMPLE) / size, (py + (sy + 0.5) / SUPERSAMPLE) / size)) hits++;
        }
      }
      result[py * size + px] = hits / (SUPERSAMPLE * SUPERSAMPLE);
    }
  }
  return result;
}

function blend(under: Rgb, over: Rgb, alpha: number): Rgb {
  const mix = (a: number, b: number): number => a * (1 - alpha) + b * alpha;
  return [mix(under[0], over[0]), mix(under[1], over[1]), mix(under[2], over[2])];
}

/** The 192×192 full-colour icon: a white shield with a green check mark on the accent colour. */
export function renderColorIcon(): RgbaImage {
  const size = COLOR_ICON_SIZE;
  const shield = place(shieldPolygon(), 1.05);
  const check = place(CHECK_MARK, 1.05);
  const shieldCover = coverage(size, filledPolygon(shield));
  const checkCover = coverage(size, stroke(check, false, 0.042));
  const pixels = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const colour = blend(blend(BACKGROUND, SHIELD, shieldCover[i] ?? 0), CHECK, checkCover[i] ?? 0);
    pixels.set([...colour.map((c) => Math.round(c)), 255], i * 4);
  }
  return { width: size, height: size, pixels };
}

/**
 * The 32×32 outline icon: a shield outline and check mark in white on transparent.
 * Teams requires an outline icon with only white and transparent pixels, so every pixel is white and
 * anti-aliasing is carried by alpha alone.
 */
export function renderOutlineIcon(): RgbaImage {
  const size = OUTLINE_ICON_SIZE;
  const shield = place(shieldPolygon(), 1.14);
  const check = place(CHECK_MARK, 1.14);
  const cover = coverage(size, union(stroke(shield, true, 0.036), stroke(check, false, 0.045)));
  const pixels = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) pixels.set([...WHITE, Math.round((cover[i] ?? 0) * 255)], i * 4);
  return { width: size, height: size, pixels };
}

/** Writes color.png and outline.png next to manifest.json. */
export function writeIcons(dir: string): void {
  writeFileSync(join(dir, 'color.png'), encodePng(renderColorIcon()));
  writeFileSync(join(dir, 'outline.png'), encodePng(renderOutlineIcon()));
}

if (require.main === module) {
  writeIcons(__dirname);
  process.stdout.write(`wrote ${join(__dirname, 'color.png')} and ${join(__dirname, 'outline.png')}\n`);
}
