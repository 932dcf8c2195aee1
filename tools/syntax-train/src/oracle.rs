//! The arc-hybrid dynamic oracle (Goldberg and Nivre, 2013): how many gold arcs each move
//! makes unreachable from a state, and the lifting that makes a gold tree projective so
//! that the oracle is exact. Training only.

use skein::syntax::transition::{Move, State};

/// Fills `costs` (one per move class) with each move's cost against the gold heads and
/// labels (`gold[k - 1]` is word k's head). Illegal moves get a cost too; the caller
/// filters them.
pub fn costs(state: &State, gold: &[u32], labels: &[u8], root: u8, costs: &mut [u32]) {
    let head = |k: u32| gold[k as usize - 1];
    let s0 = state.stack_at(0);
    let s1 = state.stack_at(1);
    let b0 = state.buffer_at(0);
    let in_buffer = |k: u32| k >= state.next && k <= state.n;
    // The gold dependents of s0 still in the buffer: any move that pops s0 loses them.
    let s0_deps_in_buffer = if s0 != 0 && s0 != u32::MAX {
        (state.next..=state.n).filter(|&k| head(k) == s0).count() as u32
    } else {
        0
    };
    let shift = if b0 == u32::MAX {
        u32::MAX
    } else {
        let h = head(b0);
        let lost_head = u32::from(h != s0 && state.stack.contains(&h));
        let lost_deps = state
            .stack
            .iter()
            .filter(|&&k| k != 0 && head(k) == b0)
            .count() as u32;
        lost_head + lost_deps
    };
    let (left, right) = if s0 == 0 || s0 == u32::MAX {
        (u32::MAX, u32::MAX)
    } else {
        let h = head(s0);
        let left = u32::from(h == s1 || (in_buffer(h) && h != b0)) + s0_deps_in_buffer;
        let right = u32::from(in_buffer(h)) + s0_deps_in_buffer;
        (left, right)
    };
    let gold_label = if s0 == 0 || s0 == u32::MAX {
        root
    } else {
        labels[s0 as usize - 1]
    };
    let n_labels = (costs.len() - 1) / 2;
    costs[0] = shift;
    for l in 0..n_labels as u8 {
        let h = if s0 == 0 || s0 == u32::MAX {
            u32::MAX
        } else {
            head(s0)
        };
        let wrong_label = |attached_to: u32| u32::from(h == attached_to && l != gold_label);
        costs[Move::Left(l).class()] = left.saturating_add(wrong_label(b0));
        costs[Move::Right(l).class()] = right.saturating_add(wrong_label(s1));
    }
}

/// Whether `a` is `d` or one of its ancestors.
fn dominates(heads: &[u32], a: u32, mut d: u32) -> bool {
    let mut steps = 0;
    while d != 0 && steps <= heads.len() {
        if d == a {
            return true;
        }
        d = heads[d as usize - 1];
        steps += 1;
    }
    a == 0
}

/// Lifts arcs until the tree is projective: the shortest crossing arc's dependent is
/// attached to its head's head, its label kept (Nivre and Nilsson's lifting, without the
/// label encoding). A projective tree comes back unchanged.
pub fn projectivise(heads: &[u32]) -> Vec<u32> {
    let mut heads = heads.to_vec();
    loop {
        let mut shortest: Option<(u32, usize)> = None;
        for d in 1..=heads.len() as u32 {
            let h = heads[d as usize - 1];
            if h == 0 {
                continue;
            }
            let (lo, hi) = (h.min(d), h.max(d));
            let crossing = (lo + 1..hi).any(|k| !dominates(&heads, h, k));
            let len = hi - lo;
            if crossing && shortest.is_none_or(|(l, _)| len < l) {
                shortest = Some((len, d as usize));
            }
        }
        match shortest {
            Some((_, d)) => {
                let h = heads[d - 1];
                heads[d - 1] = heads[h as usize - 1];
            }
            None => return heads,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crossing_arc_is_lifted_to_the_grandparent() {
        // Words 1..4, root 2; 1 <- 3, 3 <- 2, 4 <- 1. The arc 3 -> 1 spans 2, which 3 does
        // not dominate: the shortest crossing arc, so 1 goes to 3's head, 2. Then 1 -> 4
        // spans 2 and 3, which 1 does not dominate, so 4 goes to 1's new head, 2.
        assert_eq!(projectivise(&[3, 0, 2, 1]), vec![2, 0, 2, 2]);
    }

    #[test]
    fn a_projective_tree_comes_back_unchanged() {
        assert_eq!(projectivise(&[2, 0, 4, 2]), vec![2, 0, 4, 2]);
    }

    #[test]
    fn following_zero_cost_moves_rebuilds_a_projective_tree() {
        // "She saw the man": saw is the root.
        let gold = vec![2, 0, 4, 2];
        let labels = vec![1, 0, 2, 3];
        let root = 0;
        let mut state = State::new(4);
        let mut costs = vec![0; Move::n_classes(4)];
        while !state.is_final() {
            super::costs(&state, &gold, &labels, root, &mut costs);
            let m = (0..costs.len())
                .find(|&c| costs[c] == 0 && state.is_legal(Move::from_class(c), root))
                .expect("a zero-cost move");
            state.apply(Move::from_class(m));
        }
        assert_eq!(&state.heads[1..], &gold[..]);
        assert_eq!(&state.labels[1..], &labels[..]);
    }
}
