//! `Properties`: a node's or an edge's property map, kept as a sorted vector.
//!
//! A graph holds millions of small maps (an edge has a handful of properties), and a `BTreeMap`
//! allocates a node of eleven slots for even one entry: about 640 bytes an edge in this store.
//! A sorted boxed slice holds exactly what it needs (16 bytes in the element, no capacity
//! field: a map of a stored element rarely changes, and a change reallocates it), looks keys
//! up by walking it (a long one by binary search), and iterates in key order, so saving and
//! exporting stay deterministic. Its methods mirror `BTreeMap`'s.
//!
//! Keys are interned (see [`Symbol`](super::symbol::Symbol)): a graph of a million edges has a handful of distinct
//! keys, so each is kept once for the life of the process and an entry holds an 8-byte
//! pointer to it, where an inline `CompactString` took 24 bytes in every entry.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Index;

use compact_str::CompactString;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::symbol::Symbol as Key;
use super::value::Value;

/// A property map ordered by key.
#[derive(Clone, Default, PartialEq)]
pub struct Properties {
    entries: Box<[(Key, Value)]>,
}

impl Properties {
    pub fn new() -> Self {
        Properties {
            entries: Box::default(),
        }
    }

    /// Changes the entries as a vector, then boxes them again at their exact length: the
    /// one place the map's length changes.
    fn edit<R>(&mut self, change: impl FnOnce(&mut Vec<(Key, Value)>) -> R) -> R {
        let mut entries = std::mem::take(&mut self.entries).into_vec();
        let out = change(&mut entries);
        self.entries = entries.into_boxed_slice();
        out
    }

    fn find<Q: AsRef<str> + ?Sized>(&self, key: &Q) -> Result<usize, usize> {
        let key = key.as_ref().as_bytes();
        if self.entries.len() > Self::WALKED {
            return self
                .entries
                .binary_search_by(|(k, _)| cmp_key(k.as_bytes(), key));
        }
        // A short map is walked in order: keys before the wanted one are passed over on
        // their first byte alone, and only a key with the same first byte is compared whole,
        // where each step of a binary search compares two keys.
        for (i, (k, _)) in self.entries.iter().enumerate() {
            match cmp_key(k.as_bytes(), key) {
                Ordering::Less => {}
                Ordering::Equal => return Ok(i),
                Ordering::Greater => return Err(i),
            }
        }
        Err(self.entries.len())
    }

    /// Maps up to this long, every node and edge ingestion writes, are searched by walking
    /// them.
    const WALKED: usize = 16;

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get<Q: AsRef<str> + ?Sized>(&self, key: &Q) -> Option<&Value> {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_mut<Q: AsRef<str> + ?Sized>(&mut self, key: &Q) -> Option<&mut Value> {
        self.find(key).ok().map(|i| &mut self.entries[i].1)
    }

    pub fn contains_key<Q: AsRef<str> + ?Sized>(&self, key: &Q) -> bool {
        self.find(key).is_ok()
    }

    /// Inserts or replaces a value; returns the previous one.
    pub fn insert(
        &mut self,
        key: impl AsRef<str> + Into<CompactString>,
        value: Value,
    ) -> Option<Value> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                let key = Key::new(key.as_ref());
                self.edit(|entries| entries.insert(i, (key, value)));
                None
            }
        }
    }

    /// A map of these entries, given in any order; of a key given twice the last value
    /// counts, as with `insert` one at a time. Entries already in key order are taken as
    /// they are; others are sorted once, instead of a search and a shift for each entry.
    pub fn from_entries(entries: Vec<(CompactString, Value)>) -> Self {
        Self::from_interned(interned(entries))
    }

    /// `from_entries` for borrowed keys, e.g. a reader's column names drained from a list it
    /// reuses row after row: an exact-size iterator makes the map in one allocation.
    pub fn from_pairs<'k>(pairs: impl IntoIterator<Item = (&'k str, Value)>) -> Self {
        Self::from_interned(pairs.into_iter().map(|(k, v)| (Key::new(k), v)).collect())
    }

    fn from_interned(mut entries: Vec<(Key, Value)>) -> Self {
        let ordered =
            entries.is_sorted_by(|(a, _), (b, _)| cmp_key(a.as_bytes(), b.as_bytes()).is_lt());
        if ordered {
            return Properties {
                entries: entries.into_boxed_slice(),
            };
        }
        // Stable, so that equal keys stay in the order given.
        entries.sort_by(|(a, _), (b, _)| cmp_key(a.as_bytes(), b.as_bytes()));
        // `dedup_by` keeps the first of equal neighbours; it takes the later one's value.
        entries.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(&mut later.1, &mut kept.1);
            }
            same
        });
        Properties {
            entries: entries.into_boxed_slice(),
        }
    }

    /// A map of entries given in strictly increasing key order (in the order `key_order`
    /// gives), taken as they are: for a caller that built them in order, so that they are
    /// not compared again.
    pub(super) fn from_ordered_entries(entries: Vec<(CompactString, Value)>) -> Self {
        debug_assert!(
            entries.is_sorted_by(|(a, _), (b, _)| cmp_key(a.as_bytes(), b.as_bytes()).is_lt())
        );
        Properties {
            entries: interned(entries).into_boxed_slice(),
        }
    }

    pub fn remove<Q: AsRef<str> + ?Sized>(&mut self, key: &Q) -> Option<Value> {
        let i = self.find(key).ok()?;
        Some(self.edit(|entries| entries.remove(i).1))
    }

    /// The values under `keys`, which must be given in increasing order (a key out of order
    /// may be missed), for changing several at once: one walk through the map instead of a
    /// search for each.
    pub fn get_sorted_mut<const N: usize>(&mut self, keys: [&str; N]) -> [Option<&mut Value>; N] {
        let mut found = [const { None }; N];
        // Walks the entries and the wanted keys side by side, one comparison a step.
        let mut wanted = keys.iter().zip(&mut found).peekable();
        for (k, v) in self.entries.iter_mut() {
            let k = k.as_bytes();
            while let Some((w, _)) = wanted.peek() {
                match cmp_key(w.as_bytes(), k) {
                    // Not in the map.
                    Ordering::Less => {
                        wanted.next();
                    }
                    Ordering::Equal => {
                        if let Some((_, slot)) = wanted.next() {
                            *slot = Some(v);
                        }
                        break;
                    }
                    // Not wanted.
                    Ordering::Greater => break,
                }
            }
            if wanted.peek().is_none() {
                break;
            }
        }
        found
    }

    /// The value under `key`, inserted with `make` when absent.
    pub fn get_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> Value) -> &mut Value {
        let i = match self.find(key) {
            Ok(i) => i,
            Err(i) => {
                let entry = (Key::new(key), make());
                self.edit(|entries| entries.insert(i, entry));
                i
            }
        };
        &mut self.entries[i].1
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut Value) -> bool) {
        // Reboxed (a reallocation) only when an entry goes.
        self.edit(|entries| entries.retain_mut(|(k, v)| keep(k, v)));
    }

    pub fn clear(&mut self) {
        self.entries = Box::default();
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&str, &Value)> + ExactSizeIterator {
        self.entries.iter().map(|&(k, ref v)| (k.as_str(), v))
    }

    pub fn iter_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = (&str, &mut Value)> + ExactSizeIterator {
        self.entries.iter_mut().map(|(k, v)| (&**k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.entries.iter().map(|&(k, _)| k.as_str())
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }
}

/// A map being read from a saved file, whose keys come in order: each entry is appended
/// at no search, and the map is boxed once at its exact length by `finish`.
pub(super) struct PropsReader {
    entries: Vec<(Key, Value)>,
}

impl PropsReader {
    /// Room for exactly `n` entries, for a reader that knows how many follow.
    pub(super) fn with_capacity(n: usize) -> Self {
        PropsReader {
            entries: Vec::with_capacity(n),
        }
    }

    /// Appends an entry whose key comes after every key so far, at no search; an entry
    /// whose key does not (a key out of order, or given twice) goes in its place instead.
    /// Returns the value the key had.
    pub(super) fn push_ordered(&mut self, key: Key, value: Value) -> Option<Value> {
        match self.entries.last() {
            Some((last, _)) if cmp_key(last.as_bytes(), key.as_bytes()).is_ge() => {
                let at = self
                    .entries
                    .binary_search_by(|(k, _)| cmp_key(k.as_bytes(), key.as_bytes()));
                match at {
                    Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
                    Err(i) => {
                        self.entries.insert(i, (key, value));
                        None
                    }
                }
            }
            _ => {
                self.entries.push((key, value));
                None
            }
        }
    }

    pub(super) fn finish(self) -> Properties {
        Properties {
            entries: self.entries.into_boxed_slice(),
        }
    }
}

/// The entries with their keys interned.
fn interned(entries: Vec<(CompactString, Value)>) -> Vec<(Key, Value)> {
    entries
        .into_iter()
        .map(|(k, v)| (Key::new(&k), v))
        .collect()
}

/// Compares two property keys in `str`'s order, as the map orders them: most by their first
/// byte alone.
pub(super) fn key_order(a: &str, b: &str) -> Ordering {
    cmp_key(a.as_bytes(), b.as_bytes())
}

/// Compares two keys in `str`'s order. Property keys are short and mostly differ in their
/// first byte, which answers before a call to `memcmp` would have started; the rest (a
/// `rule` against `rules`) is left to it.
fn cmp_key(a: &[u8], b: &[u8]) -> Ordering {
    match (a.first(), b.first()) {
        (Some(x), Some(y)) if x != y => x.cmp(y),
        _ => a.cmp(b),
    }
}

impl fmt::Debug for Properties {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<Q: AsRef<str> + ?Sized> Index<&Q> for Properties {
    type Output = Value;

    /// Panics when the key is absent, like `BTreeMap`; for tests and known keys only.
    fn index(&self, key: &Q) -> &Value {
        self.get(key).expect("no property under this key")
    }
}

impl<K: Into<CompactString>> FromIterator<(K, Value)> for Properties {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        Properties::from_entries(iter.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

impl<K: AsRef<str> + Into<CompactString>> Extend<(K, Value)> for Properties {
    fn extend<I: IntoIterator<Item = (K, Value)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl IntoIterator for Properties {
    type Item = (String, Value);
    type IntoIter =
        std::iter::Map<std::vec::IntoIter<(Key, Value)>, fn((Key, Value)) -> (String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries
            .into_vec()
            .into_iter()
            .map(|(k, v)| (k.as_str().to_string(), v))
    }
}

impl<'a> IntoIterator for &'a Properties {
    type Item = (&'a str, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Key, Value)>,
        fn(&'a (Key, Value)) -> (&'a str, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|&(k, ref v)| (k.as_str(), v))
    }
}

impl From<BTreeMap<String, Value>> for Properties {
    fn from(map: BTreeMap<String, Value>) -> Self {
        // A BTreeMap iterates in key order, so the entries are already sorted.
        Properties {
            entries: map.into_iter().map(|(k, v)| (Key::new(&k), v)).collect(),
        }
    }
}

impl From<Properties> for BTreeMap<String, Value> {
    fn from(props: Properties) -> Self {
        props.into_iter().collect()
    }
}

impl Serialize for Properties {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Properties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PropsVisitor;

        impl<'de> Visitor<'de> for PropsVisitor {
            type Value = Properties;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of property names to values")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Properties, A::Error> {
                let mut props = Properties::new();
                while let Some((k, v)) = access.next_entry::<CompactString, Value>()? {
                    if props.insert(k, v).is_some() {
                        return Err(serde::de::Error::custom("a property appears twice"));
                    }
                }
                Ok(props)
            }
        }

        deserializer.deserialize_map(PropsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_a_shared_key_and_a_small_value() {
        // Every property of a million edges is one entry: 8 bytes of key, 32 of value.
        assert_eq!(std::mem::size_of::<(Key, Value)>(), 40);
        let mut a = Properties::new();
        a.insert(String::from("date"), Value::Int(1));
        let b: Properties = [("date", Value::Int(2))].into_iter().collect();
        assert!(std::ptr::eq(
            a.keys().next().unwrap(),
            b.keys().next().unwrap()
        ));
    }

    #[test]
    fn behaves_like_an_ordered_map() {
        let mut props = Properties::new();
        assert_eq!(props.insert("b", Value::Int(2)), None);
        assert_eq!(props.insert("a", Value::Int(1)), None);
        assert_eq!(props.insert("b", Value::Int(3)), Some(Value::Int(2)));
        assert_eq!(props.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(props["b"], Value::Int(3));
        assert_eq!(props.remove("a"), Some(Value::Int(1)));
        assert!(!props.contains_key("a"));
        *props.get_or_insert_with("c", || Value::Int(0)) = Value::Int(9);
        let back: BTreeMap<String, Value> = props.clone().into();
        assert_eq!(Properties::from(back), props);
    }

    #[test]
    fn built_at_once_as_if_inserted_in_turn() {
        let entries = |list: &[(&str, i64)]| -> Vec<(CompactString, Value)> {
            list.iter()
                .map(|&(k, v)| (CompactString::new(k), Value::Int(v)))
                .collect()
        };
        for list in [
            &[("b", 1), ("a", 2), ("b", 3), ("c", 4), ("b", 5)][..],
            &[("a", 1), ("b", 2), ("c", 3)],
            &[("a", 1), ("a", 2)],
            &[],
        ] {
            let mut one_by_one = Properties::new();
            for (k, v) in entries(list) {
                one_by_one.insert(k, v);
            }
            assert_eq!(
                Properties::from_entries(entries(list)),
                one_by_one,
                "{list:?}"
            );
        }
    }

    #[test]
    fn finds_several_values_at_once() {
        let mut props: Properties = [("b", 1), ("d", 2), ("f", 3)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), Value::Int(v)))
            .collect();
        let [a, b, e, f, g] = props.get_sorted_mut(["a", "b", "e", "f", "g"]);
        assert!(a.is_none() && e.is_none() && g.is_none());
        assert_eq!(
            (b.cloned(), f.cloned()),
            (Some(Value::Int(1)), Some(Value::Int(3)))
        );
    }

    #[test]
    fn short_and_long_maps_find_keys_as_a_binary_search_does() {
        let mut keys: Vec<String> = ["", "a", "ab", "abc", "b", "ba", "rule", "rules", "Ärger"]
            .iter()
            .map(|k| k.to_string())
            .collect();
        keys.extend((0..20).map(|n| format!("k{n:02}")));
        keys.sort();
        for n in 0..=keys.len() {
            // Every other key, so that some probes fall between keys of the map.
            let props: Properties = keys
                .iter()
                .take(n)
                .step_by(2)
                .map(|k| (k.clone(), Value::Null))
                .collect();
            for probe in keys.iter().map(String::as_str).chain(["zz", "abcd"]) {
                let want = props
                    .entries
                    .binary_search_by(|(k, _)| k.as_str().cmp(probe));
                assert_eq!(props.find(probe), want, "{probe:?} in {n}");
            }
        }
    }

    #[test]
    fn keys_compare_in_str_order() {
        let keys = [
            "", "a", "ab", "abc", "b", "ba", "rule", "rules", "Ärger", "z\u{0}",
        ];
        for a in keys {
            for b in keys {
                assert_eq!(
                    cmp_key(a.as_bytes(), b.as_bytes()),
                    a.cmp(b),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }
}
