//! The TCK's notation for expected values (`null`, `1.5`, `'text'`, `[1, 2]`, `{k: v}`,
//! `(:A {k: v})`, `[:T {k: v}]`, `<(:A)-[:T]->(:B)>`), parsed into `Expected`.
//!
//! It must never panic on malformed text: every failure is an error with the column at fault.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use skein::graph::{write_float, write_key, write_string_literal};
use skein::query::QueryValue;

/// A node as the TCK writes it: labels (order does not matter) and properties; no identity.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedNode {
    pub labels: BTreeSet<String>,
    pub props: BTreeMap<String, Expected>,
}

/// A relationship as the TCK writes it: its type and properties; no identity, no ends.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedRel {
    pub rel_type: String,
    pub props: BTreeMap<String, Expected>,
}

/// One hop of a path: the relationship, whether it points from the previous node to the
/// next one, and the next node.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedHop {
    pub rel: ExpectedRel,
    pub forward: bool,
    pub node: ExpectedNode,
}

/// An expected value in a result table, a parameter or a property.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    List(Vec<Expected>),
    Map(BTreeMap<String, Expected>),
    Node(ExpectedNode),
    Rel(ExpectedRel),
    Path {
        start: ExpectedNode,
        hops: Vec<ExpectedHop>,
    },
}

/// Why a value did not parse: the column (1-based, in characters) and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

/// Parses one whole cell; text after the value is an error.
pub fn parse_value(text: &str) -> Result<Expected, ValueError> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        pos: 0,
    };
    let value = parser.value(0)?;
    parser.skip_ws();
    if parser.pos < parser.chars.len() {
        return Err(parser.error("unexpected text after the value"));
    }
    Ok(value)
}

/// Deepest nesting accepted, so that a hostile cell cannot overflow the stack.
const MAX_DEPTH: usize = 100;

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn error(&self, message: impl Into<String>) -> ValueError {
        ValueError {
            column: self.pos + 1,
            message: message.into(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// Consumes `c` after optional whitespace, or fails saying what was expected.
    fn expect(&mut self, c: char) -> Result<(), ValueError> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(format!("expected `{c}`")))
        }
    }

    /// Consumes `c` after optional whitespace if it is there.
    fn eat(&mut self, c: char) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Expected, ValueError> {
        if depth > MAX_DEPTH {
            return Err(self.error("values nested too deeply"));
        }
        self.skip_ws();
        match self.peek() {
            None => Err(self.error("expected a value")),
            Some('(') => Ok(Expected::Node(self.node(depth)?)),
            Some('[') => {
                let mut ahead = 1;
                while self.peek_at(ahead).is_some_and(char::is_whitespace) {
                    ahead += 1;
                }
                if self.peek_at(ahead) == Some(':') {
                    Ok(Expected::Rel(self.rel(depth)?))
                } else {
                    self.list(depth)
                }
            }
            Some('<') => self.path(depth),
            Some('{') => Ok(Expected::Map(self.map(depth)?)),
            Some('\'' | '"') => Ok(Expected::String(self.string()?)),
            Some(c) if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => self.number(),
            Some(c) if c.is_alphabetic() => {
                let word = self.identifier();
                match word.to_ascii_lowercase().as_str() {
                    "null" => Ok(Expected::Null),
                    "true" => Ok(Expected::Bool(true)),
                    "false" => Ok(Expected::Bool(false)),
                    "nan" => Ok(Expected::Float(f64::NAN)),
                    "infinity" => Ok(Expected::Float(f64::INFINITY)),
                    _ => Err(ValueError {
                        column: self.pos + 1 - word.chars().count(),
                        message: format!("unknown word `{word}`"),
                    }),
                }
            }
            Some(c) => Err(self.error(format!("unexpected `{c}`"))),
        }
    }

    fn identifier(&mut self) -> String {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
        {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    /// A map key, label or type: a plain identifier, or any text in backquotes.
    fn name(&mut self) -> Result<String, ValueError> {
        self.skip_ws();
        if self.peek() == Some('`') {
            self.pos += 1;
            let mut out = String::new();
            loop {
                match self.peek() {
                    None => return Err(self.error("unterminated backquoted name")),
                    Some('`') if self.peek_at(1) == Some('`') => {
                        out.push('`');
                        self.pos += 2;
                    }
                    Some('`') => {
                        self.pos += 1;
                        return Ok(out);
                    }
                    Some(c) => {
                        out.push(c);
                        self.pos += 1;
                    }
                }
            }
        }
        let word = self.identifier();
        if word.is_empty() {
            return Err(self.error("expected a name"));
        }
        Ok(word)
    }

    fn number(&mut self) -> Result<Expected, ValueError> {
        let start = self.pos;
        let negative = match self.peek() {
            Some('-') => {
                self.pos += 1;
                true
            }
            Some('+') => {
                self.pos += 1;
                false
            }
            _ => false,
        };
        if self.peek().is_some_and(char::is_alphabetic) {
            let column = self.pos + 1;
            let word = self.identifier();
            return match word.to_ascii_lowercase().as_str() {
                "infinity" if negative => Ok(Expected::Float(f64::NEG_INFINITY)),
                "infinity" => Ok(Expected::Float(f64::INFINITY)),
                "nan" => Ok(Expected::Float(f64::NAN)),
                _ => Err(ValueError {
                    column,
                    message: format!("expected a number, found `{word}`"),
                }),
            };
        }
        if self.peek() == Some('0') && matches!(self.peek_at(1), Some('x' | 'X' | 'o' | 'O')) {
            let radix = if matches!(self.peek_at(1), Some('x' | 'X')) {
                16
            } else {
                8
            };
            self.pos += 2;
            let digits_start = self.pos;
            while self.peek().is_some_and(|c| c.is_digit(radix)) {
                self.pos += 1;
            }
            let digits: String = self.chars[digits_start..self.pos].iter().collect();
            let text = if negative {
                format!("-{digits}")
            } else {
                digits
            };
            return i64::from_str_radix(&text, radix)
                .map(Expected::Int)
                .map_err(|e| ValueError {
                    column: start + 1,
                    message: format!("bad integer: {e}"),
                });
        }
        let mut is_float = false;
        while let Some(c) = self.peek() {
            match c {
                '0'..='9' => {}
                '.' if self.peek_at(1).is_some_and(|d| d.is_ascii_digit()) => is_float = true,
                'e' | 'E' => {
                    is_float = true;
                    if matches!(self.peek_at(1), Some('-' | '+')) {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        let bad = |e: &dyn fmt::Display| ValueError {
            column: start + 1,
            message: format!("bad number `{text}`: {e}"),
        };
        if is_float {
            text.parse::<f64>()
                .map(Expected::Float)
                .map_err(|e| bad(&e))
        } else {
            text.parse::<i64>().map(Expected::Int).map_err(|e| bad(&e))
        }
    }

    /// A string in single or double quotes with Cypher's backslash escapes.
    fn string(&mut self) -> Result<String, ValueError> {
        let quote = self.peek().unwrap_or('\'');
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error("unterminated string"));
            };
            self.pos += 1;
            if c == quote {
                return Ok(out);
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some(escaped) = self.peek() else {
                return Err(self.error("unterminated escape"));
            };
            self.pos += 1;
            match escaped {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'u' | 'U' => {
                    let len = if escaped == 'u' { 4 } else { 8 };
                    let hex: String = self
                        .chars
                        .get(self.pos..self.pos + len)
                        .map(|s| s.iter().collect())
                        .unwrap_or_default();
                    let ch = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                    let Some(ch) = ch else {
                        return Err(self.error("bad unicode escape"));
                    };
                    out.push(ch);
                    self.pos += len;
                }
                other => out.push(other),
            }
        }
    }

    fn list(&mut self, depth: usize) -> Result<Expected, ValueError> {
        self.expect('[')?;
        let mut items = Vec::new();
        if self.eat(']') {
            return Ok(Expected::List(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            if self.eat(']') {
                return Ok(Expected::List(items));
            }
            self.expect(',')?;
        }
    }

    fn map(&mut self, depth: usize) -> Result<BTreeMap<String, Expected>, ValueError> {
        self.expect('{')?;
        let mut map = BTreeMap::new();
        if self.eat('}') {
            return Ok(map);
        }
        loop {
            let key = self.name()?;
            self.expect(':')?;
            let value = self.value(depth + 1)?;
            if map.insert(key.clone(), value).is_some() {
                return Err(self.error(format!("key `{key}` appears twice")));
            }
            if self.eat('}') {
                return Ok(map);
            }
            self.expect(',')?;
        }
    }

    fn props(&mut self, depth: usize) -> Result<BTreeMap<String, Expected>, ValueError> {
        self.skip_ws();
        if self.peek() == Some('{') {
            self.map(depth + 1)
        } else {
            Ok(BTreeMap::new())
        }
    }

    fn node(&mut self, depth: usize) -> Result<ExpectedNode, ValueError> {
        self.expect('(')?;
        let mut labels = BTreeSet::new();
        while self.eat(':') {
            labels.insert(self.name()?);
        }
        let props = self.props(depth)?;
        self.expect(')')?;
        Ok(ExpectedNode { labels, props })
    }

    fn rel(&mut self, depth: usize) -> Result<ExpectedRel, ValueError> {
        self.expect('[')?;
        self.expect(':')?;
        let rel_type = self.name()?;
        let props = self.props(depth)?;
        self.expect(']')?;
        Ok(ExpectedRel { rel_type, props })
    }

    fn path(&mut self, depth: usize) -> Result<Expected, ValueError> {
        self.expect('<')?;
        let start = self.node(depth)?;
        let mut hops = Vec::new();
        loop {
            self.skip_ws();
            let forward = match self.peek() {
                Some('>') => {
                    self.pos += 1;
                    return Ok(Expected::Path { start, hops });
                }
                Some('-') => {
                    self.pos += 1;
                    true
                }
                Some('<') => {
                    self.pos += 1;
                    self.expect('-')?;
                    false
                }
                _ => return Err(self.error("expected `-`, `<-` or `>` in a path")),
            };
            let rel = self.rel(depth)?;
            self.expect('-')?;
            if forward {
                self.expect('>')?;
            }
            let node = self.node(depth)?;
            hops.push(ExpectedHop { rel, forward, node });
        }
    }
}

/// Turns a parameter value into a query value; nodes, relationships and paths have no
/// identity outside a graph, so they cannot be parameters.
pub fn to_query_value(value: &Expected) -> Result<QueryValue, String> {
    Ok(match value {
        Expected::Null => QueryValue::Null,
        Expected::Bool(b) => QueryValue::Bool(*b),
        Expected::Int(i) => QueryValue::Int(*i),
        Expected::Float(x) => QueryValue::Float(*x),
        Expected::String(s) => QueryValue::String(s.clone()),
        Expected::List(items) => {
            QueryValue::List(items.iter().map(to_query_value).collect::<Result<_, _>>()?)
        }
        Expected::Map(map) => QueryValue::Map(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), to_query_value(v)?)))
                .collect::<Result<_, String>>()?,
        ),
        Expected::Node(_) | Expected::Rel(_) | Expected::Path { .. } => {
            return Err(format!("{value} cannot be a parameter"));
        }
    })
}

fn write_props(f: &mut fmt::Formatter<'_>, props: &BTreeMap<String, Expected>) -> fmt::Result {
    f.write_str("{")?;
    for (i, (k, v)) in props.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_key(f, k)?;
        write!(f, ": {v}")?;
    }
    f.write_str("}")
}

impl fmt::Display for ExpectedNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        for label in &self.labels {
            f.write_str(":")?;
            write_key(f, label)?;
        }
        if !self.props.is_empty() {
            if !self.labels.is_empty() {
                f.write_str(" ")?;
            }
            write_props(f, &self.props)?;
        }
        f.write_str(")")
    }
}

impl fmt::Display for ExpectedRel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[:")?;
        write_key(f, &self.rel_type)?;
        if !self.props.is_empty() {
            f.write_str(" ")?;
            write_props(f, &self.props)?;
        }
        f.write_str("]")
    }
}

/// Prints in the TCK's notation, so that a failure shows expected and actual alike.
impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Null => f.write_str("null"),
            Expected::Bool(b) => write!(f, "{b}"),
            Expected::Int(i) => write!(f, "{i}"),
            Expected::Float(x) => write_float(f, *x),
            Expected::String(s) => write_string_literal(f, s),
            Expected::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Expected::Map(map) => write_props(f, map),
            Expected::Node(n) => write!(f, "{n}"),
            Expected::Rel(r) => write!(f, "{r}"),
            Expected::Path { start, hops } => {
                write!(f, "<{start}")?;
                for hop in hops {
                    if hop.forward {
                        write!(f, "-{}->{}", hop.rel, hop.node)?;
                    } else {
                        write!(f, "<-{}-{}", hop.rel, hop.node)?;
                    }
                }
                f.write_str(">")
            }
        }
    }
}
