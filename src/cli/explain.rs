//! `skein explain-node NAME`: why a node is what it is. It prints the nodes holding a name
//! (as name or alias): their forms, titles and articles, the identity decisions that merging
//! recorded on them (which mention joined which name, by which rule, in which article), and
//! for each form a sentence that shows it. It only reads the graph.

use std::io::Write;

use clap::Args;

use super::GraphArg;
use crate::Error;
use crate::graph::{Graph, Node, Value, Walk, fold_name, provenance_keys};

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A node's name or one of its aliases ("Clinton", "the U.S.").
    #[arg(value_name = "NAME")]
    pub name: String,
    /// How many articles to list per node (0: all).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub articles: usize,
    #[command(flatten)]
    pub graph: GraphArg,
}

pub fn run(args: &ExplainArgs, out: &mut dyn Write) -> Result<(), Error> {
    let graph = args.graph.load()?;
    let ids = graph.find_by_name(None, &args.name);
    if ids.is_empty() {
        return Err(Error::Usage(format!(
            "no node is named {:?} or has it as an alias{}",
            args.name,
            suggestion(&graph, &args.name)
        )));
    }
    let w = |e| Error::io("stdout", e);
    for (n, id) in ids.iter().enumerate() {
        let Some(node) = graph.node(*id) else {
            continue;
        };
        if n > 0 {
            writeln!(out).map_err(w)?;
        }
        write!(out, "{}", explain(&graph, node, args.articles)).map_err(w)?;
    }
    Ok(())
}

/// " (did you mean ...?)" for the nodes whose name holds every word of `name`, if few.
fn suggestion(graph: &Graph, name: &str) -> String {
    let key = fold_name(name);
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return String::new();
    }
    let near: Vec<String> = graph
        .nodes()
        .filter_map(|n| n.name())
        .filter(|n| {
            let folded = fold_name(n);
            words
                .iter()
                .all(|w| folded.split(' ').any(|f| f.starts_with(w)))
        })
        .take(5)
        .map(|n| format!("{n:?}"))
        .collect();
    if near.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", near.join(", "))
    }
}

/// The strings of a list property.
fn strings<'a>(node: &'a Node, key: &str) -> Vec<&'a str> {
    node.props.get(key).map(Value::strings).unwrap_or_default()
}

/// The whole explanation of one node, as text.
fn explain(graph: &Graph, node: &Node, max_articles: usize) -> String {
    let mut out = String::new();
    let labels: Vec<&str> = node.labels.iter().map(|l| &**l).collect();
    let name = node.name().unwrap_or("(no name)");
    out.push_str(&format!("{} #{} {name:?}\n", labels.join(":"), node.id.0));
    if let Some(kind) = node.props.get("kind").and_then(Value::as_str) {
        out.push_str(&format!("  kind: {kind}\n"));
    }
    let aliases = strings(node, "aliases");
    if !aliases.is_empty() {
        out.push_str(&format!("  also named: {}\n", quoted(&aliases)));
    }
    let titles = strings(node, "titles");
    if !titles.is_empty() {
        out.push_str(&format!("  titles: {}\n", quoted(&titles)));
    }
    let articles = strings(node, "articles");
    let mentions = node.props.get("mentions").and_then(Value::as_int);
    if !articles.is_empty() {
        let shown = if max_articles == 0 {
            articles.len()
        } else {
            max_articles.min(articles.len())
        };
        let more = articles.len() - shown;
        out.push_str(&format!(
            "  named in {} article{}{}: {}{}\n",
            articles.len(),
            if articles.len() == 1 { "" } else { "s" },
            mentions.map_or(String::new(), |m| format!(" ({m} mentions)")),
            articles[..shown].join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    let unresolved = strings(node, "unresolved");
    if !unresolved.is_empty() {
        out.push_str(&format!(
            "  unresolved: a surname alone that fits {} equally; kept apart from them\n",
            quoted(&unresolved)
        ));
    }
    let reasons = strings(node, "identity");
    out.push_str("  how its mentions were merged:\n");
    if reasons.is_empty() {
        out.push_str(
            "    by name only: every mention had one of the names above (same name or alias)\n",
        );
    }
    for r in &reasons {
        out.push_str(&format!("    {r}\n"));
    }
    // A sentence that shows each form, from the facts the node takes part in.
    let edges = graph.edges_at(node.id, Walk::Both);
    let mut shown_any = false;
    for form in std::iter::once(name).chain(aliases.iter().copied()) {
        let needle = form.to_lowercase();
        let found = edges.iter().find_map(|e| {
            let evidence = e.props.get(provenance_keys::EVIDENCE)?.as_str()?;
            evidence.to_lowercase().contains(&needle).then(|| {
                let article = e
                    .props
                    .get(provenance_keys::ARTICLE)
                    .and_then(Value::as_str)
                    .unwrap_or("?");
                (article, evidence)
            })
        });
        if let Some((article, evidence)) = found {
            if !shown_any {
                out.push_str("  evidence:\n");
                shown_any = true;
            }
            out.push_str(&format!("    {form:?} in {article}: {evidence}\n"));
        }
    }
    out
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}
