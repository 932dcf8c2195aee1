//! From query text to our AST: pest parses `grammar/cypher.pest`, one `build_*` function per
//! rule turns pairs into `ast` nodes, and one Pratt table sets operator precedence.
//!
//! This module never looks at the graph, and it never lets pest's rule names reach a user:
//! syntax errors are reworded in plain words with the position of the fault.

use std::sync::LazyLock;

use pest::Parser;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::ast::*;
use super::error::{ErrorKind, Phase, QueryError, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/cypher.pest"]
struct CypherParser;

type Result<T> = std::result::Result<T, QueryError>;

/// Operator precedence, loosest first, as openCypher defines it.
static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_xor, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left))
        .op(Op::infix(Rule::op_regex, Assoc::Left)
            | Op::infix(Rule::op_starts, Assoc::Left)
            | Op::infix(Rule::op_ends, Assoc::Left)
            | Op::infix(Rule::op_contains, Assoc::Left)
            | Op::infix(Rule::op_in, Assoc::Left)
            | Op::postfix(Rule::op_is_null)
            | Op::postfix(Rule::op_is_not_null))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left)
            | Op::infix(Rule::op_div, Assoc::Left)
            | Op::infix(Rule::op_mod, Assoc::Left))
        .op(Op::infix(Rule::op_pow, Assoc::Left))
        .op(Op::prefix(Rule::op_neg) | Op::prefix(Rule::op_pos))
        .op(Op::postfix(Rule::op_property)
            | Op::postfix(Rule::op_subscript)
            | Op::postfix(Rule::op_labels))
});

/// Rule calls pest may make per byte of query text before parsing is given up. The grammar
/// parses in close to linear time (the TCK's queries need under 100 calls a byte), so this is
/// a backstop against a shape of input that still makes it backtrack, never a limit a real
/// query meets.
const PARSE_CALLS_PER_BYTE: usize = 2_000;

/// The rule calls every query may make whatever its length, so short queries are never cut.
const PARSE_CALLS_FLOOR: usize = 200_000;

/// Runs pest with a bound on its work proportional to the text's length, so that no input
/// makes parsing take minutes; a parse that reaches the bound is a clear error.
fn bounded_parse(rule: Rule, text: &str) -> Result<Pairs<'_, Rule>> {
    let limit = text
        .len()
        .saturating_mul(PARSE_CALLS_PER_BYTE)
        .max(PARSE_CALLS_FLOOR);
    parse_within(rule, text, limit)
}

/// Runs pest with at most `limit` rule calls.
fn parse_within(rule: Rule, text: &str, limit: usize) -> Result<Pairs<'_, Rule>> {
    // pest's call limit is one global that a parse reads when it starts. Were two threads to
    // parse at once, one could start under the other's bound: a short query's floor would
    // cut a long query short. So setting the bound and parsing happen under one lock. (A
    // panic inside pest would poison it; the bound is set afresh each time, so the lock is
    // taken back.)
    static PARSING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let parsed = {
        let _one_at_a_time = PARSING
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        pest::set_call_limit(std::num::NonZeroUsize::new(limit));
        CypherParser::parse(rule, text)
    };
    parsed.map_err(|e| {
        let reached = matches!(&e.variant, pest::error::ErrorVariant::CustomError { message }
            if message.ends_with("limit reached"));
        if reached {
            QueryError::new(
                ErrorKind::LimitExceeded,
                Phase::Compile,
                "ParseTooComplex",
                "the query is too tangled to parse in reasonable time".to_string(),
            )
            .with_hint("check for unclosed brackets, or split the query into simpler parts")
        } else {
            syntax_error(text, &e)
        }
    })
}

/// How long one statement may be. Parsing costs memory in proportion to the text (pest's
/// token queue), so a statement of many megabytes would take seconds and gigabytes before any
/// error; data that large belongs in parameters or a CSV import, not in the query text.
pub const MAX_STATEMENT_BYTES: usize = 4 << 20;

/// Parses a whole query.
pub fn parse_query(text: &str, max_nesting: usize) -> Result<Query> {
    if text.len() > MAX_STATEMENT_BYTES {
        return Err(QueryError::new(
            ErrorKind::LimitExceeded,
            Phase::Compile,
            "StatementTooLong",
            format!(
                "the statement is {}, over the {} one statement may be",
                super::budget::show_size(text.len()),
                super::budget::show_size(MAX_STATEMENT_BYTES)
            ),
        )
        .with_hint(
            "pass large data as parameters (--param, :param) or import it from CSV \
             (skein import); or split the statement",
        ));
    }
    check_nesting(text, max_nesting)?;
    let mut pairs = bounded_parse(Rule::query_entry, text)?;
    let entry = pairs.next().ok_or_else(|| internal("empty parse"))?;
    let b = Builder { text, max_nesting };
    let query = first(entry, Rule::query)?;
    b.build_query(query)
}

/// Parses one expression (a literal for `parse_value`).
pub fn parse_expression(text: &str, max_nesting: usize) -> Result<Expr> {
    check_nesting(text, max_nesting)?;
    let mut pairs = bounded_parse(Rule::value_entry, text)?;
    let entry = pairs.next().ok_or_else(|| internal("empty parse"))?;
    let b = Builder { text, max_nesting };
    b.build_expr(first(entry, Rule::expr)?)
}

fn internal(what: &str) -> QueryError {
    QueryError::new(
        ErrorKind::SyntaxError,
        Phase::Compile,
        "",
        format!("internal parser error: {what}"),
    )
}

fn first(pair: Pair<'_, Rule>, rule: Rule) -> Result<Pair<'_, Rule>> {
    pair.into_inner()
        .find(|p| p.as_rule() == rule)
        .ok_or_else(|| internal("missing part"))
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    // The one place where pest's spans become ours.
    let s = pair.as_span();
    Span {
        start: s.start(),
        end: s.end(),
    }
}

/// pest recurses once per bracket level, so deep nesting is refused before pest sees it.
fn check_nesting(text: &str, max_nesting: usize) -> Result<()> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => quote = Some(c),
            '(' | '[' | '{' => {
                depth += 1;
                if depth > max_nesting {
                    return Err(QueryError::new(
                        ErrorKind::LimitExceeded,
                        Phase::Compile,
                        "NestingTooDeep",
                        format!("the query nests brackets more than {max_nesting} levels deep"),
                    )
                    .with_span(Span {
                        start: i,
                        end: i + 1,
                    })
                    .with_hint("simplify the expression or raise the nesting limit"));
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

// ------------------------------------------------------------------ syntax errors

/// What a rule means to a user, for "expected ..." messages; `None` hides the rule.
fn describe(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        EOI => "the end of the query",
        query | single_query => "a clause such as MATCH, CREATE or RETURN",
        match_clause | unwind_clause | with_clause | return_clause | create_clause
        | merge_clause | set_clause | remove_clause | delete_clause => {
            "a clause such as MATCH, WITH or RETURN"
        }
        where_clause => "WHERE",
        pattern | pattern_part | pattern_element | node_pattern | shortest_path => "a pattern",
        rel_pattern | pattern_predicate => "a relationship pattern such as -[:TYPE]->",
        rel_detail => "a relationship detail in [ ]",
        node_labels | label_name => "a label",
        rel_types => "a relationship type",
        range | range_span | range_exact | range_from | range_to => "a length such as *1..3",
        properties | map_literal => "a property map { ... }",
        map_entry => "a key: value pair",
        expr | slice_from | slice_to | comp_where | comp_map => "an expression",
        projection_body | projection_items | projection_item | star => "what to return",
        order_by => "ORDER BY",
        sort_item => "a sort key",
        skip => "SKIP",
        limit => "LIMIT",
        merge_action => "ON MATCH or ON CREATE",
        set_property | set_all | set_merge | set_labels | property_path => "an item to set",
        union => "UNION",
        variable => "a variable name",
        prop_key | schema_name => "a name",
        integer | decimal_integer | hex_integer | octal_integer => "an integer",
        float
        | null
        | boolean
        | parameter
        | case_expr
        | count_star
        | list_comprehension
        | pattern_comprehension
        | quantifier
        | exists_call
        | function_call
        | function_name
        | map_projection
        | paren_expr => "an expression",
        string | single_inner | double_inner => "an expression",
        escape => "an escape sequence",
        list_literal => "an expression",
        case_when => "WHEN",
        case_else => "ELSE",
        op_or | op_xor | op_and | op_eq | op_ne | op_lt | op_gt | op_le | op_ge | op_regex
        | op_starts | op_ends | op_contains | op_in | op_add | op_sub | op_mul | op_div
        | op_mod | op_pow => "an operator",
        op_is_null | op_is_not_null | op_property | op_subscript | slice_range | op_labels => {
            return None;
        }
        op_not | op_neg | op_pos => return None,
        left_arrow | right_arrow => "an arrow",
        OPTIONAL | MATCH | CREATE | DELETE | DETACH | MERGE | SET | REMOVE | UNWIND | RETURN
        | UNION => "a clause such as MATCH, WITH or RETURN",
        ALL => "ALL",
        AND => "AND",
        AS => "AS",
        BY => "BY",
        END => "END",
        IN => "IN",
        NULL => "NULL",
        THEN => "THEN",
        WITH => "WITH",
        _ => return None,
    })
}

/// The token at a byte offset, as the user wrote it, for "found '...'".
fn token_at(text: &str, offset: usize) -> String {
    let rest = text.get(offset..).unwrap_or("");
    let rest = rest.trim_start();
    if rest.is_empty() {
        return "the end of the query".to_string();
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .take(30)
        .collect();
    if word.is_empty() {
        let c = rest.chars().next().unwrap_or(' ');
        format!("'{c}'")
    } else {
        format!("'{word}'")
    }
}

/// The word or symbol just before a byte offset, for "after '...'".
fn token_before(text: &str, offset: usize) -> Option<String> {
    let before = text.get(..offset)?.trim_end();
    let last = before.chars().last()?;
    if last.is_alphanumeric() || last == '_' {
        let rev: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let word: String = rev.chars().rev().collect();
        Some(word.to_uppercase()).filter(|w| super::is_reserved(w) || w == "MATCH")
    } else {
        None
    }
}

fn syntax_error(text: &str, err: &pest::error::Error<Rule>) -> QueryError {
    let offset = match err.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let mut wanted: Vec<&'static str> = Vec::new();
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &err.variant {
        for rule in positives {
            if let Some(d) = describe(*rule)
                && !wanted.contains(&d)
            {
                wanted.push(d);
            }
        }
    }
    // Where an expression may start, its alternatives read better as one word.
    if wanted.contains(&"an expression") {
        wanted.retain(|w| {
            !matches!(
                *w,
                "a pattern"
                    | "an integer"
                    | "a relationship pattern such as -[:TYPE]->"
                    | "a property map { ... }"
                    | "a variable name"
                    | "NULL"
            )
        });
    }
    let found = token_at(text, offset);
    let expected = match wanted.len() {
        0 => "something else".to_string(),
        1 => wanted[0].to_string(),
        n => {
            let shown = &wanted[..n.min(5)];
            let (last, rest) = shown.split_last().unwrap_or((&"", &[]));
            format!("{} or {last}", rest.join(", "))
        }
    };
    let after = token_before(text, offset)
        .map(|w| format!(" after {w}"))
        .unwrap_or_default();
    let end = offset
        + text
            .get(offset..)
            .and_then(|r| r.chars().next())
            .map_or(0, char::len_utf8);
    QueryError::new(
        ErrorKind::SyntaxError,
        Phase::Compile,
        "UnexpectedSyntax",
        format!("expected {expected}{after}, found {found}"),
    )
    .with_span(Span { start: offset, end })
}

fn semantic(detail: &'static str, span: Span, message: impl Into<String>) -> QueryError {
    QueryError::new(ErrorKind::SyntaxError, Phase::Compile, detail, message).with_span(span)
}

// ------------------------------------------------------------------ building the AST

struct Builder<'t> {
    text: &'t str,
    max_nesting: usize,
}

impl<'t> Builder<'t> {
    fn build_query(&self, pair: Pair<'t, Rule>) -> Result<Query> {
        let mut parts = Vec::new();
        let mut union_all = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::single_query => parts.push(self.build_single_query(p)?),
                Rule::union => union_all.push(p.into_inner().any(|k| k.as_rule() == Rule::ALL)),
                _ => {}
            }
        }
        Ok(Query { parts, union_all })
    }

    fn build_single_query(&self, pair: Pair<'t, Rule>) -> Result<SingleQuery> {
        let clauses = pair
            .into_inner()
            .map(|p| self.build_clause(p))
            .collect::<Result<Vec<_>>>()?;
        Ok(SingleQuery { clauses })
    }

    fn build_clause(&self, pair: Pair<'t, Rule>) -> Result<Clause> {
        let span = span_of(&pair);
        let rule = pair.as_rule();
        let inner: Vec<Pair<'t, Rule>> = pair.into_inner().collect();
        let kind = match rule {
            Rule::match_clause => {
                let optional = inner.iter().any(|p| p.as_rule() == Rule::OPTIONAL);
                let mut pattern = Vec::new();
                let mut filter = None;
                for p in inner {
                    match p.as_rule() {
                        Rule::pattern => pattern = self.build_pattern(p)?,
                        Rule::where_clause => filter = Some(self.build_where(p)?),
                        _ => {}
                    }
                }
                ClauseKind::Match {
                    optional,
                    pattern,
                    filter,
                }
            }
            Rule::unwind_clause => {
                let mut expr = None;
                let mut var = None;
                for p in inner {
                    match p.as_rule() {
                        Rule::expr => expr = Some(self.build_expr(p)?),
                        Rule::variable => var = Some(self.build_ident(p)),
                        _ => {}
                    }
                }
                ClauseKind::Unwind {
                    expr: expr.ok_or_else(|| internal("UNWIND without expression"))?,
                    var: var.ok_or_else(|| internal("UNWIND without variable"))?,
                }
            }
            Rule::with_clause => {
                let mut proj = None;
                let mut filter = None;
                for p in inner {
                    match p.as_rule() {
                        Rule::projection_body => proj = Some(self.build_projection(p)?),
                        Rule::where_clause => filter = Some(self.build_where(p)?),
                        _ => {}
                    }
                }
                ClauseKind::With {
                    proj: proj.ok_or_else(|| internal("WITH without body"))?,
                    filter,
                }
            }
            Rule::return_clause => {
                let body = inner
                    .into_iter()
                    .find(|p| p.as_rule() == Rule::projection_body)
                    .ok_or_else(|| internal("RETURN without body"))?;
                ClauseKind::Return {
                    proj: self.build_projection(body)?,
                }
            }
            Rule::create_clause => {
                let p = inner
                    .into_iter()
                    .find(|p| p.as_rule() == Rule::pattern)
                    .ok_or_else(|| internal("CREATE without pattern"))?;
                ClauseKind::Create {
                    pattern: self.build_pattern(p)?,
                }
            }
            Rule::merge_clause => {
                let mut part = None;
                let mut on_match = Vec::new();
                let mut on_create = Vec::new();
                for p in inner {
                    match p.as_rule() {
                        Rule::pattern_part => part = Some(self.build_pattern_part(p)?),
                        Rule::merge_action => {
                            let mut is_match = false;
                            let mut items = Vec::new();
                            for a in p.into_inner() {
                                match a.as_rule() {
                                    Rule::MATCH => is_match = true,
                                    Rule::set_clause => items = self.build_set_items(a)?,
                                    _ => {}
                                }
                            }
                            if is_match {
                                on_match.extend(items);
                            } else {
                                on_create.extend(items);
                            }
                        }
                        _ => {}
                    }
                }
                ClauseKind::Merge {
                    part: part.ok_or_else(|| internal("MERGE without pattern"))?,
                    on_match,
                    on_create,
                }
            }
            Rule::set_clause => {
                let mut items = Vec::new();
                for p in inner {
                    if p.as_rule() != Rule::SET {
                        items.push(self.build_set_item(p)?);
                    }
                }
                ClauseKind::Set { items }
            }
            Rule::remove_clause => {
                let mut items = Vec::new();
                for p in inner {
                    match p.as_rule() {
                        Rule::set_labels => {
                            let (var, labels) = self.build_var_labels(p)?;
                            items.push(RemoveItem::Labels { var, labels });
                        }
                        Rule::property_path => {
                            items.push(RemoveItem::Property(self.build_property_path(p)?))
                        }
                        _ => {}
                    }
                }
                ClauseKind::Remove { items }
            }
            Rule::delete_clause => {
                let detach = inner.iter().any(|p| p.as_rule() == Rule::DETACH);
                let exprs = inner
                    .into_iter()
                    .filter(|p| p.as_rule() == Rule::expr)
                    .map(|p| self.build_expr(p))
                    .collect::<Result<Vec<_>>>()?;
                ClauseKind::Delete { detach, exprs }
            }
            Rule::call_clause => {
                let mut procedure = None;
                let mut args = None;
                let mut yields = None;
                let mut filter = None;
                for p in inner {
                    match p.as_rule() {
                        Rule::function_name => {
                            procedure = Some(Ident {
                                span: span_of(&p),
                                name: p.as_str().to_string(),
                            })
                        }
                        Rule::call_args => {
                            args = Some(
                                p.into_inner()
                                    .filter(|a| a.as_rule() == Rule::expr)
                                    .map(|a| self.build_expr(a))
                                    .collect::<Result<Vec<_>>>()?,
                            )
                        }
                        Rule::yield_all => yields = Some(Yield::All),
                        Rule::yield_items => {
                            let mut items = Vec::new();
                            for item in p.into_inner() {
                                match item.as_rule() {
                                    Rule::yield_item => {
                                        let mut output = None;
                                        let mut alias = None;
                                        for part in item.into_inner() {
                                            match part.as_rule() {
                                                Rule::prop_key => {
                                                    output = Some(self.build_ident(part))
                                                }
                                                Rule::variable => {
                                                    alias = Some(self.build_ident(part))
                                                }
                                                _ => {}
                                            }
                                        }
                                        items.push(YieldItem {
                                            output: output.ok_or_else(|| {
                                                internal("YIELD item without a name")
                                            })?,
                                            alias,
                                        });
                                    }
                                    Rule::where_clause => filter = Some(self.build_where(item)?),
                                    _ => {}
                                }
                            }
                            yields = Some(Yield::Items(items));
                        }
                        _ => {}
                    }
                }
                ClauseKind::Call {
                    procedure: procedure.ok_or_else(|| internal("CALL without a name"))?,
                    args,
                    yields,
                    filter,
                }
            }
            Rule::call_subquery => ClauseKind::CallSubquery {
                query: Box::new(
                    self.build_query(
                        inner
                            .into_iter()
                            .find(|p| p.as_rule() == Rule::query)
                            .ok_or_else(|| internal("CALL { } without a query"))?,
                    )?,
                ),
            },
            Rule::show_clause => {
                let name = if inner.iter().any(|p| p.as_rule() == Rule::PROCEDURES) {
                    "dbms.procedures"
                } else {
                    "dbms.functions"
                };
                ClauseKind::Call {
                    procedure: Ident {
                        name: name.to_string(),
                        span,
                    },
                    args: Some(Vec::new()),
                    yields: None,
                    filter: None,
                }
            }
            _ => return Err(internal("unknown clause")),
        };
        Ok(Clause { kind, span })
    }

    fn build_where(&self, pair: Pair<'t, Rule>) -> Result<Expr> {
        self.build_expr(first(pair, Rule::expr)?)
    }

    fn build_set_items(&self, pair: Pair<'t, Rule>) -> Result<Vec<SetItem>> {
        pair.into_inner()
            .filter(|p| p.as_rule() != Rule::SET)
            .map(|p| self.build_set_item(p))
            .collect()
    }

    fn build_set_item(&self, pair: Pair<'t, Rule>) -> Result<SetItem> {
        let rule = pair.as_rule();
        if rule == Rule::set_labels {
            let (var, labels) = self.build_var_labels(pair)?;
            return Ok(SetItem::Labels { var, labels });
        }
        let mut inner = pair.into_inner();
        let target = inner.next().ok_or_else(|| internal("empty SET item"))?;
        let value = self.build_expr(inner.next().ok_or_else(|| internal("SET without value"))?)?;
        Ok(match rule {
            Rule::set_property => SetItem::Property {
                target: self.build_property_path(target)?,
                value,
            },
            Rule::set_all => SetItem::Replace {
                var: self.build_ident(target),
                value,
            },
            Rule::set_merge => SetItem::Merge {
                var: self.build_ident(target),
                value,
            },
            _ => return Err(internal("unknown SET item")),
        })
    }

    fn build_var_labels(&self, pair: Pair<'t, Rule>) -> Result<(Ident, Vec<String>)> {
        let mut var = None;
        let mut labels = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::variable => var = Some(self.build_ident(p)),
                Rule::node_labels => labels = self.build_labels(p),
                _ => {}
            }
        }
        Ok((
            var.ok_or_else(|| internal("labels without variable"))?,
            labels,
        ))
    }

    fn build_property_path(&self, pair: Pair<'t, Rule>) -> Result<Expr> {
        let mut expr: Option<Expr> = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::variable => {
                    let id = self.build_ident(p);
                    expr = Some(Expr::new(ExprKind::Var(id.name), id.span));
                }
                Rule::paren_expr => expr = Some(self.build_expr(first(p, Rule::expr)?)?),
                Rule::prop_key => {
                    let base = expr.ok_or_else(|| internal("property without base"))?;
                    let span = Span {
                        start: base.span.start,
                        end: span_of(&p).end,
                    };
                    expr = Some(Expr::new(
                        ExprKind::Property(Box::new(base), self.name(p)),
                        span,
                    ));
                }
                _ => {}
            }
        }
        expr.ok_or_else(|| internal("empty property path"))
    }

    fn build_projection(&self, pair: Pair<'t, Rule>) -> Result<Projection> {
        let mut proj = Projection {
            distinct: false,
            star: false,
            items: Vec::new(),
            order: Vec::new(),
            skip: None,
            limit: None,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::DISTINCT => proj.distinct = true,
                Rule::projection_items => {
                    for item in p.into_inner() {
                        match item.as_rule() {
                            Rule::star => proj.star = true,
                            Rule::projection_item => {
                                let mut expr = None;
                                let mut alias = None;
                                let mut text = String::new();
                                for x in item.into_inner() {
                                    match x.as_rule() {
                                        Rule::expr => {
                                            text = x.as_str().trim().to_string();
                                            expr = Some(self.build_expr(x)?);
                                        }
                                        Rule::variable => alias = Some(self.build_ident(x)),
                                        _ => {}
                                    }
                                }
                                proj.items.push(ProjItem {
                                    expr: expr.ok_or_else(|| internal("empty item"))?,
                                    alias,
                                    text,
                                });
                            }
                            _ => {}
                        }
                    }
                }
                Rule::order_by => {
                    for s in p.into_inner().filter(|s| s.as_rule() == Rule::sort_item) {
                        let mut expr = None;
                        let mut descending = false;
                        for x in s.into_inner() {
                            match x.as_rule() {
                                Rule::expr => expr = Some(self.build_expr(x)?),
                                Rule::DESC | Rule::DESCENDING => descending = true,
                                _ => {}
                            }
                        }
                        proj.order.push(SortItem {
                            expr: expr.ok_or_else(|| internal("empty sort item"))?,
                            descending,
                        });
                    }
                }
                Rule::skip => proj.skip = Some(self.build_expr(first(p, Rule::expr)?)?),
                Rule::limit => proj.limit = Some(self.build_expr(first(p, Rule::expr)?)?),
                _ => {}
            }
        }
        Ok(proj)
    }

    fn build_pattern(&self, pair: Pair<'t, Rule>) -> Result<Vec<PatternPart>> {
        pair.into_inner()
            .map(|p| self.build_pattern_part(p))
            .collect()
    }

    fn build_pattern_part(&self, pair: Pair<'t, Rule>) -> Result<PatternPart> {
        let span = span_of(&pair);
        let mut var = None;
        let mut part = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::variable => var = Some(self.build_ident(p)),
                Rule::pattern_element => part = Some(self.build_pattern_element(p, span)?),
                Rule::shortest_path => {
                    let mut kind = Shortest::One;
                    for x in p.into_inner() {
                        match x.as_rule() {
                            Rule::ALLSHORTESTPATHS => kind = Shortest::All,
                            Rule::pattern_element => {
                                let mut el = self.build_pattern_element(x, span)?;
                                el.shortest = Some(kind);
                                part = Some(el);
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        let mut part = part.ok_or_else(|| internal("empty pattern"))?;
        part.var = var;
        part.span = span;
        Ok(part)
    }

    fn build_pattern_element(&self, pair: Pair<'t, Rule>, span: Span) -> Result<PatternPart> {
        let mut nodes = Vec::new();
        let mut rels = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::pattern_element => return self.build_pattern_element(p, span),
                Rule::node_pattern => nodes.push(self.build_node_pattern(p)?),
                Rule::rel_pattern => rels.push(self.build_rel_pattern(p)?),
                _ => {}
            }
        }
        Ok(PatternPart {
            var: None,
            shortest: None,
            nodes,
            rels,
            span,
        })
    }

    fn build_node_pattern(&self, pair: Pair<'t, Rule>) -> Result<NodePattern> {
        let span = span_of(&pair);
        let mut node = NodePattern {
            var: None,
            labels: Vec::new(),
            props: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::variable => node.var = Some(self.build_ident(p)),
                Rule::node_labels => node.labels = self.build_labels(p),
                Rule::properties => node.props = Some(self.build_properties(p)?),
                _ => {}
            }
        }
        Ok(node)
    }

    fn build_properties(&self, pair: Pair<'t, Rule>) -> Result<Expr> {
        let inner = pair
            .into_inner()
            .next()
            .ok_or_else(|| internal("empty properties"))?;
        Ok(self.build_primary(inner)?.0)
    }

    fn build_rel_pattern(&self, pair: Pair<'t, Rule>) -> Result<RelPattern> {
        let span = span_of(&pair);
        let mut left = false;
        let mut right = false;
        let mut rel = RelPattern {
            var: None,
            types: Vec::new(),
            direction: Direction::Both,
            range: None,
            props: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::left_arrow => left = true,
                Rule::right_arrow => right = true,
                Rule::rel_detail => {
                    for d in p.into_inner() {
                        match d.as_rule() {
                            Rule::variable => rel.var = Some(self.build_ident(d)),
                            Rule::rel_types => {
                                rel.types = d
                                    .into_inner()
                                    .filter(|t| t.as_rule() == Rule::schema_name)
                                    .map(|t| self.name(t))
                                    .collect();
                            }
                            Rule::range => rel.range = Some(self.build_range(d)?),
                            Rule::properties => rel.props = Some(self.build_properties(d)?),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        rel.direction = match (left, right) {
            (true, false) => Direction::Left,
            (false, true) => Direction::Right,
            _ => Direction::Both,
        };
        Ok(rel)
    }

    fn build_range(&self, pair: Pair<'t, Rule>) -> Result<(Option<u64>, Option<u64>)> {
        let mut min = None;
        let mut max = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::range_exact => {
                    let n = self.range_bound(p)?;
                    min = Some(n);
                    max = Some(n);
                }
                Rule::range_span => {
                    for b in p.into_inner() {
                        match b.as_rule() {
                            Rule::range_from => min = Some(self.range_bound(b)?),
                            Rule::range_to => max = Some(self.range_bound(b)?),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Ok((min, max))
    }

    fn range_bound(&self, pair: Pair<'t, Rule>) -> Result<u64> {
        let span = span_of(&pair);
        match self.integer_value(pair.as_str().trim()) {
            Some(v) if v >= 0 => Ok(v as u64),
            _ => Err(semantic(
                "InvalidRange",
                span,
                "a path length must be a small non-negative integer",
            )),
        }
    }

    fn build_labels(&self, pair: Pair<'t, Rule>) -> Vec<String> {
        pair.into_inner()
            .filter(|l| l.as_rule() == Rule::label_name)
            .filter_map(|l| l.into_inner().next())
            .map(|n| self.name(n))
            .collect()
    }

    fn build_ident(&self, pair: Pair<'t, Rule>) -> Ident {
        Ident {
            span: span_of(&pair),
            name: self.name(pair),
        }
    }

    /// The name in a `variable`, `prop_key` or `schema_name` pair, with backquotes removed.
    fn name(&self, pair: Pair<'t, Rule>) -> String {
        let raw = pair.as_str();
        unquote_name(raw)
    }

    fn integer_value(&self, text: &str) -> Option<i64> {
        if let Some(hex) = text.strip_prefix("0x") {
            i64::from_str_radix(hex, 16).ok()
        } else if let Some(oct) = text.strip_prefix("0o") {
            i64::from_str_radix(oct, 8).ok()
        } else {
            text.parse().ok()
        }
    }

    // -------------------------------------------------------------- expressions

    fn build_expr(&self, pair: Pair<'t, Rule>) -> Result<Expr> {
        self.build_flat(pair.into_inner())
    }

    /// Builds an expression from its flat run of operands and operators (the pairs inside
    /// an `expr`, or a list comprehension's head read as the start of a list element).
    fn build_flat<I>(&self, pairs: I) -> Result<Expr>
    where
        I: Iterator<Item = Pair<'t, Rule>> + Clone,
    {
        // The Pratt parser recurses once per prefix operator; a long run of them is refused
        // here rather than risking the stack.
        let mut run = 0usize;
        for p in pairs.clone() {
            if matches!(p.as_rule(), Rule::op_not | Rule::op_neg | Rule::op_pos) {
                run += 1;
                if run > self.max_nesting {
                    return Err(QueryError::new(
                        ErrorKind::LimitExceeded,
                        Phase::Compile,
                        "NestingTooDeep",
                        format!("more than {} prefix operators in a row", self.max_nesting),
                    )
                    .with_span(span_of(&p)));
                }
            } else {
                run = 0;
            }
        }
        Ok(self.pratt(pairs)?.0)
    }

    fn pratt<I>(&self, pairs: I) -> Result<(Expr, bool)>
    where
        I: Iterator<Item = Pair<'t, Rule>>,
    {
        PRATT
            .map_primary(|p| self.build_primary(p))
            .map_prefix(|op, rhs| self.build_prefix(op, rhs))
            .map_postfix(|lhs, op| self.build_postfix(lhs, op))
            .map_infix(|lhs, op, rhs| self.build_infix(lhs, op, rhs))
            .parse(pairs)
    }

    fn build_prefix(&self, op: Pair<'t, Rule>, rhs: Result<(Expr, bool)>) -> Result<(Expr, bool)> {
        let op_span = span_of(&op);
        let rhs = match rhs {
            Ok((e, _)) => e,
            Err(err) if err.detail == "IntegerOverflow" && op.as_rule() == Rule::op_neg => {
                // `-9223372036854775808` is the one literal whose magnitude alone overflows.
                let span = err.span.unwrap_or(op_span);
                let digits = self.text.get(span.start..span.end).unwrap_or("");
                let magnitude = if let Some(hex) = digits.strip_prefix("0x") {
                    u128::from_str_radix(hex, 16).ok()
                } else if let Some(oct) = digits.strip_prefix("0o") {
                    u128::from_str_radix(oct, 8).ok()
                } else {
                    digits.parse::<u128>().ok()
                };
                if magnitude == Some(1u128 << 63) {
                    let span = Span {
                        start: op_span.start,
                        end: span.end,
                    };
                    return Ok((Expr::new(ExprKind::Int(i64::MIN), span), false));
                }
                return Err(err);
            }
            Err(err) => return Err(err),
        };
        let span = Span {
            start: op_span.start,
            end: rhs.span.end,
        };
        let op = match op.as_rule() {
            Rule::op_not => UnaryOp::Not,
            Rule::op_neg => UnaryOp::Neg,
            _ => UnaryOp::Pos,
        };
        Ok((Expr::new(ExprKind::Unary(op, Box::new(rhs)), span), false))
    }

    fn build_postfix(&self, lhs: Result<(Expr, bool)>, op: Pair<'t, Rule>) -> Result<(Expr, bool)> {
        let (lhs, _) = lhs?;
        let span = Span {
            start: lhs.span.start,
            end: span_of(&op).end,
        };
        let base = Box::new(lhs);
        let kind = match op.as_rule() {
            Rule::op_is_null => ExprKind::IsNull(base, false),
            Rule::op_is_not_null => ExprKind::IsNull(base, true),
            Rule::op_property => ExprKind::Property(base, self.name(first(op, Rule::prop_key)?)),
            Rule::op_subscript => {
                // `[i]` is an index, `[i..j]`, `[i..]`, `[..j]` and `[..]` are slices.
                let mut from = None;
                let mut range = None;
                for p in op.into_inner() {
                    match p.as_rule() {
                        Rule::slice_from => {
                            from = Some(Box::new(self.build_expr(first(p, Rule::expr)?)?))
                        }
                        Rule::slice_range => range = Some(p),
                        _ => {}
                    }
                }
                match (from, range) {
                    (Some(index), None) => ExprKind::Index(base, index),
                    (from, Some(range)) => {
                        let to = match range.into_inner().find(|p| p.as_rule() == Rule::slice_to) {
                            Some(p) => Some(Box::new(self.build_expr(first(p, Rule::expr)?)?)),
                            None => None,
                        };
                        ExprKind::Slice(base, from, to)
                    }
                    (None, None) => return Err(internal("empty subscript")),
                }
            }
            Rule::op_labels => {
                let labels = self.build_labels(first(op, Rule::node_labels)?);
                ExprKind::HasLabels(base, labels)
            }
            _ => return Err(internal("unknown postfix operator")),
        };
        Ok((Expr::new(kind, span), false))
    }

    fn build_infix(
        &self,
        lhs: Result<(Expr, bool)>,
        op: Pair<'t, Rule>,
        rhs: Result<(Expr, bool)>,
    ) -> Result<(Expr, bool)> {
        let (lhs, lhs_paren) = lhs?;
        let (rhs, _) = rhs?;
        let span = Span {
            start: lhs.span.start,
            end: rhs.span.end,
        };
        let cmp = match op.as_rule() {
            Rule::op_eq => Some(CompareOp::Eq),
            Rule::op_ne => Some(CompareOp::Ne),
            Rule::op_lt => Some(CompareOp::Lt),
            Rule::op_gt => Some(CompareOp::Gt),
            Rule::op_le => Some(CompareOp::Le),
            Rule::op_ge => Some(CompareOp::Ge),
            _ => None,
        };
        if let Some(cmp) = cmp {
            // A comparison chain `a < b < c` extends the chain on its left, unless that
            // chain was written in parentheses.
            let kind = match lhs.kind {
                ExprKind::Compare(first, mut rest) if !lhs_paren => {
                    rest.push((cmp, rhs));
                    ExprKind::Compare(first, rest)
                }
                other => ExprKind::Compare(Box::new(Expr::new(other, lhs.span)), vec![(cmp, rhs)]),
            };
            return Ok((Expr::new(kind, span), false));
        }
        let op = match op.as_rule() {
            Rule::op_or => BinaryOp::Or,
            Rule::op_xor => BinaryOp::Xor,
            Rule::op_and => BinaryOp::And,
            Rule::op_add => BinaryOp::Add,
            Rule::op_sub => BinaryOp::Sub,
            Rule::op_mul => BinaryOp::Mul,
            Rule::op_div => BinaryOp::Div,
            Rule::op_mod => BinaryOp::Mod,
            Rule::op_pow => BinaryOp::Pow,
            Rule::op_in => BinaryOp::In,
            Rule::op_starts => BinaryOp::StartsWith,
            Rule::op_ends => BinaryOp::EndsWith,
            Rule::op_contains => BinaryOp::Contains,
            Rule::op_regex => BinaryOp::Regex,
            _ => return Err(internal("unknown operator")),
        };
        Ok((
            Expr::new(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span),
            false,
        ))
    }

    fn build_primary(&self, pair: Pair<'t, Rule>) -> Result<(Expr, bool)> {
        let span = span_of(&pair);
        let rule = pair.as_rule();
        let kind = match rule {
            Rule::paren_expr => {
                let e = self.build_expr(first(pair, Rule::expr)?)?;
                return Ok((e, true));
            }
            Rule::null => ExprKind::Null,
            Rule::boolean => ExprKind::Bool(pair.as_str().eq_ignore_ascii_case("true")),
            Rule::integer => match self.integer_value(pair.as_str()) {
                Some(v) => ExprKind::Int(v),
                None => {
                    return Err(semantic(
                        "IntegerOverflow",
                        span,
                        format!("the integer {} is too large", pair.as_str()),
                    ));
                }
            },
            Rule::float => match pair.as_str().parse::<f64>() {
                Ok(v) if v.is_finite() => ExprKind::Float(v),
                _ => {
                    return Err(semantic(
                        "FloatingPointOverflow",
                        span,
                        format!("the number {} is too large", pair.as_str()),
                    ));
                }
            },
            Rule::string => {
                let inner = pair
                    .into_inner()
                    .next()
                    .ok_or_else(|| internal("empty string"))?;
                ExprKind::Str(unescape(inner.as_str(), span_of(&inner))?)
            }
            Rule::list_literal => ExprKind::List(
                pair.into_inner()
                    .map(|p| self.build_expr(p))
                    .collect::<Result<Vec<_>>>()?,
            ),
            Rule::map_literal => {
                let mut entries: Vec<(String, Expr)> = Vec::new();
                for entry in pair.into_inner() {
                    let mut it = entry.into_inner();
                    let key = it.next().ok_or_else(|| internal("map key"))?;
                    let value = it.next().ok_or_else(|| internal("map value"))?;
                    entries.push((self.name(key), self.build_expr(value)?));
                }
                ExprKind::Map(entries)
            }
            Rule::parameter => {
                let name = pair.as_str().trim_start_matches('$');
                ExprKind::Param(unquote_name(name))
            }
            Rule::variable => ExprKind::Var(self.name(pair)),
            Rule::count_star => ExprKind::CountStar,
            Rule::case_expr => {
                let mut operand = None;
                let mut whens = Vec::new();
                let mut otherwise = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::expr => operand = Some(Box::new(self.build_expr(p)?)),
                        Rule::case_when => {
                            let mut it = p.into_inner().filter(|x| x.as_rule() == Rule::expr);
                            let w = it.next().ok_or_else(|| internal("WHEN"))?;
                            let t = it.next().ok_or_else(|| internal("THEN"))?;
                            whens.push((self.build_expr(w)?, self.build_expr(t)?));
                        }
                        Rule::case_else => {
                            otherwise = Some(Box::new(self.build_expr(first(p, Rule::expr)?)?))
                        }
                        _ => {}
                    }
                }
                ExprKind::Case {
                    operand,
                    whens,
                    otherwise,
                }
            }
            Rule::list_comprehension
                if pair
                    .clone()
                    .into_inner()
                    .any(|p| p.as_rule() == Rule::list_rest) =>
            {
                // `[x IN l, y]` is a list literal whose first element is `x IN l`: the head
                // and the first expression are one flat run of operands and operators.
                let mut inner = pair.into_inner();
                let head: Vec<Pair<'t, Rule>> = inner.by_ref().take(3).collect();
                let [var, op_in, list] =
                    <[Pair<'t, Rule>; 3]>::try_from(head).map_err(|_| internal("list head"))?;
                let mut items =
                    vec![self.build_flat([var, op_in].into_iter().chain(list.into_inner()))?];
                let rest = inner
                    .find(|p| p.as_rule() == Rule::list_rest)
                    .ok_or_else(|| internal("list rest"))?;
                for p in rest.into_inner() {
                    items.push(self.build_expr(p)?);
                }
                ExprKind::List(items)
            }
            Rule::list_comprehension | Rule::quantifier => {
                let mut var = String::new();
                let mut list = None;
                let mut filter = None;
                let mut map = None;
                let mut kind = QuantifierKind::All;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::variable => var = self.name(p),
                        Rule::expr => list = Some(Box::new(self.build_expr(p)?)),
                        Rule::comp_where => {
                            filter = Some(Box::new(self.build_expr(first(p, Rule::expr)?)?))
                        }
                        Rule::comp_map => {
                            map = Some(Box::new(self.build_expr(first(p, Rule::expr)?)?))
                        }
                        Rule::KW_ANY => kind = QuantifierKind::Any,
                        Rule::NONE => kind = QuantifierKind::None,
                        Rule::SINGLE => kind = QuantifierKind::Single,
                        _ => {}
                    }
                }
                let list = list.ok_or_else(|| internal("comprehension without list"))?;
                if rule == Rule::quantifier {
                    ExprKind::Quantifier {
                        kind,
                        var,
                        list,
                        filter,
                    }
                } else {
                    ExprKind::ListComp {
                        var,
                        list,
                        filter,
                        map,
                    }
                }
            }
            Rule::pattern_predicate => {
                ExprKind::Pattern(Box::new(self.build_pattern_element(pair, span)?))
            }
            Rule::pattern_comprehension => {
                let mut var = None;
                let mut part = None;
                let mut filter = None;
                let mut map = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::variable => var = Some(self.build_ident(p)),
                        Rule::pattern_predicate => {
                            let pspan = span_of(&p);
                            part = Some(self.build_pattern_element(p, pspan)?);
                        }
                        Rule::comp_where => {
                            filter = Some(Box::new(self.build_expr(first(p, Rule::expr)?)?))
                        }
                        Rule::comp_map => {
                            map = Some(Box::new(self.build_expr(first(p, Rule::expr)?)?))
                        }
                        _ => {}
                    }
                }
                let mut part =
                    part.ok_or_else(|| internal("pattern comprehension without pattern"))?;
                part.var = var;
                ExprKind::PatternComp {
                    part: Box::new(part),
                    filter,
                    map: map.ok_or_else(|| internal("pattern comprehension without projection"))?,
                }
            }
            Rule::subquery => {
                let mut kind = SubqueryKind::Exists;
                let mut query = None;
                let mut pattern_form = false;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::COUNT => kind = SubqueryKind::Count,
                        Rule::COLLECT => kind = SubqueryKind::Collect,
                        Rule::query => query = Some(self.build_query(p)?),
                        Rule::subquery_pattern => {
                            pattern_form = true;
                            let pspan = span_of(&p);
                            let mut pattern = Vec::new();
                            let mut filter = None;
                            for q in p.into_inner() {
                                match q.as_rule() {
                                    Rule::pattern => pattern = self.build_pattern(q)?,
                                    Rule::where_clause => filter = Some(self.build_where(q)?),
                                    _ => {}
                                }
                            }
                            query = Some(Query {
                                parts: vec![SingleQuery {
                                    clauses: vec![Clause {
                                        kind: ClauseKind::Match {
                                            optional: false,
                                            pattern,
                                            filter,
                                        },
                                        span: pspan,
                                    }],
                                }],
                                union_all: Vec::new(),
                            });
                        }
                        _ => {}
                    }
                }
                ExprKind::Subquery {
                    kind,
                    query: Box::new(query.ok_or_else(|| internal("subquery without a body"))?),
                    pattern_form,
                    plan: Default::default(),
                }
            }
            Rule::exists_call => {
                let p = first(pair, Rule::pattern_predicate)?;
                let pspan = span_of(&p);
                let pattern = Expr::new(
                    ExprKind::Pattern(Box::new(self.build_pattern_element(p, pspan)?)),
                    pspan,
                );
                ExprKind::Call {
                    name: "exists".into(),
                    distinct: false,
                    args: vec![pattern],
                    func: None,
                }
            }
            Rule::function_call => {
                let mut name = String::new();
                let mut distinct = false;
                let mut args = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::function_name => name = p.as_str().to_string(),
                        Rule::DISTINCT => distinct = true,
                        Rule::expr => args.push(self.build_expr(p)?),
                        _ => {}
                    }
                }
                ExprKind::Call {
                    name,
                    distinct,
                    args,
                    func: None,
                }
            }
            Rule::map_projection => {
                let mut var = String::new();
                let mut items = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::variable => var = self.name(p),
                        Rule::proj_all => items.push(MapProjItem::All),
                        Rule::proj_property => {
                            items.push(MapProjItem::Property(self.name(first(p, Rule::prop_key)?)))
                        }
                        Rule::proj_literal => {
                            let mut it = p.into_inner();
                            let k = it.next().ok_or_else(|| internal("map key"))?;
                            let v = it.next().ok_or_else(|| internal("map value"))?;
                            items.push(MapProjItem::Literal(self.name(k), self.build_expr(v)?));
                        }
                        Rule::proj_variable => {
                            items.push(MapProjItem::Variable(self.name(first(p, Rule::variable)?)))
                        }
                        _ => {}
                    }
                }
                ExprKind::MapProj { var, items }
            }
            _ => return Err(internal("unknown expression")),
        };
        Ok((Expr::new(kind, span), false))
    }
}

/// Removes the backquotes of an escaped name (`` `a``b` `` is a`b).
fn unquote_name(raw: &str) -> String {
    match raw.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        Some(inner) => inner.replace("``", "`"),
        None => raw.to_string(),
    }
}

/// Resolves the escapes of a string literal's body.
fn unescape(raw: &str, span: Span) -> Result<String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else {
            break;
        };
        match e {
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'u' | 'U' => {
                let len = if e == 'u' { 4 } else { 8 };
                let hex: String = chars.by_ref().take(len).map(|(_, c)| c).collect();
                let ch = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                match ch {
                    Some(ch) => out.push(ch),
                    None => {
                        let at = span.start + i;
                        return Err(semantic(
                            "InvalidUnicodeLiteral",
                            Span {
                                start: at,
                                end: at + 2 + hex.len(),
                            },
                            format!("\\{e}{hex} is not a valid character"),
                        ));
                    }
                }
            }
            other => {
                let at = span.start + i;
                return Err(semantic(
                    "InvalidEscape",
                    Span {
                        start: at,
                        end: at + 1 + other.len_utf8(),
                    },
                    format!("unknown escape sequence \\{other} in a string"),
                )
                .with_hint("write \\\\ for a backslash"));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str) -> String {
        parse_expression(text, 200).map_or_else(|e| format!("error: {e}"), |e| e.to_string())
    }

    #[test]
    fn precedence_follows_opencypher() {
        assert_eq!(expr("1 + 2 * 3"), "(1 + (2 * 3))");
        assert_eq!(expr("-2 ^ 2"), "((-2) ^ 2)");
        assert_eq!(expr("NOT a = b"), "(NOT (a = b))");
        assert_eq!(expr("a OR b AND c XOR d"), "(a OR ((b AND c) XOR d))");
        assert_eq!(expr("a < b < c"), "(a < b < c)");
        assert_eq!(expr("(a < b) < c"), "((a < b) < c)");
        assert_eq!(expr("x IN [1] = true"), "((x IN [1]) = true)");
        assert_eq!(
            expr("n.name STARTS WITH 'A' IS NULL"),
            "((n.name STARTS WITH 'A') IS NULL)"
        );
    }

    #[test]
    fn keywords_are_case_insensitive_and_guarded() {
        assert!(parse_query("match (n) return n", 200).is_ok());
        // `matches` is a variable name, not the keyword MATCH followed by `es`.
        assert_eq!(expr("matches"), "matches");
        assert!(parse_query("MATCH (n) RETURN n AS `match`", 200).is_ok());
    }

    #[test]
    fn literals_and_escapes() {
        assert_eq!(expr(r"'a\'b\n'"), r"'a\'b\n'");
        assert_eq!(expr("0x1F"), "31");
        assert_eq!(expr("-9223372036854775808"), "-9223372036854775808");
        assert!(expr("9223372036854775808").starts_with("error"));
        assert!(expr(r"'\q'").starts_with("error"));
    }

    #[test]
    fn a_huge_float_prints_as_a_float_that_parses_again() {
        for text in ["1e308", "-1.5e20", "123456789012345678.0"] {
            let printed = expr(text);
            let again = parse_expression(&printed, 200).map(|e| e.to_string());
            assert_eq!(
                again.as_deref(),
                Ok(printed.as_str()),
                "{text} printed as {printed}"
            );
        }
    }

    #[test]
    fn parsing_past_its_call_bound_is_a_clear_limit_error() {
        let Err(err) = parse_within(Rule::query_entry, "RETURN [1, 2, 3][0] + 4 AS x", 50) else {
            panic!("50 rule calls cannot parse this query");
        };
        assert_eq!(err.kind, ErrorKind::LimitExceeded);
        assert_eq!(err.detail, "ParseTooComplex");
        assert!(parse_within(Rule::query_entry, "RETURN 1", PARSE_CALLS_FLOOR).is_ok());
    }

    #[test]
    fn a_tight_bound_on_another_thread_does_not_cut_a_parse_short() {
        // pest's bound is one global: without the lock, a parse here could start under the
        // 50 calls the other thread sets (seen as a long query failing beside short ones).
        let stop = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let _ = parse_within(Rule::query_entry, "RETURN [1, 2, 3][0] + 4", 50);
                }
            });
            let failures = (0..3_000)
                .filter(|_| {
                    parse_within(
                        Rule::query_entry,
                        "RETURN [1, 2, 3][0] + 4",
                        PARSE_CALLS_FLOOR,
                    )
                    .is_err()
                })
                .count();
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            assert_eq!(failures, 0, "{failures} of 3000 parses were cut short");
        });
    }

    #[test]
    fn syntax_errors_name_what_was_expected() {
        let err = parse_query("MATCH (n RETURN n", 200).unwrap_err();
        assert_eq!(err.kind, ErrorKind::SyntaxError);
        assert!(err.message.contains("found 'RETURN'"), "{}", err.message);
        let err = parse_query("RETURN", 200).unwrap_err();
        assert!(
            err.message.contains("found the end of the query"),
            "{}",
            err.message
        );
    }
}
