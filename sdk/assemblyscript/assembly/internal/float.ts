// Correctly rounded decimal -> f64 conversion for JSON numbers.
//
// The standard library's parseFloat is not correctly rounded (and wrong for some large exponents), so
// numbers are converted here: Clinger's fast path when the digits and the power of ten are both exact
// doubles, otherwise an approximation refined by exact big-integer comparison against the midpoints
// between neighbouring doubles (Clinger's AlgorithmR). Up to 800 significant digits are honoured.

// @ts-ignore: decorator
@lazy const POW10 = memory.data<f64>([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
]);

// Big integers: little-endian u32 limbs in static scratch buffers (4096 bits each, enough for
// 800 digits times 2^1100, or 5^350 times 2^1100).
// @ts-ignore: decorator
@inline const LIMBS: i32 = 128;
// @ts-ignore: decorator
@lazy const BIG_D = memory.data(LIMBS << 2); // the decimal digits as an integer
// @ts-ignore: decorator
@lazy const BIG_L = memory.data(LIMBS << 2);
// @ts-ignore: decorator
@lazy const BIG_R = memory.data(LIMBS << 2);

// @ts-ignore: decorator
@inline const MAX_DIGITS: i32 = 800;

/** End of the number parsed by the last `parseNumber` call. */
export let numberEnd: usize = 0;

/** Parses a JSON number at [p, end) to the nearest f64. Sets `numberEnd`. Returns NaN if there is none. */
export function parseNumber(p: usize, end: usize): f64 {
  let neg = false;
  if (p < end && load<u8>(p) == 0x2D) { neg = true; p++; }
  let mant: u64 = 0;
  let nd: i32 = 0;      // significant digits taken into `mant`
  let exp10: i32 = 0;   // value = mant * 10^exp10 (when nothing was dropped)
  let dropped = false;  // more than 19 significant digits
  let digitsStart = p;
  let sawDigit = false;
  while (p < end) {
    let d = <u32>load<u8>(p) - 0x30;
    if (d > 9) break;
    sawDigit = true;
    if (nd < 19) { mant = mant * 10 + d; if (mant) nd++; } else { exp10++; dropped = true; }
    p++;
  }
  if (p < end && load<u8>(p) == 0x2E) {
    p++;
    while (p < end) {
      let d = <u32>load<u8>(p) - 0x30;
      if (d > 9) break;
      sawDigit = true;
      if (nd < 19) { mant = mant * 10 + d; if (mant) nd++; exp10--; } else { dropped = true; }
      p++;
    }
  }
  let digitsEnd = p;
  if (!sawDigit) { numberEnd = p; return NaN; }
  let e: i32 = 0;
  if (p < end && (load<u8>(p) | 0x20) == 0x65) { // e or E
    p++;
    let eneg = false;
    if (p < end && load<u8>(p) == 0x2D) { eneg = true; p++; }
    else if (p < end && load<u8>(p) == 0x2B) p++;
    while (p < end) {
      let d = <u32>load<u8>(p) - 0x30;
      if (d > 9) break;
      if (e < 100000) e = e * 10 + <i32>d;
      p++;
    }
    if (eneg) e = -e;
  }
  numberEnd = p;
  let value: f64;
  if (!mant) {
    value = 0;
  } else if (!dropped && mant <= (<u64>1 << 53) && exp10 + e >= -22 && exp10 + e <= 22) {
    let x = <f64>mant;
    let k = exp10 + e;
    value = k < 0 ? x / load<f64>(POW10 + (<usize>-k << 3)) : x * load<f64>(POW10 + (<usize>k << 3));
  } else {
    value = slowPath(mant, nd, exp10 + e, e, dropped, digitsStart, digitsEnd);
  }
  return neg ? -value : value;
}

function slowPath(mant: u64, nd: i32, exp10: i32, expPart: i32, dropped: bool, digitsStart: usize, digitsEnd: usize): f64 {
  // Decimal magnitude: the value lies in [10^(nd-1+exp10), 10^(nd+exp10)).
  if (nd + exp10 > 310) return Infinity;
  if (nd + exp10 < -325) return 0;
  // The exact integer D and exponent E with value = D * 10^E.
  let dLen: i32;
  let E: i32;
  if (!dropped) {
    dLen = bigFromU64(BIG_D, mant);
    E = exp10;
  } else {
    // Re-read every significant digit (up to MAX_DIGITS) into a big integer.
    dLen = 0;
    let taken: i32 = 0;
    let scale: i32 = 0; // fraction digits taken, minus integer digits dropped
    let inFrac = false;
    let started = false;
    for (let q = digitsStart; q < digitsEnd; q++) {
      let c = <u32>load<u8>(q);
      if (c == 0x2E) { inFrac = true; continue; }
      let d = c - 0x30;
      if (!started && d == 0) { if (inFrac) scale++; continue; }
      started = true;
      if (taken < MAX_DIGITS) {
        dLen = bigMulAdd(BIG_D, dLen, 10, d);
        taken++;
        if (inFrac) scale++;
      } else if (!inFrac) {
        scale--;
      }
    }
    E = expPart - scale;
  }
  // First approximation from the leading digits.
  let k = exp10;
  let z = <f64>mant;
  if (k > 0) {
    while (k > 22) { z *= 1e22; k -= 22; }
    z *= load<f64>(POW10 + (<usize>k << 3));
  } else if (k < 0) {
    k = -k;
    // keep the intermediate in the normal range as long as possible
    while (k > 22) {
      if (z < 1e-280) break;
      z /= 1e22; k -= 22;
    }
    while (k > 22) { z /= 1e22; k -= 22; }
    z /= load<f64>(POW10 + (<usize>k << 3));
  }
  if (!isFinite(z)) z = f64.MAX_VALUE;
  // Refine: move z by one ulp while the value lies beyond a midpoint.
  for (let i = 0; i < 200; i++) {
    if (z == Infinity) break;
    let bits = reinterpret<u64>(z);
    let be = <i32>(bits >> 52);
    let m = bits & 0xFFFFFFFFFFFFF;
    let k2: i32;
    if (be) { m |= <u64>1 << 52; k2 = be - 1075; } else { k2 = -1074; }
    // upper midpoint: (2m+1) * 2^(k2-1)
    let c = compare(dLen, E, (m << 1) + 1, k2 - 1);
    if (c > 0 || (c == 0 && (m & 1))) {
      z = reinterpret<f64>(bits + 1);
      continue;
    }
    if (m == 0) break;
    // lower midpoint: (2m-1) * 2^(k2-1), or (4m-1) * 2^(k2-2) at the bottom of a binade
    if (m == (<u64>1 << 52) && be > 1) {
      c = compare(dLen, E, (m << 2) - 1, k2 - 2);
    } else {
      c = compare(dLen, E, (m << 1) - 1, k2 - 1);
    }
    if (c < 0 || (c == 0 && (m & 1))) {
      z = reinterpret<f64>(bits - 1);
      continue;
    }
    break;
  }
  return z;
}

/** Compares D * 10^E with M * 2^K exactly. */
function compare(dLen: i32, E: i32, M: u64, K: i32): i32 {
  let lLen = bigCopy(BIG_L, BIG_D, dLen);
  let rLen = bigFromU64(BIG_R, M);
  if (E >= 0) lLen = bigMulPow5(BIG_L, lLen, E); else rLen = bigMulPow5(BIG_R, rLen, -E);
  let d = E - K; // remaining factor: 2^E on the left, 2^K on the right
  if (d >= 0) lLen = bigShl(BIG_L, lLen, d); else rLen = bigShl(BIG_R, rLen, -d);
  return bigCmp(BIG_L, lLen, BIG_R, rLen);
}

function bigFromU64(a: usize, v: u64): i32 {
  store<u32>(a, <u32>v);
  store<u32>(a, <u32>(v >> 32), 4);
  return v >> 32 ? 2 : (v ? 1 : 0);
}

function bigCopy(dst: usize, src: usize, len: i32): i32 {
  memory.copy(dst, src, <usize>len << 2);
  return len;
}

function bigMulAdd(a: usize, len: i32, m: u32, add: u32): i32 {
  let carry = <u64>add;
  for (let i = 0; i < len; i++) {
    let p = a + (<usize>i << 2);
    let t = <u64>load<u32>(p) * m + carry;
    store<u32>(p, <u32>t);
    carry = t >> 32;
  }
  if (carry && len < LIMBS) { store<u32>(a + (<usize>len << 2), <u32>carry); len++; }
  return len;
}

function bigMulPow5(a: usize, len: i32, n: i32): i32 {
  while (n >= 13) { len = bigMulAdd(a, len, 1220703125, 0); n -= 13; } // 5^13
  let m: u32 = 1;
  while (n-- > 0) m *= 5;
  if (m != 1) len = bigMulAdd(a, len, m, 0);
  return len;
}

function bigShl(a: usize, len: i32, bits: i32): i32 {
  if (!len) return 0;
  let words = bits >> 5;
  let r = bits & 31;
  let newLen = len + words + 1;
  if (newLen > LIMBS) newLen = LIMBS; // cannot happen for JSON-sized inputs
  for (let i = newLen - 1; i >= words; i--) {
    let src = i - words;
    let hi: u64 = src < len ? <u64>load<u32>(a + (<usize>src << 2)) : 0;
    let lo: u64 = src - 1 >= 0 && src - 1 < len ? <u64>load<u32>(a + (<usize>(src - 1) << 2)) : 0;
    store<u32>(a + (<usize>i << 2), <u32>(((hi << 32) | lo) >> (32 - r)));
  }
  for (let i = 0; i < words; i++) store<u32>(a + (<usize>i << 2), 0);
  while (newLen > 0 && !load<u32>(a + (<usize>(newLen - 1) << 2))) newLen--;
  return newLen;
}

function bigCmp(a: usize, aLen: i32, b: usize, bLen: i32): i32 {
  while (aLen > 0 && !load<u32>(a + (<usize>(aLen - 1) << 2))) aLen--;
  while (bLen > 0 && !load<u32>(b + (<usize>(bLen - 1) << 2))) bLen--;
  if (aLen != bLen) return aLen > bLen ? 1 : -1;
  for (let i = aLen - 1; i >= 0; i--) {
    let x = load<u32>(a + (<usize>i << 2));
    let y = load<u32>(b + (<usize>i << 2));
    if (x != y) return x > y ? 1 : -1;
  }
  return 0;
}
