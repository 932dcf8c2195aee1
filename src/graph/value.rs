//! Property values: the data a node or an edge can hold, as openCypher defines it.
//!
//! A `Value` is what is stored and saved; query-time values that point into the graph
//! (nodes, relationships, paths) live in the query module and never reach the store.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use compact_str::CompactString;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::temporal::{Duration, Temporal, TemporalKind};

/// The key prefix of a saved temporal value or duration: `{"$date": "2025-04-11"}`,
/// `{"$datetime": "2025-04-11T09:30+02:00"}`, `{"$duration": "P1M2D"}`. A one-key map whose
/// key is one of these tags and whose value is text always loads as the temporal value, so a
/// stored map of exactly that shape cannot be told apart; no other map is affected.
pub const TEMPORAL_TAG_PREFIX: char = '$';
const DURATION_TAG: &str = "$duration";

/// A storable value: null, boolean, integer, float, string, list, map, temporal value
/// (date, time, ...) or duration.
///
/// It is saved untagged (`"text"`, `42`, `1.5`, `true`, `[..]`, `{..}`, `()` for null): the
/// file reads like the data, and integers and floats stay apart because a float is always
/// written with a decimal point or exponent. Temporal values and durations are saved as a
/// one-key map from a tag to their ISO text, such as `{"$date": "2025-04-11"}` (see
/// `TEMPORAL_TAG_PREFIX`).
#[derive(Debug, Clone, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Text; up to 24 bytes (a date, an article id, a rule name) kept inline, with no
    /// allocation of its own.
    String(CompactString),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Temporal(Temporal),
    /// Boxed: a duration is four 64-bit fields, and unboxed it would make every value (and
    /// every stored property) 40 bytes instead of 32, for a type few graphs hold.
    Duration(Box<Duration>),
}

impl Value {
    /// The openCypher type name, as used in error messages (`INTEGER`, `STRING`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Bool(_) => "BOOLEAN",
            Value::Int(_) => "INTEGER",
            Value::Float(_) => "FLOAT",
            Value::String(_) => "STRING",
            Value::List(_) => "LIST",
            Value::Map(_) => "MAP",
            Value::Temporal(t) => t.kind().type_name(),
            Value::Duration(_) => "DURATION",
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// The strings of a list value (non-string items are skipped); a lone string counts as a
    /// list of one. Ingestion keeps `aliases`, `titles` and `articles` this way.
    pub fn strings(&self) -> Vec<&str> {
        match self {
            Value::String(s) => vec![s.as_str()],
            Value::List(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// Rank of each type in openCypher's global sort order (ORDER BY across types):
    /// map < node < relationship < list < path < temporal < duration < string < boolean <
    /// number < null. Nodes, relationships and paths are not storable, so their ranks are
    /// left as gaps.
    fn order_rank(&self) -> u8 {
        match self {
            Value::Map(_) => 0,
            Value::List(_) => 3,
            Value::Temporal(_) => 5,
            Value::Duration(_) => 6,
            Value::String(_) => 7,
            Value::Bool(_) => 8,
            Value::Int(_) | Value::Float(_) => 9,
            Value::Null => 10,
        }
    }

    /// The total order openCypher uses for ORDER BY: types by rank, numbers by value with NaN
    /// above every other number, lists element by element.
    pub fn order_cmp(&self, other: &Value) -> Ordering {
        match (self, other) {
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            (Value::String(a), Value::String(b)) => a.cmp(b),
            (Value::Int(a), Value::Int(b)) => a.cmp(b),
            (Value::Temporal(a), Value::Temporal(b)) => a.order_cmp(b),
            (Value::Duration(a), Value::Duration(b)) => a.order_cmp(b),
            (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
                number_order(self.as_f64_lossy(), other.as_f64_lossy())
            }
            (Value::List(a), Value::List(b)) => {
                for (x, y) in a.iter().zip(b) {
                    let ord = x.order_cmp(y);
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }
                a.len().cmp(&b.len())
            }
            (Value::Map(a), Value::Map(b)) => {
                for ((ka, va), (kb, vb)) in a.iter().zip(b) {
                    let ord = ka.cmp(kb).then_with(|| va.order_cmp(vb));
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }
                a.len().cmp(&b.len())
            }
            _ => self.order_rank().cmp(&other.order_rank()),
        }
    }

    fn as_f64_lossy(&self) -> f64 {
        match self {
            Value::Int(i) => *i as f64,
            Value::Float(f) => *f,
            _ => f64::NAN,
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(i) => serializer.serialize_i64(*i),
            Value::Float(f) => serializer.serialize_f64(*f),
            Value::String(s) => serializer.serialize_str(s),
            Value::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Value::Temporal(t) => {
                let mut map = serializer.serialize_map(Some(1))?;
                let tag = format!("{TEMPORAL_TAG_PREFIX}{}", t.kind().function_name());
                map.serialize_entry(&tag, &t.iso())?;
                map.end()
            }
            Value::Duration(d) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(DURATION_TAG, &d.iso())?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property value (text, number, boolean, list, map or ())")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Value::deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Int(i))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        i64::try_from(u)
            .map(Value::Int)
            .map_err(|_| E::custom(format!("the integer {u} is too large (over 2^63 - 1)")))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Float(f))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.into()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s.into()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = BTreeMap::new();
        while let Some((k, v)) = access.next_entry::<String, Value>()? {
            map.insert(k, v);
        }
        if let Some(tagged) = from_tagged_map(&map) {
            return tagged.map_err(<A::Error as de::Error>::custom);
        }
        Ok(Value::Map(map))
    }
}

/// The temporal value or duration a one-key tagged map stands for; `None` if the map is not
/// tagged, `Some(Err)` if it is tagged but its text does not parse.
fn from_tagged_map(map: &BTreeMap<String, Value>) -> Option<Result<Value, String>> {
    if map.len() != 1 {
        return None;
    }
    let (key, value) = map.iter().next()?;
    let name = key.strip_prefix(TEMPORAL_TAG_PREFIX)?;
    let text = value.as_str()?;
    if key == DURATION_TAG {
        return Some(
            Duration::parse(text)
                .map(Value::from)
                .ok_or_else(|| format!("{text:?} is not an ISO 8601 duration such as \"P1M2D\"")),
        );
    }
    let kind = TemporalKind::from_function(name)?;
    Some(
        Temporal::parse(kind, text)
            .map(Value::Temporal)
            .ok_or_else(|| format!("{text:?} is not a valid {}", kind.type_name())),
    )
}

fn number_order(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

/// Structural equality used by the store (deduplicating list items, comparing graphs).
/// `1` and `1.0` are different values here; query equality (`=`) lives in the query module.
impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits() || a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            (Value::Temporal(a), Value::Temporal(b)) => a == b,
            (Value::Duration(a), Value::Duration(b)) => a == b,
            _ => false,
        }
    }
}

impl From<Duration> for Value {
    fn from(d: Duration) -> Self {
        Value::Duration(Box::new(d))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s.into())
    }
}

impl From<CompactString> for Value {
    fn from(s: CompactString) -> Self {
        Value::String(s)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Value::List(items.into_iter().map(Into::into).collect())
    }
}

/// Writes a string as an openCypher string literal, with single quotes and escapes.
pub fn write_string_literal(f: &mut impl fmt::Write, s: &str) -> fmt::Result {
    f.write_char('\'')?;
    for ch in s.chars() {
        match ch {
            '\'' => f.write_str("\\'")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if c.is_control() => write!(f, "\\u{:04X}", c as u32)?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('\'')
}

/// Writes a map key: bare when it is a plain ASCII identifier, otherwise in backquotes.
/// openCypher allows other letters bare too, but FalkorDB refuses them, and a backquoted key
/// reads the same on every server.
pub fn write_key(f: &mut impl fmt::Write, key: &str) -> fmt::Result {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        f.write_str(key)
    } else {
        write!(f, "`{}`", key.replace('`', "``"))
    }
}

/// Writes `[a, b, ...]`, each item by its `Display`.
pub fn write_list<T: fmt::Display>(
    f: &mut impl fmt::Write,
    items: impl IntoIterator<Item = T>,
) -> fmt::Result {
    f.write_str("[")?;
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    f.write_str("]")
}

/// Writes `{key: value, ...}` with keys quoted as `write_key` does.
pub fn write_map<'a, T: fmt::Display + 'a>(
    f: &mut impl fmt::Write,
    entries: impl IntoIterator<Item = (&'a String, T)>,
) -> fmt::Result {
    f.write_str("{")?;
    for (i, (k, v)) in entries.into_iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_key(f, k)?;
        write!(f, ": {v}")?;
    }
    f.write_str("}")
}

/// Displays a value as an openCypher literal: `null`, `true`, `42`, `1.5`, `'text'`,
/// `[1, 2]`, `{key: 'value'}`, `date('2025-04-11')`, `duration('P1M')`. Printing then parsing
/// gives the same value back.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write_float(f, *x),
            Value::String(s) => write_string_literal(f, s),
            Value::List(items) => write_list(f, items),
            Value::Map(map) => write_map(f, map),
            Value::Temporal(t) => {
                write!(f, "{}(", t.kind().function_name())?;
                write_string_literal(f, &t.iso())?;
                f.write_str(")")
            }
            Value::Duration(d) => {
                f.write_str("duration(")?;
                write_string_literal(f, &d.iso())?;
                f.write_str(")")
            }
        }
    }
}

/// Floats always show a decimal point or exponent, so `1.0` never reads back as an integer.
pub fn write_float(f: &mut impl fmt::Write, x: f64) -> fmt::Result {
    if x.is_nan() {
        f.write_str("NaN")
    } else if x.is_infinite() {
        f.write_str(if x > 0.0 { "Infinity" } else { "-Infinity" })
    } else if x == x.trunc() && x.abs() < 1e16 {
        write!(f, "{x:.1}")
    } else {
        write!(f, "{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_cypher_literal() {
        let mut map = BTreeMap::new();
        map.insert("name".to_string(), Value::from("O'Neil"));
        map.insert("two words".to_string(), Value::Float(2.0));
        let v = Value::List(vec![Value::Null, Value::Int(-3), Value::Map(map)]);
        assert_eq!(
            v.to_string(),
            r"[null, -3, {name: 'O\'Neil', `two words`: 2.0}]"
        );
    }

    #[test]
    fn order_puts_null_last_and_nan_above_numbers() {
        let mut vals = [
            Value::Null,
            Value::Float(f64::NAN),
            Value::Int(2),
            Value::Float(1.5),
            Value::from("a"),
            Value::Bool(false),
        ];
        vals.sort_by(Value::order_cmp);
        let shown: Vec<String> = vals.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["'a'", "false", "1.5", "2", "NaN", "null"]);
    }
}
