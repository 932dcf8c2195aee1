//! The query AST: our own tree, apart from pest's pairs, with a span on every node an error
//! can point at. `Display` prints canonical Cypher that parses back to the same tree; it must
//! never print anything the grammar does not accept.

use std::fmt;

use super::error::Span;
use crate::graph::{write_float, write_key, write_string_literal};

/// A whole query: single queries joined by UNION (`all[i]` is true for `UNION ALL` between
/// part `i` and part `i + 1`).
#[derive(Debug, Clone)]
pub struct Query {
    pub parts: Vec<SingleQuery>,
    pub union_all: Vec<bool>,
}

#[derive(Debug, Clone)]
pub struct SingleQuery {
    pub clauses: Vec<Clause>,
}

#[derive(Debug, Clone)]
pub struct Clause {
    pub kind: ClauseKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ClauseKind {
    Match {
        optional: bool,
        pattern: Vec<PatternPart>,
        filter: Option<Expr>,
    },
    Unwind {
        expr: Expr,
        var: Ident,
    },
    With {
        proj: Projection,
        filter: Option<Expr>,
    },
    Return {
        proj: Projection,
    },
    Create {
        pattern: Vec<PatternPart>,
    },
    Merge {
        part: PatternPart,
        on_match: Vec<SetItem>,
        on_create: Vec<SetItem>,
    },
    Set {
        items: Vec<SetItem>,
    },
    Remove {
        items: Vec<RemoveItem>,
    },
    Delete {
        detach: bool,
        exprs: Vec<Expr>,
    },
    /// `CALL name(args) YIELD ...`; `args` is `None` when the call has no parentheses (its
    /// arguments then come from parameters of the same names).
    Call {
        procedure: Ident,
        args: Option<Vec<Expr>>,
        yields: Option<Yield>,
        filter: Option<Expr>,
    },
    /// `CALL { ... }`: the inner query runs once per row; what it returns is added to the row,
    /// and a query without RETURN (a unit subquery) passes the row on.
    CallSubquery {
        query: Box<Query>,
    },
}

/// What a procedure call binds: every output, or the listed ones under their aliases.
#[derive(Debug, Clone)]
pub enum Yield {
    All,
    Items(Vec<YieldItem>),
}

#[derive(Debug, Clone)]
pub struct YieldItem {
    pub output: Ident,
    pub alias: Option<Ident>,
}

impl YieldItem {
    /// The variable the output is bound to.
    pub fn var(&self) -> &Ident {
        self.alias.as_ref().unwrap_or(&self.output)
    }
}

impl ClauseKind {
    /// The clause keyword, for messages and the plan printer.
    pub fn keyword(&self) -> &'static str {
        match self {
            ClauseKind::Match { optional: true, .. } => "OPTIONAL MATCH",
            ClauseKind::Match { .. } => "MATCH",
            ClauseKind::Unwind { .. } => "UNWIND",
            ClauseKind::With { .. } => "WITH",
            ClauseKind::Return { .. } => "RETURN",
            ClauseKind::Create { .. } => "CREATE",
            ClauseKind::Merge { .. } => "MERGE",
            ClauseKind::Set { .. } => "SET",
            ClauseKind::Remove { .. } => "REMOVE",
            ClauseKind::Delete { detach: true, .. } => "DETACH DELETE",
            ClauseKind::Delete { .. } => "DELETE",
            ClauseKind::Call { .. } | ClauseKind::CallSubquery { .. } => "CALL",
        }
    }

    pub fn is_update(&self) -> bool {
        match self {
            ClauseKind::Create { .. }
            | ClauseKind::Merge { .. }
            | ClauseKind::Set { .. }
            | ClauseKind::Remove { .. }
            | ClauseKind::Delete { .. } => true,
            ClauseKind::CallSubquery { query } => query
                .parts
                .iter()
                .flat_map(|p| &p.clauses)
                .any(|c| c.kind.is_update()),
            _ => false,
        }
    }
}

/// Pushes the property maps of a pattern part's nodes and relationships onto `out`.
macro_rules! pattern_props {
    ($out:ident, $part:expr $(, $m:tt)?) => {{
        for n in & $($m)? $part.nodes {
            if let Some(p) = & $($m)? n.props {
                $out.push(p);
            }
        }
        for r in & $($m)? $part.rels {
            if let Some(p) = & $($m)? r.props {
                $out.push(p);
            }
        }
    }};
}

/// The body of `ClauseKind::exprs` and `exprs_mut`, written once for both borrows.
macro_rules! clause_exprs {
    ($c:expr $(, $m:tt)?) => {{
        let mut out = Vec::new();
        macro_rules! pattern {
            ($parts:expr) => {
                for part in $parts {
                    pattern_props!(out, part $(, $m)?);
                }
            };
        }
        macro_rules! set_items {
            ($items:expr) => {
                for item in $items {
                    match item {
                        SetItem::Property { target, value } => {
                            out.push(target);
                            out.push(value);
                        }
                        SetItem::Replace { value, .. } | SetItem::Merge { value, .. } => {
                            out.push(value)
                        }
                        SetItem::Labels { .. } => {}
                    }
                }
            };
        }
        macro_rules! projection {
            ($proj:expr) => {{
                let proj = $proj;
                out.extend((& $($m)? proj.items).into_iter().map(|i| & $($m)? i.expr));
                out.extend((& $($m)? proj.order).into_iter().map(|o| & $($m)? o.expr));
                if let Some(x) = & $($m)? proj.skip {
                    out.push(x);
                }
                if let Some(x) = & $($m)? proj.limit {
                    out.push(x);
                }
            }};
        }
        match & $($m)? $c {
            ClauseKind::Match {
                pattern: p, filter, ..
            } => {
                pattern!(p);
                if let Some(x) = filter {
                    out.push(x);
                }
            }
            ClauseKind::Unwind { expr, .. } => out.push(expr),
            ClauseKind::With { proj, filter } => {
                projection!(proj);
                if let Some(x) = filter {
                    out.push(x);
                }
            }
            ClauseKind::Return { proj } => projection!(proj),
            ClauseKind::Create { pattern: p } => pattern!(p),
            ClauseKind::Merge {
                part,
                on_match,
                on_create,
            } => {
                pattern!(std::iter::once(part));
                set_items!(on_match);
                set_items!(on_create);
            }
            ClauseKind::Set { items } => set_items!(items),
            ClauseKind::Remove { items } => {
                for item in items {
                    if let RemoveItem::Property(e) = item {
                        out.push(e);
                    }
                }
            }
            ClauseKind::Delete { exprs, .. } => out.extend(exprs),
            ClauseKind::Call { args, filter, .. } => {
                if let Some(args) = args {
                    out.extend(args);
                }
                if let Some(x) = filter {
                    out.push(x);
                }
            }
            // The inner query's expressions belong to its own scope.
            ClauseKind::CallSubquery { .. } => {}
        }
        out
    }};
}

impl ClauseKind {
    /// The clause's own top-level expressions (sub-expressions are their children).
    pub fn exprs(&self) -> Vec<&Expr> {
        clause_exprs!(*self)
    }

    /// The clause's own top-level expressions, to change in place.
    pub fn exprs_mut(&mut self) -> Vec<&mut Expr> {
        clause_exprs!(*self, mut)
    }
}

/// A name as written by the user, with where it was written.
#[derive(Debug, Clone)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// The body of WITH and RETURN.
#[derive(Debug, Clone)]
pub struct Projection {
    pub distinct: bool,
    pub star: bool,
    pub items: Vec<ProjItem>,
    pub order: Vec<SortItem>,
    pub skip: Option<Expr>,
    pub limit: Option<Expr>,
}

#[derive(Debug, Clone)]
pub struct ProjItem {
    pub expr: Expr,
    pub alias: Option<Ident>,
    /// The expression as the user wrote it: the column name when there is no alias.
    pub text: String,
}

impl ProjItem {
    pub fn name(&self) -> &str {
        self.alias.as_ref().map_or(&self.text, |a| &a.name)
    }
}

#[derive(Debug, Clone)]
pub struct SortItem {
    pub expr: Expr,
    pub descending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortest {
    One,
    All,
}

/// One comma-separated part of a pattern: `p = (a)-[r]->(b)`.
#[derive(Debug, Clone)]
pub struct PatternPart {
    pub var: Option<Ident>,
    pub shortest: Option<Shortest>,
    pub nodes: Vec<NodePattern>,
    pub rels: Vec<RelPattern>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct NodePattern {
    pub var: Option<Ident>,
    pub labels: Vec<String>,
    pub props: Option<Expr>,
    pub span: Span,
}

/// Which way a relationship pattern points, read left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Right,
    Left,
    Both,
}

#[derive(Debug, Clone)]
pub struct RelPattern {
    pub var: Option<Ident>,
    pub types: Vec<String>,
    pub direction: Direction,
    /// `None` for a single hop; `Some((min, max))` for `*min..max`.
    pub range: Option<(Option<u64>, Option<u64>)>,
    pub props: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum SetItem {
    Property { target: Expr, value: Expr },
    Replace { var: Ident, value: Expr },
    Merge { var: Ident, value: Expr },
    Labels { var: Ident, labels: Vec<String> },
}

#[derive(Debug, Clone)]
pub enum RemoveItem {
    Property(Expr),
    Labels { var: Ident, labels: Vec<String> },
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
    Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    Xor,
    And,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    In,
    StartsWith,
    EndsWith,
    Contains,
    Regex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantifierKind {
    All,
    Any,
    None,
    Single,
}

#[derive(Debug, Clone)]
pub enum MapProjItem {
    All,
    Property(String),
    Literal(String, Expr),
    Variable(String),
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Expr>),
    Map(Vec<(String, Expr)>),
    Param(String),
    Var(String),
    Property(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    HasLabels(Box<Expr>, Vec<String>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `a < b <= c` is `a < b AND b <= c`, with `b` evaluated once.
    Compare(Box<Expr>, Vec<(CompareOp, Expr)>),
    IsNull(Box<Expr>, bool),
    Case {
        operand: Option<Box<Expr>>,
        whens: Vec<(Expr, Expr)>,
        otherwise: Option<Box<Expr>>,
    },
    CountStar,
    Call {
        name: String,
        distinct: bool,
        args: Vec<Expr>,
        /// The function table's row, filled in by the planner so that running the query
        /// never looks the name up again.
        func: Option<super::functions::FuncId>,
    },
    ListComp {
        var: String,
        list: Box<Expr>,
        filter: Option<Box<Expr>>,
        map: Option<Box<Expr>>,
    },
    Quantifier {
        kind: QuantifierKind,
        var: String,
        list: Box<Expr>,
        filter: Option<Box<Expr>>,
    },
    Pattern(Box<PatternPart>),
    /// `[p = (a)-->(b) WHERE ... | ...]`; the path variable is the part's `var`.
    PatternComp {
        part: Box<PatternPart>,
        filter: Option<Box<Expr>>,
        map: Box<Expr>,
    },
    MapProj {
        var: String,
        items: Vec<MapProjItem>,
    },
    /// The planner's stand-in for the i-th aggregate of a projection.
    AggRef(usize),
    /// `EXISTS { ... }`, `COUNT { ... }` or `COLLECT { ... }`: a query run for each row, seeing
    /// the row's variables. The pattern form `EXISTS { (a)-->(b) WHERE ... }` is kept as its
    /// `MATCH` with `pattern_form` set, so that it prints as written.
    Subquery {
        kind: SubqueryKind,
        query: Box<Query>,
        pattern_form: bool,
        /// The inner query's plan, made once by the planner for the variables it imports.
        plan: super::planner::SubqueryPlan,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubqueryKind {
    Exists,
    Count,
    Collect,
}

impl SubqueryKind {
    pub fn keyword(self) -> &'static str {
        match self {
            SubqueryKind::Exists => "EXISTS",
            SubqueryKind::Count => "COUNT",
            SubqueryKind::Collect => "COLLECT",
        }
    }
}

/// The body of `children` and `children_mut`, written once for shared and unique borrows so
/// that the two walks cannot drift apart.
macro_rules! direct_children {
    ($e:expr $(, $m:tt)?) => {{
        let mut out = Vec::new();
        match & $($m)? $e.kind {
            ExprKind::List(items) => out.extend(items),
            ExprKind::Map(entries) => out.extend(entries.into_iter().map(|(_, e)| e)),
            ExprKind::Property(e, _)
            | ExprKind::HasLabels(e, _)
            | ExprKind::Unary(_, e)
            | ExprKind::IsNull(e, _) => out.push(&$($m)? **e),
            ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
                out.push(&$($m)? **a);
                out.push(&$($m)? **b);
            }
            ExprKind::Slice(a, b, c) => {
                out.push(&$($m)? **a);
                if let Some(b) = b {
                    out.push(&$($m)? **b);
                }
                if let Some(c) = c {
                    out.push(&$($m)? **c);
                }
            }
            ExprKind::Compare(first, rest) => {
                out.push(&$($m)? **first);
                out.extend(rest.into_iter().map(|(_, e)| e));
            }
            ExprKind::Case {
                operand,
                whens,
                otherwise,
            } => {
                if let Some(o) = operand {
                    out.push(&$($m)? **o);
                }
                for (w, t) in whens {
                    out.push(w);
                    out.push(t);
                }
                if let Some(o) = otherwise {
                    out.push(&$($m)? **o);
                }
            }
            ExprKind::Call { args, .. } => out.extend(args),
            ExprKind::ListComp {
                list, filter, map, ..
            } => {
                out.push(&$($m)? **list);
                if let Some(x) = filter {
                    out.push(&$($m)? **x);
                }
                if let Some(x) = map {
                    out.push(&$($m)? **x);
                }
            }
            ExprKind::Quantifier { list, filter, .. } => {
                out.push(&$($m)? **list);
                if let Some(x) = filter {
                    out.push(&$($m)? **x);
                }
            }
            ExprKind::MapProj { items, .. } => {
                for item in items {
                    if let MapProjItem::Literal(_, e) = item {
                        out.push(e);
                    }
                }
            }
            ExprKind::Pattern(part) => pattern_props!(out, part $(, $m)?),
            ExprKind::PatternComp { part, filter, map } => {
                pattern_props!(out, part $(, $m)?);
                if let Some(x) = filter {
                    out.push(&$($m)? **x);
                }
                out.push(&$($m)? **map);
            }
            _ => {}
        }
        out
    }};
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }

    /// The direct sub-expressions, for walks that do not care about the kind.
    pub fn children(&self) -> Vec<&Expr> {
        direct_children!(self)
    }

    /// The direct sub-expressions, to change in place (the planner's rewrites).
    pub fn children_mut(&mut self) -> Vec<&mut Expr> {
        direct_children!(self, mut)
    }
}

// ------------------------------------------------------------------ printing

fn write_list<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T], sep: &str) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

fn write_name(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    // Reserved words and odd characters are quoted so that the print always reparses.
    if super::is_reserved(name) {
        write!(f, "`{}`", name.replace('`', "``"))
    } else {
        write_key(f, name)
    }
}

fn write_labels(f: &mut fmt::Formatter<'_>, labels: &[String]) -> fmt::Result {
    for l in labels {
        f.write_str(":")?;
        write_name(f, l)?;
    }
    Ok(())
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_name(f, &self.name)
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                let all = self.union_all.get(i - 1).copied().unwrap_or(false);
                f.write_str(if all { " UNION ALL " } else { " UNION " })?;
            }
            write!(f, "{part}")?;
        }
        Ok(())
    }
}

impl fmt::Display for SingleQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_list(f, &self.clauses, " ")
    }
}

impl fmt::Display for Clause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.keyword())?;
        match &self.kind {
            ClauseKind::Match {
                pattern, filter, ..
            } => {
                f.write_str(" ")?;
                write_list(f, pattern, ", ")?;
                if let Some(w) = filter {
                    write!(f, " WHERE {w}")?;
                }
            }
            ClauseKind::Unwind { expr, var } => write!(f, " {expr} AS {var}")?,
            ClauseKind::With { proj, filter } => {
                write!(f, " {proj}")?;
                if let Some(w) = filter {
                    write!(f, " WHERE {w}")?;
                }
            }
            ClauseKind::Return { proj } => write!(f, " {proj}")?,
            ClauseKind::Create { pattern } => {
                f.write_str(" ")?;
                write_list(f, pattern, ", ")?;
            }
            ClauseKind::Merge {
                part,
                on_match,
                on_create,
            } => {
                write!(f, " {part}")?;
                if !on_match.is_empty() {
                    f.write_str(" ON MATCH SET ")?;
                    write_list(f, on_match, ", ")?;
                }
                if !on_create.is_empty() {
                    f.write_str(" ON CREATE SET ")?;
                    write_list(f, on_create, ", ")?;
                }
            }
            ClauseKind::Set { items } => {
                f.write_str(" ")?;
                write_list(f, items, ", ")?;
            }
            ClauseKind::Remove { items } => {
                f.write_str(" ")?;
                write_list(f, items, ", ")?;
            }
            ClauseKind::Delete { exprs, .. } => {
                f.write_str(" ")?;
                write_list(f, exprs, ", ")?;
            }
            ClauseKind::Call {
                procedure,
                args,
                yields,
                filter,
            } => {
                write!(f, " {}", procedure.name)?;
                if let Some(args) = args {
                    f.write_str("(")?;
                    write_list(f, args, ", ")?;
                    f.write_str(")")?;
                }
                match yields {
                    None => {}
                    Some(Yield::All) => f.write_str(" YIELD *")?,
                    Some(Yield::Items(items)) => {
                        f.write_str(" YIELD ")?;
                        for (i, item) in items.iter().enumerate() {
                            if i > 0 {
                                f.write_str(", ")?;
                            }
                            write_key(f, &item.output.name)?;
                            if let Some(alias) = &item.alias {
                                f.write_str(" AS ")?;
                                write_name(f, &alias.name)?;
                            }
                        }
                    }
                }
                if let Some(x) = filter {
                    write!(f, " WHERE {x}")?;
                }
            }
            ClauseKind::CallSubquery { query } => write!(f, " {{ {query} }}")?,
        }
        Ok(())
    }
}

impl fmt::Display for Projection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.distinct {
            f.write_str("DISTINCT ")?;
        }
        if self.star {
            f.write_str("*")?;
            if !self.items.is_empty() {
                f.write_str(", ")?;
            }
        }
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}", item.expr)?;
            if let Some(alias) = &item.alias {
                write!(f, " AS {alias}")?;
            }
        }
        if !self.order.is_empty() {
            f.write_str(" ORDER BY ")?;
            for (i, s) in self.order.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{}", s.expr)?;
                if s.descending {
                    f.write_str(" DESC")?;
                }
            }
        }
        if let Some(s) = &self.skip {
            write!(f, " SKIP {s}")?;
        }
        if let Some(l) = &self.limit {
            write!(f, " LIMIT {l}")?;
        }
        Ok(())
    }
}

impl fmt::Display for SetItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetItem::Property { target, value } => write!(f, "{target} = {value}"),
            SetItem::Replace { var, value } => write!(f, "{var} = {value}"),
            SetItem::Merge { var, value } => write!(f, "{var} += {value}"),
            SetItem::Labels { var, labels } => {
                write!(f, "{var}")?;
                write_labels(f, labels)
            }
        }
    }
}

impl fmt::Display for RemoveItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RemoveItem::Property(e) => write!(f, "{e}"),
            RemoveItem::Labels { var, labels } => {
                write!(f, "{var}")?;
                write_labels(f, labels)
            }
        }
    }
}

impl fmt::Display for PatternPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(v) = &self.var {
            write!(f, "{v} = ")?;
        }
        match self.shortest {
            Some(Shortest::One) => f.write_str("shortestPath(")?,
            Some(Shortest::All) => f.write_str("allShortestPaths(")?,
            None => {}
        }
        for (i, node) in self.nodes.iter().enumerate() {
            if i > 0
                && let Some(rel) = self.rels.get(i - 1)
            {
                write!(f, "{rel}")?;
            }
            write!(f, "{node}")?;
        }
        if self.shortest.is_some() {
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl fmt::Display for NodePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        if let Some(v) = &self.var {
            write!(f, "{v}")?;
        }
        write_labels(f, &self.labels)?;
        if let Some(p) = &self.props {
            if self.var.is_some() || !self.labels.is_empty() {
                f.write_str(" ")?;
            }
            write!(f, "{p}")?;
        }
        f.write_str(")")
    }
}

impl fmt::Display for RelPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.direction == Direction::Left {
            "<-["
        } else {
            "-["
        })?;
        if let Some(v) = &self.var {
            write!(f, "{v}")?;
        }
        for (i, t) in self.types.iter().enumerate() {
            f.write_str(if i == 0 { ":" } else { "|" })?;
            write_name(f, t)?;
        }
        if let Some((min, max)) = self.range {
            f.write_str("*")?;
            match (min, max) {
                (Some(a), Some(b)) if a == b => write!(f, "{a}..{b}")?,
                (a, b) => {
                    if let Some(a) = a {
                        write!(f, "{a}")?;
                    }
                    if a.is_some() || b.is_some() {
                        f.write_str("..")?;
                    }
                    if let Some(b) = b {
                        write!(f, "{b}")?;
                    }
                }
            }
        }
        if let Some(p) = &self.props {
            write!(f, " {p}")?;
        }
        f.write_str(if self.direction == Direction::Right {
            "]->"
        } else {
            "]-"
        })
    }
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "OR",
            BinaryOp::Xor => "XOR",
            BinaryOp::And => "AND",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Pow => "^",
            BinaryOp::In => "IN",
            BinaryOp::StartsWith => "STARTS WITH",
            BinaryOp::EndsWith => "ENDS WITH",
            BinaryOp::Contains => "CONTAINS",
            BinaryOp::Regex => "=~",
        }
    }
}

impl CompareOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "<>",
            CompareOp::Lt => "<",
            CompareOp::Gt => ">",
            CompareOp::Le => "<=",
            CompareOp::Ge => ">=",
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Null => f.write_str("null"),
            ExprKind::Bool(b) => write!(f, "{b}"),
            ExprKind::Int(i) => write!(f, "{i}"),
            ExprKind::Float(x) => {
                if x.is_finite() && x.abs() >= 1e16 {
                    // Written out in full, 1e308 would read back as an integer (and overflow);
                    // the exponent keeps it a float. Found by the query_roundtrip fuzz target.
                    write!(f, "{x:e}")
                } else if x.is_finite() {
                    write_float(f, *x)
                } else if x.is_nan() {
                    f.write_str("(0.0 / 0.0)")
                } else if *x > 0.0 {
                    f.write_str("(1.0 / 0.0)")
                } else {
                    f.write_str("(-1.0 / 0.0)")
                }
            }
            ExprKind::Str(s) => write_string_literal(f, s),
            ExprKind::List(items) => {
                f.write_str("[")?;
                write_list(f, items, ", ")?;
                f.write_str("]")
            }
            ExprKind::Map(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write_name(f, k)?;
                    write!(f, ": {v}")?;
                }
                f.write_str("}")
            }
            ExprKind::Param(name) => {
                f.write_str("$")?;
                if name.chars().all(|c| c.is_ascii_digit()) {
                    f.write_str(name)
                } else {
                    write_name(f, name)
                }
            }
            ExprKind::Var(name) => write_name(f, name),
            ExprKind::Property(e, key) => {
                write!(f, "{e}.")?;
                write_name(f, key)
            }
            ExprKind::Index(e, i) => write!(f, "{e}[{i}]"),
            ExprKind::Slice(e, a, b) => {
                write!(f, "{e}[")?;
                if let Some(a) = a {
                    write!(f, "{a}")?;
                }
                f.write_str("..")?;
                if let Some(b) = b {
                    write!(f, "{b}")?;
                }
                f.write_str("]")
            }
            ExprKind::HasLabels(e, labels) => {
                write!(f, "{e}")?;
                write_labels(f, labels)
            }
            ExprKind::Unary(UnaryOp::Not, e) => write!(f, "(NOT {e})"),
            ExprKind::Unary(UnaryOp::Neg, e) => write!(f, "(-{e})"),
            ExprKind::Unary(UnaryOp::Pos, e) => write!(f, "(+{e})"),
            ExprKind::Binary(op, a, b) => write!(f, "({a} {} {b})", op.symbol()),
            ExprKind::Compare(first, rest) => {
                write!(f, "({first}")?;
                for (op, e) in rest {
                    write!(f, " {} {e}", op.symbol())?;
                }
                f.write_str(")")
            }
            ExprKind::IsNull(e, negated) => {
                if *negated {
                    write!(f, "({e} IS NOT NULL)")
                } else {
                    write!(f, "({e} IS NULL)")
                }
            }
            ExprKind::Case {
                operand,
                whens,
                otherwise,
            } => {
                f.write_str("CASE")?;
                if let Some(o) = operand {
                    write!(f, " {o}")?;
                }
                for (w, t) in whens {
                    write!(f, " WHEN {w} THEN {t}")?;
                }
                if let Some(e) = otherwise {
                    write!(f, " ELSE {e}")?;
                }
                f.write_str(" END")
            }
            ExprKind::CountStar => f.write_str("count(*)"),
            ExprKind::Subquery {
                kind,
                query,
                pattern_form,
                ..
            } => {
                write!(f, "{} {{ ", kind.keyword())?;
                match query.parts.first().and_then(|p| p.clauses.first()) {
                    Some(Clause {
                        kind:
                            ClauseKind::Match {
                                pattern, filter, ..
                            },
                        ..
                    }) if *pattern_form => {
                        write_list(f, pattern, ", ")?;
                        if let Some(w) = filter {
                            write!(f, " WHERE {w}")?;
                        }
                    }
                    _ => write!(f, "{query}")?,
                }
                f.write_str(" }")
            }
            ExprKind::Call {
                name,
                distinct,
                args,
                ..
            } => {
                write!(f, "{name}(")?;
                if *distinct {
                    f.write_str("DISTINCT ")?;
                }
                write_list(f, args, ", ")?;
                f.write_str(")")
            }
            ExprKind::ListComp {
                var,
                list,
                filter,
                map,
            } => {
                f.write_str("[")?;
                write_name(f, var)?;
                write!(f, " IN {list}")?;
                if let Some(w) = filter {
                    write!(f, " WHERE {w}")?;
                }
                if let Some(m) = map {
                    write!(f, " | {m}")?;
                }
                f.write_str("]")
            }
            ExprKind::Quantifier {
                kind,
                var,
                list,
                filter,
            } => {
                let name = match kind {
                    QuantifierKind::All => "all",
                    QuantifierKind::Any => "any",
                    QuantifierKind::None => "none",
                    QuantifierKind::Single => "single",
                };
                write!(f, "{name}(")?;
                write_name(f, var)?;
                write!(f, " IN {list}")?;
                if let Some(w) = filter {
                    write!(f, " WHERE {w}")?;
                }
                f.write_str(")")
            }
            ExprKind::Pattern(part) => write!(f, "{part}"),
            ExprKind::PatternComp { part, filter, map } => {
                write!(f, "[{part}")?;
                if let Some(w) = filter {
                    write!(f, " WHERE {w}")?;
                }
                write!(f, " | {map}]")
            }
            ExprKind::MapProj { var, items } => {
                write_name(f, var)?;
                f.write_str(" {")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    match item {
                        MapProjItem::All => f.write_str(".*")?,
                        MapProjItem::Property(k) => {
                            f.write_str(".")?;
                            write_name(f, k)?;
                        }
                        MapProjItem::Literal(k, e) => {
                            write_name(f, k)?;
                            write!(f, ": {e}")?;
                        }
                        MapProjItem::Variable(v) => write_name(f, v)?,
                    }
                }
                f.write_str("}")
            }
            ExprKind::AggRef(i) => write!(f, "#agg{i}"),
        }
    }
}
