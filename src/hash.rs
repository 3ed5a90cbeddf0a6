//! The hash that tells whether something is unchanged. A leaf.

/// FNV-1a, 64 bit: stable across runs and versions, enough to spot identical files (among
/// 5000 files a chance match has odds of about 1 in 10^12).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = Fnv::default();
    h.add(bytes);
    h.0
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
