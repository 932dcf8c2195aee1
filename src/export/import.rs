//! `skein import`: reads nodes and edges from CSV files in the neo4j-admin layout (see
//! [`super::csv`]) into a graph.
//!
//! The files are read and checked whole before the graph is touched, so a malformed file
//! leaves the graph as it was; every error names the file, the line and the column (in
//! characters) where the fault is, and what was expected. Nothing here panics on any input.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::ExportError;
use super::csv::ARRAY_DELIMITER;
use super::schema::ColumnType;
use compact_str::CompactString;

use crate::graph::files;
use crate::graph::{Duration, Graph, NodeId, Properties, Temporal, Value};
use crate::ingest::rules::FastMap;

/// What an import added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportStats {
    pub nodes: usize,
    pub edges: usize,
}

/// One field as read: its text, whether it was quoted, and its byte offset in the file. The
/// text is borrowed from the file's bytes unless it was quoted (a quoted field is rebuilt
/// without its quotes), so that a million rows cost no allocation per field.
#[derive(Debug, Clone)]
struct Field<'a> {
    text: Cow<'a, str>,
    quoted: bool,
    offset: usize,
}

/// A CSV file's bytes, kept to turn offsets into line and column for errors.
struct Source {
    path: PathBuf,
    bytes: Vec<u8>,
}

impl Source {
    fn read(path: &Path) -> Result<Source, ExportError> {
        // Only a regular file is read, and only up to a bound: a pipe or `/dev/zero` given
        // as a CSV file is refused at once instead of blocking or filling memory.
        let bytes = files::read_regular(path, files::MAX_CSV_BYTES).map_err(|source| {
            ExportError::Read {
                path: path.to_path_buf(),
                source,
            }
        })?;
        Ok(Source {
            path: path.to_path_buf(),
            bytes,
        })
    }

    /// An error at a byte offset.
    fn error(&self, offset: usize, message: impl Into<String>) -> ExportError {
        let offset = offset.min(self.bytes.len());
        let before = &self.bytes[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        ExportError::Malformed {
            path: self.path.clone(),
            line,
            column,
            message: message.into(),
        }
    }

    /// How many lines the file has, at most how many records it holds: for reserving room.
    fn lines(&self) -> usize {
        memchr::memchr_iter(b'\n', &self.bytes).count() + 1
    }

    /// Splits the file into records of fields (RFC 4180 with `\n` or `\r\n` line ends) and
    /// gives each to `each` in turn, the header first; blank lines are skipped. One record is
    /// held at a time, so that a million rows are not all split before the first is read.
    fn for_each_record<'s>(
        &'s self,
        mut each: impl FnMut(&[Field<'s>]) -> Result<(), ExportError>,
    ) -> Result<(), ExportError> {
        let b = &self.bytes;
        let mut pos = 0;
        // A UTF-8 byte order mark is not part of the first header.
        if b.starts_with(&[0xEF, 0xBB, 0xBF]) {
            pos = 3;
        }
        let mut record: Vec<Field<'_>> = Vec::new();
        while pos < b.len() {
            let start = pos;
            let mut raw: Vec<u8> = Vec::new();
            let quoted = b[pos] == b'"';
            if quoted {
                pos += 1;
                loop {
                    match b.get(pos) {
                        None => {
                            return Err(self.error(
                                start,
                                "this quoted field is never closed; add the closing \"",
                            ));
                        }
                        Some(b'"') if b.get(pos + 1) == Some(&b'"') => {
                            raw.push(b'"');
                            pos += 2;
                        }
                        Some(b'"') => {
                            pos += 1;
                            break;
                        }
                        Some(&c) => {
                            raw.push(c);
                            pos += 1;
                        }
                    }
                }
                match b.get(pos) {
                    None | Some(b',') | Some(b'\n') => {}
                    Some(b'\r') if b.get(pos + 1) == Some(&b'\n') => {}
                    Some(_) => {
                        return Err(self.error(
                            pos,
                            "unexpected text after a closing quote; a quote inside a quoted field is written \"\"",
                        ));
                    }
                }
            } else {
                // The field runs to the next comma or line end; a lone `\r` is part of it.
                loop {
                    match memchr::memchr3(b',', b'\n', b'\r', &b[pos..]) {
                        None => pos = b.len(),
                        Some(i) => pos += i,
                    }
                    if b.get(pos) == Some(&b'\r') && b.get(pos + 1) != Some(&b'\n') {
                        pos += 1;
                        continue;
                    }
                    break;
                }
            }
            let not_utf8 = |valid_up_to: usize| {
                self.error(
                    start + usize::from(quoted) + valid_up_to,
                    "this is not UTF-8 text; save the file as UTF-8",
                )
            };
            let text = if quoted {
                Cow::Owned(
                    String::from_utf8(raw).map_err(|e| not_utf8(e.utf8_error().valid_up_to()))?,
                )
            } else {
                Cow::Borrowed(
                    std::str::from_utf8(&b[start..pos]).map_err(|e| not_utf8(e.valid_up_to()))?,
                )
            };
            record.push(Field {
                text,
                quoted,
                offset: start,
            });
            match b.get(pos) {
                Some(b',') => {
                    pos += 1;
                    if pos == b.len() {
                        // A trailing comma at the very end: one more, empty field.
                        record.push(Field {
                            text: Cow::Borrowed(""),
                            quoted: false,
                            offset: pos,
                        });
                    }
                }
                Some(b'\r') => pos += 2,
                Some(b'\n') => pos += 1,
                _ => {}
            }
            let ended = pos >= b.len() || matches!(b.get(pos - 1), Some(b'\n'));
            if ended {
                let blank = record.len() == 1 && record[0].text.is_empty() && !record[0].quoted;
                if !blank {
                    each(&record)?;
                }
                record.clear();
            }
        }
        // The loop only leaves when `pos` reached the end, where a record always ends.
        Ok(())
    }
}

/// What a header column holds.
#[derive(Debug, Clone)]
enum Column {
    /// The node id, with its id space and the property name it is also stored under.
    Id {
        group: String,
        property: Option<String>,
    },
    Label,
    StartId(String),
    EndId(String),
    Type,
    Ignore,
    Property(String, ColumnType),
}

fn parse_header(src: &Source, fields: &[Field]) -> Result<Vec<Column>, ExportError> {
    let mut columns: Vec<Column> = Vec::with_capacity(fields.len());
    for field in fields {
        let text = &*field.text;
        let (name, kind) = match text.rfind(':') {
            Some(i) => (&text[..i], &text[i + 1..]),
            None => (text, "string"),
        };
        let (kind_base, group) = match (kind.find('('), kind.ends_with(')')) {
            (Some(open), true) => (&kind[..open], kind[open + 1..kind.len() - 1].to_string()),
            _ => (kind, String::new()),
        };
        let column = match kind_base.to_ascii_uppercase().as_str() {
            "ID" => Column::Id {
                group,
                property: (!name.is_empty()).then(|| name.to_string()),
            },
            "LABEL" => Column::Label,
            "START_ID" => Column::StartId(group),
            "END_ID" => Column::EndId(group),
            "TYPE" => Column::Type,
            "IGNORE" => Column::Ignore,
            _ => {
                if name.is_empty() {
                    return Err(src.error(
                        field.offset,
                        format!(
                            "the header column {} has no property name; write it as name:type",
                            snippet(text)
                        ),
                    ));
                }
                let Some(t) = ColumnType::from_csv_name(kind) else {
                    return Err(src.error(
                        field.offset,
                        format!(
                            "unknown type {} in the header column {}; use string, long, double, boolean, \
date, localtime, time, localdatetime, datetime, duration, their arrays (string[], ...) or json",
                            snippet(kind),
                            snippet(text)
                        ),
                    ));
                };
                // Two columns for one key would keep only the last value, silently.
                let twice = columns
                    .iter()
                    .any(|c| matches!(c, Column::Property(other, _) if other == name));
                if twice {
                    return Err(src.error(
                        field.offset,
                        format!(
                            "the property {} has a second column here; give each property one column",
                            snippet(name)
                        ),
                    ));
                }
                Column::Property(name.to_string(), t)
            }
        };
        columns.push(column);
    }
    Ok(columns)
}

/// Splits an array cell on unescaped delimiters and undoes `\\` and `\;`.
fn split_items(text: &str) -> Vec<String> {
    let mut items = vec![String::new()];
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next) => items.last_mut().map_or((), |s| s.push(next)),
                None => items.last_mut().map_or((), |s| s.push('\\')),
            },
            c if c == ARRAY_DELIMITER => items.push(String::new()),
            c => items.last_mut().map_or((), |s| s.push(c)),
        }
    }
    items
}

/// How many characters of a field an error message quotes.
const SNIPPET_CHARS: usize = 60;

/// A field's text as an error quotes it: debug-quoted, and cut after [`SNIPPET_CHARS`]
/// characters with a note of the full length, so that a 10 MB field is not echoed whole.
fn snippet(text: &str) -> String {
    match text.char_indices().nth(SNIPPET_CHARS) {
        None => format!("{text:?}"),
        Some((cut, _)) => format!(
            "{:?}... ({} characters in all)",
            &text[..cut],
            text.chars().count()
        ),
    }
}

fn parse_scalar(text: &str, t: ColumnType) -> Result<Value, String> {
    match t {
        ColumnType::String => Ok(Value::from(text)),
        ColumnType::Int => text
            .trim()
            .parse::<i64>()
            .map(Value::Int)
            .map_err(|_| format!("{} is not an integer", snippet(text))),
        ColumnType::Float => text
            .trim()
            .parse::<f64>()
            .map(Value::Float)
            .map_err(|_| format!("{} is not a number", snippet(text))),
        ColumnType::Bool => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("{} is not true or false", snippet(text))),
        },
        ColumnType::Temporal(kind) => Temporal::parse(kind, text.trim())
            .map(Value::Temporal)
            .ok_or_else(|| {
                format!(
                    "{} is not a valid {} (ISO 8601, as {}('...') reads it)",
                    snippet(text),
                    kind.function_name(),
                    kind.function_name()
                )
            }),
        ColumnType::Duration => Duration::parse(text.trim())
            .map(Value::from)
            .ok_or_else(|| {
                format!(
                    "{} is not an ISO 8601 duration (e.g. P1DT2H)",
                    snippet(text)
                )
            }),
        _ => Err("not a scalar type".into()),
    }
}

fn from_json(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::from(s),
        serde_json::Value::Array(items) => Value::List(items.into_iter().map(from_json).collect()),
        serde_json::Value::Object(map) => {
            Value::Map(map.into_iter().map(|(k, v)| (k, from_json(v))).collect())
        }
    }
}

/// A property cell's value; `None` when the property is absent (an unquoted empty field).
fn parse_cell(field: &Field, t: ColumnType) -> Result<Option<Value>, String> {
    if field.text.is_empty() && !field.quoted {
        return Ok(None);
    }
    if t == ColumnType::Json {
        return serde_json::from_str::<serde_json::Value>(&field.text)
            .map(|v| Some(from_json(v)))
            .map_err(|e| format!("this is not valid JSON: {e}"));
    }
    if t.is_list() {
        if field.text.is_empty() {
            return Ok(Some(Value::List(Vec::new())));
        }
        let items = split_items(&field.text)
            .iter()
            .map(|item| parse_scalar(item, t.item()))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Some(Value::List(items)));
    }
    if field.text.is_empty() && t != ColumnType::String {
        return Ok(None);
    }
    parse_scalar(&field.text, t).map(Some)
}

fn describe(text: &str) -> String {
    match text.char_indices().nth(SNIPPET_CHARS) {
        None => format!("column `{text}`"),
        Some((cut, _)) => format!("column `{}...`", &text[..cut]),
    }
}

struct NodeRecord {
    labels: Vec<String>,
    props: Properties,
}

struct EdgeRecord {
    source: usize,
    target: usize,
    /// An index into the import's list of relationship types.
    rel_type: usize,
    props: Properties,
}

/// Reads `nodes` (and `edges`, when given) into `graph`. Nothing is added unless both files
/// are read without error.
pub fn import_csv(
    graph: &mut Graph,
    nodes: &Path,
    edges: Option<&Path>,
) -> Result<ImportStats, ExportError> {
    let node_src = Source::read(nodes)?;
    // Node ids by id space, then by their text: looked up by `&str` for every edge end, with
    // no key built per lookup. foldhash: these are a million lookups of short keys, each
    // kept inline in the table (a `CompactString` up to 24 bytes), so that a lookup in a map
    // of a million ids reads one place in memory, not the table and then a string elsewhere.
    let mut ids: HashMap<String, FastMap<CompactString, usize>> = HashMap::new();
    let mut node_records: Vec<NodeRecord> = Vec::with_capacity(node_src.lines());
    let mut node_header: Option<(Vec<Field>, Vec<Column>)> = None;
    // A row's properties by column number, gathered here (a list reused row after row) and
    // made into a map at its exact size.
    let mut cells: Vec<(usize, Value)> = Vec::new();
    node_src.for_each_record(|row| {
        let Some((header, columns)) = &node_header else {
            let columns = parse_header(&node_src, row)?;
            if !columns.iter().any(|c| matches!(c, Column::Id { .. })) {
                return Err(node_src.error(
                    0,
                    "the header has no :ID column; the nodes file needs one (e.g. `:ID,:LABEL,name:string`)",
                ));
            }
            node_header = Some((row.to_vec(), columns));
            return Ok(());
        };
        check_width(&node_src, header, row)?;
        let mut labels = Vec::new();
        for (at, ((column, field), head)) in columns.iter().zip(row).zip(header).enumerate() {
            match column {
                Column::Id { group, property } => {
                    if field.text.is_empty() {
                        return Err(node_src.error(field.offset, "the node id is empty"));
                    }
                    let space = ids.entry(group.clone()).or_default();
                    if space.contains_key(&*field.text) {
                        return Err(node_src.error(
                            field.offset,
                            format!("the node id {} appears twice", snippet(&field.text)),
                        ));
                    }
                    space.insert(CompactString::from(&*field.text), node_records.len());
                    if property.is_some() {
                        cells.push((at, Value::from(&*field.text)));
                    }
                }
                Column::Label => {
                    if !field.text.is_empty() {
                        labels.extend(
                            split_items(&field.text)
                                .into_iter()
                                .filter(|l| !l.is_empty()),
                        );
                    }
                }
                Column::Property(_, t) => match parse_cell(field, *t) {
                    Ok(Some(v)) => cells.push((at, v)),
                    Ok(None) => {}
                    Err(message) => {
                        return Err(node_src.error(
                            field.offset,
                            format!("{message} ({})", describe(&head.text)),
                        ));
                    }
                },
                Column::Ignore => {}
                Column::StartId(_) | Column::EndId(_) | Column::Type => {
                    return Err(node_src.error(
                        head.offset,
                        format!(
                            "{} belongs in the edges file, not the nodes file",
                            snippet(&head.text)
                        ),
                    ));
                }
            }
        }
        node_records.push(NodeRecord {
            labels,
            props: row_props(columns, &mut cells),
        });
        Ok(())
    })?;
    if node_header.is_none() {
        return Err(node_src.error(
            0,
            "the file is empty; it needs a header line with an :ID column",
        ));
    }

    let mut edge_records: Vec<EdgeRecord> = Vec::new();
    let mut rel_types: Vec<String> = Vec::new();
    if let Some(edges) = edges {
        let src = Source::read(edges)?;
        edge_records.reserve(src.lines());
        let mut edge_header: Option<(Vec<Field>, Vec<Column>)> = None;
        src.for_each_record(|row| {
            let Some((header, columns)) = &edge_header else {
                let columns = parse_header(&src, row)?;
        for (needed, present) in [
            (
                ":START_ID",
                columns.iter().any(|c| matches!(c, Column::StartId(_))),
            ),
            (
                ":END_ID",
                columns.iter().any(|c| matches!(c, Column::EndId(_))),
            ),
            (":TYPE", columns.iter().any(|c| matches!(c, Column::Type))),
        ] {
            if !present {
                return Err(src.error(
                    0,
                    format!("the header has no {needed} column; the edges file needs :START_ID, :END_ID and :TYPE"),
                ));
            }
        }
                edge_header = Some((row.to_vec(), columns));
                return Ok(());
            };
            check_width(&src, header, row)?;
            let (mut source, mut target, mut rel_type) = (None, None, None);
            for (at, ((column, field), head)) in columns.iter().zip(row).zip(header).enumerate() {
                match column {
                    Column::StartId(group) | Column::EndId(group) => {
                        let found = ids
                            .get(group.as_str())
                            .and_then(|space| space.get(&*field.text));
                        let Some(&ix) = found else {
                            return Err(src.error(
                                field.offset,
                                format!(
                                    "there is no node with id {} in {}",
                                    snippet(&field.text),
                                    nodes.display()
                                ),
                            ));
                        };
                        if matches!(column, Column::StartId(_)) {
                            source = Some(ix);
                        } else {
                            target = Some(ix);
                        }
                    }
                    Column::Type => {
                        if field.text.is_empty() {
                            return Err(src.error(field.offset, "the relationship type is empty"));
                        }
                        // A handful of types over a million rows: found, not copied.
                        let ix = match rel_types.iter().position(|t| *t == field.text) {
                            Some(ix) => ix,
                            None => {
                                rel_types.push(field.text.to_string());
                                rel_types.len() - 1
                            }
                        };
                        rel_type = Some(ix);
                    }
                    Column::Property(_, t) => match parse_cell(field, *t) {
                        Ok(Some(v)) => cells.push((at, v)),
                        Ok(None) => {}
                        Err(message) => {
                            return Err(src.error(
                                field.offset,
                                format!("{message} ({})", describe(&head.text)),
                            ));
                        }
                    },
                    Column::Ignore => {}
                    Column::Id { .. } | Column::Label => {
                        return Err(src.error(
                            head.offset,
                            format!(
                                "{} belongs in the nodes file, not the edges file",
                                snippet(&head.text)
                            ),
                        ));
                    }
                }
            }
            // Each of the three columns exists, so a width-checked row filled them.
            let (Some(source), Some(target), Some(rel_type)) = (source, target, rel_type) else {
                return Err(src.error(row[0].offset, "the row lacks an id or a type"));
            };
            edge_records.push(EdgeRecord {
                source,
                target,
                rel_type,
                props: row_props(columns, &mut cells),
            });
            Ok(())
        })?;
        if edge_header.is_none() {
            return Err(src.error(
                0,
                "the file is empty; it needs a header line with :START_ID, :END_ID and :TYPE",
            ));
        }
    }

    graph.reserve(node_records.len(), edge_records.len());
    let mut new_ids: Vec<NodeId> = Vec::with_capacity(node_records.len());
    for record in node_records {
        new_ids.push(graph.add_node(record.labels.iter().map(String::as_str), record.props));
    }
    let n_edges = edge_records.len();
    for record in edge_records {
        // Both ends were just added, so adding the edge cannot fail.
        graph
            .add_edge(
                new_ids[record.source],
                &rel_types[record.rel_type],
                new_ids[record.target],
                record.props,
            )
            .map_err(|e| ExportError::Usage(e.to_string()))?;
    }
    Ok(ImportStats {
        nodes: new_ids.len(),
        edges: n_edges,
    })
}

/// The properties of a row, from the values of its property columns (`cells`, by column
/// number), which it leaves empty for the next row.
fn row_props(columns: &[Column], cells: &mut Vec<(usize, Value)>) -> Properties {
    Properties::from_pairs(cells.drain(..).map(|(at, v)| {
        let name = match &columns[at] {
            Column::Property(name, _)
            | Column::Id {
                property: Some(name),
                ..
            } => name.as_str(),
            _ => "",
        };
        (name, v)
    }))
}

fn check_width(src: &Source, header: &[Field], row: &[Field]) -> Result<(), ExportError> {
    if row.len() == header.len() {
        return Ok(());
    }
    let offset = row.get(header.len()).or(row.last()).map_or(0, |f| f.offset);
    Err(src.error(
        offset,
        format!(
            "this row has {} fields but the header has {}; quote fields that contain a comma",
            row.len(),
            header.len()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source {
            path: PathBuf::from("t.csv"),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn texts(text: &str) -> Vec<Vec<(String, bool)>> {
        let src = source(text);
        let mut rows = Vec::new();
        let read = src.for_each_record(|row| {
            rows.push(row.iter().map(|f| (f.text.to_string(), f.quoted)).collect());
            Ok(())
        });
        if read.is_err() {
            return Vec::new();
        }
        rows
    }

    #[test]
    fn reads_quotes_line_breaks_and_empty_fields() {
        let t = |s: &str, q| (s.to_string(), q);
        assert_eq!(
            texts("a,\"b,c\"\r\n\"x\"\"y\",\"\"\n\n,\"line\nbreak\"\n"),
            vec![
                vec![t("a", false), t("b,c", true)],
                vec![t("x\"y", true), t("", true)],
                vec![t("", false), t("line\nbreak", true)],
            ]
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let err = source("a,b\n1,\"open\n")
            .for_each_record(|_| Ok(()))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("t.csv:2:3: this quoted field is never closed; add the closing \"")
        );
        let err = source("a\n\"x\"y\n")
            .for_each_record(|_| Ok(()))
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.starts_with("t.csv:2:4:")),
            "{err:?}"
        );
    }

    #[test]
    fn splits_escaped_items() {
        assert_eq!(split_items(r"a;b\;c;d\\"), vec!["a", "b;c", "d\\"]);
        assert_eq!(split_items(""), vec![""]);
    }
}
