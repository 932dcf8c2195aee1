//! The weights file: its binary layout, how it is read into lookup tables, and how the
//! tagger and the parser use those tables to decide. It must never learn or change a
//! weight; the trainer (`tools/syntax-train`) writes the file this module reads.
//!
//! Layout (little-endian): the magic `SKSYNTX1`; the tag table (a `u32` count, then each
//! tag as a `u16` length and UTF-8 bytes, written `UPOS XPOS`); the label table (the same
//! way); then two linear models, the tagger's and the parser's, each as `n_classes: u32`,
//! `n_rows: u32`, `nnz: u32`, the rows' feature keys (`u64`, ascending), the rows' starts
//! (`u32`, `n_rows + 1` of them), and each row's classes (`u8`) and weights (`i16`).

use super::SyntaxError;
use super::features::{ParseAtoms, WordAtoms, mix, parser_features, tagger_features};
use super::transition::{Move, State};

const MAGIC: &[u8; 8] = b"SKSYNTX1";

/// A sparse linear model: for each feature key, the weight it gives some classes.
///
/// Scoring is a hash lookup per feature, and much of its time is spent waiting for memory,
/// so the table is laid out for one cache miss per feature: each slot holds its key and, for
/// a row of one or two weights (most rows: the parser has 1.9 weights a row on average), the
/// weights themselves; longer rows point into `medium` or `dense`. A key's probe starts at
/// the first slot of its cache line (four slots), and the table is kept at most a third
/// full, so that a lookup, found or not, rarely reads a second line.
///
/// The rest of the time went on mispredicted branches (a loop over each row, as long as the
/// row) and on adding weights one at a time, so every row has a fixed shape: two packed
/// weights in the slot, eight in a medium row, or one weight per class in a dense row, which
/// the compiler adds as vectors. A missing weight is a zero, and adding a zero to any class
/// changes nothing, so the padding needs no test. Where the processor has AVX2 (asked once,
/// when the model is decoded), `score` is compiled for it: a dense row is then added eight
/// classes at a time, widened as it is loaded, where SSE2 takes four instructions for each
/// four classes; the sums are the same integers. Ingestion on one core took 9 to 12% less
/// time (user seconds, medians of six alternated runs on 2.2 to 2.7 MB of the bench corpus
/// and of the development sets' articles).
///
/// What is left is bound by how many lines are fetched, not by how long one is waited for;
/// two ways round it were measured on one core and dropped (ingesting the project's articles
/// ten times over, 2.2 MB, user seconds, medians of alternated runs). A side table of four
/// bits of key per slot (a sixteenth of the table), read before the prefetch so that a key
/// the model lacks (26% of the parser's lookups, 17% of the tagger's) skips its line, made
/// ingestion 1.45 times slower (2.15 -> 3.1 s): each prefetch then waits on a load and a
/// branch. Scoring the tagger's features that read no tag for every word first (a word's
/// lookups asked for while the word before it is scored) changed nothing (2.04 -> 2.03 s),
/// nor did prefetching then the few that read the tag before under the best tag by the
/// words alone (2.09 s). Three more were measured in session 16 (the bench corpus, one
/// core, user seconds, alternated runs on a machine shared with other jobs) and dropped:
/// huge pages for the tables (`madvise`; 2.1 MB: median 2.91 -> 2.77 s, 10.5 MB: 13.0 ->
/// 13.2 s, model loading 77 ms either way), looking up the parser's 25 features that read
/// one position's word and tag alone once per word instead of once per move (2.77 ->
/// 2.76 s: they are the hot rows, already cached) and a table half as large (two thirds
/// full: 3.34 -> 3.68 s, more probes read a second line). A profile of the parser shows
/// the prefetches themselves stalling: the misses outstanding at once are the limit, so
/// what would help is fewer lines fetched a move, not fewer instructions.
#[derive(Debug, Clone)]
pub struct Linear {
    n_classes: usize,
    /// An open-addressed table of feature keys (a zero key is an empty slot), probed
    /// linearly from the start of the key's line; its length is a power of two at least
    /// three times the number of rows.
    slots: Vec<Slot>,
    /// The rows of three to `MEDIUM` weights, packed and padded with zero weights.
    medium: Vec<[u32; MEDIUM]>,
    /// The rows of more than `MEDIUM` weights, `width` weights each, one per class.
    dense: Vec<i16>,
    /// The number of classes rounded up to a multiple of eight.
    width: usize,
    n_rows: usize,
    n_weights: usize,
    /// Whether the processor has AVX2, for `score`.
    #[cfg(target_arch = "x86_64")]
    avx2: bool,
}

/// One slot of the table: a feature key and its row. A weight is packed in a `u32` (see
/// `pack`). A row of one or two weights is `row` itself (padded with a zero weight); a
/// longer row has `LONG` set in `row[0]` with `DENSE` set or not, and its index in
/// `Linear::dense` or `Linear::medium` in `row[1]`.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(16))]
struct Slot {
    key: u64,
    row: [u32; 2],
}

/// The slots in a 64-byte cache line.
const LINE: usize = 4;

/// The most weights a medium row holds; longer rows are dense.
const MEDIUM: usize = 8;

/// The most classes a model may have: a class is a byte.
const MAX_CLASSES: usize = 256;

/// The first slot of the line where the probe for `key` starts, in a table of `mask + 1`
/// slots (a power of two, at least a line).
#[inline]
fn line_start(key: u64, mask: usize) -> usize {
    (key as usize) & mask & !(LINE - 1)
}

/// The flag of a slot whose row is in `Linear::medium` or `Linear::dense`; packed weights
/// never have it.
const LONG: u32 = 1 << 31;
/// With `LONG`: the row is in `Linear::dense`.
const DENSE: u32 = 1 << 30;

/// A weight packed in a `u32`: its class in bits 16 to 23, its 16-bit value below.
fn pack(class: u8, weight: i16) -> u32 {
    (u32::from(class) << 16) | u32::from(weight as u16)
}

/// The class and value of a packed weight.
#[inline]
fn unpack(w: u32) -> (usize, i32) {
    (((w >> 16) & 0xff) as usize, i32::from(w as u16 as i16))
}

/// A zero weight, for padding: it may name any class, and naming one apart from the
/// others (by `n`) spares the adder waiting on the sum it has just written.
#[inline]
fn zero(n: usize) -> u32 {
    pack(0x80 | (n & 0x7f) as u8, 0)
}

/// Adds a packed weight to its class's score.
#[inline(always)]
fn add(acc: &mut [i32; MAX_CLASSES], w: u32) {
    let (c, w) = unpack(w);
    acc[c] += w;
}

impl Linear {
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    pub fn n_weights(&self) -> usize {
        self.n_weights
    }

    /// The row of feature `key` as its slot holds it, or `missing` if the model has none.
    /// The usual case (the key in its line, or the line not full) takes no branch that
    /// depends on where in the line the key is.
    #[inline(always)]
    fn row_of(&self, key: u64, missing: [u32; 2]) -> [u32; 2] {
        let mask = self.slots.len() - 1;
        let start = line_start(key, mask);
        let line = &self.slots[start..start + LINE];
        let mut hit = LINE;
        for (k, slot) in line.iter().enumerate() {
            if slot.key == key {
                hit = k;
            }
        }
        if hit < LINE {
            return line[hit].row;
        }
        if line.iter().any(|s| s.key == 0) {
            return missing;
        }
        // The line is full: the key's probe goes on past it.
        let mut i = (start + LINE) & mask;
        loop {
            let slot = &self.slots[i];
            if slot.key == key {
                return slot.row;
            }
            if slot.key == 0 {
                return missing;
            }
            i = (i + 1) & mask;
        }
    }

    /// The weights of a slot's row as (class, weight), zeros left out.
    fn weights(&self, row: [u32; 2]) -> Vec<(usize, i32)> {
        let packed: Vec<(usize, i32)> = if row[0] & LONG == 0 {
            row.iter().map(|&w| unpack(w)).collect()
        } else if row[0] & DENSE == 0 {
            self.medium[row[1] as usize]
                .iter()
                .map(|&w| unpack(w))
                .collect()
        } else {
            let start = row[1] as usize * self.width;
            self.dense[start..start + self.width]
                .iter()
                .enumerate()
                .map(|(c, &w)| (c, i32::from(w)))
                .collect()
        };
        packed.into_iter().filter(|&(_, w)| w != 0).collect()
    }

    /// The rows as (key, class weights), keys ascending: what `encode` takes, so that a
    /// model file can be pruned again without training.
    pub fn rows(&self) -> Vec<(u64, Vec<(u8, f32)>)> {
        let mut rows: Vec<(u64, Vec<(u8, f32)>)> = self
            .slots
            .iter()
            .filter(|s| s.key != 0)
            .map(|s| {
                let row = self
                    .weights(s.row)
                    .into_iter()
                    .map(|(c, w)| (c as u8, w as f32))
                    .collect();
                (s.key, row)
            })
            .collect();
        rows.sort_by_key(|&(k, _)| k);
        rows
    }

    /// Sets `scores` (one per class) to the sums of the weights of `features`.
    pub fn score(&self, features: &[u64], scores: &mut [i32]) {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: the processor has AVX2: `decode` asked it.
            unsafe { self.score_avx2(features, scores) };
            return;
        }
        self.score_with(features, scores);
    }

    /// `score` compiled for AVX2, which adds a dense row eight classes at a time with the
    /// widening folded into the load: a quarter of the instructions of the SSE2 every
    /// x86-64 has. The sums are the same integers either way.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn score_avx2(&self, features: &[u64], scores: &mut [i32]) {
        self.score_with(features, scores);
    }

    /// The body of `score`, inlined into each of its versions so that each is compiled for
    /// its own instruction set.
    #[inline(always)]
    fn score_with(&self, features: &[u64], scores: &mut [i32]) {
        // Ask for every feature's slot before reading any, and for every longer row before
        // adding any, so that the cache misses overlap instead of following one another.
        let mask = self.slots.len() - 1;
        for &f in features {
            prefetch(&self.slots[line_start(f, mask)]);
        }
        let mut acc = [0i32; MAX_CLASSES];
        const CHUNK: usize = 32;
        let mut longer = [[0u32; 2]; CHUNK];
        for (c, chunk) in features.chunks(CHUNK).enumerate() {
            let mut n_longer = 0;
            for (i, &f) in chunk.iter().enumerate() {
                let n = c * CHUNK + i;
                let row = self.row_of(f, [zero(n), zero(n + 64)]);
                if row[0] & LONG == 0 {
                    add(&mut acc, row[0]);
                    add(&mut acc, row[1]);
                } else {
                    if row[0] & DENSE == 0 {
                        prefetch(&self.medium[row[1] as usize]);
                    } else {
                        let start = row[1] as usize * self.width;
                        for line in self.dense[start..start + self.width].chunks(32) {
                            prefetch(&line[0]);
                        }
                    }
                    longer[n_longer] = row;
                    n_longer += 1;
                }
            }
            for row in &longer[..n_longer] {
                if row[0] & DENSE == 0 {
                    for &w in &self.medium[row[1] as usize] {
                        add(&mut acc, w);
                    }
                } else {
                    let start = row[1] as usize * self.width;
                    let weights = &self.dense[start..start + self.width];
                    for (a, &w) in acc[..self.width].iter_mut().zip(weights) {
                        *a += i32::from(w);
                    }
                }
            }
        }
        for (s, &a) in scores.iter_mut().zip(acc.iter()) {
            *s = a;
        }
    }

    /// Encodes rows of real weights: each is quantised to 16 bits against the largest
    /// weight, and weights that round to zero are dropped, as are rows left empty.
    pub fn encode(n_classes: usize, rows: &[(u64, Vec<(u8, f32)>)], out: &mut Vec<u8>) {
        let max = rows
            .iter()
            .flat_map(|(_, r)| r.iter().map(|&(_, w)| w.abs()))
            .fold(0f32, f32::max);
        let scale = if max > 0.0 { 32767.0 / max } else { 1.0 };
        let mut keys = Vec::new();
        let mut offsets = vec![0u32];
        let mut classes = Vec::new();
        let mut weights = Vec::new();
        for (key, row) in rows {
            let before = classes.len();
            for &(c, w) in row {
                let q = (w * scale).round() as i16;
                if q != 0 {
                    classes.push(c);
                    weights.push(q);
                }
            }
            if classes.len() > before {
                keys.push(*key);
                offsets.push(classes.len() as u32);
            }
        }
        put_u32(out, n_classes as u32);
        put_u32(out, keys.len() as u32);
        put_u32(out, classes.len() as u32);
        keys.iter()
            .for_each(|k| out.extend_from_slice(&k.to_le_bytes()));
        offsets
            .iter()
            .for_each(|o| out.extend_from_slice(&o.to_le_bytes()));
        out.extend_from_slice(&classes);
        weights
            .iter()
            .for_each(|w| out.extend_from_slice(&w.to_le_bytes()));
    }

    fn decode(r: &mut Reader<'_>) -> Result<Linear, String> {
        let n_classes = r.u32()? as usize;
        let n_rows = r.u32()? as usize;
        let nnz = r.u32()? as usize;
        let keys = r.bytes(n_rows * 8)?.chunks_exact(8);
        let offsets: Vec<usize> = r
            .bytes((n_rows + 1) * 4)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize)
            .collect();
        let classes = r.bytes(nnz)?;
        let weights = r.bytes(nnz * 2)?;
        if offsets.windows(2).any(|w| w[0] > w[1]) || offsets.last() != Some(&nnz) {
            return Err("row offsets out of order".into());
        }
        if classes.iter().any(|&c| usize::from(c) >= n_classes) {
            return Err("a weight names a class the model does not have".into());
        }
        if n_classes > MAX_CLASSES {
            return Err(format!("{n_classes} classes, more than {MAX_CLASSES}"));
        }
        let packed = |k: usize| {
            pack(
                classes[k],
                i16::from_le_bytes([weights[2 * k], weights[2 * k + 1]]),
            )
        };
        let width = n_classes.div_ceil(8) * 8;
        let size = (n_rows * 3).next_power_of_two().max(LINE);
        let mut slots = vec![Slot::default(); size];
        let mut medium = Vec::new();
        let mut dense = Vec::new();
        for (row, key) in keys.enumerate() {
            let key = u64::from_le_bytes(key.try_into().unwrap_or_default());
            if key == 0 {
                return Err("a feature key is zero".into());
            }
            let (a, b) = (offsets[row], offsets[row + 1]);
            let row = match b - a {
                0 => [zero(0), zero(1)],
                1 => [packed(a), zero(1)],
                2 => [packed(a), packed(a + 1)],
                n if n <= MEDIUM => {
                    let mut padded: [u32; MEDIUM] = std::array::from_fn(zero);
                    for (p, k) in padded.iter_mut().zip(a..b) {
                        *p = packed(k);
                    }
                    medium.push(padded);
                    [LONG, (medium.len() - 1) as u32]
                }
                _ => {
                    let start = dense.len();
                    dense.resize(start + width, 0i16);
                    for k in a..b {
                        let (c, w) = unpack(packed(k));
                        if dense[start + c] != 0 {
                            return Err("a row gives one class two weights".into());
                        }
                        dense[start + c] = w as i16;
                    }
                    [LONG | DENSE, (start / width) as u32]
                }
            };
            let mut i = line_start(key, size - 1);
            while slots[i].key != 0 {
                if slots[i].key == key {
                    return Err("a feature key appears twice".into());
                }
                i = (i + 1) & (size - 1);
            }
            slots[i] = Slot { key, row };
        }
        Ok(Linear {
            n_classes,
            slots,
            medium,
            dense,
            width,
            n_rows,
            n_weights: nnz,
            #[cfg(target_arch = "x86_64")]
            avx2: std::is_x86_feature_detected!("avx2"),
        })
    }
}

/// Starts loading `value`'s cache line, without waiting for it.
#[inline(always)]
fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint: it never faults nor changes memory, and SSE, which it
    // needs, is part of every x86-64 processor.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_strings(out: &mut Vec<u8>, items: &[String]) {
    put_u32(out, items.len() as u32);
    for s in items {
        out.extend_from_slice(&(s.len() as u16).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn bytes(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("truncated at byte {}", self.at))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn strings(&mut self) -> Result<Vec<String>, String> {
        let n = self.u32()? as usize;
        let mut out = Vec::with_capacity(n.min(4096));
        for _ in 0..n {
            let b = self.bytes(2)?;
            let len = usize::from(u16::from_le_bytes([b[0], b[1]]));
            let s = std::str::from_utf8(self.bytes(len)?).map_err(|e| e.to_string())?;
            out.push(s.to_string());
        }
        Ok(out)
    }
}

/// One part-of-speech tag: the universal tag and the treebank's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub upos: String,
    pub xpos: String,
}

/// A trained tagger and parser.
#[derive(Debug, Clone)]
pub struct Model {
    pub tags: Vec<Tag>,
    pub labels: Vec<String>,
    /// The index of the `root` label.
    pub root: u8,
    pub tagger: Linear,
    pub parser: Linear,
}

/// The atom of tag `t` in parser features.
pub fn tag_atom(t: u16) -> u64 {
    mix(0x7a6, u64::from(t) + 1)
}

impl Model {
    /// Writes a model file from the tag and label tables and the two models' rows.
    pub fn encode(
        tags: &[Tag],
        labels: &[String],
        tagger: &[(u64, Vec<(u8, f32)>)],
        parser: &[(u64, Vec<(u8, f32)>)],
    ) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        let joined: Vec<String> = tags
            .iter()
            .map(|t| format!("{} {}", t.upos, t.xpos))
            .collect();
        put_strings(&mut out, &joined);
        put_strings(&mut out, labels);
        Linear::encode(tags.len(), tagger, &mut out);
        Linear::encode(Move::n_classes(labels.len()), parser, &mut out);
        out
    }

    /// Reads a model file.
    pub fn decode(bytes: &[u8]) -> Result<Model, SyntaxError> {
        let bad = |m: String| SyntaxError::Model(m);
        let mut r = Reader { bytes, at: 0 };
        if r.bytes(8).map_err(bad)? != MAGIC {
            return Err(bad("not a skein syntax model (bad magic)".into()));
        }
        let tags = r
            .strings()
            .map_err(bad)?
            .into_iter()
            .map(|s| {
                let (u, x) = s.split_once(' ').unwrap_or((&s, "_"));
                Tag {
                    upos: u.to_string(),
                    xpos: x.to_string(),
                }
            })
            .collect::<Vec<_>>();
        let labels = r.strings().map_err(bad)?;
        let root = labels
            .iter()
            .position(|l| l == "root")
            .ok_or_else(|| bad("the label table has no root".into()))?;
        let tagger = Linear::decode(&mut r).map_err(bad)?;
        let parser = Linear::decode(&mut r).map_err(bad)?;
        if tagger.n_classes != tags.len()
            || parser.n_classes != Move::n_classes(labels.len())
            || tags.is_empty()
            || labels.len() > 127
        {
            return Err(bad("class counts disagree with the tables".into()));
        }
        Ok(Model {
            tags,
            labels,
            root: root as u8,
            tagger,
            parser,
        })
    }

    /// Tags a sentence, given its words' atoms: one tag index per word, chosen left to
    /// right.
    pub fn tag(&self, atoms: &[WordAtoms]) -> Vec<u16> {
        let mut tags = Vec::with_capacity(atoms.len());
        let mut feats = Vec::with_capacity(64);
        let mut scores = vec![0i32; self.tagger.n_classes];
        for i in 0..atoms.len() {
            tagger_features(atoms, &tags, i, &mut feats);
            self.tagger.score(&feats, &mut scores);
            tags.push(argmax(&scores, |_| true) as u16);
        }
        tags
    }

    /// Parses a tagged sentence, given its words' atoms (the tagger's, computed once): each
    /// word's head (0 for the root, else the 1-based position of the head word) and label
    /// index.
    pub fn parse_tagged(&self, atoms: &[WordAtoms], tags: &[u16]) -> (Vec<u32>, Vec<u8>) {
        let atoms: Vec<ParseAtoms> = atoms
            .iter()
            .zip(tags)
            .map(|(a, &t)| ParseAtoms {
                word: a.norm,
                tag: tag_atom(t),
            })
            .collect();
        let mut state = State::new(atoms.len());
        let mut feats = Vec::with_capacity(128);
        let mut scores = vec![0i32; self.parser.n_classes];
        while !state.is_final() {
            parser_features(&state, &atoms, &mut feats);
            self.parser.score(&feats, &mut scores);
            let best = argmax(&scores, state.legal_classes(self.root));
            state.apply(Move::from_class(best));
        }
        (state.heads[1..].to_vec(), state.labels[1..].to_vec())
    }
}

/// The highest-scoring class that `allowed` lets through; ties go to the lowest class, so
/// decisions never depend on anything but the scores.
pub fn argmax<T: PartialOrd + Copy>(scores: &[T], allowed: impl Fn(usize) -> bool) -> usize {
    let mut best: Option<(usize, T)> = None;
    for (c, &s) in scores.iter().enumerate() {
        if allowed(c) && best.is_none_or(|(_, b)| s > b) {
            best = Some((c, s));
        }
    }
    best.map_or(0, |(c, _)| c)
}
