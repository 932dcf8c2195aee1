//! The Graphviz DOT export: a picture that reads well without tweaking.
//!
//! Each node class (Person, Organization, Region, other) has one shape and colour, set by a
//! `node [...]` statement before its nodes, and a legend shows them with the edge colours.
//! Node labels give the name and, on a second line, a Person's first title or a Region's
//! kind; tooltips list the labels and aliases. Edge labels give the type and the date when
//! there is one; tooltips give the evidence sentence. Edges are coloured by what they say
//! (conflict, cooperation, contact, structure), symmetric types have no arrowhead, and an edge
//! read several times is drawn thicker.
//!
//! Strings are escaped for DOT (`\"`, `\\`, line breaks as `\n`, other control characters
//! as spaces) and Unicode is kept as UTF-8 under `charset="UTF-8"`. The output depends only on
//! the graph and the options: elements in id order, groups in a fixed order. The writer
//! streams and never changes the graph.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};

use super::scope::Scope;
use super::{Cluster, ExportOptions};
use crate::graph::{Edge, Node, NodeId, Value};

/// The node classes in the order they are drawn and listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Person,
    Organization,
    Region,
    Other,
}

const CLASSES: [Class; 4] = [
    Class::Person,
    Class::Organization,
    Class::Region,
    Class::Other,
];

impl Class {
    fn of(node: &Node) -> Class {
        for class in [Class::Person, Class::Organization, Class::Region] {
            if node.has_label(class.name()) {
                return class;
            }
        }
        Class::Other
    }

    fn name(self) -> &'static str {
        match self {
            Class::Person => "Person",
            Class::Organization => "Organization",
            Class::Region => "Region",
            Class::Other => "other",
        }
    }

    fn style(self) -> &'static str {
        match self {
            Class::Person => {
                r##"shape=ellipse, style="filled", fillcolor="#dbe8fb", color="#3b6fb6""##
            }
            Class::Organization => {
                r##"shape=box, style="rounded,filled", fillcolor="#fde4c4", color="#c0781c""##
            }
            Class::Region => {
                r##"shape=hexagon, style="filled", fillcolor="#d9f0d3", color="#3d8b37""##
            }
            Class::Other => {
                r##"shape=box, style="dashed,filled", fillcolor="#eeeeee", color="#777777""##
            }
        }
    }
}

/// What an edge says, which sets its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tone {
    Conflict,
    Cooperation,
    Contact,
    Structure,
    Other,
}

const TONES: [Tone; 5] = [
    Tone::Conflict,
    Tone::Cooperation,
    Tone::Contact,
    Tone::Structure,
    Tone::Other,
];

impl Tone {
    fn of(rel_type: &str) -> Tone {
        match rel_type {
            "CRITICIZED" | "ACCUSED" | "THREATENED" | "ATTACKED" | "REJECTED" => Tone::Conflict,
            "PRAISED" | "SUPPORTED" | "AGREED_WITH" | "RELEASED" => Tone::Cooperation,
            "MET_WITH" | "PROPOSED" => Tone::Contact,
            "LEADS" | "REPRESENTS" | "LOCATED_IN" => Tone::Structure,
            _ => Tone::Other,
        }
    }

    fn style(self) -> &'static str {
        match self {
            Tone::Conflict => r##"color="#c0392b", fontcolor="#a93226""##,
            Tone::Cooperation => r##"color="#2e8b57", fontcolor="#23704a""##,
            Tone::Contact => r##"color="#2c6fbb", fontcolor="#245a98""##,
            Tone::Structure => r##"color="#999999", fontcolor="#666666", style="dashed""##,
            Tone::Other => r##"color="#555555", fontcolor="#444444""##,
        }
    }

    fn color(self) -> &'static str {
        match self {
            Tone::Conflict => "#c0392b",
            Tone::Cooperation => "#2e8b57",
            Tone::Contact => "#2c6fbb",
            Tone::Structure => "#999999",
            Tone::Other => "#555555",
        }
    }

    fn legend(self) -> &'static str {
        match self {
            Tone::Conflict => "conflict: criticized, accused, threatened, attacked, rejected",
            Tone::Cooperation => "cooperation: praised, supported, agreed with, released",
            Tone::Contact => "contact: met with, proposed",
            Tone::Structure => "structure: leads, represents, located in",
            Tone::Other => "other relationships",
        }
    }
}

fn symmetric(rel_type: &str) -> bool {
    matches!(rel_type, "MET_WITH" | "AGREED_WITH")
}

/// Appends `s` escaped for a double-quoted DOT string.
fn escape_into(buf: &mut String, s: &str) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => buf.push_str("\\\""),
            '\\' => buf.push_str("\\\\"),
            '\n' => buf.push_str("\\n"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    buf.push_str("\\n");
                }
            }
            c if c.is_control() => buf.push(' '),
            c => buf.push(c),
        }
    }
}

fn quoted(s: &str) -> String {
    let mut buf = String::with_capacity(s.len() + 2);
    buf.push('"');
    escape_into(&mut buf, s);
    buf.push('"');
    buf
}

fn first_string(v: Option<&Value>) -> Option<&str> {
    v.and_then(|v| v.strings().into_iter().next())
}

/// Writes the scope as DOT.
pub fn write(scope: &Scope<'_>, options: &ExportOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut class_counts: BTreeMap<Class, usize> = BTreeMap::new();
    for node in scope.nodes() {
        *class_counts.entry(Class::of(node)).or_default() += 1;
    }
    let mut tone_counts: BTreeMap<Tone, usize> = BTreeMap::new();
    let mut connected: HashSet<NodeId> = HashSet::new();
    for edge in scope.edges() {
        *tone_counts.entry(Tone::of(&edge.rel_type)).or_default() += 1;
        connected.insert(edge.source);
        connected.insert(edge.target);
    }

    writeln!(out, "digraph skein {{")?;
    writeln!(
        out,
        "  graph [charset=\"UTF-8\", rankdir={}, fontname=\"Helvetica,Arial,sans-serif\", fontsize=12, \
nodesep=0.35, ranksep=0.7, pad=0.3, label={}, labelloc=t];",
        options.rankdir.as_str(),
        quoted(&format!(
            "skein graph: {} nodes, {} relationships",
            scope.node_count(),
            scope.edge_count()
        ))
    )?;
    writeln!(
        out,
        "  node [fontname=\"Helvetica,Arial,sans-serif\", fontsize=11, penwidth=1.2, margin=\"0.12,0.06\"];"
    )?;
    writeln!(
        out,
        "  edge [fontname=\"Helvetica,Arial,sans-serif\", fontsize=9, arrowsize=0.7];"
    )?;
    if options.legend && (scope.node_count() > 0) {
        write_legend(out, &class_counts, &tone_counts)?;
    }

    let mut line = String::new();
    match options.cluster {
        Cluster::None => {
            for class in CLASSES {
                if class_counts.contains_key(&class) {
                    write_class(out, scope, class, "  ", |_| true, &mut line)?;
                }
            }
        }
        Cluster::Label => {
            for class in CLASSES {
                if !class_counts.contains_key(&class) {
                    continue;
                }
                writeln!(
                    out,
                    "  subgraph cluster_{} {{\n    label={}; style=\"rounded\"; color=\"#cccccc\"; fontcolor=\"#555555\";",
                    class.name(),
                    quoted(class.name())
                )?;
                write_class(out, scope, class, "    ", |_| true, &mut line)?;
                writeln!(out, "  }}")?;
            }
        }
        Cluster::Article => {
            // Nodes go into the box of the first article they were read in.
            let mut groups: BTreeMap<Option<&str>, Vec<NodeId>> = BTreeMap::new();
            for node in scope.nodes() {
                let article = first_string(node.props.get("articles"))
                    .or_else(|| first_string(node.props.get("article")));
                groups.entry(article).or_default().push(node.id);
            }
            for (i, (article, ids)) in groups.iter().enumerate() {
                let indent = match article {
                    Some(article) => {
                        writeln!(
                            out,
                            "  subgraph cluster_article_{i} {{\n    label={}; style=\"rounded\"; color=\"#cccccc\"; fontcolor=\"#555555\";",
                            quoted(article)
                        )?;
                        "    "
                    }
                    None => "  ",
                };
                let members: std::collections::BTreeSet<NodeId> = ids.iter().copied().collect();
                for class in CLASSES {
                    write_class(
                        out,
                        scope,
                        class,
                        indent,
                        |n| members.contains(&n.id),
                        &mut line,
                    )?;
                }
                if article.is_some() {
                    writeln!(out, "  }}")?;
                }
            }
        }
    }

    for edge in scope.edges() {
        line.clear();
        edge_statement(&mut line, edge);
        out.write_all(line.as_bytes())?;
    }
    write_isolated_grid(out, scope, options, &connected)?;
    writeln!(out, "}}")
}

/// Lays nodes without edges out in rows instead of one long column: Graphviz puts them all
/// in the first rank, which in a graph with many of them makes a strip far taller (or wider)
/// than the rest. Invisible edges chain each group's isolated nodes into rows of about the
/// square root of their number, classes in order; when clustering by article each article's
/// nodes are chained apart, so that no chain crosses a box. Labels group into boxes already.
fn write_isolated_grid(
    out: &mut dyn Write,
    scope: &Scope<'_>,
    options: &ExportOptions,
    connected: &HashSet<NodeId>,
) -> io::Result<()> {
    let mut groups: BTreeMap<Option<&str>, Vec<(Class, NodeId)>> = BTreeMap::new();
    for node in scope.nodes().filter(|n| !connected.contains(&n.id)) {
        let article = match options.cluster {
            Cluster::Label => Some(Class::of(node).name()),
            Cluster::Article => first_string(node.props.get("articles"))
                .or_else(|| first_string(node.props.get("article"))),
            _ => None,
        };
        groups
            .entry(article)
            .or_default()
            .push((Class::of(node), node.id));
    }
    for ids in groups.values_mut() {
        // Like shapes side by side: rows run through the classes in their usual order.
        ids.sort_unstable();
        if ids.len() < 4 {
            continue;
        }
        let row = (ids.len() as f64).sqrt().ceil() as usize;
        for chunk in ids.chunks(row) {
            for pair in chunk.windows(2) {
                writeln!(out, "  n{} -> n{} [style=invis];", pair[0].1, pair[1].1)?;
            }
        }
    }
    Ok(())
}

/// Writes the nodes of one class that pass `keep`, after the class's `node [...]` style.
fn write_class(
    out: &mut dyn Write,
    scope: &Scope<'_>,
    class: Class,
    indent: &str,
    keep: impl Fn(&Node) -> bool,
    line: &mut String,
) -> io::Result<()> {
    let mut first = true;
    for node in scope.nodes().filter(|n| Class::of(n) == class && keep(n)) {
        if first {
            writeln!(out, "{indent}node [{}];", class.style())?;
            first = false;
        }
        line.clear();
        line.push_str(indent);
        node_statement(line, node);
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

fn node_statement(line: &mut String, node: &Node) {
    let name = node.name();
    let mut label = match name {
        Some(name) => name.to_string(),
        None => match node.labels.first() {
            Some(l) => format!("{l} #{}", node.id),
            None => format!("#{}", node.id),
        },
    };
    let second = match Class::of(node) {
        Class::Person => {
            first_string(node.props.get("titles")).or_else(|| first_string(node.props.get("title")))
        }
        Class::Region => first_string(node.props.get("kind")),
        _ => first_string(node.props.get("kind")),
    };
    if let Some(second) = second {
        label.push('\n');
        label.push_str(second);
    }
    let mut tooltip = String::new();
    for l in &node.labels {
        tooltip.push(':');
        tooltip.push_str(l);
    }
    if let Some(name) = name {
        tooltip.push(' ');
        tooltip.push_str(name);
    }
    let aliases = node
        .props
        .get("aliases")
        .map(Value::strings)
        .unwrap_or_default();
    if !aliases.is_empty() {
        tooltip.push_str("\nalso: ");
        tooltip.push_str(&aliases.join(", "));
    }
    if let Some(Value::List(titles)) = node.props.get("titles") {
        let titles: Vec<&str> = titles.iter().filter_map(Value::as_str).collect();
        if !titles.is_empty() {
            tooltip.push_str("\ntitles: ");
            tooltip.push_str(&titles.join("; "));
        }
    }
    line.push_str(&format!(
        "n{} [label={}, tooltip={}];\n",
        node.id,
        quoted(&label),
        quoted(&tooltip)
    ));
}

fn edge_statement(line: &mut String, edge: &Edge) {
    let tone = Tone::of(&edge.rel_type);
    let mut label = edge.rel_type.to_string();
    if let Some(date) = edge.props.get("date").and_then(Value::as_str) {
        label.push('\n');
        label.push_str(date);
    }
    let mut tooltip = String::new();
    match edge.props.get("evidence").and_then(Value::as_str) {
        Some(evidence) => tooltip.push_str(evidence),
        None => tooltip.push_str(&edge.rel_type),
    }
    if let Some(article) = edge.props.get("article").and_then(Value::as_str) {
        tooltip.push_str("\n(");
        tooltip.push_str(article);
        tooltip.push(')');
    }
    line.push_str(&format!(
        "  n{} -> n{} [label={}, tooltip={}, labeltooltip={}, {}",
        edge.source,
        edge.target,
        quoted(&label),
        quoted(&tooltip),
        quoted(&tooltip),
        tone.style()
    ));
    if symmetric(&edge.rel_type) {
        line.push_str(", dir=none");
    }
    let mentions = edge
        .props
        .get("mentions")
        .and_then(Value::as_int)
        .unwrap_or(1);
    if mentions > 1 {
        let width = 1.0 + 0.6 * (mentions.min(6) - 1) as f64;
        line.push_str(&format!(", penwidth={width:.1}"));
    }
    line.push_str("];\n");
}

fn write_legend(
    out: &mut dyn Write,
    classes: &BTreeMap<Class, usize>,
    tones: &BTreeMap<Tone, usize>,
) -> io::Result<()> {
    writeln!(
        out,
        "  subgraph cluster_legend {{\n    label=\"Legend\"; style=\"rounded\"; color=\"#bbbbbb\"; fontcolor=\"#555555\"; fontsize=11;"
    )?;
    writeln!(out, "    rank=same;")?;
    for (class, n) in classes {
        let id = format!("legend_{}", class.name());
        writeln!(
            out,
            "    {id} [{}, label={}, fontsize=10, tooltip={}];",
            class.style(),
            quoted(&format!("{} ({n})", class.name())),
            quoted(class.name())
        )?;
    }
    // Edge colours as one table: a sample stroke in the colour, then what it stands for.
    if !tones.is_empty() {
        let mut rows = String::new();
        for tone in TONES {
            let Some(n) = tones.get(&tone) else {
                continue;
            };
            let dashed = if tone == Tone::Structure {
                "- - -&#9654;"
            } else {
                "&#9472;&#9472;&#9654;"
            };
            rows.push_str(&format!(
                "<tr><td align=\"left\"><font color=\"{}\">{dashed}</font></td><td align=\"left\">{} ({n})</td></tr>",
                tone.color(),
                tone.legend()
            ));
        }
        writeln!(
            out,
            "    legend_edges [shape=plaintext, fontsize=9, tooltip=\"edge colours\", label=<<table border=\"0\" cellborder=\"0\" cellspacing=\"1\">{rows}</table>>];"
        )?;
    }
    writeln!(out, "  }}")
}
