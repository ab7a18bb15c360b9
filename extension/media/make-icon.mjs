// Regenerates the extension icon: `node extension/media/make-icon.mjs images/icon.png` (the .vsix ships images/).
// Draws Loopscope's 128x128 icon: the event loop (a ring) with tasks on it (dots), a lens over one.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
const N = 128, S = 4; // supersampling
const px = new Float64Array(N * N * 4);
const bg = [30, 30, 46];
function cover(x, y) {
  // returns [r,g,b,a] for a point
  const cx = 64, cy = 64, dx = x - cx, dy = y - cy, d = Math.hypot(dx, dy);
  let c = null;
  // rounded square background
  const m = 6, r = 24, ax = Math.max(Math.abs(dx) - (64 - m - r), 0), ay = Math.max(Math.abs(dy) - (64 - m - r), 0);
  if (Math.hypot(ax, ay) <= r) c = [...bg, 1];
  if (!c) return [0, 0, 0, 0];
  if (Math.abs(d - 36) <= 5) c = [78, 201, 176, 1];
  const dots = [[-90, [229, 192, 123]], [30, [152, 195, 121]], [150, [97, 175, 239]]];
  for (const [deg, col] of dots) {
    const a = (deg * Math.PI) / 180, px2 = cx + 36 * Math.cos(a), py2 = cy + 36 * Math.sin(a);
    const dd = Math.hypot(x - px2, y - py2);
    if (dd <= 12) c = [...bg, 1];
    if (dd <= 9.5) c = [...col, 1];
  }
  // pause bars in the centre
  if (Math.abs(dy) <= 13 && ((dx >= -11 && dx <= -4) || (dx >= 4 && dx <= 11))) c = [229, 192, 123, 1];
  return c;
}
for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) {
  const acc = [0, 0, 0, 0];
  for (let sy = 0; sy < S; sy++) for (let sx = 0; sx < S; sx++) {
    const c = cover(x + (sx + 0.5) / S, y + (sy + 0.5) / S);
    acc[0] += c[0] * c[3]; acc[1] += c[1] * c[3]; acc[2] += c[2] * c[3]; acc[3] += c[3];
  }
  const i = (y * N + x) * 4, a = acc[3] / (S * S);
  px[i] = a ? acc[0] / acc[3] : 0; px[i + 1] = a ? acc[1] / acc[3] : 0; px[i + 2] = a ? acc[2] / acc[3] : 0; px[i + 3] = a * 255;
}
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) { raw[y * (N * 4 + 1)] = 0; for (let x = 0; x < N * 4; x++) raw[y * (N * 4 + 1) + 1 + x] = Math.round(px[y * N * 4 + x]); }
const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc = (b) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 255] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => { const len = Buffer.alloc(4); len.writeUInt32BE(data.length); const td = Buffer.concat([Buffer.from(type), data]); const c = Buffer.alloc(4); c.writeUInt32BE(crc(td)); return Buffer.concat([len, td, c]); };
const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(N, 0); ihdr.writeUInt32BE(N, 4); ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
writeFileSync(process.argv[2], Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
