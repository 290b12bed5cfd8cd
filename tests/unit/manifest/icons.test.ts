import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderColorIcon, renderOutlineIcon } from '../../../manifest/make-icons';
import { MANIFEST_DIR } from '../../../manifest/package';
import { decodePng, encodePng, readPngHeader, type PngFilter, type RgbaImage } from '../../../manifest/png';
import { checkIcons } from '../../../manifest/validate-manifest';

const colorPng = (): Buffer => readFileSync(join(MANIFEST_DIR, 'color.png'));
const outlinePng = (): Buffer => readFileSync(join(MANIFEST_DIR, 'outline.png'));

function gradient(width: number, height: number): RgbaImage {
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    pixels.set([(i * 37) & 0xff, (i * 11 + 90) & 0xff, 255 - ((i * 5) & 0xff), (i * 3 + 200) & 0xff], i * 4);
  }
  return { width, height, pixels };
}

describe('manifest/png', () => {
  for (const filter of [0, 1, 2, 3, 4] as PngFilter[]) {
    it(`round-trips an image through row filter ${filter}`, () => {
      const image = gradient(7, 5);
      const decoded = decodePng(encodePng(image, filter));
      assert.equal(decoded.width, 7);
      assert.equal(decoded.height, 5);
      assert.deepEqual(Buffer.from(decoded.pixels), Buffer.from(image.pixels));
    });
  }

  it('reads dimensions and colour type from IHDR', () => {
    assert.deepEqual(readPngHeader(encodePng(gradient(9, 4))), {
      width: 9,
      height: 4,
      bitDepth: 8,
      colorType: 6,
      interlace: 0,
    });
  });

  it('refuses a file without the PNG signature and a chunk with a bad CRC', () => {
    assert.throws(() => readPngHeader(Buffer.from('GIF89a not a png')), /signature/);
    const png = encodePng(gradient(2, 2));
    png.writeUInt8(png.readUInt8(png.length - 20) ^ 0xff, png.length - 20);
    assert.throws(() => decodePng(png), /bad CRC/);
  });
});

describe('manifest icons', () => {
  it('color.png is a 192×192 RGBA PNG and outline.png a 32×32 one', () => {
    assert.deepEqual(readPngHeader(colorPng()), { width: 192, height: 192, bitDepth: 8, colorType: 6, interlace: 0 });
    assert.deepEqual(readPngHeader(outlinePng()), { width: 32, height: 32, bitDepth: 8, colorType: 6, interlace: 0 });
  });

  it('outline.png has only white and fully transparent pixels, and draws something', () => {
    const { pixels } = decodePng(outlinePng());
    let drawn = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      const alpha = pixels[i + 3] ?? 0;
      if (alpha === 0) continue;
      assert.deepEqual([pixels[i], pixels[i + 1], pixels[i + 2]], [255, 255, 255], `pixel ${i / 4} is not white`);
      if (alpha === 255) drawn++;
    }
    assert.ok(drawn >= 50, `only ${drawn} opaque pixels`);
  });

  it('color.png is opaque and full colour', () => {
    const { pixels } = decodePng(colorPng());
    const colours = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4) {
      assert.equal(pixels[i + 3], 255, `pixel ${i / 4} is not opaque`);
      colours.add(((pixels[i] ?? 0) << 16) | ((pixels[i + 1] ?? 0) << 8) | (pixels[i + 2] ?? 0));
    }
    assert.ok(colours.size >= 3, `only ${colours.size} colours`);
  });

  it('the committed PNGs are what manifest/make-icons.ts draws', () => {
    assert.deepEqual(Buffer.from(decodePng(colorPng()).pixels), Buffer.from(renderColorIcon().pixels));
    assert.deepEqual(Buffer.from(decodePng(outlinePng()).pixels), Buffer.from(renderOutlineIcon().pixels));
  });

  it('checkIcons accepts the committed icons', () => {
    assert.deepEqual(checkIcons({ color: colorPng(), outline: outlinePng() }), []);
  });

  it('checkIcons refuses a coloured outline pixel, a wrong size and a non-PNG', () => {
    const outline = decodePng(outlinePng());
    outline.pixels.set([255, 0, 0, 255], 0);
    assert.deepEqual(checkIcons({ color: colorPng(), outline: encodePng(outline) }), [
      'outline.png has 1 pixels that are neither white nor fully transparent',
    ]);
    assert.deepEqual(checkIcons({ color: outlinePng(), outline: outlinePng() }), [
      'color.png is 32×32; Teams requires 192×192',
    ]);
    const errors = checkIcons({ color: colorPng(), outline: Buffer.from('not a png') });
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /^outline\.png: not a PNG/);
  });
});
