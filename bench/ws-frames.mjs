// Reading server frames off a raw WebSocket byte stream, for the bench clients that speak the
// framing by hand (bench/loadgen.mjs, bench/arrival.mjs).

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
