import { deflateSync, inflateSync } from 'node:zlib';

/** An 8-bit RGBA image, rows top to bottom, 4 bytes per pixel. */
export interface RgbaImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOR_TYPE_RGBA = 6;
const CHANNELS_BY_COLOR_TYPE: Readonly<Record<number, number>> = { 0: 1, 2: 3, 4: 2, 6: 4 };

const CRC_TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A PNG row filter: 0 none, 1 sub, 2 up, 3 average, 4 Paeth. */
export type PngFilter = 0 | 1 | 2 | 3 | 4;

function isPngFilter(value: number | undefined): value is PngFilter {
  return value !== undefined && Number.isInteger(value) && value >= 0 && value <= 4;
}

function predict(filter: PngFilter, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4:
      return paeth(left, up, upLeft);
  }
}

/** Encodes an RGBA image as a non-interlaced 8-bit PNG, every row with the same filter (default none). */
export function encodePng(image: RgbaImage, filter: PngFilter = 0): Buffer {
  const { width, height, pixels } = image;
  if (pixels.length !== width * height * 4) {
    throw new Error(`expected ${width * height * 4} bytes of RGBA pixels, got ${pixels.length}`);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8);
  ihdr.writeUInt8(COLOR_TYPE_RGBA, 9);
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const at = y * stride + x;
      const left = x >= 4 ? (pixels[at - 4] ?? 0) : 0;
      const up = y > 0 ? (pixels[at - stride] ?? 0) : 0;
      const upLeft = y > 0 && x >= 4 ? (pixels[at - stride - 4] ?? 0) : 0;
      raw[y * (stride + 1) + 1 + x] = ((pixels[at] ?? 0) - predict(filter, left, up, upLeft)) & 0xff;
    }
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** What the IHDR chunk of a PNG says. */
export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
}

interface PngChunk {
  type: string;
  data: Buffer;
}

function readChunks(png: Buffer): PngChunk[] {
  if (png.length < SIGNATURE.length || !png.subarray(0, SIGNATURE.length).equals(SIGNATURE)) {
    throw new Error('not a PNG: the 8-byte signature is missing');
  }
  const chunks: PngChunk[] = [];
  let offset = SIGNATURE.length;
  while (offset + 12 <= png.length) {
    const length = png.readUInt32BE(offset);
    const end = offset + 12 + length;
    if (end > png.length) throw new Error('PNG chunk runs past the end of the file');
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    if (crc32(typeAndData) !== png.readUInt32BE(offset + 8 + length)) {
      throw new Error(`PNG chunk ${typeAndData.subarray(0, 4).toString('latin1')} has a bad CRC`);
    }
    chunks.push({
      type: typeAndData.subarray(0, 4).toString('latin1'),
      data: png.subarray(offset + 8, offset + 8 + length),
    });
    offset = end;
  }
  if (chunks[0]?.type !== 'IHDR') throw new Error('PNG does not start with an IHDR chunk');
  if (chunks.at(-1)?.type !== 'IEND') throw new Error('PNG does not end with an IEND chunk');
  return chunks;
}

/** Reads the IHDR chunk (dimensions, bit depth, colour type) of a PNG. */
export function readPngHeader(png: Buffer): PngHeader {
  const ihdr = readChunks(png)[0];
  if (!ihdr || ihdr.data.length !== 13) throw new Error('PNG IHDR chunk must be 13 bytes');
  return {
    width: ihdr.data.readUInt32BE(0),
    height: ihdr.data.readUInt32BE(4),
    bitDepth: ihdr.data.readUInt8(8),
    colorType: ihdr.data.readUInt8(9),
    interlace: ihdr.data.readUInt8(12),
  };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

/**
 * Decodes a non-interlaced 8-bit greyscale, grey+alpha, RGB or RGBA PNG (all five row filters) into RGBA.
 * Palette, 16-bit and interlaced images are refused: the icons this project ships never use them.
 */
export function decodePng(png: Buffer): RgbaImage {
  const chunks = readChunks(png);
  const header = readPngHeader(png);
  const channels = CHANNELS_BY_COLOR_TYPE[header.colorType];
  if (header.bitDepth !== 8 || channels === undefined || header.interlace !== 0) {
    throw new Error(
      `unsupported PNG: bit depth ${header.bitDepth}, colour type ${header.colorType}, interlace ${header.interlace}`,
    );
  }
  const { width, height } = header;
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = width * channels;
  if (raw.length !== (stride + 1) * height) {
    throw new Error(`PNG image data has ${raw.length} bytes, expected ${(stride + 1) * height}`);
  }
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    if (!isPngFilter(filter)) throw new Error(`PNG row ${y} has unknown filter type ${String(filter)}`);
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    for (let x = 0; x < stride; x++) {
      const value = raw[src + x] ?? 0;
      const left = x >= channels ? (rows[dst + x - channels] ?? 0) : 0;
      const up = y > 0 ? (rows[dst - stride + x] ?? 0) : 0;
      const upLeft = y > 0 && x >= channels ? (rows[dst - stride + x - channels] ?? 0) : 0;
      rows[dst + x] = (value + predict(filter, left, up, upLeft)) & 0xff;
    }
  }
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    const grey = channels <= 2;
    pixels[i * 4] = rows[s] ?? 0;
    pixels[i * 4 + 1] = grey ? (rows[s] ?? 0) : (rows[s + 1] ?? 0);
    pixels[i * 4 + 2] = grey ? (rows[s] ?? 0) : (rows[s + 2] ?? 0);
    pixels[i * 4 + 3] = channels === 2 ? (rows[s + 1] ?? 0) : channels === 4 ? (rows[s + 3] ?? 0) : 255;
  }
  return { width, height, pixels };
}
