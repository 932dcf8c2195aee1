//! WHERE clauses answered from property columns: a filter that is a conjunction of
//! comparisons of a node's or a relationship's property with a constant (`r.date >=
//! '2025-04-01' AND t.kind = $kind`, `x.p IS NOT NULL`) is tested on a row by reading one
//! column slot per comparison (`graph::columns`), and each distinct stored value is compared
//! with the constant once per query, by `eval`'s own comparison, so the answer is exactly
//! the one `eval` gives, nulls and comparisons across types included.
//!
//! It never decides what it cannot answer exactly: a row whose variable holds something
//! other than a node, a relationship or null, a constant that fails to evaluate, or a graph
//! whose ids do not fit a column, leaves the row to `eval`. Comparisons never fail, so
//! testing them all (as `AND` in `eval` does) raises no error `eval` would not.

use std::cell::RefCell;
use std::sync::Arc;

use super::ast::{BinaryOp, CompareOp, Expr, ExprKind};
use super::eval::{Ctx, Env, and3, compare_op, eval};
use super::value::Val;
use crate::graph::columns::{Column, Owner};
use crate::graph::{EdgeId, Graph};

/// One conjunct: the property `key` of the element in `slot`, compared or tested for null.
#[derive(Debug, Clone)]
struct Cond {
    slot: usize,
    owner: Owner,
    key: String,
    test: Test,
}

#[derive(Debug, Clone)]
enum Test {
    /// `property op constant`, or `constant op property` when `flipped`.
    Compare {
        op: CompareOp,
        constant: Expr,
        flipped: bool,
    },
    /// `property IS NULL`, or `IS NOT NULL` when negated.
    IsNull(bool),
}

/// A conjunct as prepared for one query: its column and, per code of the column, its answer
/// once known.
#[derive(Debug, Clone)]
struct Ready {
    column: Arc<Column>,
    constant: Val,
    /// Per code: 0 not known yet, else `TRUE`, `FALSE` or `NULL`.
    answers: Vec<u8>,
}

const TRUE: u8 = 1;
const FALSE: u8 = 2;
const NULL: u8 = 3;

/// A WHERE made only of conjuncts that columns answer.
#[derive(Debug, Clone)]
pub struct ColumnFilter {
    conds: Vec<Cond>,
    /// Per conjunct, what `prepare` readied (`None`: leave rows to `eval`).
    ready: RefCell<Option<Vec<Ready>>>,
}

impl ColumnFilter {
    /// The column filter for `filter` over rows named `names`, when every conjunct is a
    /// comparison of a property of a variable with a literal or a parameter, and `element`
    /// says of each such variable's slot whether it holds nodes or relationships.
    pub fn compile(
        filter: &Expr,
        names: &[String],
        element: impl Fn(usize) -> Option<Owner>,
    ) -> Option<ColumnFilter> {
        let mut conjuncts = Vec::new();
        flatten_and(filter, &mut conjuncts);
        let property = |e: &Expr| -> Option<(usize, Owner, String)> {
            let ExprKind::Property(base, key) = &e.kind else {
                return None;
            };
            let ExprKind::Var(name) = &base.kind else {
                return None;
            };
            let slot = names.iter().rposition(|n| n == name)?;
            Some((slot, element(slot)?, key.clone()))
        };
        let constant = |e: &Expr| {
            matches!(
                e.kind,
                ExprKind::Null
                    | ExprKind::Bool(_)
                    | ExprKind::Int(_)
                    | ExprKind::Float(_)
                    | ExprKind::Str(_)
                    | ExprKind::Param(_)
            )
        };
        let mut conds = Vec::new();
        for c in conjuncts {
            let cond = match &c.kind {
                ExprKind::Compare(first, rest) if rest.len() == 1 => {
                    let (op, second) = &rest[0];
                    if let (Some((slot, owner, key)), true) = (property(first), constant(second)) {
                        let test = Test::Compare {
                            op: *op,
                            constant: second.clone(),
                            flipped: false,
                        };
                        Cond {
                            slot,
                            owner,
                            key,
                            test,
                        }
                    } else if let (true, Some((slot, owner, key))) =
                        (constant(first), property(second))
                    {
                        let test = Test::Compare {
                            op: *op,
                            constant: (**first).clone(),
                            flipped: true,
                        };
                        Cond {
                            slot,
                            owner,
                            key,
                            test,
                        }
                    } else {
                        return None;
                    }
                }
                ExprKind::IsNull(x, negated) => {
                    let (slot, owner, key) = property(x)?;
                    let test = Test::IsNull(*negated);
                    Cond {
                        slot,
                        owner,
                        key,
                        test,
                    }
                }
                _ => return None,
            };
            conds.push(cond);
        }
        Some(ColumnFilter {
            conds,
            ready: RefCell::new(None),
        })
    }

    /// Readies the columns for a run over `g` (keeping the answers known so far while the
    /// columns are the same), or leaves rows to `eval` when one cannot be had.
    pub fn prepare(&self, g: &Graph, ctx: &Ctx<'_>, env: &Env<'_>) {
        let mut ready = self.ready.borrow_mut();
        let mut held = ready.take().unwrap_or_default().into_iter();
        let mut out = Vec::with_capacity(self.conds.len());
        for cond in &self.conds {
            let before = held.next();
            let Some(column) = g.column(cond.owner, &cond.key) else {
                return;
            };
            if let Some(r) = before
                && Arc::ptr_eq(&r.column, &column)
            {
                out.push(r);
                continue;
            }
            let constant = match &cond.test {
                Test::Compare { constant, .. } => match eval(constant, env, g, ctx) {
                    Ok(v) => v,
                    Err(_) => return,
                },
                Test::IsNull(_) => Val::Null,
            };
            out.push(Ready {
                answers: vec![0; column.n_values()],
                column,
                constant,
            });
        }
        *ready = Some(out);
    }

    /// Whether every conjunct reads a slot that `allowed` accepts.
    pub fn reads_only(&self, allowed: impl Fn(usize) -> bool) -> bool {
        self.conds.iter().all(|c| allowed(c.slot))
    }

    /// Whether the row passes the WHERE, or `None` when the columns cannot tell.
    pub fn test(&self, row: &[Val]) -> Option<bool> {
        let mut ready = self.ready.borrow_mut();
        let ready = ready.as_mut()?;
        let mut all = Some(true);
        for (cond, r) in self.conds.iter().zip(ready.iter_mut()) {
            all = and3(all, r.lookup(cond, row.get(cond.slot)?)?);
        }
        Some(all == Some(true))
    }
}

impl ColumnFilter {
    /// Counts the edges of `edges` that pass the WHERE with each bound in turn to `slot`
    /// (the other slots as `row` holds them), skipping those in `used`; with the first
    /// that passes. `None` when the columns cannot tell for this row.
    ///
    /// The codes of a run of edges are read in chunks before any is tested, so that the
    /// reads, which land anywhere in the column, wait on memory together, not one by one.
    pub fn count_edges(
        &self,
        row: &[Val],
        slot: usize,
        edges: &[EdgeId],
        used: &[EdgeId],
    ) -> Option<(u64, Option<EdgeId>)> {
        const CHUNK: usize = 32;
        let mut ready = self.ready.borrow_mut();
        let ready = ready.as_mut()?;
        // The conjuncts on other slots answer once for every edge of the run.
        let mut rest = Some(true);
        for (cond, r) in self.conds.iter().zip(ready.iter_mut()) {
            if cond.slot != slot {
                rest = and3(rest, r.lookup(cond, row.get(cond.slot)?)?);
            } else if cond.owner != Owner::Edge {
                return None;
            }
        }
        if rest == Some(false) {
            return Some((0, None));
        }
        let mut n = 0;
        let mut first = None;
        let mut codes = [0u32; CHUNK];
        for chunk in edges.chunks(CHUNK) {
            let mut pass = [rest; CHUNK];
            let on_slot = self.conds.iter().zip(ready.iter_mut());
            for (cond, r) in on_slot.filter(|(c, _)| c.slot == slot) {
                let codes = &mut codes[..chunk.len()];
                for (code, e) in codes.iter_mut().zip(chunk) {
                    *code = r.column.code(e.0);
                }
                for (p, &code) in pass.iter_mut().zip(codes.iter()) {
                    *p = and3(*p, r.answer(cond, code));
                }
            }
            for (&e, p) in chunk.iter().zip(pass) {
                if p == Some(true) && !used.contains(&e) {
                    n += 1;
                    first = first.or(Some(e));
                }
            }
        }
        Some((n, first))
    }
}

impl Ready {
    /// The conjunct's answer for the element `val` holds, or `None` (outer) when the
    /// columns cannot tell.
    fn lookup(&mut self, cond: &Cond, val: &Val) -> Option<Option<bool>> {
        let code = match (val, cond.owner) {
            (Val::Rel(id), Owner::Edge) => self.column.code(id.0),
            (Val::Node(id), Owner::Node) => self.column.code(id.0),
            (Val::Null, _) => crate::graph::columns::MISSING,
            _ => return None,
        };
        Some(self.answer(cond, code))
    }

    /// The conjunct's answer for the value under `code`, computed on first use.
    fn answer(&mut self, cond: &Cond, code: u32) -> Option<bool> {
        let known = self.answers.get_mut(code as usize)?;
        if *known == 0 {
            *known = answer_of(&cond.test, self.column.value(code), &self.constant);
        }
        match *known {
            TRUE => Some(true),
            FALSE => Some(false),
            _ => None,
        }
    }
}

/// A stored value's answer to a conjunct, computed as `eval` computes it.
fn answer_of(test: &Test, stored: &crate::graph::Value, constant: &Val) -> u8 {
    let value = Val::from_value(stored);
    let result = match test {
        Test::Compare {
            op, flipped: false, ..
        } => compare_op(*op, &value, constant),
        Test::Compare {
            op, flipped: true, ..
        } => compare_op(*op, constant, &value),
        Test::IsNull(negated) => Some(value.is_null() != *negated),
    };
    match result {
        Some(true) => TRUE,
        Some(false) => FALSE,
        None => NULL,
    }
}

/// The conjuncts of `e`: its operands if it is an AND, recursively, else `e` itself.
fn flatten_and<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Binary(BinaryOp::And, a, b) => {
            flatten_and(a, out);
            flatten_and(b, out);
        }
        _ => out.push(e),
    }
}

#[cfg(test)]
mod tests {
    use crate::graph::{Graph, Properties, Value};
    use crate::query::{QueryOptions, QueryValue, execute};

    fn count(g: &mut Graph, q: &str) -> QueryValue {
        let mut options = QueryOptions::default();
        options.params.insert("x".into(), QueryValue::Int(2));
        let result = execute(g, q, &options).unwrap_or_else(|e| panic!("{q}: {e}"));
        result.rows[0][0].clone()
    }

    /// Every filter the columns answer keeps exactly the rows for which `eval` finds the
    /// condition true, over values of every type, missing ones and NaN, on nodes and
    /// relationships, and again after a change of the graph.
    #[test]
    fn column_filters_keep_the_rows_eval_keeps() {
        let values = [
            None,
            Some(Value::Int(1)),
            Some(Value::Int(2)),
            Some(Value::Float(1.5)),
            Some(Value::Float(f64::NAN)),
            Some(Value::from("2025-04-01")),
            Some(Value::from("2024-12-31")),
            Some(Value::Bool(true)),
            Some(Value::List(vec![Value::Int(1)])),
        ];
        let mut g = Graph::new();
        let mut nodes = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let mut props = Properties::new();
            if let Some(v) = v {
                props.insert("p", v.clone());
            }
            nodes.push(g.add_node([if i % 2 == 0 { "A" } else { "B" }], props));
        }
        for (i, &a) in nodes.iter().enumerate() {
            for (j, v) in values.iter().enumerate() {
                let mut props = Properties::new();
                if let Some(v) = v {
                    props.insert("p", v.clone());
                }
                g.add_edge(a, "T", nodes[(i + j) % nodes.len()], props)
                    .unwrap();
            }
        }
        let constants = [
            "1",
            "1.5",
            "'2025-01-01'",
            "true",
            "null",
            "$x",
            "x",
            "0.0 / 0.0",
        ];
        let mut conditions = vec![
            "r.p IS NULL".to_string(),
            "b.p IS NOT NULL AND r.p IS NULL".to_string(),
        ];
        for c in constants {
            for op in ["=", "<>", "<", "<=", ">", ">="] {
                conditions.push(format!("r.p {op} {c}"));
                conditions.push(format!("{c} {op} a.p"));
                conditions.push(format!("r.p {op} {c} AND b.p {op} {c}"));
            }
        }
        for _round in 0..2 {
            for cond in &conditions {
                // `x` is not a constant: those conditions are left to `eval` whole.
                let filtered =
                    format!("WITH 2 AS x MATCH (a)-[r:T]->(b) WHERE {cond} RETURN count(*) AS n");
                let counted = format!(
                    "WITH 2 AS x MATCH (a)-[r:T]->(b) \
                     RETURN sum(CASE WHEN {cond} THEN 1 ELSE 0 END) AS n"
                );
                assert_eq!(count(&mut g, &filtered), count(&mut g, &counted), "{cond}");
            }
            g.check_consistency().unwrap();
            // A change drops the columns: the next round reads the new values.
            let e = g.edges().next().map(|e| e.id).unwrap();
            g.set_edge_property(e, "p", Value::Int(2)).unwrap();
            let n = nodes[1];
            g.set_node_property(n, "p", Value::from("2025-04-01"))
                .unwrap();
            g.check_consistency().unwrap();
        }
    }
}
