//! Prints query results as an aligned table, JSON lines or CSV, for `skein query`, `skein run`
//! and the REPL alike; it only formats and never touches the graph.

use std::fmt::Write as _;
use std::time::Duration;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::graph::{NAME_KEY, Properties, write_float, write_key};
use crate::query::{NodeValue, PathValue, QueryResult, QueryValue, RelValue};

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    pub fn parse(text: &str) -> Option<Format> {
        match text.to_ascii_lowercase().as_str() {
            "table" => Some(Format::Table),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// The narrowest a column is cut to, so that a header stays recognisable.
const MIN_COLUMN_WIDTH: usize = 6;

/// Edge properties that record provenance: bulky, and what `:why` is for, so tables leave
/// them out of relationships.
const PROVENANCE_KEYS: &[&str] = &[
    "article",
    "articles",
    "evidence",
    "evidences",
    "mentions",
    "rule",
    "rules",
];

/// A value as a table cell: Cypher notation with double-quoted strings, nodes by their name
/// alone (`(:Person {name: "Vladimir Putin"})`) and relationships without their provenance,
/// so that a graph element fits in a column. Other values are complete.
pub fn cell(value: &QueryValue) -> String {
    let mut out = String::new();
    write_value(&mut out, value, true);
    out
}

/// A value in full Cypher notation with double-quoted strings: every property of nodes and
/// relationships, for CSV and messages.
pub fn full_cell(value: &QueryValue) -> String {
    let mut out = String::new();
    write_value(&mut out, value, false);
    out
}

fn write_value(out: &mut String, value: &QueryValue, compact: bool) {
    match value {
        QueryValue::Null => out.push_str("null"),
        QueryValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        QueryValue::Int(i) => {
            let _ = write!(out, "{i}");
        }
        QueryValue::Float(x) => {
            let _ = write_float(out, *x);
        }
        QueryValue::String(s) => write_quoted(out, s),
        QueryValue::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item, compact);
            }
            out.push(']');
        }
        QueryValue::Map(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write_key(out, k);
                out.push_str(": ");
                write_value(out, v, compact);
            }
            out.push('}');
        }
        QueryValue::Node(n) => write_node(out, n, compact),
        QueryValue::Relationship(r) => write_rel(out, r, compact),
        QueryValue::Path(p) => write_path(out, p, compact),
    }
}

fn write_quoted(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_props(out: &mut String, props: &Properties, keep: &dyn Fn(&str) -> bool) {
    let mut shown = props.iter().filter(|(k, _)| keep(k)).peekable();
    if shown.peek().is_none() {
        return;
    }
    out.push_str(" {");
    for (i, (k, v)) in shown.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write_key(out, k);
        out.push_str(": ");
        write_value(out, &QueryValue::from(v.clone()), false);
    }
    out.push('}');
}

fn write_node(out: &mut String, node: &NodeValue, compact: bool) {
    out.push('(');
    for label in &node.labels {
        out.push(':');
        let _ = write_key(out, label);
    }
    let mut props = String::new();
    let named = compact && node.props.contains_key(NAME_KEY);
    write_props(&mut props, &node.props, &|k| !named || k == NAME_KEY);
    if node.labels.is_empty() {
        out.push_str(props.trim_start());
    } else {
        out.push_str(&props);
    }
    out.push(')');
}

fn write_rel(out: &mut String, rel: &RelValue, compact: bool) {
    out.push_str("[:");
    let _ = write_key(out, &rel.rel_type);
    write_props(out, &rel.props, &|k| {
        !compact || !PROVENANCE_KEYS.contains(&k)
    });
    out.push(']');
}

fn write_path(out: &mut String, path: &PathValue, compact: bool) {
    out.push('<');
    if let Some(first) = path.nodes.first() {
        write_node(out, first, compact);
    }
    for (i, rel) in path.rels.iter().enumerate() {
        let Some(next) = path.nodes.get(i + 1) else {
            break;
        };
        if rel.target == next.id {
            out.push('-');
            write_rel(out, rel, compact);
            out.push_str("->");
        } else {
            out.push_str("<-");
            write_rel(out, rel, compact);
            out.push('-');
        }
        write_node(out, next, compact);
    }
    out.push('>');
}

/// Cuts `text` to at most `width` terminal columns, ending with `…` when anything was cut.
pub fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(ch);
    }
    out.push('…');
    out
}

fn pad(out: &mut String, text: &str, width: usize) {
    out.push_str(text);
    for _ in text.width()..width {
        out.push(' ');
    }
}

/// The column widths that fit `max_width` terminal columns: the widest columns are capped at
/// one common width, chosen as large as the budget allows.
fn fit_widths(natural: &[usize], max_width: Option<usize>) -> Vec<usize> {
    let Some(max_width) = max_width else {
        return natural.to_vec();
    };
    // Each column costs its width plus "| " before and " " after, and the row ends in "|".
    let overhead = natural.len() * 3 + 1;
    let budget = max_width.saturating_sub(overhead);
    let total: usize = natural.iter().sum();
    if total <= budget {
        return natural.to_vec();
    }
    let capped = |cap: usize| -> Vec<usize> {
        natural
            .iter()
            .map(|&w| w.min(cap.max(MIN_COLUMN_WIDTH.min(w))))
            .collect()
    };
    // The largest cap whose total fits; a binary search, since the total grows with the cap.
    let (mut lo, mut hi) = (0, natural.iter().copied().max().unwrap_or(0));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if capped(mid).iter().sum::<usize>() <= budget {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    capped(lo)
}

/// The result as an aligned table with a border, a header and a summary line. Cells are cut
/// to fit `max_width` columns when it is given (a terminal); otherwise nothing is cut.
pub fn table(result: &QueryResult, max_width: Option<usize>, elapsed: Option<Duration>) -> String {
    let mut out = String::new();
    if !result.columns.is_empty() {
        let cells: Vec<Vec<String>> = result
            .rows
            .iter()
            .map(|row| row.iter().map(cell).collect())
            .collect();
        let natural: Vec<usize> = result
            .columns
            .iter()
            .enumerate()
            .map(|(i, name)| {
                cells
                    .iter()
                    .filter_map(|row| row.get(i))
                    .map(|c| c.width())
                    .chain([name.width()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let widths = fit_widths(&natural, max_width);
        let border = {
            let mut b = String::from("+");
            for w in &widths {
                b.push_str(&"-".repeat(w + 2));
                b.push('+');
            }
            b.push('\n');
            b
        };
        let line = |out: &mut String, texts: &mut dyn Iterator<Item = &str>| {
            out.push('|');
            for (w, text) in widths.iter().zip(texts) {
                out.push(' ');
                pad(out, &cut(text, *w), *w);
                out.push_str(" |");
            }
            out.push('\n');
        };
        out.push_str(&border);
        line(&mut out, &mut result.columns.iter().map(String::as_str));
        out.push_str(&border);
        for row in &cells {
            // A short row (which a correct engine never returns) is padded, not dropped.
            let mut texts = row.iter().map(String::as_str).chain(std::iter::repeat(""));
            line(&mut out, &mut texts);
        }
        out.push_str(&border);
    }
    out.push_str(&summary(result, elapsed));
    out.push('\n');
    out
}

/// "3 rows", "1 row; 2 nodes created", with " (12 ms)" when the time is given.
pub fn summary(result: &QueryResult, elapsed: Option<Duration>) -> String {
    let n = result.rows.len();
    let mut out = format!("{n} row{}", if n == 1 { "" } else { "s" });
    if result.stats.contains_updates() {
        let _ = write!(out, "; {}", result.stats);
    }
    if let Some(t) = elapsed {
        let _ = write!(out, " ({})", human_duration(t));
    }
    out
}

/// "850 µs", "2.46 ms", "12.4 ms", "125 ms", "1.25 s": three significant figures from a
/// millisecond on, so that timings compared side by side are not cut to whole milliseconds.
pub fn human_duration(t: Duration) -> String {
    let micros = t.as_micros();
    let ms = t.as_secs_f64() * 1000.0;
    if micros < 1000 {
        format!("{micros} µs")
    } else if micros < 10_000 {
        format!("{ms:.2} ms")
    } else if micros < 100_000 {
        format!("{ms:.1} ms")
    } else if micros < 10_000_000 {
        format!("{} ms", micros / 1000)
    } else {
        format!("{:.2} s", t.as_secs_f64())
    }
}

/// A value as JSON: nodes, relationships and paths become objects with their id, labels or
/// type and properties; floats that JSON cannot hold (NaN, infinities) become strings.
pub fn json_value(value: &QueryValue) -> serde_json::Value {
    use serde_json::{Map, Value as J, json};
    match value {
        QueryValue::Null => J::Null,
        QueryValue::Bool(b) => J::Bool(*b),
        QueryValue::Int(i) => J::from(*i),
        QueryValue::Float(x) => serde_json::Number::from_f64(*x)
            .map(J::Number)
            .unwrap_or_else(|| J::String(x.to_string())),
        QueryValue::String(s) => J::String(s.clone()),
        QueryValue::List(items) => J::Array(items.iter().map(json_value).collect()),
        QueryValue::Map(map) => J::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), json_value(v)))
                .collect::<Map<_, _>>(),
        ),
        QueryValue::Node(n) => json_node(n),
        QueryValue::Relationship(r) => json_rel(r),
        QueryValue::Path(p) => json!({
            "nodes": p.nodes.iter().map(json_node).collect::<Vec<_>>(),
            "relationships": p.rels.iter().map(json_rel).collect::<Vec<_>>(),
        }),
    }
}

fn json_props(props: &Properties) -> serde_json::Value {
    serde_json::Value::Object(
        props
            .iter()
            .map(|(k, v)| (k.to_string(), json_value(&QueryValue::from(v.clone()))))
            .collect(),
    )
}

fn json_node(n: &NodeValue) -> serde_json::Value {
    serde_json::json!({"id": n.id.0, "labels": n.labels, "properties": json_props(&n.props)})
}

fn json_rel(r: &RelValue) -> serde_json::Value {
    serde_json::json!({
        "id": r.id.0,
        "type": r.rel_type,
        "source": r.source.0,
        "target": r.target.0,
        "properties": json_props(&r.props),
    })
}

/// The rows as JSON lines: one object per row, keys in column order.
pub fn json_lines(result: &QueryResult) -> String {
    let mut out = String::new();
    for row in &result.rows {
        out.push('{');
        for (i, (name, value)) in result.columns.iter().zip(row).enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            // Serialising a string or a `serde_json::Value` cannot fail.
            out.push_str(&serde_json::to_string(name).unwrap_or_default());
            out.push_str(": ");
            out.push_str(&serde_json::to_string(&json_value(value)).unwrap_or_default());
        }
        out.push_str("}\n");
    }
    out
}

/// The rows as CSV with a header: strings as they are, null as an empty field, anything else
/// in Cypher notation.
pub fn csv(result: &QueryResult) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut record = |fields: Vec<String>| {
        // Writing to a `Vec` cannot fail.
        let _ = writer.write_record(&fields);
    };
    if !result.columns.is_empty() {
        record(result.columns.clone());
    }
    for row in &result.rows {
        record(
            row.iter()
                .map(|v| match v {
                    QueryValue::Null => String::new(),
                    QueryValue::String(s) => s.clone(),
                    other => full_cell(other),
                })
                .collect(),
        );
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The result in the given format. Tables carry their summary line; JSON and CSV carry only
/// data, so that they can be piped into other tools.
pub fn render(
    result: &QueryResult,
    format: Format,
    max_width: Option<usize>,
    elapsed: Option<Duration>,
) -> String {
    match format {
        Format::Table => table(result, max_width, elapsed),
        Format::Json => json_lines(result),
        Format::Csv => csv(result),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{EdgeId, NodeId, Value};
    use crate::query::UpdateStats;

    fn person(id: u64, name: &str) -> QueryValue {
        let mut props = Properties::new();
        props.insert("name", Value::from(name));
        QueryValue::Node(NodeValue {
            id: NodeId(id),
            labels: vec!["Person".into()],
            props,
        })
    }

    #[test]
    fn durations_keep_three_significant_figures_from_a_millisecond_on() {
        let us = Duration::from_micros;
        assert_eq!(human_duration(us(850)), "850 µs");
        assert_eq!(human_duration(us(2_461)), "2.46 ms");
        assert_eq!(human_duration(us(62_480)), "62.5 ms");
        assert_eq!(human_duration(us(474_900)), "474 ms");
        assert_eq!(human_duration(us(12_345_678)), "12.35 s");
    }

    fn sample() -> QueryResult {
        QueryResult {
            columns: vec!["p".into(), "n".into()],
            rows: vec![
                vec![person(0, "Vladimir Putin"), QueryValue::Int(3)],
                vec![QueryValue::String("Zoë \"Z\"".into()), QueryValue::Null],
            ],
            stats: UpdateStats::default(),
        }
    }

    #[test]
    fn table_is_aligned_with_headers_and_a_row_count() {
        let expected = "\
+------------------------------------+------+
| p                                  | n    |
+------------------------------------+------+
| (:Person {name: \"Vladimir Putin\"}) | 3    |
| \"Zoë \\\"Z\\\"\"                        | null |
+------------------------------------+------+
2 rows (12.0 ms)
";
        assert_eq!(
            table(&sample(), None, Some(Duration::from_millis(12))),
            expected
        );
    }

    #[test]
    fn wide_cells_are_cut_to_the_terminal_width() {
        let out = table(&sample(), Some(30), None);
        for line in out.lines() {
            assert!(line.width() <= 30, "{line:?} is wider than 30");
        }
        assert!(out.contains("| (:Person {name: \"V… | 3    |"), "{out}");
    }

    #[test]
    fn cutting_counts_wide_characters() {
        assert_eq!(cut("日本語のテキスト", 7), "日本語…");
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("abc", 0), "");
    }

    #[test]
    fn results_without_columns_print_only_the_summary() {
        let result = QueryResult {
            columns: vec![],
            rows: vec![],
            stats: UpdateStats {
                nodes_created: 1,
                ..UpdateStats::default()
            },
        };
        assert_eq!(table(&result, None, None), "0 rows; 1 node created\n");
    }

    #[test]
    fn json_is_one_object_per_row_in_column_order() {
        let rel = QueryValue::Relationship(RelValue {
            id: EdgeId(4),
            rel_type: "MET_WITH".into(),
            source: NodeId(1),
            target: NodeId(0),
            props: Properties::new(),
        });
        let result = QueryResult {
            columns: vec!["z".into(), "a".into(), "r".into()],
            rows: vec![vec![person(0, "Putin"), QueryValue::Float(f64::NAN), rel]],
            stats: UpdateStats::default(),
        };
        assert_eq!(
            json_lines(&result),
            "{\"z\": {\"id\":0,\"labels\":[\"Person\"],\"properties\":{\"name\":\"Putin\"}}, \
             \"a\": \"NaN\", \"r\": {\"id\":4,\"properties\":{},\"source\":1,\"target\":0,\"type\":\"MET_WITH\"}}\n"
        );
    }

    #[test]
    fn tables_show_nodes_by_name_and_relationships_without_provenance() {
        let mut node = NodeValue {
            id: NodeId(0),
            labels: vec!["Person".into()],
            props: Properties::new(),
        };
        node.props.insert("name", Value::from("Vladimir Putin"));
        node.props.insert("mentions", Value::Int(4));
        let mut rel = RelValue {
            id: EdgeId(1),
            rel_type: "MET_WITH".into(),
            source: NodeId(0),
            target: NodeId(2),
            props: Properties::new(),
        };
        rel.props.insert("date", Value::from("2025-04-11"));
        rel.props.insert("evidence", Value::from("They met."));
        rel.props
            .insert("rules", Value::List(vec![Value::from("met")]));
        let node = QueryValue::Node(node);
        let rel = QueryValue::Relationship(rel);
        assert_eq!(cell(&node), "(:Person {name: \"Vladimir Putin\"})");
        assert_eq!(cell(&rel), "[:MET_WITH {date: \"2025-04-11\"}]");
        assert_eq!(
            full_cell(&rel),
            "[:MET_WITH {date: \"2025-04-11\", evidence: \"They met.\", rules: [\"met\"]}]"
        );
        let unnamed = QueryValue::Node(NodeValue {
            id: NodeId(3),
            labels: vec![],
            props: [("x".to_string(), Value::Int(1))].into_iter().collect(),
        });
        assert_eq!(cell(&unnamed), "({x: 1})");
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(
            csv(&sample()),
            "p,n\n\"(:Person {name: \"\"Vladimir Putin\"\"})\",3\n\"Zoë \"\"Z\"\"\",\n"
        );
    }
}
