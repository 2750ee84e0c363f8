//! Finding where an object or array ends, 64 bytes at a time: the splitter's inner loop
//! ([`super::split`]), which skips every call of a large report.
//!
//! Each block of 64 bytes becomes four bit masks (quotes, backslashes, opening and closing
//! brackets; bit `i` for byte `i`). Which bytes lie inside strings then follows from the
//! quotes that are not escaped, by a prefix XOR, and only the brackets outside strings are
//! counted. A call of a usage report is some 600 bytes with dozens of short strings: stopping
//! at each quote, as a byte-at-a-time (or word-at-a-time) scan must, cost several times more.
//!
//! Like the rest of the splitter this only finds where the value *would* end were it
//! well-formed: the worker that parses the call checks it, and a call that was cut wrongly
//! fails that parse, which makes the check start again the careful way.

use super::bytes::{equal, next_of};

/// The masks of one block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Block {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
}

/// The masks of 64 bytes.
#[cfg(target_arch = "x86_64")]
fn classify(bytes: &[u8; 64]) -> Block {
    // SAFETY: SSE2 is part of x86_64 itself: every processor that runs this has it.
    unsafe { classify_sse2(bytes) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn classify_sse2(bytes: &[u8; 64]) -> Block {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let mut block = Block::default();
    let quote = _mm_set1_epi8(b'"' as i8);
    let backslash = _mm_set1_epi8(b'\\' as i8);
    // `[` `]` are `{` `}` with bit 5 clear: setting it leaves two bytes to compare with.
    let fold = _mm_set1_epi8(0x20);
    let open = _mm_set1_epi8(b'{' as i8);
    let close = _mm_set1_epi8(b'}' as i8);
    for lane in 0..4 {
        // SAFETY: the 16 bytes read lie within `bytes` (lane * 16 + 16 <= 64); an unaligned
        // load reads any address.
        let v = unsafe { _mm_loadu_si128(bytes.as_ptr().add(lane * 16).cast::<__m128i>()) };
        let folded = _mm_or_si128(v, fold);
        let mask = |m| u64::from(_mm_movemask_epi8(m) as u16) << (lane * 16);
        block.quote |= mask(_mm_cmpeq_epi8(v, quote));
        block.backslash |= mask(_mm_cmpeq_epi8(v, backslash));
        block.open |= mask(_mm_cmpeq_epi8(folded, open));
        block.close |= mask(_mm_cmpeq_epi8(folded, close));
    }
    block
}

/// The masks of 64 bytes.
#[cfg(not(target_arch = "x86_64"))]
fn classify(bytes: &[u8; 64]) -> Block {
    classify_bytewise(bytes)
}

/// [`classify`] a byte at a time: elsewhere than x86_64, and the reference in tests.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn classify_bytewise(bytes: &[u8; 64]) -> Block {
    let mut block = Block::default();
    for (i, &byte) in bytes.iter().enumerate() {
        let bit = 1u64 << i;
        match byte {
            b'"' => block.quote |= bit,
            b'\\' => block.backslash |= bit,
            b'{' | b'[' => block.open |= bit,
            b'}' | b']' => block.close |= bit,
            _ => {}
        }
    }
    block
}

/// Bit `i` set when an odd number of bits at or below `i` are set.
fn prefix_xor(mut bits: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        bits ^= bits << shift;
    }
    bits
}

/// The bytes of a block that a backslash escapes. `carry`: the block's first byte is escaped
/// (the previous block ended in an unescaped backslash); updated for the next block.
fn escaped(backslash: u64, carry: &mut bool) -> u64 {
    let mut escaped = u64::from(*carry);
    *carry = false;
    // Backslashes are rare in a report (escaped quotes in a name, `\u` sequences), so they
    // are walked one by one: a backslash that is itself escaped escapes nothing.
    let mut rest = backslash;
    while rest != 0 {
        let at = rest.trailing_zeros();
        rest &= rest - 1;
        if escaped & (1 << at) == 0 {
            if at == 63 {
                *carry = true;
            } else {
                escaped |= 1 << (at + 1);
            }
        }
    }
    escaped
}

/// Past the string whose quote is at `at`; `None` when the text ends first. (The one string
/// skip of both readers that take JSON apart without parsing it: the splitter, and the
/// locator of findings.)
pub fn skip_string(bytes: &[u8], mut at: usize) -> Option<usize> {
    at += 1;
    loop {
        at = next_of(bytes, at, |word| equal(word, b'"') | equal(word, b'\\'))?;
        if bytes[at] == b'"' {
            return Some(at + 1);
        }
        at += 2;
    }
}

/// Past the value that starts at `at` (no whitespace before it): where it ends if it is
/// well-formed (which a caller that must know checks by parsing it), and `None` where it
/// plainly is not, or nests deeper than `deepest`.
pub fn skip_value(bytes: &[u8], at: usize, deepest: usize) -> Option<usize> {
    match *bytes.get(at)? {
        b'"' => skip_string(bytes, at),
        b'{' | b'[' => value_end(bytes, at, deepest),
        _ => {
            let end = bytes[at..]
                .iter()
                .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t'))
                .map_or(bytes.len(), |n| at + n);
            (end > at).then_some(end)
        }
    }
}

/// Where the object or array that opens at `open` ends (just past its closing bracket), or
/// `None` when the text ends first or it nests deeper than `deepest`. A backslash escapes the
/// byte after it wherever it stands (outside a string it is not JSON, which the parse of the
/// value then finds).
pub fn value_end(bytes: &[u8], open: usize, deepest: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, as just detected.
        return unsafe { value_end_avx2(bytes, open, deepest) };
    }
    value_end_with(bytes, open, deepest, classify)
}

/// [`value_end`] with [`classify_avx2`] inlined into its loop: 32 bytes a comparison rather
/// than 16, about a third fewer instructions for the splitter (callgrind).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn value_end_avx2(bytes: &[u8], open: usize, deepest: usize) -> Option<usize> {
    value_end_with(bytes, open, deepest, |block| classify_avx2(block))
}

/// The masks of 64 bytes, 32 at a time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
fn classify_avx2(bytes: &[u8; 64]) -> Block {
    use std::arch::x86_64::{
        __m256i, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256,
        _mm256_set1_epi8,
    };
    let mut block = Block::default();
    let quote = _mm256_set1_epi8(b'"' as i8);
    let backslash = _mm256_set1_epi8(b'\\' as i8);
    let fold = _mm256_set1_epi8(0x20);
    let open = _mm256_set1_epi8(b'{' as i8);
    let close = _mm256_set1_epi8(b'}' as i8);
    for lane in 0..2 {
        // SAFETY: the 32 bytes read lie within `bytes` (lane * 32 + 32 <= 64); an unaligned
        // load reads any address.
        let v = unsafe { _mm256_loadu_si256(bytes.as_ptr().add(lane * 32).cast::<__m256i>()) };
        let folded = _mm256_or_si256(v, fold);
        let mask = |m| u64::from(_mm256_movemask_epi8(m) as u32) << (lane * 32);
        block.quote |= mask(_mm256_cmpeq_epi8(v, quote));
        block.backslash |= mask(_mm256_cmpeq_epi8(v, backslash));
        block.open |= mask(_mm256_cmpeq_epi8(folded, open));
        block.close |= mask(_mm256_cmpeq_epi8(folded, close));
    }
    block
}

#[inline(always)]
fn value_end_with(
    bytes: &[u8],
    open: usize,
    deepest: usize,
    classify: impl Fn(&[u8; 64]) -> Block,
) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = 0u64; // all ones when the previous block ended inside a string
    let mut carry = false;
    let mut base = open;
    while base < bytes.len() {
        let block = match bytes.get(base..base + 64) {
            Some(whole) => classify(whole.try_into().ok()?),
            None => {
                // The last bytes, padded with spaces (which nothing looks for).
                let mut last = [b' '; 64];
                last[..bytes.len() - base].copy_from_slice(&bytes[base..]);
                classify(&last)
            }
        };
        let escapes = if block.backslash == 0 && !carry {
            0
        } else {
            escaped(block.backslash, &mut carry)
        };
        let strings = prefix_xor(block.quote & !escapes) ^ in_string;
        in_string = ((strings as i64) >> 63) as u64;
        let mut brackets = (block.open | block.close) & !strings & !escapes;
        while brackets != 0 {
            let at = brackets.trailing_zeros();
            brackets &= brackets - 1;
            if block.open & (1 << at) != 0 {
                depth += 1;
                if depth > deepest {
                    return None;
                }
            } else {
                // A closing bracket before any opening one: not where a value opens.
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(base + at as usize + 1);
                }
            }
        }
        base += 64;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same question answered a byte at a time, as the splitter did before.
    fn value_end_bytewise(bytes: &[u8], open: usize, deepest: usize) -> Option<usize> {
        let (mut depth, mut at, mut in_string) = (0usize, open, false);
        while let Some(&byte) = bytes.get(at) {
            if in_string {
                match byte {
                    b'\\' => at += 1,
                    b'"' => in_string = false,
                    _ => {}
                }
            } else {
                match byte {
                    // Not JSON outside a string; escaping here too keeps the rule simple,
                    // and the parse of the call reports it.
                    b'\\' => at += 1,
                    b'"' => in_string = true,
                    b'{' | b'[' => {
                        depth += 1;
                        if depth > deepest {
                            return None;
                        }
                    }
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(at + 1);
                        }
                    }
                    _ => {}
                }
            }
            at += 1;
        }
        None
    }

    #[test]
    fn the_masks_are_those_of_each_byte() {
        let mut bytes = [0u8; 64];
        for seed in 0..2_000u64 {
            let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            for byte in bytes.iter_mut() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                // Mostly the bytes that matter, and now and then any byte at all.
                *byte = match state % 8 {
                    0..=5 => b"\"\\{}[]a "[(state >> 8) as usize % 8],
                    _ => (state >> 16) as u8,
                };
            }
            assert_eq!(classify(&bytes), classify_bytewise(&bytes), "{bytes:?}");
            #[cfg(target_arch = "x86_64")]
            if std::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor has AVX2, as just detected.
                let wide = unsafe { classify_avx2(&bytes) };
                assert_eq!(wide, classify_bytewise(&bytes), "{bytes:?}");
            }
        }
    }

    #[test]
    fn a_value_ends_where_the_bytewise_scan_says() {
        let cases: &[&str] = &[
            r#"{"a": 1}"#,
            r#"{"a": "}"} tail"#,
            r#"{"a": "\"}"}"#,
            r#"{"a": "\\"}"#,
            r#"{"a": "\\\"}"}"#,
            r#"[{"x": [1, 2, {"y": "]"}]}, 3]"#,
            r#"{"unterminated": "}"#,
            r#"{"a": 1"#,
            "[[[[1]]]]",
            "}",
        ];
        for case in cases {
            assert_eq!(
                value_end(case.as_bytes(), 0, 3),
                value_end_bytewise(case.as_bytes(), 0, 3),
                "{case}"
            );
        }
        // Whatever the bytes, and wherever the block edges fall: random text made of the
        // bytes that matter, with long runs so that strings and escapes cross blocks.
        for seed in 0..3_000u64 {
            let mut state = seed.wrapping_mul(0xD1B5_4A32_D192_ED03) | 1;
            let mut text = vec![b'{'];
            let length = 1 + seed as usize % 400;
            while text.len() < length {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let byte = b"\"\\{}[]a \"\\"[(state % 10) as usize];
                let run = 1 + (state >> 8) as usize % 70;
                let run = if byte == b'a' || byte == b' ' {
                    run
                } else {
                    1 + run % 3
                };
                text.extend(std::iter::repeat_n(byte, run));
            }
            for deepest in [2, 120] {
                let expected = value_end_bytewise(&text, 0, deepest);
                let shown = String::from_utf8_lossy(&text);
                assert_eq!(value_end(&text, 0, deepest), expected, "{shown}");
                // Without AVX2 too, whatever this processor has.
                let narrow = value_end_with(&text, 0, deepest, classify);
                assert_eq!(narrow, expected, "{shown}");
            }
        }
    }

    #[test]
    fn an_escape_at_the_end_of_a_block_carries_over() {
        // The backslash is byte 63 of the first block; the quote it escapes opens the next.
        let mut text = String::from("{\"");
        text.push_str(&"a".repeat(61));
        text.push_str("\\\"}\"}");
        assert_eq!(text.as_bytes()[63], b'\\');
        assert_eq!(value_end(text.as_bytes(), 0, 8), Some(text.len()));
    }
}
