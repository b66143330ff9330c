// Standard base64 (RFC 4648, with padding) for HTTP bodies on the wire.

// @ts-ignore: decorator
@lazy const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function base64Encode(data: Uint8Array): string {
  let n = data.length;
  let chars = new Uint16Array(((n + 2) / 3) * 4);
  let j = 0;
  for (let i = 0; i < n; i += 3) {
    let b0 = <u32>data[i];
    let b1 = i + 1 < n ? <u32>data[i + 1] : 0;
    let b2 = i + 2 < n ? <u32>data[i + 2] : 0;
    let v = (b0 << 16) | (b1 << 8) | b2;
    chars[j++] = ALPHABET.charCodeAt((v >> 18) & 63);
    chars[j++] = ALPHABET.charCodeAt((v >> 12) & 63);
    chars[j++] = i + 1 < n ? ALPHABET.charCodeAt((v >> 6) & 63) : 0x3D;
    chars[j++] = i + 2 < n ? ALPHABET.charCodeAt(v & 63) : 0x3D;
  }
  return String.UTF16.decodeUnsafe(chars.dataStart, <usize>chars.length << 1);
}

function sextet(c: u32): i32 {
  if (c >= 0x41 && c <= 0x5A) return c - 0x41;
  if (c >= 0x61 && c <= 0x7A) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  if (c == 0x2B || c == 0x2D) return 62; // + or -
  if (c == 0x2F || c == 0x5F) return 63; // / or _
  return -1;
}

/** Decodes base64 (padding optional; whitespace and other characters are skipped). */
export function base64Decode(s: string): Uint8Array {
  let out = new Uint8Array((s.length * 3) / 4 + 3);
  let acc: u32 = 0;
  let bits = 0;
  let j = 0;
  for (let i = 0, k = s.length; i < k; i++) {
    let v = sextet(<u32>s.charCodeAt(i));
    if (v < 0) continue;
    acc = (acc << 6) | <u32>v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = <u8>(acc >> bits);
    }
  }
  return out.slice(0, j);
}
