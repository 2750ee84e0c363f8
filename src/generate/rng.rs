//! A counter-based generator: every draw is a function of the seed, a stream and an index
//! alone, so any member or call can be generated on its own, in any order, and the output is
//! the same on every machine and version (integer arithmetic only, no floating point).

/// The finalizer of splitmix64: a bijection of `u64` that scatters its input.
pub(super) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// What a stream of draws is for; each has its own sequence for every index.
#[derive(Clone, Copy)]
pub(super) enum Stream {
    Member = 1,
    Created = 7,
    Active = 2,
    SignIn = 3,
    Call = 4,
    CallId = 5,
    Defect = 6,
}

/// A splitmix64 sequence started from (seed, stream, index).
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64, stream: Stream, index: u64) -> Rng {
        let base = mix(seed ^ mix(stream as u64));
        Rng(mix(base.wrapping_add(index.wrapping_mul(GAMMA))))
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GAMMA);
        mix(self.0)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// True with probability `per_mille` / 1000.
    pub(super) fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// One of `items`, which must not be empty.
    pub(super) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A bijection of `u64` keyed by `seed`: distinct inputs give distinct outputs.
pub(super) fn permute(seed: u64, value: u64) -> u64 {
    mix(value ^ mix(seed ^ mix(Stream::CallId as u64)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_pinned() {
        // splitmix64's reference output for state 0 after one step.
        assert_eq!(mix(GAMMA), 0xe220_a839_7b1d_cdaf);
        let mut a = Rng::new(7, Stream::Call, 3);
        let mut b = Rng::new(7, Stream::Call, 3);
        assert_eq!(a.next(), b.next());
        assert_ne!(Rng::new(7, Stream::Call, 4).next(), b.next());
        assert!((0..1000).all(|_| a.below(10) < 10));
    }
}
