//! Values while a query runs: storable values plus references to nodes, relationships and
//! paths by id. Also openCypher's equality (three-valued), comparison and global sort order.
//!
//! Nothing here reads the graph: results are materialised in `exec`, never here.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use crate::graph::{EdgeId, NodeId, Value};

use super::result::QueryValue;
use super::temporal::{Duration, Temporal};

/// A path by ids: `nodes.len() == rels.len() + 1`.
#[derive(Debug, Clone, PartialEq)]
pub struct PathRef {
    pub nodes: Vec<NodeId>,
    pub rels: Vec<EdgeId>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Val {
    #[default]
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(ValList),
    Map(BTreeMap<String, Val>),
    Node(NodeId),
    Rel(EdgeId),
    Path(PathRef),
    Temporal(Temporal),
    Duration(Duration),
}

/// A list value whose elements are shared, not copied, when the value is cloned: a row that
/// passes a list on (`WITH range(1, 1000000) AS l UNWIND ...`) copies a pointer, not the
/// list. It reads as a `Vec<Val>`; changing it copies the elements only while they are shared.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ValList(Arc<Vec<Val>>);

impl ValList {
    /// Whether another value holds the same elements, so that they were accounted when they
    /// were built and cost nothing more here.
    pub fn is_shared(&self) -> bool {
        Arc::strong_count(&self.0) > 1
    }

    /// The elements, copied only when another value shares them.
    pub fn into_vec(self) -> Vec<Val> {
        Arc::unwrap_or_clone(self.0)
    }
}

impl Deref for ValList {
    type Target = Vec<Val>;

    fn deref(&self) -> &Vec<Val> {
        &self.0
    }
}

impl DerefMut for ValList {
    fn deref_mut(&mut self) -> &mut Vec<Val> {
        Arc::make_mut(&mut self.0)
    }
}

impl From<Vec<Val>> for ValList {
    fn from(items: Vec<Val>) -> Self {
        ValList(Arc::new(items))
    }
}

impl FromIterator<Val> for ValList {
    fn from_iter<I: IntoIterator<Item = Val>>(iter: I) -> Self {
        ValList(Arc::new(iter.into_iter().collect()))
    }
}

impl IntoIterator for ValList {
    type Item = Val;
    type IntoIter = std::vec::IntoIter<Val>;

    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl<'a> IntoIterator for &'a ValList {
    type Item = &'a Val;
    type IntoIter = std::slice::Iter<'a, Val>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Val {
    pub fn type_name(&self) -> &'static str {
        match self {
            Val::Null => "NULL",
            Val::Bool(_) => "BOOLEAN",
            Val::Int(_) => "INTEGER",
            Val::Float(_) => "FLOAT",
            Val::Str(_) => "STRING",
            Val::List(_) => "LIST",
            Val::Map(_) => "MAP",
            Val::Node(_) => "NODE",
            Val::Rel(_) => "RELATIONSHIP",
            Val::Path(_) => "PATH",
            Val::Temporal(t) => t.kind().type_name(),
            Val::Duration(_) => "DURATION",
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }

    pub fn from_value(v: &Value) -> Val {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Int(i) => Val::Int(*i),
            Value::Float(f) => Val::Float(*f),
            Value::String(s) => Val::Str(s.to_string()),
            Value::List(items) => Val::List(items.iter().map(Val::from_value).collect()),
            Value::Map(m) => Val::Map(
                m.iter()
                    .map(|(k, v)| (k.clone(), Val::from_value(v)))
                    .collect(),
            ),
            Value::Temporal(t) => Val::Temporal(t.clone()),
            Value::Duration(d) => Val::Duration(**d),
        }
    }

    /// The storable form, or the name of the type that cannot be stored.
    pub fn to_value(&self) -> Result<Value, &'static str> {
        Ok(match self {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Int(i) => Value::Int(*i),
            Val::Float(f) => Value::Float(*f),
            Val::Str(s) => Value::from(s.as_str()),
            Val::List(items) => Value::List(
                items
                    .iter()
                    .map(Val::to_value)
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Val::Map(m) => Value::Map(
                m.iter()
                    .map(|(k, v)| Ok((k.clone(), v.to_value()?)))
                    .collect::<Result<BTreeMap<_, _>, &'static str>>()?,
            ),
            Val::Temporal(t) => Value::Temporal(t.clone()),
            Val::Duration(d) => Value::from(*d),
            other => return Err(other.type_name()),
        })
    }

    /// A parameter value; graph elements passed as parameters become references by id.
    pub fn from_query_value(v: &QueryValue) -> Val {
        match v {
            QueryValue::Null => Val::Null,
            QueryValue::Bool(b) => Val::Bool(*b),
            QueryValue::Int(i) => Val::Int(*i),
            QueryValue::Float(f) => Val::Float(*f),
            QueryValue::String(s) => Val::Str(s.clone()),
            QueryValue::List(items) => Val::List(items.iter().map(Val::from_query_value).collect()),
            QueryValue::Map(m) => Val::Map(
                m.iter()
                    .map(|(k, v)| (k.clone(), Val::from_query_value(v)))
                    .collect(),
            ),
            QueryValue::Node(n) => Val::Node(n.id),
            QueryValue::Relationship(r) => Val::Rel(r.id),
            QueryValue::Path(p) => Val::Path(PathRef {
                nodes: p.nodes.iter().map(|n| n.id).collect(),
                rels: p.rels.iter().map(|r| r.id).collect(),
            }),
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match self {
            Val::Int(i) => Some(*i as f64),
            Val::Float(f) => Some(*f),
            _ => None,
        }
    }
}

/// openCypher `=`: `None` is null (unknown).
pub fn equals(a: &Val, b: &Val) -> Option<bool> {
    match (a, b) {
        (Val::Null, _) | (_, Val::Null) => None,
        (Val::Int(x), Val::Int(y)) => Some(x == y),
        (Val::Int(_) | Val::Float(_), Val::Int(_) | Val::Float(_)) => {
            let (x, y) = (a.as_f64()?, b.as_f64()?);
            Some(x == y)
        }
        (Val::Bool(x), Val::Bool(y)) => Some(x == y),
        (Val::Str(x), Val::Str(y)) => Some(x == y),
        (Val::Node(x), Val::Node(y)) => Some(x == y),
        (Val::Rel(x), Val::Rel(y)) => Some(x == y),
        (Val::Path(x), Val::Path(y)) => Some(x == y),
        (Val::Temporal(x), Val::Temporal(y)) => {
            Some(x.kind() == y.kind() && x.instant_key() == y.instant_key())
        }
        (Val::Duration(x), Val::Duration(y)) => Some(x == y),
        (Val::List(x), Val::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut unknown = false;
            for (p, q) in x.iter().zip(y) {
                match equals(p, q) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            if unknown { None } else { Some(true) }
        }
        (Val::Map(x), Val::Map(y)) => {
            if x.len() != y.len() || x.keys().ne(y.keys()) {
                return Some(false);
            }
            let mut unknown = false;
            for (p, q) in x.values().zip(y.values()) {
                match equals(p, q) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            if unknown { None } else { Some(true) }
        }
        _ => Some(false),
    }
}

/// openCypher `<` and friends: `None` when the values are not comparable (different types,
/// null, NaN against anything).
pub fn compare(a: &Val, b: &Val) -> Option<Ordering> {
    match (a, b) {
        (Val::Int(x), Val::Int(y)) => Some(x.cmp(y)),
        (Val::Int(_) | Val::Float(_), Val::Int(_) | Val::Float(_)) => {
            a.as_f64()?.partial_cmp(&b.as_f64()?)
        }
        (Val::Str(x), Val::Str(y)) => Some(x.cmp(y)),
        (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(y)),
        (Val::Temporal(x), Val::Temporal(y)) if x.kind() == y.kind() => {
            Some(x.instant_key().cmp(&y.instant_key()))
        }
        (Val::List(x), Val::List(y)) => {
            for (p, q) in x.iter().zip(y) {
                match compare(p, q)? {
                    Ordering::Equal => {}
                    other => return Some(other),
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        _ => None,
    }
}

fn order_rank(v: &Val) -> u8 {
    match v {
        Val::Map(_) => 0,
        Val::Node(_) => 1,
        Val::Rel(_) => 2,
        Val::List(_) => 3,
        Val::Path(_) => 4,
        Val::Temporal(_) => 5,
        Val::Duration(_) => 6,
        Val::Str(_) => 7,
        Val::Bool(_) => 8,
        Val::Int(_) | Val::Float(_) => 9,
        Val::Null => 10,
    }
}

/// The global sort order of ORDER BY: every pair of values is ordered.
pub fn order_cmp(a: &Val, b: &Val) -> Ordering {
    total_cmp(a, b, false)
}

/// Like `order_cmp`, but `1` and `1.0` differ: the order behind DISTINCT and grouping.
pub fn group_cmp(a: &Val, b: &Val) -> Ordering {
    total_cmp(a, b, true)
}

fn total_cmp(a: &Val, b: &Val, strict: bool) -> Ordering {
    match (a, b) {
        (Val::Int(x), Val::Int(y)) => x.cmp(y),
        (Val::Float(x), Val::Float(y)) => float_cmp(*x, *y),
        (Val::Int(x), Val::Float(y)) => {
            let o = float_cmp(*x as f64, *y);
            if strict && o == Ordering::Equal {
                Ordering::Less
            } else {
                o
            }
        }
        (Val::Float(x), Val::Int(y)) => {
            let o = float_cmp(*x, *y as f64);
            if strict && o == Ordering::Equal {
                Ordering::Greater
            } else {
                o
            }
        }
        (Val::Str(x), Val::Str(y)) => x.cmp(y),
        (Val::Bool(x), Val::Bool(y)) => x.cmp(y),
        (Val::Temporal(x), Val::Temporal(y)) => x.order_cmp(y),
        (Val::Duration(x), Val::Duration(y)) => x.order_cmp(y),
        (Val::Node(x), Val::Node(y)) => x.cmp(y),
        (Val::Rel(x), Val::Rel(y)) => x.cmp(y),
        (Val::Path(x), Val::Path(y)) => x.nodes.cmp(&y.nodes).then_with(|| x.rels.cmp(&y.rels)),
        (Val::List(x), Val::List(y)) => {
            for (p, q) in x.iter().zip(y) {
                let o = total_cmp(p, q, strict);
                if o != Ordering::Equal {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        (Val::Map(x), Val::Map(y)) => {
            for ((ka, va), (kb, vb)) in x.iter().zip(y) {
                let o = ka.cmp(kb).then_with(|| total_cmp(va, vb, strict));
                if o != Ordering::Equal {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        _ => order_rank(a).cmp(&order_rank(b)),
    }
}

fn float_cmp(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

/// A row of values as a key for DISTINCT and grouping.
#[derive(Debug, Clone)]
pub struct GroupKey(pub Vec<Val>);

impl PartialEq for GroupKey {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for GroupKey {}

impl PartialOrd for GroupKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl GroupKey {
    /// Whether two keys are equal by grouping's equality, without owning them.
    pub fn slices_equal(a: &[Val], b: &[Val]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| group_cmp(x, y) == Ordering::Equal)
    }
}

impl Ord for GroupKey {
    fn cmp(&self, other: &Self) -> Ordering {
        for (a, b) in self.0.iter().zip(&other.0) {
            let o = group_cmp(a, b);
            if o != Ordering::Equal {
                return o;
            }
        }
        self.0.len().cmp(&other.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equality_is_three_valued() {
        assert_eq!(equals(&Val::Int(1), &Val::Float(1.0)), Some(true));
        assert_eq!(equals(&Val::Null, &Val::Null), None);
        let a = Val::List(vec![Val::Int(1), Val::Null].into());
        let b = Val::List(vec![Val::Int(2), Val::Null].into());
        assert_eq!(equals(&a, &b), Some(false));
        assert_eq!(equals(&a, &a.clone()), None);
        assert_eq!(equals(&Val::Int(1), &Val::Str("1".into())), Some(false));
    }

    #[test]
    fn comparison_across_types_is_null() {
        assert_eq!(compare(&Val::Int(1), &Val::Str("a".into())), None);
        assert_eq!(
            compare(&Val::Int(1), &Val::Float(1.5)),
            Some(Ordering::Less)
        );
        assert_eq!(compare(&Val::Float(f64::NAN), &Val::Int(1)), None);
    }

    #[test]
    fn order_puts_null_last() {
        let mut v = vec![
            Val::Null,
            Val::Int(3),
            Val::Str("a".into()),
            Val::Float(1.5),
        ];
        v.sort_by(order_cmp);
        assert_eq!(
            v,
            vec![
                Val::Str("a".into()),
                Val::Float(1.5),
                Val::Int(3),
                Val::Null
            ]
        );
    }
}
