//! A small stable hash for everything the emulator derives from data.
//!
//! Prices, placeholder colours and fault draws must be the same on every run, machine and Rust
//! version, so they cannot use `std::hash`, whose algorithm is unspecified. This is 64-bit
//! FNV-1a over the parts, with a separator byte between parts, followed by the SplitMix64
//! finaliser so that nearby inputs give unrelated outputs.

const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Hashes a sequence of byte strings; `["ab", "c"]` and `["a", "bc"]` hash differently.
pub fn hash_parts(parts: &[&[u8]]) -> u64 {
    let mut hash = FNV_OFFSET_BASIS;
    for part in parts {
        for &byte in *part {
            hash = (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
        }
        hash = (hash ^ 0xff).wrapping_mul(FNV_PRIME);
    }
    mix(hash)
}

/// Scrambles a 64-bit value (the SplitMix64 finaliser).
pub fn mix(mut value: u64) -> u64 {
    value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    value ^ (value >> 31)
}

/// Maps a hash to a number in `0.0..1.0`.
pub fn unit_interval(hash: u64) -> f64 {
    // The top 53 bits fill an f64 mantissa exactly.
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_boundaries_matter() {
        assert_ne!(hash_parts(&[b"ab", b"c"]), hash_parts(&[b"a", b"bc"]));
    }

    #[test]
    fn hash_is_stable() {
        // Computed independently from the FNV-1a and SplitMix64 definitions. A change here
        // changes every price and colour the emulator serves.
        assert_eq!(hash_parts(&[b"xy7-96"]), 0xce7b_dfa5_bd1c_a550);
        assert_eq!(mix(0), 0);
        assert_ne!(hash_parts(&[b"xy7-96"]), hash_parts(&[b"xy7-97"]));
    }

    #[test]
    fn unit_interval_stays_below_one() {
        assert!(unit_interval(u64::MAX) < 1.0);
        assert_eq!(unit_interval(0), 0.0);
    }
}
