//! An averaged perceptron over sparse rows: each feature key holds weights for the few
//! classes it has ever been updated for. It learns; the runtime only reads what
//! `averaged` returns, quantised.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The keys are hashes already, so the table uses them as they are.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

struct Weight {
    class: u8,
    w: f32,
    /// The sum of the weight over every tick before `stamp`.
    total: f64,
    stamp: u32,
}

pub struct Perceptron {
    n_classes: usize,
    index: HashMap<u64, u32, BuildHasherDefault<KeyHasher>>,
    rows: Vec<Vec<Weight>>,
    time: u32,
}

impl Perceptron {
    pub fn new(n_classes: usize) -> Perceptron {
        assert!(n_classes <= 256, "classes are stored in a byte");
        Perceptron {
            n_classes,
            index: HashMap::default(),
            rows: Vec::new(),
            time: 0,
        }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub fn n_rows(&self) -> usize {
        self.rows.len()
    }

    /// One more example seen (the clock the averages are taken over).
    pub fn tick(&mut self) {
        self.time += 1;
    }

    pub fn score(&self, feats: &[u64], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        for f in feats {
            if let Some(&r) = self.index.get(f) {
                for w in &self.rows[r as usize] {
                    scores[usize::from(w.class)] += w.w;
                }
            }
        }
    }

    /// Scores with the averaged weights as they stand now.
    pub fn score_averaged(&self, feats: &[u64], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        let now = f64::from(self.time.max(1));
        for f in feats {
            if let Some(&r) = self.index.get(f) {
                for w in &self.rows[r as usize] {
                    scores[usize::from(w.class)] += self.average(w, now) as f32;
                }
            }
        }
    }

    fn average(&self, w: &Weight, now: f64) -> f64 {
        (w.total + f64::from(w.w) * f64::from(self.time - w.stamp)) / now
    }

    /// Moves the weights of `feats` towards `good` and away from `bad`.
    pub fn update(&mut self, feats: &[u64], good: usize, bad: usize) {
        let time = self.time;
        for &f in feats {
            let next = self.rows.len() as u32;
            let r = *self.index.entry(f).or_insert(next);
            if r == next {
                self.rows.push(Vec::new());
            }
            let row = &mut self.rows[r as usize];
            for (class, delta) in [(good, 1.0), (bad, -1.0)] {
                let class = class as u8;
                let at = match row.iter().position(|w| w.class == class) {
                    Some(at) => at,
                    None => {
                        row.push(Weight {
                            class,
                            w: 0.0,
                            total: 0.0,
                            stamp: time,
                        });
                        row.len() - 1
                    }
                };
                let w = &mut row[at];
                w.total += f64::from(w.w) * f64::from(time - w.stamp);
                w.stamp = time;
                w.w += delta;
            }
        }
    }

    /// The averaged weights, rows sorted by key and classes ascending; weights smaller
    /// than `prune` times the largest are left out.
    pub fn averaged(&self, prune: f32) -> Vec<(u64, Vec<(u8, f32)>)> {
        let now = f64::from(self.time.max(1));
        let mut rows: Vec<(u64, Vec<(u8, f32)>)> = self
            .index
            .iter()
            .map(|(&key, &r)| {
                let mut row: Vec<(u8, f32)> = self.rows[r as usize]
                    .iter()
                    .map(|w| (w.class, self.average(w, now) as f32))
                    .filter(|&(_, w)| w != 0.0)
                    .collect();
                row.sort_by_key(|&(c, _)| c);
                (key, row)
            })
            .collect();
        rows.sort_by_key(|&(k, _)| k);
        let max = rows
            .iter()
            .flat_map(|(_, r)| r.iter().map(|&(_, w)| w.abs()))
            .fold(0f32, f32::max);
        let floor = prune * max;
        for (_, row) in &mut rows {
            row.retain(|&(_, w)| w.abs() >= floor);
        }
        rows.retain(|(_, r)| !r.is_empty());
        rows
    }
}
