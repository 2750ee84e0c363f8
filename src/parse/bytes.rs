//! Searching bytes eight at a time, for the two readers that take a report's text apart
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
    // Indentation comes in runs of spaces: a word of them at a time.
    while bytes
        .get(at..at + 8)
        .is_some_and(|chunk| chunk == b"        ")
    {
        at += 8;
    }
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(at) {
        at += 1;
    }
    at
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
    }
}
