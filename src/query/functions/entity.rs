//! Functions on nodes, relationships and paths: identity, labels, types, properties and the
//! parts of a path. They read the graph and never change it.

use super::Type::{Any, Boolean, Integer, List, Map, Node, Path, Relationship, String as Str};
use super::{Call, Function, first, param};
use crate::query::eval::{Result, deleted, properties_of};
use crate::query::value::Val;

pub(super) const FUNCTIONS: &[Function] = &[
    Function::scalar(
        "id",
        &[param("input", Any)],
        Integer,
        id,
        "the id of a node or relationship",
    ),
    Function::scalar(
        "labels",
        &[param("input", Node)],
        List,
        labels,
        "the labels of a node",
    ),
    Function::scalar(
        "type",
        &[param("input", Relationship)],
        Str,
        rel_type,
        "the type of a relationship",
    ),
    Function::scalar(
        "properties",
        &[param("input", Any)],
        Map,
        properties,
        "the properties of a node or relationship as a map",
    ),
    Function::scalar(
        "keys",
        &[param("input", Any)],
        List,
        keys,
        "the property keys of a node, relationship or map",
    ),
    Function::scalar(
        "startNode",
        &[param("input", Relationship)],
        Node,
        start_node,
        "the node a relationship leaves",
    ),
    Function::scalar(
        "endNode",
        &[param("input", Relationship)],
        Node,
        end_node,
        "the node a relationship enters",
    ),
    Function::scalar(
        "nodes",
        &[param("input", Path)],
        List,
        nodes,
        "the nodes of a path",
    ),
    Function::scalar(
        "relationships",
        &[param("input", Path)],
        List,
        relationships,
        "the relationships of a path",
    ),
    Function::scalar(
        "length",
        &[param("input", Path)],
        Integer,
        length,
        "the number of relationships in a path",
    ),
    Function::scalar(
        "exists",
        &[param("input", Any)],
        Boolean,
        exists,
        "whether a property is set, or whether a pattern has a match",
    ),
];

fn id(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match first(vals) {
        Val::Node(id) => Val::Int(id.0 as i64),
        Val::Rel(id) => Val::Int(id.0 as i64),
        Val::Null => Val::Null,
        other => return Err(call.expected("a node or relationship", &other)),
    })
}

fn labels(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match first(vals) {
        Val::Node(id) => match call.graph.node(id) {
            Some(n) => Val::List(n.labels.iter().map(|l| Val::Str(l.to_string())).collect()),
            None => return Err(deleted(call.span)),
        },
        Val::Null => Val::Null,
        other => return Err(call.expected("a node", &other)),
    })
}

fn rel_type(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match first(vals) {
        // openCypher lets a query read the type of a relationship it deleted.
        Val::Rel(id) => match call.graph.edge(id) {
            Some(r) => Val::Str(r.rel_type.to_string()),
            None => match call.ctx.undo.deleted_edge_type(id) {
                Some(t) => Val::Str(t.to_string()),
                None => return Err(deleted(call.span)),
            },
        },
        Val::Null => Val::Null,
        other => return Err(call.expected("a relationship", &other)),
    })
}

fn properties(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    properties_of(&first(vals), call.graph, call.span)
}

fn keys(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match properties_of(&first(vals), call.graph, call.span)? {
        Val::Map(m) => Val::List(m.into_keys().map(Val::Str).collect()),
        _ => Val::Null,
    })
}

fn end_of(call: &Call<'_>, vals: Vec<Val>, start: bool) -> Result<Val> {
    Ok(match first(vals) {
        Val::Rel(id) => match call.graph.edge(id) {
            Some(r) => Val::Node(if start { r.source } else { r.target }),
            None => return Err(deleted(call.span)),
        },
        Val::Null => Val::Null,
        other => return Err(call.expected("a relationship", &other)),
    })
}

fn start_node(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    end_of(call, vals, true)
}

fn end_node(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    end_of(call, vals, false)
}

fn nodes(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match call.path(&first(vals))? {
        Some(p) => Val::List(p.nodes.into_iter().map(Val::Node).collect()),
        None => Val::Null,
    })
}

fn relationships(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match call.path(&first(vals))? {
        Some(p) => Val::List(p.rels.into_iter().map(Val::Rel).collect()),
        None => Val::Null,
    })
}

fn length(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match first(vals) {
        Val::Path(p) => Val::Int(p.rels.len() as i64),
        Val::Null => Val::Null,
        other => return Err(call.expected("a path", &other)),
    })
}

/// `exists(n.prop)`; the evaluator answers `exists((a)-->(b))` itself, since a pattern is
/// not a value.
fn exists(_: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(Val::Bool(!first(vals).is_null()))
}
