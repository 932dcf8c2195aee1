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
    /// Also print the memory the open graph took: the growth of the process's peak resident
    /// set while the file was read, and that per edge (Linux only).
    #[arg(long)]
    pub memory: bool,
}

pub fn run(args: &StatsArgs, out: &mut dyn Write) -> Result<(), Error> {
    let before = args.memory.then(|| resident_kib("VmRSS"));
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
    if let Some(before) = before {
        match (before, resident_kib("VmHWM"), resident_kib("VmRSS")) {
            (Some(before), Some(peak), Some(now)) => {
                let grown = peak.saturating_sub(before) * 1024;
                let held = now.saturating_sub(before) * 1024;
                let per_edge = grown.checked_div(graph.edge_count() as u64).unwrap_or(0);
                writeln!(
                    out,
                    "memory: {} at peak while opening ({} held once open), {per_edge} bytes per \
                     edge",
                    human_size(grown),
                    human_size(held)
                )
                .map_err(w)?;
            }
            _ => writeln!(out, "memory: not measured (no /proc/self/status here)").map_err(w)?,
        }
    }
    Ok(())
}

/// A size in KiB from the process's `/proc/self/status` (`VmRSS` now, `VmHWM` its peak);
/// `None` where there is no such file.
fn resident_kib(field: &str) -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
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
