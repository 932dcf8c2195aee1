//! Feature extraction for the tagger and the parser: words, tags and tree context hashed
//! into 64-bit keys. It must never depend on anything but its inputs (no global state, no
//! hash seeds), because the trainer and the runtime must compute the same keys.

use super::transition::{NONE, State};

/// FNV-1a over the bytes of a string: a stable hash with no seed.
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Mixes one more atom into a key (splitmix64's finaliser over a rotated combination), so
/// that the order of atoms matters and nearby inputs land far apart.
#[inline]
pub fn mix(key: u64, atom: u64) -> u64 {
    let mut z = key.rotate_left(17) ^ atom.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A key for template `template` over `atoms`. Zero is kept free to mark an empty slot.
#[inline]
fn key(template: u64, atoms: &[u64]) -> u64 {
    let mut k = mix(0x5eed, template);
    for &a in atoms {
        k = mix(k, a);
    }
    k.max(1)
}

/// The atoms of one word that features read, computed once per word.
#[derive(Debug, Clone, Copy, Default)]
pub struct WordAtoms {
    /// The form as written.
    pub form: u64,
    /// The lower-case form with every digit written as 0, so numbers share statistics.
    pub norm: u64,
    /// The last one to four characters of the normalised form.
    pub suffix: [u64; 4],
    /// The first one to three characters of the normalised form.
    pub prefix: [u64; 3],
    /// The word's shape: runs of upper case, lower case, digits and other characters.
    pub shape: u64,
}

/// Computes a word's atoms.
pub fn word_atoms(word: &str) -> WordAtoms {
    let norm: String = word
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect();
    let chars: Vec<(usize, char)> = norm.char_indices().collect();
    let n = chars.len();
    let mut suffix = [0u64; 4];
    for (k, slot) in suffix.iter_mut().enumerate() {
        let len = (k + 1).min(n);
        let start = chars.get(n - len).map_or(0, |&(i, _)| i);
        *slot = hash_str(&norm[start..]) ^ (k as u64 + 1);
    }
    let mut prefix = [0u64; 3];
    for (k, slot) in prefix.iter_mut().enumerate() {
        let len = (k + 1).min(n);
        let end = chars.get(len).map_or(norm.len(), |&(i, _)| i);
        *slot = hash_str(&norm[..end]) ^ (k as u64 + 11);
    }
    let mut shape = String::new();
    let mut last = ' ';
    let mut run = 0;
    for c in word.chars() {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if class == last {
            run += 1;
            if run > 2 {
                continue;
            }
        } else {
            run = 1;
            last = class;
        }
        shape.push(class);
    }
    WordAtoms {
        form: hash_str(word),
        norm: hash_str(&norm),
        suffix,
        prefix,
        shape: hash_str(&shape) ^ 0x5a,
    }
}

/// The atom of a position outside the sentence.
const PAD: u64 = 0x0bad_cafe;
/// The atom of the root, which the parser treats as a word of its own.
const ROOT: u64 = 0x0600_0de1;

/// The tagger's features for word `i`, given the atoms of the sentence's words and the tags
/// already chosen for the words before it (`prev[k]` is the tag id of word `k`).
pub fn tagger_features(atoms: &[WordAtoms], prev: &[u16], i: usize, out: &mut Vec<u64>) {
    out.clear();
    let at = |k: isize| -> Option<&WordAtoms> {
        usize::try_from(i as isize + k)
            .ok()
            .and_then(|k| atoms.get(k))
    };
    let norm = |k: isize| at(k).map_or(PAD, |a| a.norm);
    let shape = |k: isize| at(k).map_or(PAD, |a| a.shape);
    let suf = |k: isize, n: usize| at(k).map_or(PAD, |a| a.suffix[n]);
    let tag = |k: usize| -> u64 {
        if i >= k {
            u64::from(prev[i - k]) + 1
        } else {
            PAD
        }
    };
    let w = &atoms[i];
    let first = u64::from(i == 0);
    out.extend_from_slice(&[
        key(0, &[]),
        key(1, &[w.norm]),
        key(2, &[w.form]),
        key(3, &[w.suffix[0]]),
        key(4, &[w.suffix[1]]),
        key(5, &[w.suffix[2]]),
        key(6, &[w.suffix[3]]),
        key(7, &[w.prefix[0]]),
        key(8, &[w.prefix[1]]),
        key(9, &[w.prefix[2]]),
        key(10, &[w.shape]),
        key(11, &[norm(-1)]),
        key(12, &[norm(-2)]),
        key(13, &[norm(1)]),
        key(14, &[norm(2)]),
        key(15, &[suf(-1, 2)]),
        key(16, &[suf(1, 2)]),
        key(17, &[tag(1)]),
        key(18, &[tag(1), tag(2)]),
        key(19, &[tag(1), w.norm]),
        key(20, &[norm(-1), w.norm]),
        key(21, &[w.norm, norm(1)]),
        key(22, &[shape(1)]),
        key(23, &[shape(-1)]),
        key(24, &[first, w.form]),
        key(25, &[first, w.shape]),
        key(26, &[tag(1), w.suffix[2]]),
        key(27, &[suf(1, 1)]),
        key(28, &[norm(1), norm(2)]),
        key(29, &[tag(1), norm(1)]),
        key(30, &[w.suffix[1], suf(1, 1)]),
    ]);
}

/// What the parser knows of each word: its atoms and its tag.
#[derive(Debug, Clone, Copy)]
pub struct ParseAtoms {
    pub word: u64,
    pub tag: u64,
}

/// The parser's features in state `state`. `words[k]` describes word `k + 1` (word 0 is
/// the root).
pub fn parser_features(state: &State, words: &[ParseAtoms], out: &mut Vec<u64>) {
    out.clear();
    let w = |t: u32| -> u64 {
        match t {
            NONE => PAD,
            0 => ROOT,
            t => words[t as usize - 1].word,
        }
    };
    let p = |t: u32| -> u64 {
        match t {
            NONE => PAD,
            0 => ROOT,
            t => words[t as usize - 1].tag,
        }
    };
    let l = |t: u32| -> u64 {
        if t == NONE {
            PAD
        } else {
            u64::from(state.labels[t as usize]) + 1
        }
    };
    let s0 = state.stack_at(0);
    let s1 = state.stack_at(1);
    let s2 = state.stack_at(2);
    let b0 = state.buffer_at(0);
    let b1 = state.buffer_at(1);
    let b2 = state.buffer_at(2);
    let (s0w, s0p, s1w, s1p, s2p) = (w(s0), p(s0), w(s1), p(s1), p(s2));
    let (b0w, b0p, b1w, b1p, b2w, b2p) = (w(b0), p(b0), w(b1), p(b1), w(b2), p(b2));
    let kid = |t: u32, f: fn(&super::transition::Node) -> u32| -> u32 {
        if t == NONE {
            NONE
        } else {
            f(&state.nodes[t as usize])
        }
    };
    let s0l1 = kid(s0, |n| n.left[0]);
    let s0l2 = kid(s0, |n| n.left[1]);
    let s0r1 = kid(s0, |n| n.right[0]);
    let s0r2 = kid(s0, |n| n.right[1]);
    let b0l1 = kid(b0, |n| n.left[0]);
    let b0l2 = kid(b0, |n| n.left[1]);
    let s1l1 = kid(s1, |n| n.left[0]);
    let s1r1 = kid(s1, |n| n.right[0]);
    let s0ll1 = kid(s0l1, |n| n.left[0]);
    let s0rr1 = kid(s0r1, |n| n.right[0]);
    let b0ll1 = kid(b0l1, |n| n.left[0]);
    let dist = |a: u32, b: u32| -> u64 {
        if a == NONE || b == NONE {
            PAD
        } else {
            u64::from(a.abs_diff(b).min(6)) + 1
        }
    };
    let d_s0b0 = dist(s0, b0);
    let d_s1s0 = dist(s1, s0);
    let node = |t: u32| (t != NONE).then(|| &state.nodes[t as usize]);
    let vl = |t: u32| node(t).map_or(PAD, |n| u64::from(n.n_left) + 1);
    let vr = |t: u32| node(t).map_or(PAD, |n| u64::from(n.n_right) + 1);
    let sl = |t: u32| node(t).map_or(PAD, |n| n.left_labels ^ 0x11);
    let sr = |t: u32| node(t).map_or(PAD, |n| n.right_labels ^ 0x22);
    out.extend_from_slice(&[
        key(100, &[]),
        // Single words.
        key(101, &[s0w, s0p]),
        key(102, &[s0w]),
        key(103, &[s0p]),
        key(104, &[b0w, b0p]),
        key(105, &[b0w]),
        key(106, &[b0p]),
        key(107, &[b1w, b1p]),
        key(108, &[b1w]),
        key(109, &[b1p]),
        key(110, &[b2w, b2p]),
        key(111, &[b2w]),
        key(112, &[b2p]),
        key(113, &[s1w, s1p]),
        key(114, &[s1w]),
        key(115, &[s1p]),
        key(116, &[s2p]),
        // Pairs.
        key(120, &[s0w, s0p, b0w, b0p]),
        key(121, &[s0w, s0p, b0w]),
        key(122, &[s0w, b0w, b0p]),
        key(123, &[s0w, s0p, b0p]),
        key(124, &[s0p, b0w, b0p]),
        key(125, &[s0w, b0w]),
        key(126, &[s0p, b0p]),
        key(127, &[b0p, b1p]),
        key(128, &[s1w, s1p, s0w, s0p]),
        key(129, &[s1p, s0p]),
        key(130, &[s1w, s0w]),
        key(131, &[s1p, s0w]),
        key(132, &[s1w, s0p]),
        key(133, &[s1p, b0p]),
        key(134, &[s1w, b0w]),
        // Triples of tags.
        key(140, &[b0p, b1p, b2p]),
        key(141, &[s0p, b0p, b1p]),
        key(142, &[s1p, s0p, b0p]),
        key(143, &[s0p, p(s0l1), b0p]),
        key(144, &[s0p, p(s0r1), b0p]),
        key(145, &[s0p, b0p, p(b0l1)]),
        key(146, &[s2p, s1p, s0p]),
        key(147, &[s1p, s0p, p(s0r1)]),
        key(148, &[s1p, p(s1r1), s0p]),
        key(149, &[s1p, p(s1l1), s0p]),
        key(150, &[s1p, s0p, p(s0l1)]),
        // Distance.
        key(160, &[s0w, d_s0b0]),
        key(161, &[s0p, d_s0b0]),
        key(162, &[b0w, d_s0b0]),
        key(163, &[b0p, d_s0b0]),
        key(164, &[s0w, b0w, d_s0b0]),
        key(165, &[s0p, b0p, d_s0b0]),
        key(166, &[s1p, s0p, d_s1s0]),
        key(167, &[s1w, s0w, d_s1s0]),
        // Valency.
        key(170, &[s0w, vr(s0)]),
        key(171, &[s0p, vr(s0)]),
        key(172, &[s0w, vl(s0)]),
        key(173, &[s0p, vl(s0)]),
        key(174, &[b0w, vl(b0)]),
        key(175, &[b0p, vl(b0)]),
        key(176, &[s1p, vr(s1)]),
        key(177, &[s1p, vl(s1)]),
        // Children.
        key(180, &[w(s0l1)]),
        key(181, &[p(s0l1)]),
        key(182, &[l(s0l1)]),
        key(183, &[w(s0r1)]),
        key(184, &[p(s0r1)]),
        key(185, &[l(s0r1)]),
        key(186, &[w(b0l1)]),
        key(187, &[p(b0l1)]),
        key(188, &[l(b0l1)]),
        key(189, &[p(s0l2)]),
        key(190, &[l(s0l2)]),
        key(191, &[p(s0r2)]),
        key(192, &[l(s0r2)]),
        key(193, &[p(b0l2)]),
        key(194, &[l(b0l2)]),
        key(195, &[p(s1l1), l(s1l1)]),
        key(196, &[p(s1r1), l(s1r1)]),
        key(197, &[s0p, l(s0l1), l(s0l2)]),
        key(198, &[s0p, l(s0r1), l(s0r2)]),
        key(199, &[b0p, l(b0l1), l(b0l2)]),
        key(200, &[s0p, p(s0l1), p(s0ll1)]),
        key(201, &[s0p, p(s0r1), p(s0rr1)]),
        key(202, &[b0p, p(b0l1), p(b0ll1)]),
        key(203, &[s0w, l(s0l1)]),
        key(204, &[s0w, l(s0r1)]),
        key(205, &[b0w, l(b0l1)]),
        // Label sets.
        key(210, &[s0w, sr(s0)]),
        key(211, &[s0p, sr(s0)]),
        key(212, &[s0w, sl(s0)]),
        key(213, &[s0p, sl(s0)]),
        key(214, &[b0w, sl(b0)]),
        key(215, &[b0p, sl(b0)]),
        key(216, &[s1p, sr(s1)]),
    ]);
}
