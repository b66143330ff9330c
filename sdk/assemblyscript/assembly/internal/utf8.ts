// UTF-16 (AssemblyScript strings) <-> UTF-8 (the wire), optionally with JSON string escaping.
// Lone surrogates cannot be represented in UTF-8: they are encoded as U+FFFD.

// @ts-ignore: decorator
@inline const REPLACEMENT: u32 = 0xFFFD;

// @ts-ignore: decorator
@lazy const HEX = memory.data<u8>([
  0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66
]);

/** Bytes needed to JSON-escape an ASCII character, or 1 if it needs none. */
// @ts-ignore: decorator
@inline function escapedLength(c: u32): usize {
  if (c >= 0x20 && c != 0x22 && c != 0x5C) return 1;
  if (c == 0x22 || c == 0x5C || c == 0x08 || c == 0x0C || c == 0x0A || c == 0x0D || c == 0x09) return 2;
  return 6; // \u00XX
}

/** The UTF-8 length of `units` UTF-16 code units at `src`; with `json`, including string escapes. */
export function utf8Length(src: usize, units: usize, json: bool): usize {
  let n: usize = 0;
  let end = src + (units << 1);
  while (src < end) {
    let c = <u32>load<u16>(src);
    src += 2;
    if (c < 0x80) {
      n += json ? escapedLength(c) : 1;
    } else if (c < 0x800) {
      n += 2;
    } else if ((c & 0xFC00) == 0xD800 && src < end && (<u32>load<u16>(src) & 0xFC00) == 0xDC00) {
      src += 2;
      n += 4;
    } else {
      n += 3; // BMP character, or a lone surrogate encoded as U+FFFD
    }
  }
  return n;
}

/**
 * Encodes `units` UTF-16 code units at `src` as UTF-8 at `dst` and returns the end of what was written.
 * With `json`, quotes, backslashes and control characters are escaped (the surrounding quotes are not
 * written). Stops early, at a character boundary, rather than write past `limit`.
 */
export function utf8Encode(src: usize, units: usize, dst: usize, json: bool, limit: usize = usize.MAX_VALUE): usize {
  let end = src + (units << 1);
  while (src < end) {
    let c = <u32>load<u16>(src);
    if (c < 0x80) {
      if (json && escapedLength(c) != 1) {
        if (dst + 6 > limit) break;
        store<u8>(dst, 0x5C);
        let e: u32 = 0;
        if (c == 0x22) e = 0x22;
        else if (c == 0x5C) e = 0x5C;
        else if (c == 0x0A) e = 0x6E; // n
        else if (c == 0x0D) e = 0x72; // r
        else if (c == 0x09) e = 0x74; // t
        else if (c == 0x08) e = 0x62; // b
        else if (c == 0x0C) e = 0x66; // f
        if (e) {
          store<u8>(dst, e, 1);
          dst += 2;
        } else {
          store<u32>(dst, 0x30303075, 1); // "u00" plus a byte overwritten below
          store<u8>(dst, load<u8>(HEX + (c >> 4)), 4);
          store<u8>(dst, load<u8>(HEX + (c & 15)), 5);
          dst += 6;
        }
      } else {
        if (dst + 1 > limit) break;
        store<u8>(dst++, c);
      }
      src += 2;
      continue;
    }
    if (c < 0x800) {
      if (dst + 2 > limit) break;
      store<u8>(dst, 0xC0 | (c >> 6));
      store<u8>(dst, 0x80 | (c & 63), 1);
      dst += 2;
      src += 2;
      continue;
    }
    if ((c & 0xFC00) == 0xD800 && src + 2 < end) {
      let c2 = <u32>load<u16>(src, 2);
      if ((c2 & 0xFC00) == 0xDC00) {
        if (dst + 4 > limit) break;
        let cp = 0x10000 + ((c & 0x3FF) << 10) + (c2 & 0x3FF);
        store<u8>(dst, 0xF0 | (cp >> 18));
        store<u8>(dst, 0x80 | ((cp >> 12) & 63), 1);
        store<u8>(dst, 0x80 | ((cp >> 6) & 63), 2);
        store<u8>(dst, 0x80 | (cp & 63), 3);
        dst += 4;
        src += 4;
        continue;
      }
    }
    if ((c & 0xF800) == 0xD800) c = REPLACEMENT; // lone surrogate
    if (dst + 3 > limit) break;
    store<u8>(dst, 0xE0 | (c >> 12));
    store<u8>(dst, 0x80 | ((c >> 6) & 63), 1);
    store<u8>(dst, 0x80 | (c & 63), 2);
    dst += 3;
    src += 2;
  }
  return dst;
}

/** Writes an ASCII-only string's characters as bytes at `dst`; returns the end. */
export function asciiEncode(str: string, dst: usize): usize {
  let src = changetype<usize>(str);
  let end = src + (<usize>str.length << 1);
  while (src < end) {
    store<u8>(dst++, load<u16>(src));
    src += 2;
  }
  return dst;
}

/**
 * Decodes one UTF-8 sequence starting with byte `b0` at `p` (inside [p, end)) and writes its UTF-16 code
 * units at `dst`. Returns the number of input bytes consumed in the low 16 bits and the number of code
 * units written in the high bits. Malformed input yields U+FFFD.
 */
// @ts-ignore: decorator
@inline export function utf8DecodeOne(p: usize, end: usize, b0: u32, dst: usize): u32 {
  if (b0 < 0xE0) {
    if (b0 >= 0xC0 && p + 1 < end) {
      store<u16>(dst, ((b0 & 31) << 6) | (<u32>load<u8>(p, 1) & 63));
      return 2 | (1 << 16);
    }
  } else if (b0 < 0xF0) {
    if (p + 2 < end) {
      store<u16>(dst, ((b0 & 15) << 12) | ((<u32>load<u8>(p, 1) & 63) << 6) | (<u32>load<u8>(p, 2) & 63));
      return 3 | (1 << 16);
    }
  } else if (p + 3 < end) {
    let cp = ((b0 & 7) << 18) | ((<u32>load<u8>(p, 1) & 63) << 12) |
      ((<u32>load<u8>(p, 2) & 63) << 6) | (<u32>load<u8>(p, 3) & 63);
    cp -= 0x10000;
    store<u16>(dst, 0xD800 | (cp >> 10));
    store<u16>(dst, 0xDC00 | (cp & 0x3FF), 2);
    return 4 | (2 << 16);
  }
  store<u16>(dst, REPLACEMENT);
  return 1 | (1 << 16);
}
