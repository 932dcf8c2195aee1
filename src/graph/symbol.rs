//! `Symbol`: a short string of which a graph holds millions of copies (a property key, a
//! relationship type), kept once for the life of the process and held as a thin pointer.
//!
//! A graph of ten million edges has a handful of distinct keys and types: an 8-byte pointer
//! in each entry and edge, where an `Arc<str>` takes 16 bytes and an inline `CompactString`
//! 24. Symbols are never freed: they come from query texts, file headers and ingestion's
//! fixed names, so there are as many as the distinct keys and types a process has read, not
//! one per element. This module must never hand out a symbol for a property value or a name.

use std::fmt;
use std::sync::{OnceLock, PoisonError, RwLock};

use foldhash::fast::FixedState;

/// An interned string: equal, ordered and hashed as its text, so that a set of symbols is
/// found by a `&str`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Symbol(&'static &'static str);

impl Symbol {
    /// The one copy of `text`, made on its first use.
    pub fn new(text: &str) -> Symbol {
        type Symbols = RwLock<std::collections::HashSet<Symbol, FixedState>>;
        static SYMBOLS: OnceLock<Symbols> = OnceLock::new();
        let symbols = SYMBOLS.get_or_init(Symbols::default);
        if let Some(&s) = symbols
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(text)
        {
            return s;
        }
        let mut symbols = symbols.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(&s) = symbols.get(text) {
            return s;
        }
        let leaked: &'static str = Box::leak(Box::from(text));
        let s = Symbol(Box::leak(Box::new(leaked)));
        symbols.insert(s);
        s
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// Where the one copy of this text lives: two symbols have the same address exactly when
    /// they have the same text, so a table of symbols can be keyed by a number that hashes
    /// at once instead of by text.
    pub fn addr(self) -> usize {
        std::ptr::from_ref::<&'static str>(self.0) as usize
    }
}

impl std::borrow::Borrow<str> for Symbol {
    fn borrow(&self) -> &str {
        self.0
    }
}

impl AsRef<str> for Symbol {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl std::ops::Deref for Symbol {
    type Target = str;

    fn deref(&self) -> &str {
        self.0
    }
}

impl PartialOrd for Symbol {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Symbol {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(other.0)
    }
}

impl PartialEq<str> for Symbol {
    fn eq(&self, other: &str) -> bool {
        *self.0 == other
    }
}

impl PartialEq<&str> for Symbol {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == *other
    }
}

impl fmt::Debug for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_symbol_is_one_copy_of_its_text() {
        let a = Symbol::new("MET_WITH");
        let b = Symbol::new(&String::from("MET_WITH"));
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_eq!(a, b);
        assert_eq!(std::mem::size_of::<Symbol>(), 8);
        assert!(Symbol::new("A") < Symbol::new("B"));
        assert_eq!(a.to_string(), "MET_WITH");
    }
}
