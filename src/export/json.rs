//! The JSON export, in exactly the shape EXTRACTION.md fixes for the scorer:
//! `{"nodes": [{"id", "labels", "properties"}], "edges": [{"id", "type", "source", "target",
//! "properties"}]}`, one element a line, values as plain JSON.
//!
//! It streams element by element and must never change that shape: `score_gold.py` and any
//! other reader depend on it.

use std::io::{self, Write};

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::scope::Scope;
use crate::graph::{Properties, Value};

/// A value as plain JSON: strings, numbers, booleans, lists, objects. Non-finite floats
/// become `null`, as JSON has no spelling for them.
pub struct PlainValue<'a>(pub &'a Value);

impl Serialize for PlainValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Float(f) if f.is_finite() => s.serialize_f64(*f),
            Value::Float(_) => s.serialize_unit(),
            Value::String(t) => s.serialize_str(t),
            // JSON has no temporal type: a date or duration is its ISO 8601 text.
            Value::Temporal(t) => s.serialize_str(&t.iso()),
            Value::Duration(d) => s.serialize_str(&d.iso()),
            Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&PlainValue(item))?;
                }
                seq.end()
            }
            Value::Map(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, &PlainValue(v))?;
                }
                map.end()
            }
        }
    }
}

/// A property map as a JSON object, in key order.
pub struct PlainProps<'a>(pub &'a Properties);

impl Serialize for PlainProps<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, &PlainValue(v))?;
        }
        map.end()
    }
}

#[derive(serde::Serialize)]
struct NodeRecord<'a> {
    id: u64,
    labels: Vec<&'a str>,
    properties: PlainProps<'a>,
}

#[derive(serde::Serialize)]
struct EdgeRecord<'a> {
    id: u64,
    #[serde(rename = "type")]
    rel_type: &'a str,
    source: u64,
    target: u64,
    properties: PlainProps<'a>,
}

/// serde_json's conversion keeps an underlying I/O error's kind (a full disk stays a full
/// disk in the message).
fn to_io(e: serde_json::Error) -> io::Error {
    io::Error::from(e)
}

/// Writes the scope as JSON.
pub fn write(scope: &Scope<'_>, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"{\"nodes\": [")?;
    for (i, node) in scope.nodes().enumerate() {
        out.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
        let record = NodeRecord {
            id: node.id.0,
            labels: node.labels.iter().map(|l| &**l).collect(),
            properties: PlainProps(&node.props),
        };
        serde_json::to_writer(&mut *out, &record).map_err(to_io)?;
    }
    out.write_all(b"\n ],\n \"edges\": [")?;
    for (i, edge) in scope.edges().enumerate() {
        out.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
        let record = EdgeRecord {
            id: edge.id.0,
            rel_type: &edge.rel_type,
            source: edge.source.0,
            target: edge.target.0,
            properties: PlainProps(&edge.props),
        };
        serde_json::to_writer(&mut *out, &record).map_err(to_io)?;
    }
    out.write_all(b"\n ]}\n")
}
