//! The memory budget of one query: how many bytes a list, string or map built while the query
//! runs may take, how many all the rows it holds may take together (the rows between steps,
//! those an ORDER BY, DISTINCT or aggregation keeps, `collect()`'s lists and the result), how
//! those sizes are reckoned, and the error that names the limit.
//!
//! It must never allocate to measure, and never count a list twice: a list shared with other
//! values was accounted when it was built.

use std::cell::Cell;
use std::mem::size_of;

use super::error::{ErrorKind, Phase, QueryError, Span};
use super::result::QueryValue;
use super::value::Val;
use crate::graph::{Properties, Value};

/// The budget a query gets unless `--max-memory` or `:max-memory` says otherwise.
pub const DEFAULT_MAX_MEMORY: usize = 1 << 30;

/// The bytes a value holds beyond its own slot in a list or row, roughly: strings their
/// text, lists and maps their slots and what those hold. A list that another value shares
/// costs nothing here, since it was charged when it was built.
pub fn held_bytes(v: &Val) -> usize {
    match v {
        Val::Str(s) => s.len(),
        Val::List(items) if items.is_shared() => 0,
        Val::List(items) => items
            .iter()
            .fold(items.len().saturating_mul(size_of::<Val>()), |sum, x| {
                sum.saturating_add(held_bytes(x))
            }),
        Val::Map(m) => m.iter().fold(0usize, |sum, (k, x)| {
            sum.saturating_add(k.len() + 2 * size_of::<Val>() + held_bytes(x))
        }),
        Val::Path(p) => (p.nodes.len() + p.rels.len()).saturating_mul(size_of::<u64>()),
        _ => 0,
    }
}

/// The bytes a list of `n` elements takes before its elements hold anything.
pub fn list_bytes(n: usize) -> usize {
    n.saturating_mul(size_of::<Val>())
}

/// The bytes one row takes: its slots and what its values hold.
pub fn row_bytes(row: &[Val]) -> usize {
    row.iter().fold(
        size_of::<Vec<Val>>().saturating_add(list_bytes(row.len())),
        |sum, v| sum.saturating_add(held_bytes(v)),
    )
}

/// The bytes a row of the result takes once its nodes and relationships are copied out with
/// their labels and properties, roughly.
pub fn result_row_bytes(row: &[QueryValue]) -> usize {
    row.iter().fold(size_of::<Vec<QueryValue>>(), |sum, v| {
        sum.saturating_add(result_bytes(v))
    })
}

fn result_bytes(v: &QueryValue) -> usize {
    size_of::<QueryValue>().saturating_add(match v {
        QueryValue::String(s) => s.len(),
        QueryValue::List(items) => items
            .iter()
            .fold(0usize, |sum, x| sum.saturating_add(result_bytes(x))),
        QueryValue::Map(m) => m.iter().fold(0usize, |sum, (k, x)| {
            sum.saturating_add(k.len() + MAP_ENTRY + result_bytes(x))
        }),
        QueryValue::Node(n) => n.labels.iter().fold(props_bytes(&n.props), |sum, l| {
            sum.saturating_add(l.len() + size_of::<String>())
        }),
        QueryValue::Relationship(r) => r.rel_type.len().saturating_add(props_bytes(&r.props)),
        QueryValue::Path(p) => p.nodes.len().saturating_add(p.rels.len()).saturating_mul(
            size_of::<super::result::NodeValue>() + size_of::<super::result::RelValue>(),
        ),
        _ => 0,
    })
}

/// What a map entry costs beyond its key and value (the tree's node share, roughly).
const MAP_ENTRY: usize = 32;

fn props_bytes(props: &Properties) -> usize {
    props.iter().fold(0usize, |sum, (k, v)| {
        sum.saturating_add(k.len() + MAP_ENTRY + stored_bytes(v))
    })
}

fn stored_bytes(v: &Value) -> usize {
    size_of::<Value>().saturating_add(match v {
        Value::String(s) => s.len(),
        Value::List(items) => items
            .iter()
            .fold(0usize, |sum, x| sum.saturating_add(stored_bytes(x))),
        Value::Map(m) => m.iter().fold(0usize, |sum, (k, x)| {
            sum.saturating_add(k.len() + MAP_ENTRY + stored_bytes(x))
        }),
        _ => 0,
    })
}

/// What one query holds in rows and collected values, summed as they grow and released as
/// they go, against the same limit as one value. One query runs on one thread, so the sum is
/// a plain cell; loops that add many small rows add them through a `Tally`, which touches it
/// once per `CHUNK` bytes.
#[derive(Debug)]
pub struct Meter {
    limit: usize,
    used: Cell<usize>,
}

/// How many bytes a `Tally` gathers before it charges the meter.
const CHUNK: usize = 64 << 10;

impl Meter {
    pub fn new(limit: usize) -> Self {
        Meter {
            limit,
            used: Cell::new(0),
        }
    }

    /// The bytes held now.
    pub fn used(&self) -> usize {
        self.used.get()
    }

    /// Adds `bytes` to what the query holds and refuses to go on once that is over the limit.
    pub fn charge(&self, bytes: usize, span: Span) -> Result<(), QueryError> {
        let used = self.used.get().saturating_add(bytes);
        self.used.set(used);
        if used <= self.limit {
            return Ok(());
        }
        Err(over_limit(
            format!(
                "the query holds {} or more in rows and collected values, over its memory \
                 limit of {}",
                show_size(used),
                show_size(self.limit)
            ),
            span,
        ))
    }

    /// Adds `bytes` to what the query holds without a check: for a caller that checks the
    /// total itself.
    pub fn add_unchecked(&self, bytes: usize) {
        self.used.set(self.used.get().saturating_add(bytes));
    }

    /// Takes back `bytes` the query no longer holds.
    pub fn release(&self, bytes: usize) {
        self.used.set(self.used.get().saturating_sub(bytes));
    }

    /// Forgets everything charged since `used()` returned `mark`: what a subquery held for
    /// one row of the enclosing query is gone when it ends.
    pub fn release_to(&self, mark: usize) {
        self.used.set(self.used.get().min(mark));
    }

    pub fn tally(&self, span: Span) -> Tally<'_> {
        Tally {
            meter: self,
            pending: 0,
            span,
        }
    }
}

/// Bytes gathered for a meter and charged in chunks; `finish` charges the rest.
pub struct Tally<'m> {
    meter: &'m Meter,
    pending: usize,
    span: Span,
}

impl Tally<'_> {
    pub fn add(&mut self, bytes: usize) -> Result<(), QueryError> {
        self.pending = self.pending.saturating_add(bytes);
        if self.pending < CHUNK {
            return Ok(());
        }
        self.finish()
    }

    pub fn finish(&mut self) -> Result<(), QueryError> {
        let bytes = std::mem::take(&mut self.pending);
        self.meter.charge(bytes, self.span)
    }
}

/// Refuses a value of `bytes` bytes when it is over the budget of `limit` bytes.
pub fn check(bytes: usize, limit: usize, span: Span) -> Result<(), QueryError> {
    if bytes <= limit {
        return Ok(());
    }
    Err(over_limit(
        format!(
            "the query builds a value of {} or more, over its memory limit of {}",
            show_size(bytes),
            show_size(limit)
        ),
        span,
    ))
}

fn over_limit(message: String, span: Span) -> QueryError {
    QueryError::new(
        ErrorKind::LimitExceeded,
        Phase::Runtime,
        "MemoryLimitExceeded",
        message,
    )
    .with_span(span)
    .with_hint(
        "raise the limit with --max-memory SIZE (skein query, run and repl) or :max-memory SIZE \
         at the prompt, e.g. 4GiB",
    )
}

/// A byte count as people read it: `512 MiB`, `1 GiB`, `300 B`.
pub fn show_size(bytes: usize) -> String {
    const UNITS: [(&str, usize); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (name, size) in UNITS {
        if bytes >= size {
            let whole = bytes / size;
            let tenths = (bytes % size) * 10 / size;
            return if tenths == 0 {
                format!("{whole} {name}")
            } else {
                format!("{whole}.{tenths} {name}")
            };
        }
    }
    format!("{bytes} B")
}

/// Reads a size such as `1GiB`, `512MiB`, `2G`, `300k` or `1000000` (bytes).
pub fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let digits_end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(digits_end);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size: write it as e.g. 512MiB, 2GiB or 4G"))?;
    let scale: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" | "kib" => 1024.0,
        "m" | "mb" | "mib" => 1024.0 * 1024.0,
        "g" | "gb" | "gib" => 1024.0 * 1024.0 * 1024.0,
        "t" | "tb" | "tib" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(format!(
                "unknown size unit {other:?} in {text:?}: use B, KiB, MiB, GiB or TiB"
            ));
        }
    };
    let bytes = number * scale;
    if !(1.0..=usize::MAX as f64).contains(&bytes) {
        return Err(format!(
            "{text:?} is not a usable size: give at least 1 byte"
        ));
    }
    Ok(bytes as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_and_print_in_binary_units() {
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("512 MiB"), Ok(512 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("3 parsecs").is_err());
        assert!(parse_size("0").is_err());
        assert_eq!(show_size(1 << 30), "1 GiB");
        assert_eq!(show_size(1536 << 20), "1.5 GiB");
        assert_eq!(show_size(300), "300 B");
    }

    #[test]
    fn the_meter_sums_charges_in_chunks_and_refuses_past_its_limit() {
        let span = Span { start: 0, end: 0 };
        let meter = Meter::new(1 << 20);
        let mut tally = meter.tally(span);
        tally.add(1000).unwrap();
        assert_eq!(meter.used(), 0, "small amounts wait for a chunk");
        tally.finish().unwrap();
        assert_eq!(meter.used(), 1000);
        meter.release(400);
        assert_eq!(meter.used(), 600);
        let mark = meter.used();
        meter.charge(1000, span).unwrap();
        meter.release_to(mark);
        assert_eq!(meter.used(), 600);
        let e = meter.charge(2 << 20, span).unwrap_err();
        assert!(e.message.contains("memory limit of 1 MiB"), "{}", e.message);
    }

    #[test]
    fn a_shared_list_is_counted_once() {
        let inner = Val::List(vec![Val::Int(1); 1000].into());
        let alone = held_bytes(&inner);
        assert!(alone >= 1000 * size_of::<Val>());
        let outer = Val::List(vec![inner.clone(), inner.clone()].into());
        assert_eq!(held_bytes(&outer), 2 * size_of::<Val>());
    }
}
