//! The memory budget of one query: how many bytes a list, string or map built while the query
//! runs may take, how that size is reckoned, and the error that names the limit.
//!
//! It must never allocate to measure, and never count a list twice: a list shared with other
//! values was accounted when it was built.

use std::mem::size_of;

use super::error::{ErrorKind, Phase, QueryError, Span};
use super::value::Val;

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

/// Refuses a value of `bytes` bytes when it is over the budget of `limit` bytes.
pub fn check(bytes: usize, limit: usize, span: Span) -> Result<(), QueryError> {
    if bytes <= limit {
        return Ok(());
    }
    Err(QueryError::new(
        ErrorKind::LimitExceeded,
        Phase::Runtime,
        "MemoryLimitExceeded",
        format!(
            "the query builds a value of {} or more, over its memory limit of {}",
            show_size(bytes),
            show_size(limit)
        ),
    )
    .with_span(span)
    .with_hint(
        "raise the limit with --max-memory SIZE (skein query, run and repl) or :max-memory SIZE \
         at the prompt, e.g. 4GiB",
    ))
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
    fn a_shared_list_is_counted_once() {
        let inner = Val::List(vec![Val::Int(1); 1000].into());
        let alone = held_bytes(&inner);
        assert!(alone >= 1000 * size_of::<Val>());
        let outer = Val::List(vec![inner.clone(), inner.clone()].into());
        assert_eq!(held_bytes(&outer), 2 * size_of::<Val>());
    }
}
