//! Searching bytes eight at a time (sixteen where the processor compares sixteen in one
//! instruction: SSE2 on x86_64), for the two readers that take a report's text apart
//! without serde_json ([`super::split`], [`super::tape`]): between the few bytes that matter,
//! a report is mostly spaces, names and digits. (The SIMD searches of the memchr crate cost
//! more to start than a short string takes to skip.)

pub const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that equals `byte`, and maybe of some bytes above the
/// first such (a borrow carries into them): only the lowest flag is to be read, and it is
/// exact.
#[inline(always)]
pub fn equal(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// As [`equal`], for the bytes below 0x20 (JSON's control characters).
#[inline(always)]
pub fn control(word: u64) -> u64 {
    word.wrapping_sub(ONES * 0x20) & !word & HIGHS
}

/// The first byte from `at` on that `flags` flags (see [`equal`]).
#[inline(always)]
pub fn next_of(bytes: &[u8], mut at: usize, flags: impl Fn(u64) -> u64) -> Option<usize> {
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().ok()?);
        let found = flags(word);
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    // The last few bytes, padded with spaces (which nothing looks for).
    let rest = bytes.get(at..)?;
    let mut last = [b' '; 8];
    last[..rest.len()].copy_from_slice(rest);
    let found = flags(u64::from_le_bytes(last));
    let offset = (found.trailing_zeros() / 8) as usize;
    (found != 0 && offset < rest.len()).then_some(at + offset)
}

/// Past the JSON whitespace from `at` on.
#[inline]
pub fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    // Most calls come between tokens with nothing, or one space, between them.
    match bytes.get(at) {
        Some(&byte) if byte > b' ' => return at,
        None => return at,
        _ => {}
    }
    // Indentation: sixteen bytes at a time.
    while let Some(chunk) = bytes.get(at..at + 16) {
        let space = masks16(chunk.try_into().unwrap_or(&[0; 16])).space;
        if space != 0xFFFF {
            return at + (!space).trailing_zeros() as usize;
        }
        at += 16;
    }
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(at) {
        at += 1;
    }
    at
}

/// Where the string whose contents start at `at` stops being plain: its closing quote, or a
/// backslash or control character (which a plain string has none of). `None` when the text
/// ends first.
#[inline]
pub fn string_stop(bytes: &[u8], mut at: usize) -> Option<usize> {
    while let Some(chunk) = bytes.get(at..at + 16) {
        let stop = masks16(chunk.try_into().unwrap_or(&[0; 16])).string_stop;
        if stop != 0 {
            return Some(at + stop.trailing_zeros() as usize);
        }
        at += 16;
    }
    next_of(bytes, at, |word| {
        equal(word, b'"') | equal(word, b'\\') | control(word)
    })
}

/// Of 16 bytes, bit `i` for byte `i`.
#[derive(Debug, PartialEq, Eq)]
struct Masks16 {
    /// JSON whitespace.
    space: u32,
    /// A quote, a backslash or a control character.
    string_stop: u32,
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn masks16(chunk: &[u8; 16]) -> Masks16 {
    // SAFETY: SSE2 is part of x86_64 itself: every processor that runs this has it.
    unsafe { masks16_sse2(chunk) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn masks16_sse2(chunk: &[u8; 16]) -> Masks16 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    // SAFETY: the 16 bytes read are `chunk`'s; an unaligned load reads any address.
    let v = unsafe { _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>()) };
    let is = |byte: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(byte as i8));
    let space = _mm_or_si128(
        _mm_or_si128(is(b' '), is(b'\n')),
        _mm_or_si128(is(b'\r'), is(b'\t')),
    );
    // Below 0x20 exactly when the unsigned maximum with 0x1F is 0x1F.
    let control = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
    let stop = _mm_or_si128(_mm_or_si128(is(b'"'), is(b'\\')), control);
    Masks16 {
        space: _mm_movemask_epi8(space) as u32 & 0xFFFF,
        string_stop: _mm_movemask_epi8(stop) as u32 & 0xFFFF,
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn masks16(chunk: &[u8; 16]) -> Masks16 {
    masks16_bytewise(chunk)
}

/// [`masks16`] a byte at a time: elsewhere than x86_64, and the reference in tests.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn masks16_bytewise(chunk: &[u8; 16]) -> Masks16 {
    let mut masks = Masks16 {
        space: 0,
        string_stop: 0,
    };
    for (i, &byte) in chunk.iter().enumerate() {
        if matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
            masks.space |= 1 << i;
        }
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            masks.string_stop |= 1 << i;
        }
    }
    masks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_flags_exactly_the_bytes_below_space() {
        for byte in 0..=255u8 {
            let word = u64::from_le_bytes([b'a', byte, b'a', b'a', b'a', b'a', b'a', b'a']);
            let found = control(word);
            if byte < 0x20 {
                assert_eq!(found.trailing_zeros() / 8, 1, "{byte:#x}");
            } else {
                assert_eq!(found, 0, "{byte:#x}");
            }
        }
    }

    #[test]
    fn space_is_skipped_whatever_its_run() {
        let text = b"\n            \t \r\n x";
        assert_eq!(skip_space(text, 0), text.len() - 1);
        assert_eq!(skip_space(b"x", 0), 0);
        assert_eq!(skip_space(b"          ", 0), 10);
        assert_eq!(skip_space(b"", 0), 0);
        assert_eq!(
            skip_space(b"\x0b", 0),
            0,
            "a vertical tab is no JSON whitespace"
        );
    }

    /// Random bytes, mostly the ones that matter, with runs so that whole chunks are skipped.
    fn random_text(seed: u64, length: usize) -> Vec<u8> {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut text = Vec::with_capacity(length);
        while text.len() < length {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let byte = match state % 4 {
                0 => (state >> 8) as u8,
                _ => b" \n\r\t\"\\ax\x1f\x0b\x7f\xff"[(state >> 8) as usize % 12],
            };
            let run = 1 + (state >> 20) as usize % 40;
            text.extend(std::iter::repeat_n(byte, run));
        }
        text.truncate(length);
        text
    }

    #[test]
    fn the_sixteen_byte_masks_are_those_of_each_byte() {
        for seed in 0..2_000 {
            let text = random_text(seed, 16);
            let chunk: &[u8; 16] = text.as_slice().try_into().unwrap();
            assert_eq!(masks16(chunk), masks16_bytewise(chunk), "{chunk:?}");
        }
    }

    #[test]
    fn space_and_string_ends_are_found_as_a_byte_at_a_time_scan_finds_them() {
        for seed in 0..300 {
            let text = random_text(seed, 1 + seed as usize % 200);
            for at in 0..=text.len() {
                let space = text[at..]
                    .iter()
                    .position(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
                    .map_or(text.len(), |n| at + n);
                assert_eq!(skip_space(&text, at), space, "{text:?} from {at}");
                let stop = text[at..]
                    .iter()
                    .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                    .map(|n| at + n);
                assert_eq!(string_stop(&text, at), stop, "{text:?} from {at}");
            }
        }
    }
}
