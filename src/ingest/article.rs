//! Article reading: the ` date YYYY-MM-DD` header, paragraphs read in bounded pieces, words
//! and punctuation, and sentences that survive abbreviations, initials, quotes and dashes.
//!
//! This stage only cuts text; it must never decide what a word means beyond its shape, and
//! it never holds more than one bounded piece of a huge file in memory.

use std::io::{self, BufRead};
use std::ops::Range;

use super::dates::Date;
use super::entities::fold_word;
use super::rules::{Knowledge, Lex};

/// The longest piece of text handled at once; a longer paragraph is cut at a sentence end
/// or white space, so that a 100 MB file without line breaks is read in bounded pieces.
pub const MAX_PIECE: usize = 64 * 1024;

/// What a token is, from its shape alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Word,
    Number,
    Punct,
    /// The possessive `'s` (or `’s`).
    Possessive,
}

/// A token: its text, its lower-case form, and its byte range in the paragraph.
#[derive(Debug, Clone, Copy)]
pub struct Token<'a> {
    pub text: &'a str,
    pub lower: &'a str,
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    /// Whether the first character is upper case.
    pub cap: bool,
    /// Whether the folded form (the lexicons' key) is `lower` itself: plain ASCII letters
    /// and digits, which is most words.
    pub plain: bool,
    /// What the lexicons say about the token, looked up once here.
    pub lex: Lex,
}

impl Token<'_> {
    pub fn is_word(&self) -> bool {
        self.kind == TokKind::Word
    }

    /// Whether the token is written in capitals ("TASS", "NATO").
    pub fn all_caps(&self) -> bool {
        // The usual capitalised word is settled at once: an ASCII lower-case letter anywhere
        // means it is not in capitals, without decoding it.
        if self.text.bytes().any(|b| b.is_ascii_lowercase()) {
            return false;
        }
        let mut letters = 0;
        for c in self.text.chars() {
            if c.is_alphabetic() {
                if !c.is_uppercase() {
                    return false;
                }
                letters += 1;
            }
        }
        letters >= 2
    }
}

/// Reads a header line: ` date YYYY-MM-DD` with anything after it being the title.
pub fn parse_header(line: &str) -> Option<(Date, &str)> {
    let rest = line.trim_start_matches([' ', '\t', '\u{feff}']);
    let rest = rest.strip_prefix("date")?;
    let rest = rest.trim_start_matches([' ', '\t', ':']);
    let date = Date::parse(rest.get(..10)?)?;
    Some((date, rest[10..].trim()))
}

/// What is wrong with a line that is meant as a ` date YYYY-MM-DD` header but whose date
/// is no day of the calendar (` date 2025-02-30`), or `None` when the line is no such header
/// or a good one; with the message comes the rest of the line, the title.
pub fn bad_header_date(line: &str) -> Option<(String, &str)> {
    if parse_header(line).is_some() {
        return None;
    }
    let rest = line.trim_start_matches([' ', '\t', '\u{feff}']);
    let rest = rest.strip_prefix("date")?;
    let rest = rest.trim_start_matches([' ', '\t', ':']);
    let word = rest.split_whitespace().next()?;
    let title = rest[word.len()..].trim();
    let shaped = word.len() == 10
        && word.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shaped.then(|| {
        let message = format!(
            "the header date {word} is not a day of the calendar; its date is unknown (fix the header or give one with --date)"
        );
        (message, title)
    })
}

/// A lower-case copy with the same byte offsets: a character whose lower case has another
/// length in UTF-8 is kept as it is.
pub fn lower_copy(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => out.push(c),
        }
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// What the lexicons say about the token `text` (`lower` in lower case). `plain` says whether
/// the token is all ASCII letters and digits; `fold` is a buffer for the folded form of the
/// few tokens that are not.
#[inline(always)]
fn lex_of_token(
    text: &str,
    lower: &str,
    plain: bool,
    knowledge: &Knowledge,
    fold: &mut String,
) -> Lex {
    debug_assert_eq!(plain, text.bytes().all(|b| b.is_ascii_alphanumeric()));
    if let &[b] = text.as_bytes() {
        knowledge.lex_of_ascii(b)
    } else if plain {
        knowledge.lex_of(lower, None)
    } else {
        fold.clear();
        fold_word(text, lower, fold);
        knowledge.lex_of(lower, Some(fold))
    }
}

/// A token over `range` of the paragraph. `lex` is what the lexicons say about it, from
/// `lex_of_token` when the caller has not looked it up already.
#[inline(always)]
fn make_token<'a>(
    text: &'a str,
    lower: &'a str,
    range: Range<usize>,
    kind: TokKind,
    cap: bool,
    plain: bool,
    lex: impl FnOnce(&str, &str) -> Lex,
) -> Token<'a> {
    let (text, lower) = (&text[range.clone()], &lower[range.clone()]);
    Token {
        text,
        lower,
        start: range.start,
        end: range.end,
        kind,
        cap,
        plain,
        lex: lex(text, lower),
    }
}

/// Whether `b` is white space, as [`char::is_whitespace`] says of an ASCII character.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// The character at byte `i` of `text`. Most text is ASCII: a byte below 0x80 is the whole
/// character, with no decoding.
fn char_at(text: &str, i: usize) -> Option<char> {
    match text.as_bytes().get(i) {
        Some(&b) if b < 0x80 => Some(char::from(b)),
        Some(_) => text.get(i..)?.chars().next(),
        None => None,
    }
}

/// The length of the run of ASCII letters and digits that `bytes` starts with. Eight bytes
/// are tested at once, with no branch per byte (most words take one step), the rest one by
/// one.
fn ascii_run(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let mut n = 0;
    while let Some(chunk) = bytes.get(n..).and_then(|rest| rest.first_chunk::<8>()) {
        let w = u64::from_le_bytes(*chunk);
        // Each byte's low seven bits, and the same with the letters folded to lower case; a
        // sum below sets a byte's top bit without carrying into the next byte.
        let x = w & !HIGH;
        let folded = x | (ONES * 0x20);
        let at_least = |v: u64, lo: u64| v + ONES * (0x80 - lo);
        let above = |v: u64, hi: u64| v + ONES * (0x7f - hi);
        let digit = at_least(x, u64::from(b'0')) & !above(x, u64::from(b'9'));
        let letter = at_least(folded, u64::from(b'a')) & !above(folded, u64::from(b'z'));
        // A byte with its own top bit set is not ASCII.
        let other = !(digit | letter) | w;
        let ends = other & HIGH;
        if ends != 0 {
            return n + (ends.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    let rest = bytes.get(n..).unwrap_or_default();
    n + rest
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(rest.len())
}

/// Cuts a paragraph into tokens, pushed onto `out` after those already there (a piece's
/// paragraphs share one list). `lower` is `lower_copy(text)`.
pub fn tokenize<'a>(
    text: &'a str,
    lower: &'a str,
    knowledge: &Knowledge,
    out: &mut Vec<Token<'a>>,
) {
    // The list is worked on as a local, which the compiler keeps in registers across the
    // loop, rather than through the reference.
    let mut tokens = std::mem::take(out);
    let bytes = text.as_bytes();
    let first = tokens.len();
    tokens.reserve(text.len() / 5 + 1);
    let mut fold = String::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b' ' {
            // The commonest byte.
            i += 1;
            continue;
        }
        let mut read_to = None;
        if b.is_ascii_alphanumeric() {
            // The usual token: ASCII letters and digits up to white space or a mark that
            // cannot continue a word, cut with no character decoded. What follows the run
            // decides it exactly as `cut_token` would.
            let j = i + 1 + ascii_run(bytes.get(i + 1..).unwrap_or_default());
            let numeric = b.is_ascii_digit();
            let next = bytes.get(j).copied();
            let continues = next.is_some_and(|d| {
                !d.is_ascii() || matches!(d, b'.' | b'\'' | b'-') || (numeric && d == b',')
            });
            if !continues {
                let kind = if numeric && bytes[i..j].iter().all(u8::is_ascii_digit) {
                    TokKind::Number
                } else {
                    TokKind::Word
                };
                tokens.push(make_token(
                    text,
                    lower,
                    i..j,
                    kind,
                    b.is_ascii_uppercase(),
                    true,
                    |text, lower| lex_of_token(text, lower, true, knowledge, &mut fold),
                ));
                // The space after a word is passed over here, without another turn.
                i = j + usize::from(next == Some(b' '));
                continue;
            }
            read_to = Some(j);
        } else if b < 0x80 && b != b'\'' {
            // Other ASCII white space, and marks (but the apostrophe of a possessive), one
            // character each.
            if !is_ascii_space(b) {
                tokens.push(make_token(
                    text,
                    lower,
                    i..i + 1,
                    TokKind::Punct,
                    false,
                    false,
                    |_, _| knowledge.lex_of_ascii(b),
                ));
            }
            i += 1;
            continue;
        }
        i = cut_token(
            text,
            lower,
            i,
            read_to,
            knowledge,
            &mut fold,
            &mut tokens,
            first,
        );
    }
    *out = tokens;
}

/// Cuts the token at byte `i` that `tokenize` does not settle at once: one that starts with
/// an apostrophe or a character that is not ASCII, or a word whose first run of ASCII letters
/// and digits (read up to `read_to`) a mark or such a character may continue. Returns where
/// the next token may start. Kept out of `tokenize`'s loop, which then keeps its few values
/// in registers.
/// The paragraph's tokens are those of `tokens` from `first` on.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn cut_token<'a>(
    text: &'a str,
    lower: &'a str,
    i: usize,
    read_to: Option<usize>,
    knowledge: &Knowledge,
    fold: &mut String,
    tokens: &mut Vec<Token<'a>>,
    first: usize,
) -> usize {
    let char_at = |i: usize| char_at(text, i);
    let bytes = text.as_bytes();
    let start = i;
    let Some(c) = char_at(i) else {
        return text.len();
    };
    if c.is_whitespace() {
        return i + c.len_utf8();
    }
    if c.is_alphanumeric() {
        let numeric = c.is_ascii_digit();
        // Whether every character so far is an ASCII letter or digit.
        let mut plain = c.is_ascii_alphanumeric();
        let mut j = read_to.unwrap_or(i + c.len_utf8());
        loop {
            j += ascii_run(bytes.get(j..).unwrap_or_default());
            let Some(d) = char_at(j) else { break };
            // Whatever the loop takes from here on is not an ASCII letter or digit.
            if d.is_alphanumeric() {
                plain = false;
                j += d.len_utf8();
            } else if (d == '.' || (numeric && d == ','))
                && char_at(j + 1).is_some_and(|e| e.is_alphanumeric())
            {
                // "U.S", "e.g", "1,000.5": the mark sits inside the token.
                plain = false;
                j += 1;
            } else if is_apostrophe(d) && char_at(j + d.len_utf8()).is_some_and(char::is_alphabetic)
            {
                // "’s" followed by a non-letter is the possessive, a token of its own.
                let after = j + d.len_utf8();
                let possessive = matches!(char_at(after), Some('s' | 'S'))
                    && !char_at(after + 1).is_some_and(char::is_alphanumeric);
                if possessive {
                    break;
                }
                plain = false;
                j = after;
            } else if d == '-'
                && char_at(j + 1).is_some_and(|e| e.is_lowercase())
                && !c.is_uppercase()
            {
                // "in-person", "secretary-general" stay one word; "US-Ukrainian" does not.
                plain = false;
                j += 1;
            } else {
                break;
            }
        }
        // A period after an initial, an abbreviation or a dotted word belongs to it. Whether
        // the word is an abbreviation is a lexicon bit; when the period is not taken, the
        // bits looked up are the plain word's own.
        let mut looked_up = None;
        if char_at(j) == Some('.') {
            let word = &lower[start..j];
            let initial = j == start + c.len_utf8() && c.is_uppercase();
            let dotted = !numeric && !plain && word.contains('.');
            let taken = initial || dotted || {
                let found = knowledge.lex_of(word, None);
                looked_up = Some(found).filter(|_| plain);
                found.has(Lex::ABBREVIATION)
            };
            if taken {
                plain = false;
                looked_up = None;
                j += 1;
            }
        }
        let kind = if numeric
            && text[start..j]
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        {
            TokKind::Number
        } else {
            TokKind::Word
        };
        tokens.push(make_token(
            text,
            lower,
            start..j,
            kind,
            c.is_uppercase(),
            plain,
            |text, lower| {
                looked_up.unwrap_or_else(|| lex_of_token(text, lower, plain, knowledge, fold))
            },
        ));
        return j;
    }
    if is_apostrophe(c)
        && matches!(char_at(i + c.len_utf8()), Some('s' | 'S'))
        && !char_at(i + c.len_utf8() + 1).is_some_and(char::is_alphanumeric)
        && tokens[first..]
            .last()
            .is_some_and(|t: &Token<'_>| t.end == i)
    {
        let j = i + c.len_utf8() + 1;
        tokens.push(make_token(
            text,
            lower,
            start..j,
            TokKind::Possessive,
            false,
            false,
            |text, lower| lex_of_token(text, lower, false, knowledge, fold),
        ));
        return j;
    }
    let j = i + c.len_utf8();
    tokens.push(make_token(
        text,
        lower,
        start..j,
        TokKind::Punct,
        false,
        false,
        |text, lower| lex_of_token(text, lower, false, knowledge, fold),
    ));
    j
}

fn is_closer(t: &Token<'_>) -> bool {
    t.kind == TokKind::Punct && matches!(t.text, "\"" | "”" | "’" | "'" | ")" | "]" | "»")
}

fn is_opener(t: &Token<'_>) -> bool {
    t.kind == TokKind::Punct && matches!(t.text, "\"" | "“" | "‘" | "'" | "(" | "[" | "«")
}

/// Splits a paragraph's tokens into sentences (token index ranges).
pub fn sentences(tokens: &[Token<'_>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let terminal = t.kind == TokKind::Punct && matches!(t.text, "." | "!" | "?" | "…");
        if terminal {
            let mut end = i + 1;
            while end < tokens.len()
                && (is_closer(&tokens[end]) || matches!(tokens[end].text, "." | "!" | "?"))
            {
                end += 1;
            }
            let next_starts = tokens
                .get(end)
                .is_none_or(|n| n.cap || is_opener(n) || n.kind == TokKind::Number);
            if next_starts {
                out.push(start..end);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

/// Reads an article's text in paragraphs (blank-line separated), each at most `MAX_PIECE`
/// bytes, decoding lossily; remembers where the first invalid UTF-8 byte was.
pub struct ParagraphReader<R: BufRead> {
    reader: R,
    /// Bytes read so far.
    pub offset: u64,
    /// Lines read so far.
    pub line: u64,
    /// Line and byte offset of the first byte that is not UTF-8.
    pub invalid_at: Option<(u64, u64)>,
    /// Whether a NUL byte was seen (a binary file).
    pub saw_nul: bool,
    /// The line on which the paragraph returned last begins.
    pub para_line: u64,
    pending: Vec<u8>,
    done: bool,
}

/// The largest cut at or before `at` that does not split a UTF-8 character of `bytes`
/// (bytes that are not UTF-8 at all are cut where they are). Never 0 for a non-empty
/// slice, so that reading always moves on.
fn char_boundary_before(bytes: &[u8], at: usize) -> usize {
    let at = at.min(bytes.len());
    // A character is at most four bytes: its lead byte is among the last four.
    for back in 1..=4.min(at) {
        let i = at - back;
        let b = bytes[i];
        if b & 0xC0 == 0x80 {
            continue;
        }
        let len = match b {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        return if i + len > at && i > 0 { i } else { at };
    }
    at
}

impl<R: BufRead> ParagraphReader<R> {
    pub fn new(reader: R) -> Self {
        ParagraphReader {
            reader,
            offset: 0,
            line: 1,
            invalid_at: None,
            saw_nul: false,
            para_line: 1,
            pending: Vec::new(),
            done: false,
        }
    }

    /// Reads one line (without its end), at most `MAX_PIECE` bytes; a longer line comes in
    /// several calls.
    fn read_line(&mut self) -> io::Result<Option<Vec<u8>>> {
        if self.done {
            return Ok(None);
        }
        let mut line = Vec::new();
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                self.done = true;
                return Ok(if line.is_empty() { None } else { Some(line) });
            }
            let room = MAX_PIECE.saturating_sub(line.len()).max(1);
            let window = &buf[..buf.len().min(room)];
            if let Some(pos) = memchr::memchr(b'\n', window) {
                line.extend_from_slice(&window[..pos]);
                self.reader.consume(pos + 1);
                self.offset += pos as u64 + 1;
                self.line += 1;
                return Ok(Some(line));
            }
            let n = window.len();
            line.extend_from_slice(window);
            self.reader.consume(n);
            self.offset += n as u64;
            if line.len() >= MAX_PIECE {
                // Cut after the last sentence end, else after the last white space, so that
                // a sentence (or at least a word) is not split in two.
                let half = line.len() / 2;
                let sentence_end = line
                    .windows(2)
                    .rposition(|w| matches!(w[0], b'.' | b'!' | b'?') && w[1] == b' ')
                    .map(|p| p + 2)
                    .filter(|&p| p > half);
                let space = line
                    .iter()
                    .rposition(|&b| b == b' ' || b == b'\t')
                    .map(|p| p + 1)
                    .filter(|&p| p > half);
                // Without either, the cut must still fall between two characters: a line of
                // Chinese or Japanese has no ASCII space, and a character cut in two would be
                // read as bad UTF-8.
                let cut = sentence_end
                    .or(space)
                    .unwrap_or_else(|| char_boundary_before(&line, line.len()));
                let rest = line.split_off(cut);
                self.pending = rest;
                return Ok(Some(line));
            }
        }
    }

    fn decode(&mut self, bytes: Vec<u8>, start_offset: u64, start_line: u64) -> String {
        if !self.saw_nul && memchr::memchr(0, &bytes).is_some() {
            self.saw_nul = true;
        }
        match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => {
                if self.invalid_at.is_none() {
                    let valid = e.utf8_error().valid_up_to();
                    let lines = e.as_bytes()[..valid]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count();
                    self.invalid_at =
                        Some((start_line + lines as u64, start_offset + valid as u64));
                }
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        }
    }

    /// The next paragraph, or `None` at the end.
    pub fn next_paragraph(&mut self) -> io::Result<Option<String>> {
        let mut para: Vec<u8> = Vec::new();
        let (mut start, mut start_line) = (self.offset, self.line);
        loop {
            let (line_offset, line_no) = (self.offset - self.pending.len() as u64, self.line);
            let line = if self.pending.is_empty() {
                self.read_line()?
            } else {
                let mut first = std::mem::take(&mut self.pending);
                if let Some(rest) = self.read_line()? {
                    first.extend_from_slice(&rest);
                }
                Some(first)
            };
            let Some(mut line) = line else { break };
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            let blank = line.iter().all(|b| b.is_ascii_whitespace());
            if blank {
                if para.is_empty() {
                    continue;
                }
                break;
            }
            if para.is_empty() {
                // Most paragraphs are one line: it becomes the paragraph, without a copy.
                (start, start_line) = (line_offset, line_no);
                para = line;
            } else {
                para.push(b'\n');
                para.extend_from_slice(&line);
            }
            if para.len() >= MAX_PIECE {
                break;
            }
        }
        if para.is_empty() {
            return Ok(None);
        }
        self.para_line = start_line;
        Ok(Some(self.decode(para, start, start_line)))
    }
}

/// Tokenizes a text with the built-in abbreviations, for tests of later stages.
#[cfg(test)]
pub fn tokenize_for_test(text: &str) -> (Vec<Token<'static>>, &'static str) {
    let text: &'static str = Box::leak(text.to_string().into_boxed_str());
    let lower: &'static str = Box::leak(lower_copy(text).into_boxed_str());
    let k = crate::ingest::rules::test_knowledge();
    let mut tokens = Vec::new();
    tokenize(text, lower, &k, &mut tokens);
    (tokens, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<String> {
        let (toks, text) = tokenize_for_test(text);
        sentences(&toks)
            .into_iter()
            .map(|r| text[toks[r.start].start..toks[r.end - 1].end].to_string())
            .collect()
    }

    #[test]
    fn header_gives_date_and_title() {
        let (d, rest) = parse_header(" date 2025-04-14 A title").expect("header");
        assert_eq!(d.to_string(), "2025-04-14");
        assert_eq!(rest, "A title");
        assert!(parse_header("dated 2025").is_none());
        assert!(parse_header("Some text").is_none());
    }

    #[test]
    fn sentences_survive_abbreviations_initials_and_quotes() {
        assert_eq!(
            split("The U.S. envoy met Mr. Smith in St. Petersburg. He left."),
            [
                "The U.S. envoy met Mr. Smith in St. Petersburg.",
                "He left."
            ]
        );
        assert_eq!(
            split("Vladimir V. Putin spoke. “It is done,” he said. “We agree.” Then talks began."),
            [
                "Vladimir V. Putin spoke.",
                "“It is done,” he said.",
                "“We agree.”",
                "Then talks began."
            ]
        );
        assert_eq!(
            split("Prices rose 3.5 percent – the most since 2020. Markets fell."),
            [
                "Prices rose 3.5 percent – the most since 2020.",
                "Markets fell."
            ]
        );
    }

    #[test]
    fn tokens_split_possessives_and_capitalised_hyphens() {
        let (toks, _) = tokenize_for_test("Putin’s in-person talks with US-Ukrainian envoys");
        let texts: Vec<&str> = toks.iter().map(|t| t.text).collect();
        assert_eq!(
            texts,
            [
                "Putin",
                "’s",
                "in-person",
                "talks",
                "with",
                "US",
                "-",
                "Ukrainian",
                "envoys"
            ]
        );
        assert_eq!(toks[1].kind, TokKind::Possessive);
    }

    #[test]
    fn plain_tokens_are_ascii_letters_and_digits() {
        let (toks, _) = tokenize_for_test(
            "Mr. Smith’s U.S. in-person talks, 1,000.5 km, Türkiye and O'Neil's V. Putin.",
        );
        assert!(toks.len() > 10);
        for t in &toks {
            let plain = t.text.bytes().all(|b| b.is_ascii_alphanumeric());
            assert_eq!(t.plain, plain, "{}", t.text);
        }
    }

    #[test]
    fn a_possessive_looks_only_at_its_own_paragraph() {
        // The first paragraph's last word ends at byte 2, where the second paragraph's
        // apostrophe stands: in a list the paragraphs share, that word is no owner.
        let k = crate::ingest::rules::test_knowledge();
        let (first, second) = ("Ab", "  's own");
        let (first_lower, second_lower) = (lower_copy(first), lower_copy(second));
        let mut tokens = Vec::new();
        tokenize(first, &first_lower, &k, &mut tokens);
        tokenize(second, &second_lower, &k, &mut tokens);
        let kinds: Vec<(&str, TokKind)> = tokens.iter().map(|t| (t.text, t.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("Ab", TokKind::Word),
                ("'", TokKind::Punct),
                ("s", TokKind::Word),
                ("own", TokKind::Word)
            ]
        );
        // Within one paragraph the same text is a possessive.
        let (text, mut alone) = ("Ab's own", Vec::new());
        let lower = lower_copy(text);
        tokenize(text, &lower, &k, &mut alone);
        assert_eq!(alone[1].kind, TokKind::Possessive);
    }

    #[test]
    fn ascii_runs_end_where_a_byte_is_no_ascii_letter_or_digit() {
        let ends = [
            b' ', b'/', b':', b'@', b'[', b'`', b'{', 0x7f, 0x80, 0xc3, 0xff, b'.',
        ];
        for len in 0..20 {
            for &end in &ends {
                let mut bytes: Vec<u8> = (0..len).map(|i| b"aZ09mQz"[i % 7]).collect();
                bytes.push(end);
                bytes.extend_from_slice(b"abcdefghij");
                assert_eq!(ascii_run(&bytes), len, "{bytes:?}");
                assert_eq!(ascii_run(&bytes[..len]), len);
            }
        }
    }

    #[test]
    fn reader_bounds_pieces_and_reports_bad_bytes() {
        let mut data = b"first para\nsame para\n\n\nsecond \xff para\n\n".to_vec();
        data.extend(std::iter::repeat_n(b'a', MAX_PIECE * 3));
        let mut r = ParagraphReader::new(&data[..]);
        assert_eq!(
            r.next_paragraph().unwrap().as_deref(),
            Some("first para\nsame para")
        );
        let second = r.next_paragraph().unwrap().unwrap();
        assert!(second.starts_with("second"));
        assert_eq!(r.invalid_at, Some((5, 30)));
        let mut pieces = 0;
        while let Some(p) = r.next_paragraph().unwrap() {
            assert!(p.len() <= MAX_PIECE);
            pieces += 1;
        }
        assert!(pieces >= 3);
    }
}
