//! `IdMap`: our stable ids to the positions where the store keeps the elements.
//!
//! Ids are handed out in increasing order and never reused, so in any graph skein made they
//! are dense: a flat array indexed by id holds the map in 4 bytes an id, finds a position with
//! one read, and walks in id order. A file may still hold ids far apart (a hand-written RON
//! file with id 10^12); an array that would be mostly empty is never made, an ordered map
//! takes over instead.

use std::collections::BTreeMap;

/// Marks an id with no element (never given, or deleted).
const VACANT: u32 = u32::MAX;
/// The array may grow to this many slots more than four times the live elements before the
/// map becomes an ordered one.
const SLACK: usize = 1 << 16;

/// A map from ids to positions below `u32::MAX`, iterated in id order.
#[derive(Debug, Clone)]
pub(super) enum IdMap {
    Dense { slots: Vec<u32>, len: usize },
    Sparse(BTreeMap<u64, u32>),
}

impl Default for IdMap {
    fn default() -> Self {
        IdMap::Dense {
            slots: Vec::new(),
            len: 0,
        }
    }
}

impl IdMap {
    pub(super) fn len(&self) -> usize {
        match self {
            IdMap::Dense { len, .. } => *len,
            IdMap::Sparse(map) => map.len(),
        }
    }

    pub(super) fn get(&self, id: u64) -> Option<u32> {
        match self {
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
            IdMap::Dense { .. } => None,
        }
    }

    pub(super) fn remove(&mut self, id: u64) -> Option<u32> {
        match self {
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
