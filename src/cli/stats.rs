//! `skein stats`: what a graph file holds.

use std::fs;
use std::io::Write;

use clap::Args;

use super::GraphArg;
use crate::Error;

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub graph: GraphArg,
}

pub fn run(args: &StatsArgs, out: &mut dyn Write) -> Result<(), Error> {
    let graph = args.graph.load()?;
    let size = fs::metadata(&args.graph.graph)
        .map_err(|e| Error::io(args.graph.graph.display().to_string(), e))?
        .len();
    let w = |e| Error::io("stdout", e);
    writeln!(
        out,
        "graph: {} ({})",
        args.graph.graph.display(),
        human_size(size)
    )
    .map_err(w)?;
    writeln!(out, "nodes: {}", graph.node_count()).map_err(w)?;
    for (label, n) in graph.labels() {
        writeln!(out, "  {label:<24} {n:>9}").map_err(w)?;
    }
    writeln!(out, "edges: {}", graph.edge_count()).map_err(w)?;
    for (rel_type, n) in graph.rel_types() {
        writeln!(out, "  {rel_type:<24} {n:>9}").map_err(w)?;
    }
    Ok(())
}

/// "532 B", "12.4 KiB", "3.1 MiB".
fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut size = bytes as f64 / 1024.0;
    let mut unit = 0;
    while size >= 1024.0 && unit + 1 < UNITS.len() {
        size /= 1024.0;
        unit += 1;
    }
    format!("{size:.1} {} ({bytes} bytes)", UNITS[unit])
}
