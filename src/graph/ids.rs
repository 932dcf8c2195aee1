//! `IdMap`: our stable ids to the positions where the store keeps the elements.
//!
//! Ids are handed out in increasing order and never reused, so in any graph skein made they
//! are dense: a flat array indexed by id holds the map in 4 bytes an id, finds a position with
//! one read, and walks in id order. Until the first deletion (in a graph just opened or
//! built, always) the id is the position itself, and the map holds nothing but a count: the
//! array is made when an id first lands elsewhere. A file may still hold ids far apart (a
//! hand-written RON file with id 10^12); an array that would be mostly empty is never made,
//! an ordered map takes over instead.

use std::collections::BTreeMap;

/// Marks an id with no element (never given, or deleted).
const VACANT: u32 = u32::MAX;
/// The array may grow to this many slots more than four times the live elements before the
/// map becomes an ordered one.
const SLACK: usize = 1 << 16;

/// A map from ids to positions below `u32::MAX`, iterated in id order.
#[derive(Debug, Clone)]
pub(super) enum IdMap {
    /// Ids `0..len` at positions `0..len`: 4 bytes an element saved, and a look-up that reads
    /// no memory.
    Identity {
        len: usize,
    },
    Dense {
        slots: Vec<u32>,
        len: usize,
    },
    Sparse(BTreeMap<u64, u32>),
}

impl Default for IdMap {
    fn default() -> Self {
        IdMap::Identity { len: 0 }
    }
}

impl IdMap {
    pub(super) fn len(&self) -> usize {
        match self {
            IdMap::Identity { len } | IdMap::Dense { len, .. } => *len,
            IdMap::Sparse(map) => map.len(),
        }
    }

    pub(super) fn get(&self, id: u64) -> Option<u32> {
        match self {
            IdMap::Identity { len } => (id < *len as u64).then_some(id as u32),
            IdMap::Dense { slots, .. } => usize::try_from(id)
                .ok()
                .and_then(|i| slots.get(i))
                .copied()
                .filter(|&ix| ix != VACANT),
            IdMap::Sparse(map) => map.get(&id).copied(),
        }
    }

    pub(super) fn contains(&self, id: u64) -> bool {
        self.get(id).is_some()
    }

    /// Makes room for `additional` more ids at once, when a loader knows how many follow
    /// (a count the caller has bounded by the size of its input).
    pub(super) fn reserve(&mut self, additional: usize) {
        if let IdMap::Dense { slots, .. } = self {
            slots.reserve_exact(additional);
        }
    }

    /// Maps `id` to `ix`; returns the position it had.
    pub(super) fn insert(&mut self, id: u64, ix: u32) -> Option<u32> {
        debug_assert!(ix != VACANT);
        if let IdMap::Identity { len } = self {
            if id == *len as u64 && ix as usize == *len {
                *len += 1;
                return None;
            }
            self.make_array();
        }
        if let IdMap::Dense { slots, len } = self {
            let fits = usize::try_from(id)
                .ok()
                .filter(|&i| i < slots.len() || i < 4 * (*len + 1) + SLACK);
            if let Some(i) = fits {
                if i >= slots.len() {
                    slots.resize(i + 1, VACANT);
                }
                let old = std::mem::replace(&mut slots[i], ix);
                if old == VACANT {
                    *len += 1;
                    return None;
                }
                return Some(old);
            }
            *self = IdMap::Sparse(self.iter().collect());
        }
        match self {
            IdMap::Sparse(map) => map.insert(id, ix),
            IdMap::Identity { .. } | IdMap::Dense { .. } => None,
        }
    }

    /// Turns an identity map into the array it stands for, before an id lands elsewhere.
    fn make_array(&mut self) {
        if let IdMap::Identity { len } = *self {
            *self = IdMap::Dense {
                slots: (0..len as u32).collect(),
                len,
            };
        }
    }

    pub(super) fn remove(&mut self, id: u64) -> Option<u32> {
        if let IdMap::Identity { len } = *self {
            if id >= len as u64 {
                return None;
            }
            self.make_array();
        }
        match self {
            IdMap::Identity { .. } => None,
            IdMap::Dense { slots, len } => {
                let slot = usize::try_from(id).ok().and_then(|i| slots.get_mut(i))?;
                let old = std::mem::replace(slot, VACANT);
                if old == VACANT {
                    return None;
                }
                *len -= 1;
                Some(old)
            }
            IdMap::Sparse(map) => map.remove(&id),
        }
    }

    /// Every id and position, in id order.
    pub(super) fn iter(&self) -> Box<dyn DoubleEndedIterator<Item = (u64, u32)> + '_> {
        match self {
            IdMap::Identity { len } => Box::new((0..*len as u32).map(|i| (u64::from(i), i))),
            IdMap::Dense { slots, .. } => Box::new(
                slots
                    .iter()
                    .enumerate()
                    .filter(|&(_, &ix)| ix != VACANT)
                    .map(|(i, &ix)| (i as u64, ix)),
            ),
            IdMap::Sparse(map) => Box::new(map.iter().map(|(&id, &ix)| (id, ix))),
        }
    }

    /// The largest id mapped.
    pub(super) fn last(&self) -> Option<u64> {
        self.iter().next_back().map(|(id, _)| id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_an_ordered_map_dense_or_sparse() {
        let mut map = IdMap::default();
        let mut model: BTreeMap<u64, u32> = BTreeMap::new();
        let ids = [0u64, 5, 3, 5, 70_000, 1 << 40, 2, u64::MAX, 3];
        for (n, &id) in ids.iter().enumerate() {
            assert_eq!(map.insert(id, n as u32), model.insert(id, n as u32));
            assert_eq!(map.len(), model.len());
            if n % 3 == 2 {
                assert_eq!(map.remove(5), model.remove(&5));
            }
            assert_eq!(
                map.iter().collect::<Vec<_>>(),
                model.iter().map(|(&k, &v)| (k, v)).collect::<Vec<_>>()
            );
            assert_eq!(map.last(), model.keys().next_back().copied());
            for probe in [0, 1, 2, 3, 5, 70_000, 1 << 40, u64::MAX] {
                assert_eq!(map.get(probe), model.get(&probe).copied());
            }
        }
        assert!(matches!(map, IdMap::Sparse(_)));
    }

    #[test]
    fn ids_at_their_own_positions_take_no_array_until_one_is_not() {
        let mut map = IdMap::default();
        for id in 0..1_000u64 {
            assert_eq!(map.insert(id, id as u32), None);
        }
        assert!(matches!(map, IdMap::Identity { len: 1_000 }));
        assert_eq!((map.get(999), map.get(1_000)), (Some(999), None));
        assert_eq!(map.iter().nth(7), Some((7, 7)));
        assert_eq!((map.remove(1_000), map.len()), (None, 1_000));
        assert!(matches!(map, IdMap::Identity { .. }));
        // A deletion frees a position that the next element may take.
        assert_eq!(map.remove(10), Some(10));
        assert_eq!(map.insert(1_000, 10), None);
        assert!(matches!(map, IdMap::Dense { .. }));
        assert_eq!(
            (map.get(10), map.get(1_000), map.len()),
            (None, Some(10), 1_000)
        );
        assert_eq!(map.last(), Some(1_000));
        // An id out of place from the start.
        let mut map = IdMap::default();
        map.insert(0, 0);
        map.insert(1, 5);
        assert_eq!(map.iter().collect::<Vec<_>>(), [(0, 0), (1, 5)]);
    }

    #[test]
    fn ids_given_in_order_stay_in_a_flat_array() {
        let mut map = IdMap::default();
        for id in 0..200_000u64 {
            map.insert(id, id as u32);
        }
        for id in (0..200_000u64).step_by(2) {
            map.remove(id);
        }
        assert!(matches!(map, IdMap::Dense { .. }));
        assert_eq!(map.len(), 100_000);
        assert_eq!(map.get(7), Some(7));
        assert_eq!(map.get(8), None);
    }
}
