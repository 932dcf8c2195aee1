//! The CSV export in the neo4j-admin import layout: `nodes.csv` and `edges.csv` in a
//! directory, which `skein import` and `neo4j-admin database import full` both read.
//!
//! Layout:
//! - `nodes.csv`: `:ID,:LABEL,` then one column per node property key, in key order, named
//!   `key:type`; `edges.csv`: `:START_ID,:END_ID,:TYPE,` then the edge property columns. IDs
//!   are skein's node ids. The `:ID` column has no name, so Neo4j stores no extra property.
//! - Types: `boolean`, `long`, `double`, `string`, and the arrays `boolean[]`, `long[]`,
//!   `double[]`, `string[]`, whose items are separated by `;` (neo4j-admin's default
//!   `--array-delimiter`). A column whose values no single type holds exactly (maps, lists of
//!   mixed items, integers among floats) has the type `json` and holds JSON text; skein reads
//!   it back, neo4j-admin does not know it (ingested graphs never need it).
//! - Labels in `:LABEL` are separated by `;` too.
//! - Quoting: a field is wrapped in double quotes when it contains a comma, a quote or a line
//!   break, or when it is an empty string; quotes inside are doubled. An empty field without
//!   quotes means the property is absent. Line breaks inside quoted fields need neo4j-admin's
//!   `--multiline-fields=true`.
//! - Inside array items and labels, `\` is written `\\` and `;` is written `\;`, so an item
//!   can hold the delimiter. skein reads these escapes back; neo4j-admin keeps them as they are
//!   (which only matters for items that contain `;` or `\`).
//! - Floats: `NaN`, `Infinity` and `-Infinity` for the non-finite ones.
//! - Dates, times and durations: ISO text under neo4j-admin's types (`date`, `localtime`,
//!   `time`, `localdatetime`, `datetime`, `duration`, and their arrays), so they read back as
//!   the same values. An empty property key or relationship type is refused before anything
//!   is written: the layout has no way to say it.
//!
//! Both files are written to temporary files first and renamed into place together, so a
//! failed export leaves the directory as it was.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use super::atomic;
use super::json::PlainValue;
use super::schema::{ColumnType, Columns};
use super::scope::Scope;
use super::{AtomicFailure, ExportError};
use crate::graph::{Properties, Value, write_float};

/// The file names inside the export directory.
pub const NODES_FILE: &str = "nodes.csv";
pub const EDGES_FILE: &str = "edges.csv";

/// The array and label delimiter.
pub const ARRAY_DELIMITER: char = ';';

/// Writes `nodes.csv` and `edges.csv` into `dir`, creating it when missing.
pub fn write_dir(scope: &Scope<'_>, dir: &Path) -> Result<(), ExportError> {
    if dir.is_file() {
        return Err(ExportError::Usage(format!(
            "{}: csv writes two files into a directory, and this is a file; give a directory with -o",
            dir.display()
        )));
    }
    check_representable(scope)?;
    let existed = dir.is_dir();
    fs::create_dir_all(dir).map_err(|source| ExportError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let written = write_both(scope, dir);
    if written.is_err() && !existed {
        // Only an empty directory is removed: the one this export made.
        let _ = fs::remove_dir(dir);
    }
    written
}

/// Refuses, before anything is written, what the CSV layout cannot carry back: a header
/// column is `key:type`, so an empty property key would read as a column without a name,
/// and an empty relationship type is what the importer (like neo4j-admin) takes for a
/// missing one.
fn check_representable(scope: &Scope<'_>) -> Result<(), ExportError> {
    let refuse = |what: String| {
        Err(ExportError::Usage(format!(
            "{what}, which the CSV layout cannot hold (a header column is `key:type`, and \
             neo4j-admin needs a type); rename it with Cypher first, or export --format json \
             or cypher, which keep it"
        )))
    };
    for node in scope.nodes() {
        if node.props.iter().any(|(k, _)| k.is_empty()) {
            return refuse(format!("node {} has a property with an empty key", node.id));
        }
    }
    for edge in scope.edges() {
        if edge.rel_type.is_empty() {
            return refuse(format!("relationship {} has an empty type", edge.id));
        }
        if edge.props.iter().any(|(k, _)| k.is_empty()) {
            return refuse(format!(
                "relationship {} has a property with an empty key",
                edge.id
            ));
        }
    }
    Ok(())
}

fn write_both(scope: &Scope<'_>, dir: &Path) -> Result<(), ExportError> {
    let nodes = atomic::prepare(&dir.join(NODES_FILE), |out| {
        write_nodes(scope, out).map_err(AtomicFailure::from)
    })?;
    let edges = atomic::prepare(&dir.join(EDGES_FILE), |out| {
        write_edges(scope, out).map_err(AtomicFailure::from)
    })?;
    nodes.commit()?;
    edges.commit()
}

/// Writes the nodes file.
pub fn write_nodes(scope: &Scope<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut cols = Columns::default();
    for node in scope.nodes() {
        cols.add(&node.props);
    }
    let cols = cols.finish();
    let mut line = String::from(":ID,:LABEL");
    header(&mut line, &cols);
    out.write_all(line.as_bytes())?;
    for node in scope.nodes() {
        line.clear();
        line.push_str(&node.id.to_string());
        line.push(',');
        let mut labels = String::new();
        for (i, label) in node.labels.iter().enumerate() {
            if i > 0 {
                labels.push(ARRAY_DELIMITER);
            }
            escape_item(&mut labels, label);
        }
        push_field(&mut line, &labels);
        row(&mut line, &cols, &node.props);
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// Writes the edges file.
pub fn write_edges(scope: &Scope<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut cols = Columns::default();
    for edge in scope.edges() {
        cols.add(&edge.props);
    }
    let cols = cols.finish();
    let mut line = String::from(":START_ID,:END_ID,:TYPE");
    header(&mut line, &cols);
    out.write_all(line.as_bytes())?;
    for edge in scope.edges() {
        line.clear();
        line.push_str(&format!("{},{},", edge.source, edge.target));
        push_field(&mut line, &edge.rel_type);
        row(&mut line, &cols, &edge.props);
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

fn header(line: &mut String, cols: &[(String, ColumnType)]) {
    for (key, t) in cols {
        line.push(',');
        push_field(line, &format!("{key}:{}", t.csv_name()));
    }
    line.push('\n');
}

fn row(line: &mut String, cols: &[(String, ColumnType)], props: &Properties) {
    let mut cell = String::new();
    for (key, t) in cols {
        line.push(',');
        match props.get(key) {
            None | Some(Value::Null) => {}
            Some(value) => {
                cell.clear();
                encode(&mut cell, value, *t);
                if cell.is_empty() {
                    // An empty string or list, which an empty field would make absent.
                    line.push_str("\"\"");
                } else {
                    push_field(line, &cell);
                }
            }
        }
    }
    line.push('\n');
}

/// A value's cell text in a column of type `t` (before CSV quoting).
fn encode(cell: &mut String, value: &Value, t: ColumnType) {
    if t == ColumnType::Json {
        if let Ok(text) = serde_json::to_string(&PlainValue(value)) {
            cell.push_str(&text);
        }
        return;
    }
    match value {
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    cell.push(ARRAY_DELIMITER);
                }
                match item {
                    Value::String(s) => escape_item(cell, s),
                    other => scalar(cell, other),
                }
            }
        }
        other => scalar(cell, other),
    }
}

fn scalar(cell: &mut String, value: &Value) {
    match value {
        Value::Bool(b) => cell.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => cell.push_str(&i.to_string()),
        Value::Float(f) if f.is_nan() => cell.push_str("NaN"),
        Value::Float(f) if f.is_infinite() => {
            cell.push_str(if *f > 0.0 { "Infinity" } else { "-Infinity" })
        }
        Value::Float(f) => {
            let _ = write_float(cell, *f);
        }
        Value::String(s) => cell.push_str(s),
        Value::Temporal(t) => cell.push_str(&t.iso()),
        Value::Duration(d) => cell.push_str(&d.iso()),
        _ => {}
    }
}

/// Escapes an array item or label: `\` as `\\`, `;` as `\;`.
fn escape_item(cell: &mut String, s: &str) {
    for c in s.chars() {
        if c == '\\' || c == ARRAY_DELIMITER {
            cell.push('\\');
        }
        cell.push(c);
    }
}

/// Appends a field, quoted when it must be.
fn push_field(line: &mut String, text: &str) {
    let needs_quotes = text.is_empty() || text.contains([',', '"', '\n', '\r']);
    if !needs_quotes {
        line.push_str(text);
        return;
    }
    line.push('"');
    for c in text.chars() {
        if c == '"' {
            line.push('"');
        }
        line.push(c);
    }
    line.push('"');
}
