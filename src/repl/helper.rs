//! The line editor's helper: tab completion, grey hints and syntax colouring for Cypher and
//! meta-commands. It reads a snapshot of the graph's vocabulary and never changes the graph.

use std::borrow::Cow;
use std::collections::BTreeSet;

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hint, Hinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use super::commands::{COMMANDS, TOPICS};
use super::split::{Open, split};
use crate::graph::{ALIASES_KEY, Graph, NAME_KEY, write_key};
use crate::query::KEYWORDS;

/// The names a call can use (functions now, procedures too), from the query engine's one
/// table, written as Cypher spells them.
fn callables() -> impl Iterator<Item = &'static str> {
    let functions = crate::query::function_table().iter().map(|f| f.name);
    let procedures = crate::query::builtin_procedures()
        .iter()
        .map(|p| p.name.as_str());
    functions.chain(procedures)
}

/// What completion knows about the graph, refreshed after every change.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    pub labels: Vec<String>,
    pub rel_types: Vec<String>,
    pub property_keys: Vec<String>,
    /// Every entity name and alias, sorted and without duplicates.
    pub names: Vec<String>,
    pub params: Vec<String>,
}

impl Vocabulary {
    pub fn of(graph: &Graph) -> Self {
        let mut names = BTreeSet::new();
        for node in graph.nodes() {
            for key in [NAME_KEY, ALIASES_KEY] {
                if let Some(value) = node.props.get(key) {
                    names.extend(value.strings().into_iter().map(str::to_string));
                }
            }
        }
        Vocabulary {
            labels: graph.labels().map(|(l, _)| l.to_string()).collect(),
            rel_types: graph.rel_types().map(|(t, _)| t.to_string()).collect(),
            property_keys: graph
                .property_keys()
                .into_iter()
                .map(str::to_string)
                .collect(),
            names: names.into_iter().collect(),
            params: Vec::new(),
        }
    }
}

/// A grey hint; placeholders such as `FILE` are shown but not inserted by the right arrow.
pub struct ShellHint {
    display: String,
    insert: Option<String>,
}

impl Hint for ShellHint {
    fn display(&self) -> &str {
        &self.display
    }

    fn completion(&self) -> Option<&str> {
        self.insert.as_deref()
    }
}

pub struct ShellHelper {
    pub vocab: Vocabulary,
    /// Earlier lines of the statement being typed, so that completion sees its variables.
    pub pending: String,
    pub color: bool,
    files: FilenameCompleter,
}

impl Helper for ShellHelper {}

impl ShellHelper {
    pub fn new(vocab: Vocabulary, color: bool) -> Self {
        ShellHelper {
            vocab,
            pending: String::new(),
            color,
            files: FilenameCompleter::new(),
        }
    }

    /// Completion candidates for the text before the cursor: where the replaced word starts,
    /// and the candidates. Separate from rustyline's trait so that tests can call it.
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<Pair>) {
        let before = &line[..pos];
        if self.pending.is_empty() && before.trim_start().starts_with(':') {
            return self.complete_meta(line, pos);
        }
        // Inside a quote opened on this line: complete an entity name and close the quote.
        let full = format!("{}{}", self.pending, before);
        let parts = split(&full);
        if let Some(Open::Quote(q, at)) = parts.open {
            if q == '`' || at < self.pending.len() {
                return (pos, Vec::new());
            }
            let start = at - self.pending.len() + 1;
            let typed = before[start..].to_lowercase();
            let pairs = self
                .vocab
                .names
                .iter()
                .filter(|n| n.to_lowercase().starts_with(&typed))
                .map(|n| pair(n.clone(), format!("{n}{q}")))
                .collect();
            return (start, pairs);
        }
        let start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
            .last()
            .map_or(pos, |(i, _)| i);
        let word = &before[start..];
        let previous = before[..start].chars().next_back();
        let matches = |items: &mut dyn Iterator<Item = &str>| -> Vec<Pair> {
            let lower = word.to_lowercase();
            let mut seen = BTreeSet::new();
            items
                .filter(|c| c.to_lowercase().starts_with(&lower))
                .filter(|c| seen.insert(c.to_string()))
                .map(|c| pair(c.to_string(), quote_name(c)))
                .collect()
        };
        let pairs = match previous {
            Some(':') => {
                let labels = self.vocab.labels.iter().map(String::as_str);
                let types = self.vocab.rel_types.iter().map(String::as_str);
                match innermost_bracket(&full) {
                    Some('(') => matches(&mut labels.into_iter()),
                    Some('[') => matches(&mut types.into_iter()),
                    _ => matches(&mut labels.chain(types)),
                }
            }
            Some('.') => {
                // `duration.be` completes a dotted function name; `p.na` a property key.
                let qualifier_start = before[..start - 1]
                    .char_indices()
                    .rev()
                    .take_while(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == '.')
                    .last()
                    .map_or(start - 1, |(i, _)| i);
                let prefix = &before[qualifier_start..start];
                let dotted: Vec<Pair> = callables()
                    .filter(|n| {
                        n.len() >= before.len() - qualifier_start
                            && n.is_char_boundary(before.len() - qualifier_start)
                            && n[..before.len() - qualifier_start]
                                .eq_ignore_ascii_case(&before[qualifier_start..])
                            && n.len() > prefix.len()
                    })
                    .map(|n| {
                        let rest = &n[prefix.len()..];
                        pair(format!("{rest}()"), format!("{rest}("))
                    })
                    .collect();
                if dotted.is_empty() {
                    matches(&mut self.vocab.property_keys.iter().map(String::as_str))
                } else {
                    dotted
                }
            }
            Some('$') => matches(&mut self.vocab.params.iter().map(String::as_str)),
            _ if word.is_empty() => Vec::new(),
            _ => {
                let lowercase = word.chars().all(|c| !c.is_uppercase());
                let mut pairs: Vec<Pair> = KEYWORDS
                    .iter()
                    .filter(|k| k.starts_with(&word.to_uppercase()))
                    .map(|k| {
                        let k = if lowercase {
                            k.to_lowercase()
                        } else {
                            k.to_string()
                        };
                        pair(k.clone(), k)
                    })
                    .collect();
                let vars = variables(&format!("{}{}", self.pending, line), &full.len());
                pairs.extend(matches(&mut vars.iter().map(String::as_str)));
                let mut seen = BTreeSet::new();
                pairs.extend(
                    callables()
                        .filter(|f| f.to_lowercase().starts_with(&word.to_lowercase()))
                        .map(|f| match f.split_once('.') {
                            // A dotted name completes up to its dot first, like a path.
                            Some((head, _)) => pair(format!("{head}."), format!("{head}.")),
                            None => pair(format!("{f}()"), format!("{f}(")),
                        })
                        .filter(|p| seen.insert(p.replacement.clone())),
                );
                pairs
            }
        };
        (start, pairs)
    }

    fn complete_meta(&self, line: &str, pos: usize) -> (usize, Vec<Pair>) {
        let before = &line[..pos];
        let lead = before.len() - before.trim_start().len();
        let body = &before[lead + 1..];
        let Some(space) = body.find(char::is_whitespace) else {
            let pairs = COMMANDS
                .iter()
                .filter(|c| c.name.starts_with(&body.to_lowercase()))
                .map(|c| {
                    let insert = if c.args.is_empty() {
                        c.name.to_string()
                    } else {
                        format!("{} ", c.name)
                    };
                    pair(format!(":{}", c.name), insert)
                })
                .collect();
            return (lead + 1, pairs);
        };
        let command = body[..space].to_lowercase();
        // Just after the last white space; which may be wider than one byte.
        let arg_start = before
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(pos, |(i, c)| i + c.len_utf8())
            .max(lead + 1 + space);
        let word = &before[arg_start..];
        // How many arguments come before the one being typed.
        let arg_index = before[lead + 1 + space..arg_start]
            .split_whitespace()
            .count();
        let options: Vec<&str> = match command.as_str() {
            "help" => COMMANDS
                .iter()
                .map(|c| c.name)
                .chain(TOPICS.iter().copied())
                .collect(),
            "format" => vec!["table", "json", "csv"],
            "timing" => vec!["on", "off"],
            "export" if arg_index == 0 => vec!["dot", "json", "graphml", "cypher", "csv"],
            "param" => self.vocab.params.iter().map(String::as_str).collect(),
            "ingest" | "load" | "save" | "run" | "export" => {
                return self
                    .files
                    .complete_path(line, pos)
                    .unwrap_or((pos, Vec::new()));
            }
            _ => Vec::new(),
        };
        let pairs = options
            .into_iter()
            .filter(|o| o.starts_with(word))
            .map(|o| pair(o.to_string(), o.to_string()))
            .collect();
        (arg_start, pairs)
    }
}

fn pair(display: String, replacement: String) -> Pair {
    Pair {
        display,
        replacement,
    }
}

/// A label, type or key as it must be typed: backquoted unless it is a plain identifier.
fn quote_name(name: &str) -> String {
    let mut out = String::new();
    let _ = write_key(&mut out, name);
    out
}

/// The innermost `(` or `[` still open in `text`, outside strings.
fn innermost_bracket(text: &str) -> Option<char> {
    let mut stack = Vec::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => stack.push(c),
            (None, ')' | ']' | '}') => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.into_iter().rev().find(|c| *c != '{')
}

/// Variables the statement declares: names right after `(` or `[`, and after `AS`.
fn variables(text: &str, cursor: &usize) -> Vec<String> {
    let mut out = BTreeSet::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let ident_at = |mut i: usize| -> (String, usize) {
        let mut word = String::new();
        while let Some(&(_, c)) = chars.get(i) {
            if c.is_alphanumeric() || c == '_' {
                word.push(c);
                i += 1;
            } else {
                break;
            }
        }
        (word, i)
    };
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if c == '(' || c == '[' {
            let mut j = i + 1;
            while chars.get(j).is_some_and(|(_, c)| c.is_whitespace()) {
                j += 1;
            }
            let (word, end) = ident_at(j);
            // The word under the cursor is being typed, not declared.
            let ends_at = chars.get(end).map_or(text.len(), |(b, _)| *b);
            if !word.is_empty() && ends_at != *cursor && !word.starts_with(char::is_numeric) {
                out.insert(word);
            }
        }
        let boundary = i == 0 || !is_word(chars[i - 1].1);
        let is_as = c.eq_ignore_ascii_case(&'a')
            && chars
                .get(i + 1)
                .is_some_and(|(_, c)| c.eq_ignore_ascii_case(&'s'))
            && chars.get(i + 2).is_some_and(|(_, c)| c.is_whitespace());
        if boundary && is_as {
            let mut j = i + 2;
            while chars.get(j).is_some_and(|(_, c)| c.is_whitespace()) {
                j += 1;
            }
            let (word, end) = ident_at(j);
            let ends_at = chars.get(end).map_or(text.len(), |(b, _)| *b);
            if !word.is_empty() && ends_at != *cursor {
                out.insert(word);
            }
        }
        i += 1;
    }
    out.into_iter().collect()
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        Ok(self.candidates(line, pos))
    }
}

impl Hinter for ShellHelper {
    type Hint = ShellHint;

    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<ShellHint> {
        // Hints read the whole statement (and the word being typed, which in a pasted
        // string can be the whole line) on every key; past a bound (a paste, most likely)
        // they are skipped, so that typing stays linear in the text's length.
        if pos < line.len() || self.pending.len() + line.len() > DECORATE_LIMIT {
            return None;
        }
        if self.pending.is_empty() && line.trim_start().starts_with(':') {
            let body = line.trim_start()[1..].to_lowercase();
            let (name, rest) = match body.find(' ') {
                Some(i) => (&body[..i], &body[i..]),
                None => (body.as_str(), ""),
            };
            if rest.is_empty() {
                let mut found = COMMANDS.iter().filter(|c| c.name.starts_with(name));
                let c = found.next()?;
                if found.next().is_some() || name.is_empty() {
                    return None;
                }
                let rest_of_name = &c.name[name.len()..];
                let display = if c.args.is_empty() {
                    rest_of_name.to_string()
                } else {
                    format!("{rest_of_name} {}", c.args)
                };
                return Some(ShellHint {
                    display,
                    insert: Some(rest_of_name.to_string()),
                });
            }
            if rest.trim().is_empty() {
                let c = COMMANDS.iter().find(|c| c.name == name)?;
                let padding = if rest.ends_with(' ') { "" } else { " " };
                return (!c.args.is_empty()).then(|| ShellHint {
                    display: format!("{padding}{}", c.args),
                    insert: None,
                });
            }
            return None;
        }
        // A keyword that the word being typed can only become.
        let start = line
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphabetic())
            .last()
            .map(|(i, _)| i)?;
        let word = &line[start..];
        if word.chars().count() < 2 || split(&format!("{}{line}", self.pending)).open.is_some() {
            return None;
        }
        let upper = word.to_uppercase();
        let mut found = KEYWORDS.iter().filter(|k| k.starts_with(&upper));
        let keyword = found.next()?;
        if found.next().is_some() || keyword.len() == word.len() {
            return None;
        }
        let rest = &keyword[word.len()..];
        let rest = if word.chars().all(|c| c.is_lowercase()) {
            rest.to_lowercase()
        } else {
            rest.to_string()
        };
        Some(ShellHint {
            display: rest.clone(),
            insert: Some(rest),
        })
    }
}

/// The longest input (in bytes) that gets colours and hints. Both re-read the whole line on
/// every key, and a colour change makes rustyline redraw the line: over this length (a
/// paste without bracketed paste, most likely) the line is shown plain, so that a 100 KB
/// paste costs time linear in its length instead of minutes.
const DECORATE_LIMIT: usize = 2048;

const RESET: &str = "\x1b[0m";
const KEYWORD: &str = "\x1b[1;34m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[36m";
const COMMENT: &str = "\x1b[2m";
const NAME: &str = "\x1b[33m";
const META: &str = "\x1b[1;35m";

impl Highlighter for ShellHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color || line.is_empty() || line.len() > DECORATE_LIMIT {
            return Cow::Borrowed(line);
        }
        if self.pending.is_empty() && line.trim_start().starts_with(':') {
            let lead = line.len() - line.trim_start().len();
            let end = line[lead..]
                .find(char::is_whitespace)
                .map_or(line.len(), |i| lead + i);
            return Cow::Owned(format!(
                "{}{META}{}{RESET}{}",
                &line[..lead],
                &line[lead..end],
                &line[end..]
            ));
        }
        Cow::Owned(highlight_cypher(line))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("{COMMENT}{hint}{RESET}"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, line: &str, _pos: usize, _kind: CmdKind) -> bool {
        // Colours depend on the whole line (a quote typed far left changes everything after
        // it), so every edit redraws, up to the length where lines are shown plain.
        self.color && line.len() <= DECORATE_LIMIT
    }
}

/// Colours one line of Cypher; the visible text is unchanged, only escapes are added.
fn highlight_cypher(line: &str) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    let end_of = |k: usize| chars.get(k).map_or(line.len(), |(b, _)| *b);
    while i < chars.len() {
        let (at, c) = chars[i];
        let next = chars.get(i + 1).map(|(_, c)| *c);
        if c == '/' && next == Some('/') {
            out.push_str(COMMENT);
            out.push_str(&line[at..]);
            out.push_str(RESET);
            break;
        }
        if c == '/' && next == Some('*') {
            let close = line[at + 2..]
                .find("*/")
                .map_or(line.len(), |k| at + 2 + k + 2);
            out.push_str(COMMENT);
            out.push_str(&line[at..close]);
            out.push_str(RESET);
            while i < chars.len() && chars[i].0 < close {
                i += 1;
            }
            continue;
        }
        if c == '\'' || c == '"' || c == '`' {
            let mut j = i + 1;
            while j < chars.len() && chars[j].1 != c {
                if chars[j].1 == '\\' && c != '`' {
                    j += 1;
                }
                j += 1;
            }
            let stop = end_of((j + 1).min(chars.len()));
            out.push_str(if c == '`' { NAME } else { STRING });
            out.push_str(&line[at..stop]);
            out.push_str(RESET);
            i = (j + 1).min(chars.len());
            continue;
        }
        if c.is_ascii_digit() && (i == 0 || !is_word(chars[i - 1].1)) {
            let mut j = i;
            while j < chars.len() && (chars[j].1.is_ascii_alphanumeric() || chars[j].1 == '.') {
                j += 1;
            }
            out.push_str(NUMBER);
            out.push_str(&line[at..end_of(j)]);
            out.push_str(RESET);
            i = j;
            continue;
        }
        if is_word(c) {
            let mut j = i;
            while j < chars.len() && is_word(chars[j].1) {
                j += 1;
            }
            let word = &line[at..end_of(j)];
            let after_colon = i > 0 && chars[i - 1].1 == ':';
            if after_colon {
                out.push_str(NAME);
                out.push_str(word);
                out.push_str(RESET);
            } else if KEYWORDS.contains(&word.to_uppercase().as_str()) {
                out.push_str(KEYWORD);
                out.push_str(word);
                out.push_str(RESET);
            } else {
                out.push_str(word);
            }
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Validator for ShellHelper {
    fn validate(&self, _ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        // The shell reads one line at a time and decides itself, with `split`, whether a
        // statement is complete: rustyline's multi-line buffer cannot show a continuation
        // prompt, and a changing prompt is how people see that a `;` is still missing.
        Ok(ValidationResult::Valid(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn helper() -> ShellHelper {
        let vocab = Vocabulary {
            labels: vec!["Organization".into(), "Person".into(), "Region".into()],
            rel_types: vec!["MET_WITH".into(), "PROPOSED".into()],
            property_keys: vec!["date".into(), "name".into(), "place".into()],
            names: vec![
                "Putin".into(),
                "Steve Witkoff".into(),
                "Vladimir Putin".into(),
            ],
            params: vec!["who".into()],
        };
        ShellHelper::new(vocab, false)
    }

    fn complete(h: &ShellHelper, line: &str) -> (usize, Vec<String>) {
        let (start, pairs) = h.candidates(line, line.len());
        (start, pairs.into_iter().map(|p| p.replacement).collect())
    }

    #[test]
    fn completes_labels_in_nodes_and_types_in_relationships() {
        let h = helper();
        assert_eq!(complete(&h, "MATCH (p:Pe"), (9, vec!["Person".to_string()]));
        assert_eq!(
            complete(&h, "MATCH (p)-[r:"),
            (13, vec!["MET_WITH".to_string(), "PROPOSED".to_string()])
        );
        assert_eq!(complete(&h, "MATCH (p) RETURN p.na").1, vec!["name"]);
        assert_eq!(complete(&h, "RETURN $w").1, vec!["who"]);
    }

    #[test]
    fn completes_entity_names_inside_quotes_and_closes_the_quote() {
        let h = helper();
        assert_eq!(
            complete(&h, "MATCH (p {name: 'Vlad"),
            (17, vec!["Vladimir Putin'".to_string()])
        );
        assert_eq!(
            complete(&h, "MATCH (p {name: \"steve w"),
            (17, vec!["Steve Witkoff\"".to_string()])
        );
    }

    #[test]
    fn completes_keywords_variables_and_functions() {
        let h = helper();
        assert_eq!(complete(&h, "MATCH (p) RET").1, vec!["RETURN"]);
        assert_eq!(complete(&h, "match (p) ret").1, vec!["return"]);
        let (_, got) = complete(&h, "MATCH (person)-[rel]->(x) RETURN pers");
        assert_eq!(got, vec!["person"]);
        assert_eq!(complete(&h, "RETURN coll").1, vec!["collect("]);
        assert_eq!(
            complete(&h, "RETURN durat").1,
            vec!["duration(", "duration."]
        );
        assert_eq!(
            complete(&h, "RETURN duration.inm"),
            (16, vec!["inMonths(".to_string()])
        );
    }

    /// Completion and the planner read one table; this fails if a name the planner resolves
    /// cannot be reached by Tab.
    #[test]
    fn completion_offers_every_function_the_planner_knows() {
        let h = helper();
        for f in crate::query::function_table() {
            let (start, got) = complete(&h, &format!("RETURN {}", f.name));
            let line = format!("RETURN {}", f.name);
            let completed: Vec<String> = got
                .iter()
                .map(|g| format!("{}{g}", &line[..start]))
                .collect();
            assert!(
                completed.iter().any(|c| c == &format!("{line}(")),
                "{} is not completed: {completed:?}",
                f.name
            );
            let call = format!("RETURN {}({})", f.name, vec!["null"; f.required].join(", "));
            assert!(
                crate::query::explain(&call).is_ok(),
                "the planner does not know {}",
                f.name
            );
        }
    }

    #[test]
    fn completes_meta_commands_and_their_arguments() {
        let h = helper();
        assert_eq!(complete(&h, ":sch"), (1, vec!["schema".to_string()]));
        assert_eq!(complete(&h, ":form"), (1, vec!["format ".to_string()]));
        assert_eq!(complete(&h, ":format j"), (8, vec!["json".to_string()]));
        assert_eq!(complete(&h, ":help cy").1, vec!["cypher"]);
    }

    #[test]
    fn wide_white_space_and_odd_text_do_not_break_completion() {
        let h = helper();
        assert_eq!(complete(&h, ":format\u{3000}j").1, vec!["json"]);
        for line in [
            "",
            ":",
            "'",
            "(:",
            "MATCH (é:",
            "RETURN $",
            "x AS\ty RETURN",
            "\u{3000}",
        ] {
            let _ = h.candidates(line, line.len());
        }
        let mut h = helper();
        h.pending = "UNWIND [1] AS\nnumber\n".into();
        assert_eq!(complete(&h, "RETURN num").1, vec!["number"]);
    }

    #[test]
    fn variables_of_earlier_lines_count() {
        let mut h = helper();
        h.pending = "MATCH (speaker:Person)\n".into();
        assert_eq!(complete(&h, "RETURN spe").1, vec!["speaker"]);
    }

    #[test]
    fn hints_finish_commands_and_keywords() {
        let h = helper();
        let history = rustyline::history::DefaultHistory::new();
        let ctx = Context::new(&history);
        let hint = h.hint(":expo", 5, &ctx).map(|h| h.display);
        assert_eq!(hint.as_deref(), Some("rt FORMAT FILE [QUERY]"));
        let hint = h.hint("MATCH (n) RETU", 14, &ctx).map(|h| h.display);
        assert_eq!(hint.as_deref(), Some("RN"));
        assert!(h.hint("RETURN 'RETU", 12, &ctx).is_none());
    }

    #[test]
    fn highlighting_keeps_the_visible_text() {
        let line = "MATCH (p:Person {name: 'Putin'}) RETURN p.name, 42 // done";
        let coloured = highlight_cypher(line);
        let visible: String = strip_escapes(&coloured);
        assert_eq!(visible, line);
        assert!(coloured.contains("\x1b[1;34mMATCH"));
    }

    fn strip_escapes(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
