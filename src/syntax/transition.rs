//! The arc-hybrid transition system the parser runs: a stack, a buffer and the arcs built
//! so far. It knows nothing of weights or features and must never choose a move itself.
//!
//! Word 0 is the root and starts on the stack; words `1..=n` start in the buffer. SHIFT
//! moves the buffer's front onto the stack; LEFT makes the buffer's front the head of the
//! stack's top and pops it; RIGHT makes the word under the top its head and pops it. The
//! root takes exactly one dependent, by a RIGHT when the buffer is empty.

/// No word: an empty position or a missing child.
pub const NONE: u32 = u32::MAX;

/// A move. Labelled moves carry the index of their label in the model's label table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Shift,
    Left(u8),
    Right(u8),
}

impl Move {
    /// The move's class number: 0 for SHIFT, then LEFT and RIGHT for each label in turn.
    pub fn class(self) -> usize {
        match self {
            Move::Shift => 0,
            Move::Left(l) => 1 + 2 * usize::from(l),
            Move::Right(l) => 2 + 2 * usize::from(l),
        }
    }

    /// The move of class `class`.
    pub fn from_class(class: usize) -> Move {
        if class == 0 {
            Move::Shift
        } else {
            let label = ((class - 1) / 2) as u8;
            if class % 2 == 1 {
                Move::Left(label)
            } else {
                Move::Right(label)
            }
        }
    }

    /// How many classes there are for `n_labels` labels.
    pub fn n_classes(n_labels: usize) -> usize {
        1 + 2 * n_labels
    }
}

/// What the state knows about one word's dependents, for features.
#[derive(Debug, Clone, Copy)]
pub struct Node {
    /// The leftmost and second-leftmost dependents.
    pub left: [u32; 2],
    /// The rightmost and second-rightmost dependents.
    pub right: [u32; 2],
    pub n_left: u8,
    pub n_right: u8,
    /// One bit per label among the left (right) dependents.
    pub left_labels: u64,
    pub right_labels: u64,
}

impl Default for Node {
    fn default() -> Self {
        Node {
            left: [NONE; 2],
            right: [NONE; 2],
            n_left: 0,
            n_right: 0,
            left_labels: 0,
            right_labels: 0,
        }
    }
}

/// A parser configuration.
#[derive(Debug, Clone)]
pub struct State {
    pub stack: Vec<u32>,
    /// The buffer's front; the buffer is `next..=n`.
    pub next: u32,
    pub n: u32,
    /// Each word's head (`NONE` while it has none); index 0 is the root.
    pub heads: Vec<u32>,
    /// Each word's label index (meaningful once it has a head).
    pub labels: Vec<u8>,
    pub nodes: Vec<Node>,
}

impl State {
    /// The start state for `n` words.
    pub fn new(n: usize) -> State {
        State {
            stack: vec![0],
            next: 1,
            n: n as u32,
            heads: vec![NONE; n + 1],
            labels: vec![0; n + 1],
            nodes: vec![Node::default(); n + 1],
        }
    }

    /// The `k`-th word from the top of the stack.
    pub fn stack_at(&self, k: usize) -> u32 {
        self.stack
            .len()
            .checked_sub(k + 1)
            .map_or(NONE, |i| self.stack[i])
    }

    /// The `k`-th word of the buffer.
    pub fn buffer_at(&self, k: u32) -> u32 {
        let t = self.next + k;
        if t <= self.n { t } else { NONE }
    }

    pub fn is_final(&self) -> bool {
        self.next > self.n && self.stack.len() == 1
    }

    /// Whether `m` may be applied; `root` is the index of the root label.
    pub fn is_legal(&self, m: Move, root: u8) -> bool {
        self.legal_classes(root)(m.class())
    }

    /// Which classes' moves may be applied, decided once for the state: the parser asks
    /// for every class of every move.
    pub fn legal_classes(&self, root: u8) -> impl Fn(usize) -> bool + use<> {
        let buffer = self.next <= self.n;
        let reduce = self.stack.len() >= 2;
        let over_root = self.stack_at(1) == 0;
        move |class| match Move::from_class(class) {
            Move::Shift => buffer,
            Move::Left(l) => buffer && reduce && l != root,
            Move::Right(l) => {
                reduce
                    && if over_root {
                        !buffer && l == root
                    } else {
                        l != root
                    }
            }
        }
    }

    /// Applies a legal move.
    pub fn apply(&mut self, m: Move) {
        match m {
            Move::Shift => {
                self.stack.push(self.next);
                self.next += 1;
            }
            Move::Left(l) => {
                let dep = self.stack.pop().unwrap_or(NONE);
                self.attach(self.next, dep, l);
            }
            Move::Right(l) => {
                let dep = self.stack.pop().unwrap_or(NONE);
                let head = self.stack_at(0);
                self.attach(head, dep, l);
            }
        }
    }

    fn attach(&mut self, head: u32, dep: u32, label: u8) {
        self.heads[dep as usize] = head;
        self.labels[dep as usize] = label;
        let node = &mut self.nodes[head as usize];
        let bit = 1u64 << (label % 64);
        if dep < head {
            node.n_left = node.n_left.saturating_add(1);
            node.left_labels |= bit;
            if node.left[0] == NONE || dep < node.left[0] {
                node.left[1] = node.left[0];
                node.left[0] = dep;
            } else if node.left[1] == NONE || dep < node.left[1] {
                node.left[1] = dep;
            }
        } else {
            node.n_right = node.n_right.saturating_add(1);
            node.right_labels |= bit;
            if node.right[0] == NONE || dep > node.right[0] {
                node.right[1] = node.right[0];
                node.right[0] = dep;
            } else if node.right[1] == NONE || dep > node.right[1] {
                node.right[1] = dep;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_build_the_tree_they_name() {
        // "She saw him": saw is the root, she and him its dependents.
        let root = 0;
        let mut s = State::new(3);
        for m in [
            Move::Shift,
            Move::Left(1),
            Move::Shift,
            Move::Shift,
            Move::Right(2),
            Move::Right(root),
        ] {
            assert!(s.is_legal(m, root), "{m:?} should be legal");
            s.apply(m);
        }
        assert!(s.is_final());
        assert_eq!(&s.heads[1..], &[2, 0, 2]);
        assert_eq!(s.nodes[2].left[0], 1);
        assert_eq!(s.nodes[2].right[0], 3);
    }

    #[test]
    fn root_takes_its_dependent_only_at_the_end() {
        let mut s = State::new(2);
        s.apply(Move::Shift);
        assert!(!s.is_legal(Move::Right(0), 0));
        assert!(s.is_legal(Move::Left(1), 0));
        assert!(!s.is_legal(Move::Left(0), 0));
    }

    #[test]
    fn classes_round_trip() {
        for m in [Move::Shift, Move::Left(0), Move::Right(0), Move::Left(7)] {
            assert_eq!(Move::from_class(m.class()), m);
        }
    }
}
