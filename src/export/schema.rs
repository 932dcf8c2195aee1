//! Column types for the typed formats (GraphML keys, CSV headers): one type per property key,
//! inferred from every value the key holds, falling back to JSON text when no single typed
//! column can hold them all exactly.
//!
//! The inference never guesses: a column is `long` only when every value is an integer, and
//! anything a typed column would change on the way back (an integer among floats, a map, a
//! list of mixed items) makes it `Json`, so that importing gives the same values.

use std::collections::BTreeMap;

use crate::graph::{Properties, TemporalKind, Value};

/// The type of one property column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Bool,
    Int,
    Float,
    String,
    BoolList,
    IntList,
    FloatList,
    StringList,
    /// Dates and times, written as ISO text under neo4j-admin's type name (`date`, ...).
    Temporal(TemporalKind),
    TemporalList(TemporalKind),
    /// Durations, written as ISO text (`P1DT2H`).
    Duration,
    DurationList,
    /// Values written as JSON text.
    Json,
}

/// What one value says about its column; `EmptyList` fits any list type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    Type(ColumnType),
    EmptyList,
}

impl ColumnType {
    /// The neo4j-admin header type.
    pub fn csv_name(self) -> &'static str {
        match self {
            ColumnType::Bool => "boolean",
            ColumnType::Int => "long",
            ColumnType::Float => "double",
            ColumnType::String => "string",
            ColumnType::BoolList => "boolean[]",
            ColumnType::IntList => "long[]",
            ColumnType::FloatList => "double[]",
            ColumnType::StringList => "string[]",
            ColumnType::Temporal(kind) => kind.function_name(),
            ColumnType::TemporalList(kind) => match kind {
                TemporalKind::Date => "date[]",
                TemporalKind::LocalTime => "localtime[]",
                TemporalKind::Time => "time[]",
                TemporalKind::LocalDateTime => "localdatetime[]",
                TemporalKind::DateTime => "datetime[]",
            },
            ColumnType::Duration => "duration",
            ColumnType::DurationList => "duration[]",
            ColumnType::Json => "json",
        }
    }

    /// Parses a neo4j-admin header type; dates, times and durations are read as skein's
    /// temporal values.
    pub fn from_csv_name(name: &str) -> Option<ColumnType> {
        let lower = name.trim().to_ascii_lowercase();
        let (base, list) = match lower.strip_suffix("[]") {
            Some(base) => (base, true),
            None => (lower.as_str(), false),
        };
        let scalar = match base {
            "" | "string" | "char" => ColumnType::String,
            "date" => ColumnType::Temporal(TemporalKind::Date),
            "localtime" => ColumnType::Temporal(TemporalKind::LocalTime),
            "time" => ColumnType::Temporal(TemporalKind::Time),
            "localdatetime" => ColumnType::Temporal(TemporalKind::LocalDateTime),
            "datetime" => ColumnType::Temporal(TemporalKind::DateTime),
            "duration" => ColumnType::Duration,
            "long" | "int" | "short" | "byte" => ColumnType::Int,
            "double" | "float" => ColumnType::Float,
            "boolean" => ColumnType::Bool,
            "json" if !list => return Some(ColumnType::Json),
            _ => return None,
        };
        Some(if list { scalar.list() } else { scalar })
    }

    fn list(self) -> ColumnType {
        match self {
            ColumnType::Bool => ColumnType::BoolList,
            ColumnType::Int => ColumnType::IntList,
            ColumnType::Float => ColumnType::FloatList,
            ColumnType::String => ColumnType::StringList,
            ColumnType::Temporal(kind) => ColumnType::TemporalList(kind),
            ColumnType::Duration => ColumnType::DurationList,
            other => other,
        }
    }

    pub fn is_list(self) -> bool {
        matches!(
            self,
            ColumnType::BoolList
                | ColumnType::IntList
                | ColumnType::FloatList
                | ColumnType::StringList
                | ColumnType::TemporalList(_)
                | ColumnType::DurationList
        )
    }

    /// The scalar type of a list column's items.
    pub fn item(self) -> ColumnType {
        match self {
            ColumnType::BoolList => ColumnType::Bool,
            ColumnType::IntList => ColumnType::Int,
            ColumnType::FloatList => ColumnType::Float,
            ColumnType::StringList => ColumnType::String,
            ColumnType::TemporalList(kind) => ColumnType::Temporal(kind),
            ColumnType::DurationList => ColumnType::Duration,
            other => other,
        }
    }
}

fn scalar_type(v: &Value) -> Option<ColumnType> {
    match v {
        Value::Bool(_) => Some(ColumnType::Bool),
        Value::Int(_) => Some(ColumnType::Int),
        Value::Float(_) => Some(ColumnType::Float),
        Value::String(_) => Some(ColumnType::String),
        // Written as ISO text under a typed header, so it reads back as the same value.
        Value::Temporal(t) => Some(ColumnType::Temporal(t.kind())),
        Value::Duration(_) => Some(ColumnType::Duration),
        _ => None,
    }
}

fn seen(v: &Value) -> Seen {
    if let Some(t) = scalar_type(v) {
        return Seen::Type(t);
    }
    let Value::List(items) = v else {
        return Seen::Type(ColumnType::Json);
    };
    let Some(first) = items.first() else {
        return Seen::EmptyList;
    };
    let Some(item) = scalar_type(first) else {
        return Seen::Type(ColumnType::Json);
    };
    let uniform = items.iter().all(|i| scalar_type(i) == Some(item));
    // An empty string inside a list cannot be told from an empty list in a delimited cell.
    let has_empty = items.iter().any(|i| i.as_str() == Some(""));
    if uniform && !has_empty {
        Seen::Type(item.list())
    } else {
        Seen::Type(ColumnType::Json)
    }
}

fn join(a: Seen, b: Seen) -> Seen {
    match (a, b) {
        (x, y) if x == y => x,
        (Seen::EmptyList, Seen::Type(t)) | (Seen::Type(t), Seen::EmptyList) if t.is_list() => {
            Seen::Type(t)
        }
        _ => Seen::Type(ColumnType::Json),
    }
}

/// The columns of a set of property maps, by key in key order.
#[derive(Debug, Default)]
pub struct Columns {
    seen: BTreeMap<String, Seen>,
}

impl Columns {
    pub fn add(&mut self, props: &Properties) {
        for (k, v) in props {
            if v.is_null() {
                continue;
            }
            let s = seen(v);
            match self.seen.get_mut(k) {
                Some(old) => *old = join(*old, s),
                None => {
                    self.seen.insert(k.to_string(), s);
                }
            }
        }
    }

    /// Key and type of every column, in key order; a key that only ever held empty lists is
    /// a string list.
    pub fn finish(self) -> Vec<(String, ColumnType)> {
        self.seen
            .into_iter()
            .map(|(k, s)| {
                let t = match s {
                    Seen::Type(t) => t,
                    Seen::EmptyList => ColumnType::StringList,
                };
                (k, t)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(values: &[Value]) -> ColumnType {
        let mut c = Columns::default();
        for v in values {
            let mut p = Properties::new();
            p.insert("k", v.clone());
            c.add(&p);
        }
        c.finish()[0].1
    }

    #[test]
    fn infers_one_exact_type_or_json() {
        use ColumnType as T;
        let s = |x: &str| Value::from(x);
        let cases: Vec<(Vec<Value>, ColumnType)> = vec![
            (vec![Value::Int(1), Value::Int(2)], T::Int),
            (vec![Value::Int(1), Value::Float(2.5)], T::Json),
            (vec![s("a"), s("")], T::String),
            (
                vec![Value::List(vec![]), Value::from(vec!["a"])],
                T::StringList,
            ),
            (vec![Value::List(vec![])], T::StringList),
            (vec![Value::from(vec![1i64, 2])], T::IntList),
            (vec![Value::from(vec!["a", ""])], T::Json),
            (vec![Value::List(vec![Value::Int(1), s("a")])], T::Json),
            (vec![Value::Map(Default::default())], T::Json),
            (vec![Value::Bool(true), Value::from(vec![true])], T::Json),
        ];
        for (values, want) in cases {
            assert_eq!(columns(&values), want, "{values:?}");
        }
    }

    #[test]
    fn reads_neo4j_header_types() {
        assert_eq!(ColumnType::from_csv_name("long"), Some(ColumnType::Int));
        assert_eq!(
            ColumnType::from_csv_name("String[]"),
            Some(ColumnType::StringList)
        );
        assert_eq!(
            ColumnType::from_csv_name("date"),
            Some(ColumnType::Temporal(TemporalKind::Date))
        );
        assert_eq!(
            ColumnType::from_csv_name("Duration[]"),
            Some(ColumnType::DurationList)
        );
        assert_eq!(ColumnType::from_csv_name("json[]"), None);
        assert_eq!(ColumnType::from_csv_name("point3"), None);
    }
}
