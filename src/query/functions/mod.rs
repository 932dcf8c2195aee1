//! The one table of Cypher functions: each entry's name, parameters and their types, result
//! type, implementation and one-line help. The planner resolves a call's name against it once,
//! the evaluator calls the entry it resolved to, and the REPL completes and lists from it.
//!
//! Implementations are grouped by family, one file each; a family only adds rows to `FAMILIES`.
//! Nothing here changes the graph, and no implementation panics on a value.

mod aggregate;
mod convert;
mod entity;
mod list;
mod math;
mod procedures;
mod string;
mod temporal;

use std::fmt;

pub use procedures::{Procedure, builtins as procedures, find_procedure};
pub(crate) use procedures::{accepts, run_call};
use std::sync::LazyLock;

use super::error::{ErrorKind, QueryError, Span};
use super::eval::{Ctx, Result, runtime};
use super::planner::AggFunc;
use super::value::{PathRef, Val};
use crate::graph::Graph;

/// The type of a parameter or a result, as `:help functions` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Any,
    Boolean,
    Integer,
    Float,
    Number,
    String,
    List,
    Map,
    Node,
    Relationship,
    Path,
    Temporal,
    Duration,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::Any => "ANY",
            Type::Boolean => "BOOLEAN",
            Type::Integer => "INTEGER",
            Type::Float => "FLOAT",
            Type::Number => "NUMBER",
            Type::String => "STRING",
            Type::List => "LIST",
            Type::Map => "MAP",
            Type::Node => "NODE",
            Type::Relationship => "RELATIONSHIP",
            Type::Path => "PATH",
            Type::Temporal => "TEMPORAL",
            Type::Duration => "DURATION",
        })
    }
}

impl Type {
    /// The type a signature names (`STRING?`, `INTEGER`, `LIST OF ANY?`), ignoring case and
    /// the `?` that marks it nullable; anything else is `ANY`.
    pub fn parse(name: &str) -> Type {
        let name = name.trim().trim_end_matches('?').to_ascii_uppercase();
        match name.as_str() {
            "BOOLEAN" => Type::Boolean,
            "INTEGER" => Type::Integer,
            "FLOAT" => Type::Float,
            "NUMBER" => Type::Number,
            "STRING" => Type::String,
            "MAP" => Type::Map,
            "NODE" => Type::Node,
            "RELATIONSHIP" => Type::Relationship,
            "PATH" => Type::Path,
            "DURATION" => Type::Duration,
            n if n.starts_with("LIST") => Type::List,
            _ => Type::Any,
        }
    }
}

/// One named, typed parameter.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub ty: Type,
}

pub const fn param(name: &'static str, ty: Type) -> Param {
    Param { name, ty }
}

/// A scalar function's body: the call's context and its evaluated arguments.
pub type ScalarFn = fn(&Call<'_>, Vec<Val>) -> Result<Val>;

/// How a function is computed: per row, or over a group of rows by the executor.
#[derive(Clone, Copy)]
pub enum Imp {
    Scalar(ScalarFn),
    Aggregate(AggFunc),
}

/// One row of the table.
#[derive(Clone, Copy)]
pub struct Function {
    /// The name as Cypher spells it; calls match it without regard to case.
    pub name: &'static str,
    pub params: &'static [Param],
    /// How many of `params` a call must give; the rest are optional.
    pub required: usize,
    /// Whether the last parameter repeats (`coalesce(a, b, ...)`).
    pub variadic: bool,
    pub result: Type,
    pub imp: Imp,
    pub help: &'static str,
    /// Whether two calls with the same arguments may answer differently (`rand()`).
    pub volatile: bool,
}

impl Function {
    /// A row whose parameters are all required; `optional` and `variadic` relax that.
    pub const fn new(
        name: &'static str,
        params: &'static [Param],
        result: Type,
        imp: Imp,
        help: &'static str,
    ) -> Function {
        Function {
            name,
            params,
            required: params.len(),
            variadic: false,
            result,
            imp,
            help,
            volatile: false,
        }
    }

    pub const fn scalar(
        name: &'static str,
        params: &'static [Param],
        result: Type,
        body: ScalarFn,
        help: &'static str,
    ) -> Function {
        Function::new(name, params, result, Imp::Scalar(body), help)
    }

    /// The same function with its last `n` parameters optional.
    pub const fn optional(self, n: usize) -> Function {
        Function {
            required: self.params.len() - n,
            ..self
        }
    }

    pub const fn volatile(self) -> Function {
        Function {
            volatile: true,
            ..self
        }
    }

    pub const fn variadic(self) -> Function {
        Function {
            variadic: true,
            ..self
        }
    }

    /// The least and most number of arguments a call may give.
    pub fn arity(&self) -> (usize, usize) {
        let most = if self.variadic {
            usize::MAX
        } else {
            self.params.len()
        };
        (self.required, most)
    }

    pub fn aggregate(&self) -> Option<AggFunc> {
        match self.imp {
            Imp::Aggregate(a) => Some(a),
            Imp::Scalar(_) => None,
        }
    }

    /// `name(param :: TYPE, [optional :: TYPE]) :: RESULT`, as the help lists it.
    pub fn signature(&self) -> String {
        let mut out = format!("{}(", self.name);
        for (i, p) in self.params.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let optional = i >= self.required && !(self.variadic && i + 1 == self.params.len());
            if optional {
                out.push('[');
            }
            out.push_str(&format!("{} :: {}", p.name, p.ty));
            if self.variadic && i + 1 == self.params.len() {
                out.push_str(", ...");
            }
            if optional {
                out.push(']');
            }
        }
        out.push_str(&format!(") :: {}", self.result));
        out
    }
}

/// Where a call resolved to in the table; the planner stores it in the call's AST node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FuncId(u16);

/// Every family's rows, in the order `:help functions` lists them.
const FAMILIES: &[&[Function]] = &[
    aggregate::FUNCTIONS,
    entity::FUNCTIONS,
    list::FUNCTIONS,
    string::FUNCTIONS,
    convert::FUNCTIONS,
    math::FUNCTIONS,
    temporal::FUNCTIONS,
];

static TABLE: LazyLock<Vec<&'static Function>> =
    LazyLock::new(|| FAMILIES.iter().flat_map(|f| f.iter()).collect());

/// Every function, in listing order.
pub fn all() -> &'static [&'static Function] {
    &TABLE
}

/// The function a call names, ignoring case; `None` for a name nobody defined.
pub fn lookup(name: &str) -> Option<FuncId> {
    TABLE
        .iter()
        .position(|f| f.name.eq_ignore_ascii_case(name))
        .and_then(|i| u16::try_from(i).ok())
        .map(FuncId)
}

pub fn get(id: FuncId) -> &'static Function {
    TABLE[usize::from(id.0)]
}

/// The table row a name resolves to, if any.
pub fn find(name: &str) -> Option<&'static Function> {
    lookup(name).map(get)
}

/// What a function body sees besides its arguments: the name as the user wrote it (for
/// messages), where the call is, the graph and the query's context.
pub struct Call<'a> {
    pub name: &'a str,
    pub span: Span,
    pub graph: &'a Graph,
    pub ctx: &'a Ctx<'a>,
}

impl Call<'_> {
    pub fn type_error(&self, msg: impl Into<String>) -> QueryError {
        runtime(ErrorKind::TypeError, "InvalidArgumentType", self.span, msg)
    }

    pub fn argument_error(&self, detail: &'static str, msg: impl Into<String>) -> QueryError {
        runtime(ErrorKind::ArgumentError, detail, self.span, msg)
    }

    fn expected(&self, what: &str, got: &Val) -> QueryError {
        self.type_error(format!(
            "{} expects {what}, not {}",
            self.name,
            got.type_name()
        ))
    }

    pub fn int(&self, v: &Val) -> Result<Option<i64>> {
        match v {
            Val::Null => Ok(None),
            Val::Int(i) => Ok(Some(*i)),
            other => Err(self.expected("an integer", other)),
        }
    }

    pub fn str<'v>(&self, v: &'v Val) -> Result<Option<&'v str>> {
        match v {
            Val::Null => Ok(None),
            Val::Str(s) => Ok(Some(s)),
            other => Err(self.expected("a string", other)),
        }
    }

    pub fn num(&self, v: &Val) -> Result<Option<f64>> {
        match v {
            Val::Null => Ok(None),
            Val::Int(i) => Ok(Some(*i as f64)),
            Val::Float(f) => Ok(Some(*f)),
            other => Err(self.expected("a number", other)),
        }
    }

    pub fn path(&self, v: &Val) -> Result<Option<PathRef>> {
        match v {
            Val::Null => Ok(None),
            Val::Path(p) => Ok(Some(p.clone())),
            other => Err(self.expected("a path", other)),
        }
    }
}

const NULL: &Val = &Val::Null;

/// The `i`th argument, null when the call gave fewer.
fn arg(vals: &[Val], i: usize) -> &Val {
    vals.get(i).unwrap_or(NULL)
}

/// The first argument, taken out of the list.
fn first(vals: Vec<Val>) -> Val {
    vals.into_iter().next().unwrap_or(Val::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_unique_ignoring_case() {
        let mut seen = std::collections::BTreeSet::new();
        for f in all() {
            assert!(seen.insert(f.name.to_ascii_lowercase()), "{} twice", f.name);
        }
    }

    #[test]
    fn lookup_ignores_case_and_knows_dotted_names() {
        assert_eq!(find("TOUPPER").map(|f| f.name), Some("toUpper"));
        assert_eq!(
            find("duration.inmonths").map(|f| f.name),
            Some("duration.inMonths")
        );
        assert!(find("nosuchfunction").is_none());
    }

    #[test]
    fn signatures_mark_optional_and_repeated_parameters() {
        assert_eq!(
            find("substring").map(|f| f.signature()).as_deref(),
            Some("substring(original :: STRING, start :: INTEGER, [length :: INTEGER]) :: STRING")
        );
        assert_eq!(
            find("coalesce").map(|f| f.signature()).as_deref(),
            Some("coalesce(input :: ANY, ...) :: ANY")
        );
    }
}
