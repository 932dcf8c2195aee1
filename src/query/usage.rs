//! What the rest of a query reads of a step's rows: which variables, and whether duplicate
//! rows can change its answer. The pattern-join operator uses it to skip work whose only
//! effect would be rows the consumer throws away.
//!
//! Every answer here errs on the safe side: a variable is taken as read whenever its name
//! appears in an expression's printed form (even inside a string or as a property key), so
//! an expression kind added later can make this less precise but never wrong.

use super::ast::{Expr, ExprKind};
use super::join::Needs;
use super::planner::{AggFunc, Op, Step};

/// Whether `name` may be read by `e`.
pub fn mentions(e: &Expr, name: &str) -> bool {
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return true;
    }
    let text = e.to_string();
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|w| w == name)
}

/// What the step after a MATCH needs from its rows whose variables are `names`.
pub fn needs_of(next: Option<&Step>, names: &[String]) -> Needs {
    let Some(Step {
        op: Op::Project(p), ..
    }) = next
    else {
        return Needs::default();
    };
    let set_semantics = if p.aggregates() {
        p.aggs
            .iter()
            .all(|a| a.distinct || matches!(a.func, AggFunc::Min | AggFunc::Max))
    } else {
        p.distinct
    };
    // Non-distinct counts only: a row may stand for several, and a variable that is only
    // counted is not read (a variable the pattern binds is never null, and the operator
    // that collapses rows leaves one of their values in it).
    let counts_only = p.aggregates()
        && p.aggs
            .iter()
            .all(|a| !a.distinct && matches!(a.func, AggFunc::Count | AggFunc::CountStar));
    let mut exprs: Vec<&Expr> = p.items.iter().map(|(_, e)| e).collect();
    exprs.extend(
        p.aggs
            .iter()
            .flat_map(|a| a.args.iter())
            .filter(|e| !(counts_only && matches!(e.kind, ExprKind::Var(_)))),
    );
    exprs.extend(p.order.iter().map(|(e, _)| e));
    exprs.extend(p.filter.iter());
    exprs.extend(p.skip.iter());
    exprs.extend(p.limit.iter());
    let used = names
        .iter()
        .enumerate()
        .map(|(i, n)| p.keep.contains(&i) || exprs.iter().any(|e| mentions(e, n)))
        .collect();
    Needs {
        set_semantics,
        used: Some(used),
        counts_only,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_read_only_where_it_appears_as_a_word() {
        let e = crate::query::parser::parse_expression("count(DISTINCT c) + size(cd)", 50).unwrap();
        assert!(mentions(&e, "c"));
        assert!(mentions(&e, "cd"));
        assert!(!mentions(&e, "d"));
        assert!(mentions(&e, "odd name"));
    }
}
