//! Property columns: for one property key, the value every node (or every edge) holds under
//! it, as a 4-byte code per element id into a table of the distinct values, so that a query
//! filtering on the key reads one array slot per element instead of finding the element and
//! walking its property map.
//!
//! A column is read-side state, like the adjacency snapshot: the store builds it when a query
//! first asks for the key and drops every column on any change of nodes, edges or properties.
//! It must never be written to, and never outlive a change of the graph it was built from
//! (`Graph::check_consistency` compares every cached column with the elements).

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use foldhash::fast::FixedState;

use super::value::Value;

/// The code of a missing property: the table's first value is always `Value::Null`.
pub const MISSING: u32 = 0;

/// The values of one property key, by element id.
#[derive(Debug, Default)]
pub struct Column {
    /// Element id `i` holds `values[codes[i]]`; ids past the end hold nothing.
    codes: Codes,
    /// The distinct values (each float, list, map, temporal or duration value gets a code of
    /// its own: only values that hash are shared), `Value::Null` first.
    values: Vec<Value>,
}

impl Column {
    /// A column of the given (element id, value) pairs, for ids below `ids`.
    pub(super) fn build<'v>(ids: u64, elements: impl Iterator<Item = (u64, &'v Value)>) -> Self {
        #[derive(PartialEq, Eq, Hash)]
        enum Shared<'v> {
            Bool(bool),
            Int(i64),
            Str(&'v str),
        }
        let mut codes = vec![MISSING; usize::try_from(ids).unwrap_or(usize::MAX)];
        let mut values = vec![Value::Null];
        let mut seen: HashMap<Shared<'v>, u32, FixedState> = HashMap::default();
        for (id, value) in elements {
            let shared = match value {
                Value::Bool(b) => Some(Shared::Bool(*b)),
                Value::Int(i) => Some(Shared::Int(*i)),
                Value::String(s) => Some(Shared::Str(s.as_str())),
                _ => None,
            };
            let mut fresh = || {
                values.push(value.clone());
                (values.len() - 1) as u32
            };
            let code = match shared {
                Some(key) => *seen.entry(key).or_insert_with(fresh),
                None => fresh(),
            };
            if let Some(slot) = usize::try_from(id).ok().and_then(|i| codes.get_mut(i)) {
                *slot = code;
            }
        }
        values.shrink_to_fit();
        Column {
            codes: Codes::narrowed(codes, values.len()),
            values,
        }
    }

    /// The code of the value element `id` holds (`MISSING` when it has none).
    pub fn code(&self, id: u64) -> u32 {
        let Ok(i) = usize::try_from(id) else {
            return MISSING;
        };
        let code = match &self.codes {
            Codes::U8(c) => c.get(i).map(|&c| u32::from(c)),
            Codes::U16(c) => c.get(i).map(|&c| u32::from(c)),
            Codes::U32(c) => c.get(i).copied(),
        };
        code.unwrap_or(MISSING)
    }

    /// The value under a code from `code`.
    pub fn value(&self, code: u32) -> &Value {
        &self.values[code as usize]
    }

    /// How many distinct codes the column hands out.
    pub fn n_values(&self) -> usize {
        self.values.len()
    }

    /// The heap bytes the column takes (its codes; the table's values are counted at their
    /// inline size).
    pub fn bytes(&self) -> usize {
        let codes = match &self.codes {
            Codes::U8(c) => c.capacity(),
            Codes::U16(c) => c.capacity() * 2,
            Codes::U32(c) => c.capacity() * 4,
        };
        codes + self.values.capacity() * std::mem::size_of::<Value>()
    }
}

/// Codes as narrow as the number of distinct values allows: a scan reads them in no
/// particular order, so the fewer cache lines they span, the fewer misses it takes.
#[derive(Debug)]
enum Codes {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Default for Codes {
    fn default() -> Self {
        Codes::U8(Vec::new())
    }
}

impl Codes {
    /// The codes in the narrowest width that holds `n_values` distinct codes.
    fn narrowed(codes: Vec<u32>, n_values: usize) -> Codes {
        if n_values <= 1 << 8 {
            Codes::U8(codes.iter().map(|&c| c as u8).collect())
        } else if n_values <= 1 << 16 {
            Codes::U16(codes.iter().map(|&c| c as u16).collect())
        } else {
            Codes::U32(codes)
        }
    }
}

/// Which elements a column describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    Node,
    Edge,
}

/// The columns built so far, by owner and key. Cloning a graph starts with none.
#[derive(Debug, Default)]
pub(super) struct Columns(RwLock<HashMap<(Owner, String), Arc<Column>, FixedState>>);

impl Clone for Columns {
    fn clone(&self) -> Self {
        Columns::default()
    }
}

impl Columns {
    /// The column of `key`, built by `build` when not held yet.
    pub(super) fn get_or_build(
        &self,
        owner: Owner,
        key: &str,
        build: impl FnOnce() -> Column,
    ) -> Arc<Column> {
        let held = self
            .0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&(owner, key.to_string()))
            .cloned();
        if let Some(column) = held {
            return column;
        }
        let column = Arc::new(build());
        let mut map = self.0.write().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(
            map.entry((owner, key.to_string()))
                .or_insert_with(|| column),
        )
    }

    /// Drops every column; every change of the graph calls it.
    pub(super) fn clear(&mut self) {
        let map = self.0.get_mut().unwrap_or_else(PoisonError::into_inner);
        if !map.is_empty() {
            map.clear();
        }
    }

    /// The columns held now, for the consistency check.
    pub(super) fn held(&self) -> Vec<((Owner, String), Arc<Column>)> {
        let map = self.0.read().unwrap_or_else(PoisonError::into_inner);
        map.iter()
            .map(|(k, c)| (k.clone(), Arc::clone(c)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_share_a_code_and_missing_ones_read_null() {
        let vals = [
            Value::from("2025-04-01"),
            Value::Int(3),
            Value::from("2025-04-01"),
            Value::Float(1.5),
            Value::Float(1.5),
        ];
        let c = Column::build(8, [0, 2, 3, 5, 6].into_iter().zip(&vals));
        assert_eq!(c.code(0), c.code(3));
        assert_ne!(c.code(5), c.code(6), "floats are not shared");
        assert_eq!(c.value(c.code(2)), &Value::Int(3));
        for id in [1, 4, 7, 8, u64::MAX] {
            assert_eq!(c.code(id), MISSING);
            assert_eq!(c.value(c.code(id)), &Value::Null);
        }
        assert_eq!(c.n_values(), 5);
    }

    #[test]
    fn codes_take_the_narrowest_width_that_holds_them() {
        for n in [0_i64, 254, 255, 256, 65534, 65535, 65536, 70000] {
            let vals: Vec<Value> = (0..n).map(Value::Int).collect();
            let c = Column::build(n as u64 + 1, (1..).zip(&vals));
            assert_eq!(c.value(c.code(0)), &Value::Null, "{n}");
            for (id, v) in (1..).zip(&vals) {
                assert_eq!(c.value(c.code(id)), v, "{n}");
            }
            let width = c.bytes() - c.n_values() * std::mem::size_of::<Value>();
            let per_id = width / (n as usize + 1);
            let want = if n < 256 {
                1
            } else if n < 65536 {
                2
            } else {
                4
            };
            assert_eq!(per_id, want, "{n}");
        }
    }
}
