//! The GraphML export, for Gephi, yEd, NetworkX and other graph tools.
//!
//! Conventions (what a reader needs to get every value back):
//! - One `<key>` per property key and element kind, with `attr.type` `boolean`, `long`,
//!   `double` or `string`. Key ids are `n0, n1, ...` for node properties and `e0, e1, ...` for
//!   edge properties, in key order; `attr.name` is the property's name.
//! - A property whose values are lists, maps or of several types is a `string` key whose
//!   `<desc>` is `JSON-encoded`: each value is its JSON text (`["Putin","V. Putin"]`).
//! - Node labels are in the `labels` key, joined by `:` with a leading `:` (`:Person`), the
//!   way Neo4j's tools write them (so a label that itself holds a `:` cannot be split back);
//!   the relationship type is in the `type` key. Node ids are `n<id>`, edge ids `e<id>`.
//! - Characters XML 1.0 cannot hold at all (control characters other than tab, line feed
//!   and carriage return) are written as U+FFFD; carriage returns are kept as `&#13;`.
//!
//! The writer streams; it scans the properties once first to type the keys, and never holds
//! the output in memory.

use std::io::{self, Write};

use super::json::PlainValue;
use super::schema::{ColumnType, Columns};
use super::scope::Scope;
use crate::graph::{Properties, Value, write_float};

/// The `<desc>` that marks a key whose values are JSON text.
pub const JSON_DESC: &str = "JSON-encoded";

/// Writes the scope as GraphML.
pub fn write(scope: &Scope<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut node_cols = Columns::default();
    for node in scope.nodes() {
        node_cols.add(&node.props);
    }
    let mut edge_cols = Columns::default();
    for edge in scope.edges() {
        edge_cols.add(&edge.props);
    }
    let node_cols = node_cols.finish();
    let edge_cols = edge_cols.finish();

    out.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    )?;
    out.write_all(
        b"  <key id=\"labels\" for=\"node\" attr.name=\"labels\" attr.type=\"string\"/>\n",
    )?;
    write_keys(out, "node", "n", &node_cols)?;
    out.write_all(b"  <key id=\"type\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n")?;
    write_keys(out, "edge", "e", &edge_cols)?;
    out.write_all(b"  <graph id=\"G\" edgedefault=\"directed\">\n")?;

    let mut buf = String::new();
    for node in scope.nodes() {
        write!(out, "    <node id=\"n{}\">", node.id)?;
        buf.clear();
        for label in &node.labels {
            buf.push(':');
            buf.push_str(label);
        }
        write!(out, "<data key=\"labels\">")?;
        write_text(out, &buf)?;
        out.write_all(b"</data>")?;
        write_data(out, "n", &node_cols, &node.props, &mut buf)?;
        out.write_all(b"</node>\n")?;
    }
    for edge in scope.edges() {
        write!(
            out,
            "    <edge id=\"e{}\" source=\"n{}\" target=\"n{}\"><data key=\"type\">",
            edge.id, edge.source, edge.target
        )?;
        write_text(out, &edge.rel_type)?;
        out.write_all(b"</data>")?;
        write_data(out, "e", &edge_cols, &edge.props, &mut buf)?;
        out.write_all(b"</edge>\n")?;
    }
    out.write_all(b"  </graph>\n</graphml>\n")
}

fn graphml_type(t: ColumnType) -> &'static str {
    match t {
        ColumnType::Bool => "boolean",
        ColumnType::Int => "long",
        ColumnType::Float => "double",
        _ => "string",
    }
}

fn is_json(t: ColumnType) -> bool {
    t.is_list() || t == ColumnType::Json
}

fn write_keys(
    out: &mut dyn Write,
    domain: &str,
    prefix: &str,
    cols: &[(String, ColumnType)],
) -> io::Result<()> {
    for (i, (name, t)) in cols.iter().enumerate() {
        write!(
            out,
            "  <key id=\"{prefix}{i}\" for=\"{domain}\" attr.name=\""
        )?;
        write_attr(out, name)?;
        write!(out, "\" attr.type=\"{}\"", graphml_type(*t))?;
        if is_json(*t) {
            writeln!(out, "><desc>{JSON_DESC}</desc></key>")?;
        } else {
            out.write_all(b"/>\n")?;
        }
    }
    Ok(())
}

fn write_data(
    out: &mut dyn Write,
    prefix: &str,
    cols: &[(String, ColumnType)],
    props: &Properties,
    buf: &mut String,
) -> io::Result<()> {
    // Both are in key order, so one merge-walk finds each property's column.
    let mut col = cols.iter().enumerate();
    for (key, value) in props {
        if value.is_null() {
            continue;
        }
        let Some((i, (_, t))) = col.find(|(_, (name, _))| name == key) else {
            continue;
        };
        write!(out, "<data key=\"{prefix}{i}\">")?;
        buf.clear();
        if is_json(*t) {
            let text = serde_json::to_string(&PlainValue(value)).map_err(io::Error::from)?;
            buf.push_str(&text);
        } else {
            scalar_text(buf, value);
        }
        write_text(out, buf)?;
        out.write_all(b"</data>")?;
    }
    Ok(())
}

/// A scalar's text: `true`, `42`, `1.5` (`NaN`, `INF`, `-INF` as XML Schema spells them).
fn scalar_text(buf: &mut String, value: &Value) {
    match value {
        Value::Bool(b) => buf.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => buf.push_str(&i.to_string()),
        Value::Float(f) if f.is_nan() => buf.push_str("NaN"),
        Value::Float(f) if f.is_infinite() => buf.push_str(if *f > 0.0 { "INF" } else { "-INF" }),
        Value::Float(f) => {
            let _ = write_float(buf, *f);
        }
        Value::String(s) => buf.push_str(s),
        Value::Temporal(t) => buf.push_str(&t.iso()),
        Value::Duration(d) => buf.push_str(&d.iso()),
        _ => {}
    }
}

fn xml_char_allowed(c: char) -> bool {
    // XML 1.0's Char production: tab, line feed, carriage return, and everything from the
    // space up except U+FFFE and U+FFFF (Rust chars are never surrogates).
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
}

/// Element text, escaped.
fn write_text(out: &mut dyn Write, s: &str) -> io::Result<()> {
    write_escaped(out, s, false)
}

/// An attribute value between double quotes, escaped.
fn write_attr(out: &mut dyn Write, s: &str) -> io::Result<()> {
    write_escaped(out, s, true)
}

fn write_escaped(out: &mut dyn Write, s: &str, attr: bool) -> io::Result<()> {
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let rep: Option<&str> = match c {
            '&' => Some("&amp;"),
            '<' => Some("&lt;"),
            '>' => Some("&gt;"),
            '"' if attr => Some("&quot;"),
            '\r' => Some("&#13;"),
            '\n' if attr => Some("&#10;"),
            '\t' if attr => Some("&#9;"),
            c if !xml_char_allowed(c) => Some("\u{fffd}"),
            _ => None,
        };
        if let Some(rep) = rep {
            out.write_all(&s.as_bytes()[start..i])?;
            out.write_all(rep.as_bytes())?;
            start = i + c.len_utf8();
        }
    }
    out.write_all(&s.as_bytes()[start..])
}
