//! Procedures for `CALL name(args) YIELD ...`: the built-in ones an analyst coming from Neo4j
//! runs first (`db.labels()`, `db.schema.nodeTypeProperties()`, `dbms.procedures()`, ...) and
//! procedures whose answers are a fixed table, which a caller registers per query (the TCK's
//! test procedures). Procedures only read the graph; none of them changes it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Arc, LazyLock};

use super::Type::{self, Any, Boolean, List, String as Str};
use crate::graph::{Graph, Properties};
use crate::query::QueryValue;
use crate::query::eval::Result;
use crate::query::value::{Val, equals};

/// A built-in procedure's body: the graph and the evaluated arguments, to rows of outputs in
/// the order the procedure declares them.
type Builtin = fn(&Graph, &[Val]) -> Result<Vec<Vec<Val>>>;

#[derive(Clone)]
enum Body {
    Builtin(Builtin),
    /// Rows of argument values followed by output values; a call yields the outputs of the
    /// rows whose arguments equal its own (null matches null).
    Table(Vec<Vec<Val>>),
}

/// One procedure: its name, typed parameters and outputs, help and body.
#[derive(Clone)]
pub struct Procedure {
    pub name: String,
    pub params: Vec<(String, Type)>,
    pub outputs: Vec<(String, Type)>,
    pub help: String,
    body: Body,
}

impl fmt::Debug for Procedure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.signature())
    }
}

impl Procedure {
    /// A procedure whose answers are a fixed table: each row holds the argument values and
    /// then the output values, as the TCK's "there exists a procedure" step writes them.
    pub fn table(
        name: &str,
        params: Vec<(String, Type)>,
        outputs: Vec<(String, Type)>,
        rows: &[Vec<QueryValue>],
    ) -> Procedure {
        Procedure {
            name: name.to_string(),
            params,
            outputs,
            help: "answers from a fixed table".to_string(),
            body: Body::Table(
                rows.iter()
                    .map(|r| r.iter().map(Val::from_query_value).collect())
                    .collect(),
            ),
        }
    }

    fn builtin(name: &str, outputs: &[(&str, Type)], body: Builtin, help: &str) -> Arc<Procedure> {
        Arc::new(Procedure {
            name: name.to_string(),
            params: Vec::new(),
            outputs: outputs.iter().map(|(n, t)| (n.to_string(), *t)).collect(),
            help: help.to_string(),
            body: Body::Builtin(body),
        })
    }

    /// `name(param :: TYPE, ...) :: (output :: TYPE, ...)`, as Neo4j lists procedures.
    pub fn signature(&self) -> String {
        let list = |items: &[(String, Type)]| {
            items
                .iter()
                .map(|(n, t)| format!("{n} :: {t}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "{}({}) :: ({})",
            self.name,
            list(&self.params),
            list(&self.outputs)
        )
    }

    /// Runs the procedure on evaluated arguments (as many as it has parameters).
    pub(crate) fn call(&self, graph: &Graph, args: &[Val]) -> Result<Vec<Vec<Val>>> {
        match &self.body {
            Body::Builtin(f) => f(graph, args),
            Body::Table(rows) => Ok(rows
                .iter()
                .filter(|row| {
                    args.iter()
                        .zip(row.iter())
                        .all(|(a, b)| (a.is_null() && b.is_null()) || equals(a, b) == Some(true))
                })
                .map(|row| row[args.len().min(row.len())..].to_vec())
                .collect()),
        }
    }
}

static BUILTINS: LazyLock<Vec<Arc<Procedure>>> = LazyLock::new(|| {
    vec![
        Procedure::builtin(
            "db.labels",
            &[("label", Str)],
            labels,
            "every node label in use",
        ),
        Procedure::builtin(
            "db.relationshipTypes",
            &[("relationshipType", Str)],
            relationship_types,
            "every relationship type in use",
        ),
        Procedure::builtin(
            "db.propertyKeys",
            &[("propertyKey", Str)],
            property_keys,
            "every property key in use",
        ),
        Procedure::builtin(
            "db.schema.nodeTypeProperties",
            &[
                ("nodeType", Str),
                ("nodeLabels", List),
                ("propertyName", Str),
                ("propertyTypes", List),
                ("mandatory", Boolean),
            ],
            node_type_properties,
            "each combination of labels with its property keys, their types and whether every such node has them",
        ),
        Procedure::builtin(
            "db.schema.relTypeProperties",
            &[
                ("relType", Str),
                ("propertyName", Str),
                ("propertyTypes", List),
                ("mandatory", Boolean),
            ],
            rel_type_properties,
            "each relationship type with its property keys, their types and whether every such relationship has them",
        ),
        Procedure::builtin(
            "dbms.procedures",
            &[("name", Str), ("signature", Str), ("description", Str)],
            procedures,
            "every built-in procedure (also SHOW PROCEDURES)",
        ),
        Procedure::builtin(
            "dbms.functions",
            &[
                ("name", Str),
                ("signature", Str),
                ("description", Str),
                ("aggregating", Boolean),
            ],
            functions,
            "every function (also SHOW FUNCTIONS)",
        ),
    ]
});

/// Every built-in procedure, in listing order.
pub fn builtins() -> &'static [Arc<Procedure>] {
    &BUILTINS
}

/// The procedure `name` names, among the built-ins and `extra`; names match exactly, as in
/// Neo4j.
pub fn find_procedure(name: &str, extra: &[Arc<Procedure>]) -> Option<Arc<Procedure>> {
    builtins()
        .iter()
        .chain(extra)
        .find(|p| p.name == name)
        .cloned()
}

fn strings<'a>(items: impl Iterator<Item = &'a str>) -> Vec<Vec<Val>> {
    items.map(|s| vec![Val::Str(s.to_string())]).collect()
}

fn labels(g: &Graph, _: &[Val]) -> Result<Vec<Vec<Val>>> {
    Ok(strings(g.labels().map(|(l, _)| l)))
}

fn relationship_types(g: &Graph, _: &[Val]) -> Result<Vec<Vec<Val>>> {
    Ok(strings(g.rel_types().map(|(t, _)| t)))
}

fn property_keys(g: &Graph, _: &[Val]) -> Result<Vec<Vec<Val>>> {
    Ok(strings(g.property_keys().into_iter()))
}

/// Per group of elements: how many there are, and per property key the value types seen and
/// how many elements have it.
#[derive(Default)]
struct Shape {
    count: usize,
    keys: BTreeMap<String, (BTreeSet<&'static str>, usize)>,
}

impl Shape {
    fn add(&mut self, props: &Properties) {
        self.count += 1;
        for (k, v) in props.iter() {
            let entry = self.keys.entry(k.to_string()).or_default();
            entry.0.insert(v.type_name());
            entry.1 += 1;
        }
    }

    /// One row per key (`prefix` then name, types, mandatory), or one row of nulls when the
    /// group has no properties at all, as Neo4j answers.
    fn rows(&self, prefix: &[Val], out: &mut Vec<Vec<Val>>) {
        if self.keys.is_empty() {
            let mut row = prefix.to_vec();
            row.extend([Val::Null, Val::Null, Val::Bool(false)]);
            out.push(row);
        }
        for (key, (types, n)) in &self.keys {
            let mut row = prefix.to_vec();
            row.push(Val::Str(key.clone()));
            row.push(Val::List(
                types.iter().map(|t| Val::Str((*t).to_string())).collect(),
            ));
            row.push(Val::Bool(*n == self.count));
            out.push(row);
        }
    }
}

fn node_type_properties(g: &Graph, _: &[Val]) -> Result<Vec<Vec<Val>>> {
    let mut shapes: BTreeMap<Vec<String>, Shape> = BTreeMap::new();
    for n in g.nodes() {
        let mut labels: Vec<String> = n.labels.iter().map(|l| l.to_string()).collect();
        labels.sort();
        shapes.entry(labels).or_default().add(&n.props);
    }
    let mut out = Vec::new();
    for (labels, shape) in &shapes {
        let node_type: String = labels.iter().map(|l| format!(":`{l}`")).collect();
        let prefix = [
            Val::Str(node_type),
            Val::List(labels.iter().map(|l| Val::Str(l.clone())).collect()),
        ];
        shape.rows(&prefix, &mut out);
    }
    Ok(out)
}

fn rel_type_properties(g: &Graph, _: &[Val]) -> Result<Vec<Vec<Val>>> {
    let mut shapes: BTreeMap<String, Shape> = BTreeMap::new();
    for e in g.edges() {
        shapes
            .entry(e.rel_type.to_string())
            .or_default()
            .add(&e.props);
    }
    let mut out = Vec::new();
    for (rel_type, shape) in &shapes {
        shape.rows(&[Val::Str(format!(":`{rel_type}`"))], &mut out);
    }
    Ok(out)
}

fn procedures(_: &Graph, _: &[Val]) -> Result<Vec<Vec<Val>>> {
    Ok(builtins()
        .iter()
        .map(|p| {
            vec![
                Val::Str(p.name.clone()),
                Val::Str(p.signature()),
                Val::Str(p.help.clone()),
            ]
        })
        .collect())
}

fn functions(_: &Graph, _: &[Val]) -> Result<Vec<Vec<Val>>> {
    Ok(super::all()
        .iter()
        .map(|f| {
            vec![
                Val::Str(f.name.to_string()),
                Val::Str(f.signature()),
                Val::Str(f.help.to_string()),
                Val::Bool(f.aggregate().is_some()),
            ]
        })
        .collect())
}

/// Whether a value of statically known kind may be passed where `ty` is declared; `None`
/// (unknown until run time) is always allowed.
pub(crate) fn accepts(ty: Type, value: Option<&'static str>) -> bool {
    match (ty, value) {
        (_, None) | (Any, _) => true,
        (Type::Integer | Type::Float | Type::Number, Some(v)) => v == "NUMBER",
        (Type::String, Some(v)) => v == "STRING",
        (Type::Boolean, Some(v)) => v == "BOOLEAN",
        (Type::List, Some(v)) => v == "LIST",
        (Type::Map, Some(v)) => v == "MAP",
        _ => true,
    }
}

/// Runs a planned `CALL` on each input row: the outputs it yields are appended to the row
/// (one row per answer), a procedure without outputs passes the row on unchanged inside a
/// query and answers nothing on its own, and the `WHERE` after `YIELD` filters.
pub(crate) fn run_call(
    call: &crate::query::planner::CallPlan,
    in_names: &[String],
    out_names: &[String],
    rows: Vec<Vec<Val>>,
    g: &Graph,
    ctx: &crate::query::eval::Ctx<'_>,
) -> Result<Vec<Vec<Val>>> {
    use crate::query::eval::{Env, eval, truth};
    let mut out = Vec::new();
    for row in rows {
        ctx.check_cancel()?;
        let env = Env::new(in_names, &row);
        let args = call
            .args
            .iter()
            .map(|a| eval(a, &env, g, ctx))
            .collect::<Result<Vec<_>>>()?;
        if call.procedure.outputs.is_empty() {
            call.procedure.call(g, &args)?;
            if !call.standalone {
                out.push(row);
            }
            continue;
        }
        for answer in call.procedure.call(g, &args)? {
            let mut r = row.clone();
            r.extend(
                call.yields
                    .iter()
                    .map(|&i| answer.get(i).cloned().unwrap_or(Val::Null)),
            );
            if let Some(f) = &call.filter
                && truth(&eval(f, &Env::new(out_names, &r), g, ctx)?, f.span)? != Some(true)
            {
                continue;
            }
            out.push(r);
            if out.len() > ctx.limits.max_rows {
                return Err(crate::query::matcher::too_many_rows(
                    ctx.limits.max_rows,
                    call.span,
                ));
            }
        }
    }
    Ok(out)
}
