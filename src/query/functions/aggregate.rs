//! The aggregating functions' rows. The executor computes them over a group of rows (see
//! `exec`); this file only names and types them. It must never evaluate anything per row.

use super::Type::{Any, Float, Integer, List, Number};
use super::{Function, Imp, Param, Type, param};
use crate::query::planner::AggFunc;

const fn agg(
    name: &'static str,
    params: &'static [Param],
    result: Type,
    func: AggFunc,
    help: &'static str,
) -> Function {
    Function::new(name, params, result, Imp::Aggregate(func), help)
}

const INPUT: &[Param] = &[param("input", Any)];
const NUMBERS: &[Param] = &[param("input", Number)];
const PERCENTILE: &[Param] = &[param("input", Number), param("percentile", Float)];

pub(super) const FUNCTIONS: &[Function] = &[
    agg(
        "count",
        INPUT,
        Integer,
        AggFunc::Count,
        "the number of non-null values (count(*): rows)",
    ),
    agg(
        "collect",
        INPUT,
        List,
        AggFunc::Collect,
        "the non-null values as a list",
    ),
    agg(
        "sum",
        NUMBERS,
        Number,
        AggFunc::Sum,
        "the sum of the numbers or durations",
    ),
    agg(
        "avg",
        NUMBERS,
        Number,
        AggFunc::Avg,
        "the mean of the numbers or durations",
    ),
    agg("min", INPUT, Any, AggFunc::Min, "the least value"),
    agg("max", INPUT, Any, AggFunc::Max, "the greatest value"),
    agg(
        "percentileCont",
        PERCENTILE,
        Float,
        AggFunc::PercentileCont,
        "the percentile, interpolating between values",
    ),
    agg(
        "percentileDisc",
        PERCENTILE,
        Number,
        AggFunc::PercentileDisc,
        "the percentile, as the nearest value",
    ),
    agg(
        "stDev",
        NUMBERS,
        Float,
        AggFunc::StDev,
        "the sample standard deviation",
    ),
    agg(
        "stDevP",
        NUMBERS,
        Float,
        AggFunc::StDevP,
        "the population standard deviation",
    ),
];
