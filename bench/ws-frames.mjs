// The WebSocket framing for the bench clients that speak it by hand (bench/loadgen.mjs,
// bench/arrival.mjs): reading server frames off the byte stream, masking client frames.
import { randomBytes } from "node:crypto";

/** One masked text frame from a client, as RFC 6455 requires (payloads under 64 KiB). */
export function clientTextFrame(text) {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x81, 0x80 | length])
    : Buffer.from([0x81, 0x80 | 126, length >> 8, length & 255]);
  for (let i = 0; i < length; i += 1) payload[i] ^= mask[i & 3];
  return Buffer.concat([header, mask, payload]);
}

/**
 * Hand each complete frame in `buffer` to `onFrame(first, body)` (`first`: the frame's first
 * byte, FIN/RSV/opcode); stop early when it returns false. Returns the unread rest, or null.
 */
export function readFrames(buffer, onFrame) {
  let offset = 0;
  while (buffer.length - offset >= 2) {
    let length = buffer[offset + 1] & 127;
    let header = 2;
    if (length === 126) {
      if (buffer.length - offset < 4) break;
      length = buffer.readUInt16BE(offset + 2);
      header = 4;
    } else if (length === 127) {
      if (buffer.length - offset < 10) break;
      length = Number(buffer.readBigUInt64BE(offset + 2));
      header = 10;
    }
    if (buffer.length - offset < header + length) break;
    const first = buffer[offset];
    const body = buffer.subarray(offset + header, offset + header + length);
    offset += header + length;
    if (onFrame(first, body) === false) return null;
  }
  return offset === buffer.length ? null : buffer.subarray(offset);
}
