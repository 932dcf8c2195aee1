//! Splits script text into statements (each ended by `;`) and meta-commands (`:name ...` on a
//! line of their own), knowing strings, backquoted names and comments; it never runs anything.
//!
//! One splitter serves `skein run`, piped input to the REPL and the REPL's check for a complete
//! statement, so that a `;` inside `'a;b'`, a backquoted name or a comment never ends a
//! statement anywhere.

use crate::query::Position;

/// What a piece of script text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A Cypher statement, without its `;`.
    Statement,
    /// A meta-command line such as `:param name 'Putin'`.
    Meta,
}

/// One statement or meta-command, with where it starts in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    /// The statement with its comments blanked out (same byte length, so that offsets into
    /// `text` plus `start` are offsets into the whole source), or the meta-command line.
    pub text: String,
    /// Byte offset of the item's first character in the source.
    pub start: usize,
    /// 1-based line and column of the item's first character.
    pub position: Position,
}

/// What is still open at the end of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// A string or backquoted name opened with this quote character at this byte offset.
    Quote(char, usize),
    /// A `/*` comment opened at this byte offset.
    Comment(usize),
}

/// The text cut into items, and what was left unfinished at its end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    pub items: Vec<Item>,
    /// A statement that has begun but has no `;` yet.
    pub pending: Option<Item>,
    /// A string, backquoted name or block comment that is not closed.
    pub open: Option<Open>,
}

impl Split {
    /// Whether the text ends on a statement boundary: nothing pending, nothing open.
    pub fn is_complete(&self) -> bool {
        self.pending.is_none() && self.open.is_none()
    }

    /// Byte offset where the unfinished tail starts (a pending statement or an open quote or
    /// comment), if there is one.
    pub fn tail_start(&self) -> Option<usize> {
        let open_at = self.open.map(|o| match o {
            Open::Quote(_, at) | Open::Comment(at) => at,
        });
        match (&self.pending, open_at) {
            (Some(p), Some(o)) => Some(p.start.min(o)),
            (Some(p), None) => Some(p.start),
            (None, o) => o,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Code,
    Quote(char, usize),
    LineComment,
    BlockComment(usize),
}

/// Cuts `text` into statements and meta-commands.
pub fn split(text: &str) -> Split {
    let bytes = text.as_bytes();
    // The source with comments blanked, so that statement texts keep their byte offsets.
    let mut blanked: Vec<u8> = bytes.to_vec();
    let mut items = Vec::new();
    let mut state = State::Code;
    let mut stmt_start: Option<usize> = None;
    let mut at_line_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if at_line_start && state == State::Code && stmt_start.is_none() {
            at_line_start = false;
            let line_end = text[i..].find('\n').map_or(text.len(), |n| i + n);
            let line = &text[i..line_end];
            let trimmed = line.trim_start();
            if trimmed.starts_with(':') {
                let start = i + (line.len() - trimmed.len());
                items.push(Item {
                    kind: ItemKind::Meta,
                    text: trimmed.trim_end().to_string(),
                    start,
                    position: Position { line: 0, column: 0 },
                });
                i = line_end;
                continue;
            }
        }
        match state {
            State::Code => match b {
                b'\n' => at_line_start = true,
                b';' => {
                    if let Some(start) = stmt_start.take() {
                        items.push(statement(&blanked, start, i));
                    }
                }
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    state = State::LineComment;
                    blanked[i] = b' ';
                    blanked[i + 1] = b' ';
                    i += 2;
                    continue;
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    state = State::BlockComment(i);
                    blanked[i] = b' ';
                    blanked[i + 1] = b' ';
                    i += 2;
                    continue;
                }
                b'\'' | b'"' | b'`' => {
                    stmt_start.get_or_insert(i);
                    state = State::Quote(b as char, i);
                }
                b if b.is_ascii_whitespace() => {}
                _ => {
                    stmt_start.get_or_insert(i);
                }
            },
            State::Quote(q, _) => {
                if b == b'\\' && q != '`' {
                    // An escape: the next character never closes the string. A line break is
                    // still a line break for meta-command detection, which only applies in code.
                    i += 2;
                    continue;
                }
                if b == q as u8 {
                    // A doubled backquote inside a backquoted name stands for one backquote.
                    if q == '`' && bytes.get(i + 1) == Some(&b'`') {
                        i += 2;
                        continue;
                    }
                    state = State::Code;
                }
            }
            State::LineComment => {
                if b == b'\n' {
                    state = State::Code;
                    at_line_start = true;
                } else {
                    blanked[i] = b' ';
                }
            }
            State::BlockComment(_) => {
                if b == b'*' && bytes.get(i + 1) == Some(&b'/') {
                    blanked[i] = b' ';
                    blanked[i + 1] = b' ';
                    state = State::Code;
                    i += 2;
                    continue;
                }
                if b != b'\n' {
                    blanked[i] = b' ';
                }
            }
        }
        i += 1;
    }
    let open = match state {
        State::Quote(q, at) => Some(Open::Quote(q, at)),
        State::BlockComment(at) => Some(Open::Comment(at)),
        State::Code | State::LineComment => None,
    };
    let mut pending = stmt_start.map(|start| statement(&blanked, start, text.len()));
    let mut cursor = Cursor::default();
    for item in items.iter_mut().chain(pending.as_mut()) {
        item.position = cursor.advance(text, item.start);
    }
    Split {
        items,
        pending,
        open,
    }
}

/// Walks the text once, front to back, turning increasing byte offsets into positions; one
/// `position_of` per item would make splitting quadratic in the length of a script.
#[derive(Default)]
struct Cursor {
    offset: usize,
    /// 0-based line and column (in characters) at `offset`.
    line: usize,
    column: usize,
}

impl Cursor {
    fn advance(&mut self, text: &str, to: usize) -> Position {
        let piece = text.get(self.offset..to).unwrap_or("");
        match piece.rfind('\n') {
            Some(last) => {
                self.line += piece.matches('\n').count();
                self.column = piece[last + 1..].chars().count();
            }
            None => self.column += piece.chars().count(),
        }
        self.offset = to;
        Position {
            line: self.line + 1,
            column: self.column + 1,
        }
    }
}

fn statement(blanked: &[u8], start: usize, end: usize) -> Item {
    // Blanking replaces whole characters with ASCII spaces, so the bytes stay UTF-8; the
    // lossy conversion is only a guard and never changes anything.
    let body = String::from_utf8_lossy(&blanked[start..end]);
    Item {
        kind: ItemKind::Statement,
        text: body.trim_end().to_string(),
        start,
        position: Position { line: 0, column: 0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &Split) -> Vec<(ItemKind, &str, usize, usize)> {
        s.items
            .iter()
            .map(|i| (i.kind, i.text.as_str(), i.position.line, i.position.column))
            .collect()
    }

    #[test]
    fn splits_on_semicolons_outside_strings_names_and_comments() {
        let text = "RETURN 'a;b' AS `x;y`; // c;d\nRETURN \"e;\\\"f\" /* g;\nh; */ AS z;\n";
        let s = split(text);
        assert!(s.is_complete());
        assert_eq!(
            texts(&s),
            vec![
                (ItemKind::Statement, "RETURN 'a;b' AS `x;y`", 1, 1),
                (
                    ItemKind::Statement,
                    "RETURN \"e;\\\"f\"      \n      AS z",
                    2,
                    1
                ),
            ]
        );
    }

    #[test]
    fn statement_offsets_are_offsets_into_the_source() {
        let text = "RETURN 1; MATCH (n)\n  RETURN n;";
        let s = split(text);
        let second = &s.items[1];
        assert_eq!(second.start, 10);
        assert_eq!(&text[second.start..second.start + 5], "MATCH");
        assert_eq!((second.position.line, second.position.column), (1, 11));
    }

    #[test]
    fn meta_commands_stand_on_their_own_lines() {
        let text =
            ":param name 'Putin'\n  :format csv  \nMATCH (n)\n:Person\nRETURN n;\n:timing off";
        let s = split(text);
        assert_eq!(
            texts(&s),
            vec![
                (ItemKind::Meta, ":param name 'Putin'", 1, 1),
                (ItemKind::Meta, ":format csv", 2, 3),
                (ItemKind::Statement, "MATCH (n)\n:Person\nRETURN n", 3, 1),
                (ItemKind::Meta, ":timing off", 6, 1),
            ]
        );
        assert!(s.is_complete());
    }

    #[test]
    fn reports_what_is_unfinished() {
        let s = split("MATCH (n)\nRETURN n");
        assert_eq!(
            s.pending.as_ref().map(|p| p.text.as_str()),
            Some("MATCH (n)\nRETURN n")
        );
        assert!(!s.is_complete());
        let s = split("RETURN 'abc;");
        assert_eq!(s.open, Some(Open::Quote('\'', 7)));
        let s = split("RETURN 1; /* still open;");
        assert_eq!(s.open, Some(Open::Comment(10)));
        assert_eq!(s.items.len(), 1);
        assert_eq!(s.tail_start(), Some(10));
        assert!(split("  // only a comment;\n\n").is_complete());
    }

    #[test]
    fn positions_agree_with_position_of() {
        let text =
            "RETURN 1; RETURN 'é;'; // x;\n  :params\n\nMATCH (n)\n  RETURN n; RETURN 2;\nRETURN";
        let s = split(text);
        assert_eq!(s.items.len(), 5);
        assert!(s.pending.is_some());
        for item in s.items.iter().chain(s.pending.as_ref()) {
            assert_eq!(
                item.position,
                crate::query::position_of(text, item.start),
                "{item:?}"
            );
        }
    }

    #[test]
    fn empty_statements_and_odd_bytes_are_harmless() {
        assert!(split(";;  ;").items.is_empty());
        let s = split("RETURN 'é;ü' /* ö */;");
        assert_eq!(s.items[0].text, "RETURN 'é;ü'");
        let s = split("RETURN '\\");
        assert!(matches!(s.open, Some(Open::Quote('\'', 7))));
    }
}
