//! Name folding: the key under which an entity's name or alias is indexed and compared.
//!
//! The rule is the one EXTRACTION.md fixes for scoring, so that two names the scorer takes for
//! one entity are also one key in the store: case and accents fold away, apostrophes and
//! periods vanish ("U.S." = "US"), other punctuation becomes a space ("Washington, D.C." =
//! "Washington DC"), white space collapses, and a leading "the " is dropped.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Characters that vanish instead of separating words.
fn vanishes(c: char) -> bool {
    matches!(
        c,
        '\'' | '.' | '\u{2019}' | '\u{2018}' | '\u{02bc}' | '`' | '\u{00b4}'
    )
}

/// Folds a name to its comparison key. Never fails; an empty or all-punctuation name folds
/// to the empty string, which callers treat as "no key".
pub fn fold_name(name: &str) -> String {
    if name.is_ascii() {
        fold_ascii(name)
    } else {
        fold_unicode(name)
    }
}

/// The folding for any text: compatibility decomposition, then the rule character by character.
fn fold_unicode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.nfkd() {
        if is_combining_mark(c) || vanishes(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            for lower in c.to_lowercase() {
                if lower == 'ß' {
                    out.push_str("ss");
                } else {
                    out.push(lower);
                }
            }
        } else {
            pending_space = true;
        }
    }
    match out.strip_prefix("the ") {
        Some(rest) => rest.to_string(),
        None => out,
    }
}

/// The same folding for ASCII text, which is most names: decomposition leaves ASCII as it
/// is and it has no combining marks, so a byte loop gives the same key without the cost of
/// normalising every character.
fn fold_ascii(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for b in name.bytes() {
        match b {
            b'\'' | b'.' | b'`' => {}
            b if b.is_ascii_alphanumeric() => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(b.to_ascii_lowercase() as char);
            }
            _ => pending_space = true,
        }
    }
    if out.starts_with("the ") {
        out.drain(..4);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{fold_ascii, fold_name, fold_unicode};

    #[test]
    fn folds_like_the_scorer() {
        let cases = [
            ("U.S.", "us"),
            ("United  States", "united states"),
            ("Washington, D.C.", "washington dc"),
            ("Türkiye", "turkiye"),
            ("the Kremlin", "kremlin"),
            ("Guinea-Bissau", "guinea bissau"),
            ("Xi’s", "xis"),
            ("  ", ""),
            ("Straße", "strasse"),
        ];
        for (input, want) in cases {
            assert_eq!(fold_name(input), want, "folding {input:?}");
        }
    }

    #[test]
    fn ascii_shortcut_agrees_with_the_general_rule() {
        let cases = [
            "U.S.",
            "the the Kremlin",
            "The Hague",
            "  the  x ",
            "O'Neil-Smith, Jr.",
            "a`b\tc\nd",
            "theatre",
            "the",
            "...",
            "Al-Assad (Syria) 2024!",
        ];
        for input in cases {
            assert_eq!(fold_ascii(input), fold_unicode(input), "folding {input:?}");
        }
    }
}
