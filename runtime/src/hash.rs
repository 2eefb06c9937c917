//! SHA-256 and HMAC-SHA-256, what SigV4 and the SHA-256 checksums need.
//!
//! With the `client` feature these are ring's (already built for rustls; assembly with the SHA
//! extensions where the CPU has them). Without it, a types-only build signs with the portable
//! implementation below rather than pull in a second crypto stack for two functions: the
//! RustCrypto crates (`sha2`, `hmac`, `digest`, `crypto-common`, `typenum`, `hybrid-array`)
//! were 2.8 s of the 39 s of CPU a cold debug build of the AppFlow crate took. The portable
//! code is compiled in every build, and the default test run checks it against the FIPS 180-4
//! and RFC 4231 vectors and against ring.

/// An incremental SHA-256.
#[derive(Clone)]
pub struct Sha256(Inner);

#[cfg(feature = "client")]
type Inner = ring::digest::Context;
#[cfg(not(feature = "client"))]
type Inner = portable::Sha256;

impl Sha256 {
    /// The hash of no bytes yet.
    pub fn new() -> Self {
        #[cfg(feature = "client")]
        return Sha256(ring::digest::Context::new(&ring::digest::SHA256));
        #[cfg(not(feature = "client"))]
        return Sha256(portable::Sha256::new());
    }

    /// Adds `data`.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// The hash of everything added.
    pub fn finish(self) -> [u8; 32] {
        #[cfg(feature = "client")]
        return self.0.finish().as_ref().try_into().expect("SHA-256 is 32 bytes");
        #[cfg(not(feature = "client"))]
        return self.0.finish();
    }
}

impl Default for Sha256 {
    fn default() -> Self {
        Self::new()
    }
}

/// The SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(data);
    h.finish()
}

/// An HMAC-SHA-256 key, ready to sign: its padded key already hashed.
#[derive(Clone)]
pub struct HmacKey(KeyInner);

#[cfg(feature = "client")]
type KeyInner = ring::hmac::Key;
#[cfg(not(feature = "client"))]
type KeyInner = portable::HmacKey;

impl HmacKey {
    /// A key of any length.
    pub fn new(key: &[u8]) -> Self {
        #[cfg(feature = "client")]
        return HmacKey(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key));
        #[cfg(not(feature = "client"))]
        return HmacKey(portable::HmacKey::new(key));
    }

    /// The MAC of the concatenation of `parts`.
    pub fn sign(&self, parts: &[&[u8]]) -> [u8; 32] {
        #[cfg(feature = "client")]
        {
            let mut cx = ring::hmac::Context::with_key(&self.0);
            for p in parts {
                cx.update(p);
            }
            cx.sign().as_ref().try_into().expect("HMAC-SHA-256 is 32 bytes")
        }
        #[cfg(not(feature = "client"))]
        return self.0.sign(parts);
    }
}

/// FIPS 180-4 SHA-256 and RFC 2104 HMAC, in portable Rust.
#[cfg_attr(feature = "client", allow(dead_code))]
mod portable {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    const H0: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    #[derive(Clone)]
    pub struct Sha256 {
        state: [u32; 8],
        /// A partial block.
        buf: [u8; 64],
        buffered: usize,
        /// Bytes hashed, the partial block included.
        len: u64,
    }

    impl Sha256 {
        pub fn new() -> Self {
            Sha256 { state: H0, buf: [0; 64], buffered: 0, len: 0 }
        }

        pub fn update(&mut self, mut data: &[u8]) {
            self.len = self.len.wrapping_add(data.len() as u64);
            if self.buffered > 0 {
                let take = (64 - self.buffered).min(data.len());
                self.buf[self.buffered..self.buffered + take].copy_from_slice(&data[..take]);
                self.buffered += take;
                data = &data[take..];
                if self.buffered < 64 {
                    return;
                }
                let block = self.buf;
                compress(&mut self.state, &block);
                self.buffered = 0;
            }
            let mut blocks = data.chunks_exact(64);
            for block in &mut blocks {
                compress(&mut self.state, block.try_into().expect("64 bytes"));
            }
            let rest = blocks.remainder();
            self.buf[..rest.len()].copy_from_slice(rest);
            self.buffered = rest.len();
        }

        pub fn finish(mut self) -> [u8; 32] {
            let bits = self.len.wrapping_mul(8);
            let mut pad = [0u8; 72];
            pad[0] = 0x80;
            // Pad to 56 bytes past a block boundary, then the length in bits.
            let zeros = (119 - self.buffered) % 64;
            pad[1 + zeros..9 + zeros].copy_from_slice(&bits.to_be_bytes());
            self.update(&pad[..9 + zeros]);
            debug_assert_eq!(self.buffered, 0);
            let mut out = [0u8; 32];
            for (chunk, word) in out.chunks_exact_mut(4).zip(self.state) {
                chunk.copy_from_slice(&word.to_be_bytes());
            }
            out
        }
    }

    fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes(word.try_into().expect("4 bytes"));
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = h.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            (h, g, f, e, d, c, b, a) = (g, f, e, d.wrapping_add(t1), c, b, a, t1.wrapping_add(t2));
        }
        for (s, v) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *s = s.wrapping_add(v);
        }
    }

    /// The inner and outer hashes with the padded key absorbed.
    #[derive(Clone)]
    pub struct HmacKey {
        inner: Sha256,
        outer: Sha256,
    }

    impl HmacKey {
        pub fn new(key: &[u8]) -> Self {
            let mut block = [0u8; 64];
            if key.len() > 64 {
                let mut h = Sha256::new();
                h.update(key);
                block[..32].copy_from_slice(&h.finish());
            } else {
                block[..key.len()].copy_from_slice(key);
            }
            let (mut inner, mut outer) = (Sha256::new(), Sha256::new());
            inner.update(&block.map(|b| b ^ 0x36));
            outer.update(&block.map(|b| b ^ 0x5c));
            HmacKey { inner, outer }
        }

        pub fn sign(&self, parts: &[&[u8]]) -> [u8; 32] {
            let mut inner = self.inner.clone();
            for p in parts {
                inner.update(p);
            }
            let mut outer = self.outer.clone();
            outer.update(&inner.finish());
            outer.finish()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::portable;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn portable_sha256(data: &[u8]) -> [u8; 32] {
        let mut h = portable::Sha256::new();
        h.update(data);
        h.finish()
    }

    /// FIPS 180-4's examples (the one-, two-block and million-`a` messages) and the empty one.
    const SHA256_VECTORS: &[(&[u8], &str)] = &[
        (b"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (b"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
    ];

    #[test]
    fn sha256_matches_the_fips_vectors() {
        for (input, want) in SHA256_VECTORS {
            assert_eq!(hex(&portable_sha256(input)), *want);
            assert_eq!(hex(&super::sha256(input)), *want);
        }
        let million = vec![b'a'; 1_000_000];
        let want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
        assert_eq!(hex(&portable_sha256(&million)), want);
        assert_eq!(hex(&super::sha256(&million)), want);
    }

    /// RFC 4231's test cases 1, 2, 3, 4, 6 and 7 (5 truncates its output).
    #[test]
    fn hmac_matches_rfc_4231() {
        let cases: [(Vec<u8>, Vec<u8>, &str); 6] = [
            (vec![0x0b; 20], b"Hi There".to_vec(), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (b"Jefe".to_vec(), b"what do ya want for nothing?".to_vec(), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            (vec![0xaa; 20], vec![0xdd; 50], "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            (
                (1..=25).collect(),
                vec![0xcd; 50],
                "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
            ),
            (
                vec![0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
            (
                vec![0xaa; 131],
                b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".to_vec(),
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            ),
        ];
        for (key, data, want) in &cases {
            assert_eq!(hex(&portable::HmacKey::new(key).sign(&[data])), *want);
            assert_eq!(hex(&super::HmacKey::new(key).sign(&[data])), *want);
            let (a, b) = data.split_at(data.len() / 3);
            assert_eq!(hex(&super::HmacKey::new(key).sign(&[a, b])), *want, "in parts");
        }
    }

    /// Every length up to three blocks and beyond, fed whole and in uneven pieces, against
    /// the hash the build uses (ring's with the client).
    #[test]
    fn portable_agrees_with_the_build_at_every_length() {
        let data: Vec<u8> = (0..700u32).map(|i| (i * 31 + 7) as u8).collect();
        for len in 0..data.len() {
            let want = super::sha256(&data[..len]);
            assert_eq!(portable_sha256(&data[..len]), want, "length {len}");
            let mut h = portable::Sha256::new();
            for piece in data[..len].chunks(len % 67 + 1) {
                h.update(piece);
            }
            assert_eq!(h.finish(), want, "length {len} in pieces");
            let key = &data[..len % 150];
            assert_eq!(
                portable::HmacKey::new(key).sign(&[&data[..len]]),
                super::HmacKey::new(key).sign(&[&data[..len]])
            );
        }
    }
}
