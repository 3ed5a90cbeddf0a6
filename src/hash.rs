//! The hash that tells whether something is unchanged. A leaf.

/// FNV-1a, 64 bit: stable across runs and versions, enough to spot identical files (among
/// 5000 files a chance match has odds of about 1 in 10^12).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = Fnv::default();
    h.add(bytes);
    h.0
}

/// The hash of a whole output file, to tell whether a build wrote the same bytes again:
/// SipHash-1-3 with fixed keys (stable across runs and versions), 128 bits folded to 64. It
/// reads eight bytes a step where FNV-1a reads one: the outputs of a build run to 50 MB.
pub fn digest(bytes: &[u8]) -> u64 {
    let h = siphasher::sip128::SipHasher13::new().hash(bytes);
    h.h1 ^ h.h2
}

#[cfg(test)]
mod tests {
    use super::digest;

    #[test]
    fn digest_tells_one_byte_apart() {
        assert_eq!(digest(b"yingjian"), digest(b"yingjian"));
        assert_ne!(digest(b"yingjian"), digest(b"yingjiam"));
        assert_ne!(digest(b""), digest(b"\0"));
    }
}

/// FNV-1a fed piece by piece (as an `io::Write`, so JSON can be hashed as it is serialized
/// without building the string): the same value as `fnv1a` of all pieces joined.
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn add(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= *b as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

impl std::io::Write for Fnv {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.add(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
