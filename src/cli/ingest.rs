//! `skein ingest` and `skein eval`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use super::GraphArg;
use crate::Error;
use crate::graph::{Graph, files};
use crate::ingest::{self, IngestOptions};

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Article files or directories (read recursively); `-` reads one article from stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Extra rules: entities with aliases, trigger words, new relationship types (RON).
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// The date of articles that have no ` date YYYY-MM-DD` header.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Never show a progress bar (it is shown only on a terminal, for long work).
    #[arg(long)]
    pub no_progress: bool,
    /// Print to standard error the time each stage took (tokenising, recognition,
    /// resolution, relation rules, tagging, parsing, merging), summed over threads.
    #[arg(long)]
    pub timings: bool,
    #[command(flatten)]
    pub graph: GraphArg,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The gold file (JSON, see EXTRACTION.md).
    #[arg(value_name = "GOLD.json")]
    pub gold: PathBuf,
    /// Articles to ingest into a fresh graph and score; without them the graph file is scored.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Extra rules files used when ingesting PATHs.
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// Print the figures as one JSON object (the keys of score_gold.py --json).
    #[arg(long)]
    pub json: bool,
    /// Score identity instead: every file is CoNLL-U with entity annotation carrying
    /// identities (GUM's `Entity=`); prints B-cubed figures per genre.
    #[arg(long)]
    pub identity: bool,
    /// With --identity: also list the mistakes (gold mentions that became no node, gold
    /// entities split over nodes, nodes holding several gold entities).
    #[arg(long, requires = "identity")]
    pub mistakes: bool,
    #[command(flatten)]
    pub graph: GraphArg,
}

fn options(rules: &[PathBuf], date: Option<String>, progress: bool) -> IngestOptions {
    IngestOptions {
        rules: rules.to_vec(),
        default_date: date,
        progress,
    }
}

/// Fails when a path given on the command line does not exist, before anything is read or
/// written: a typo must not end as a successful run that creates an empty graph file.
fn check_paths_exist(paths: &[PathBuf]) -> Result<(), Error> {
    for path in paths {
        if path.as_os_str() != "-" && std::fs::symlink_metadata(path).is_err() {
            return Err(Error::Usage(format!(
                "{}: no such file or directory; nothing was ingested and the graph was not changed",
                path.display()
            )));
        }
    }
    Ok(())
}

pub fn run_ingest(args: &IngestArgs, out: &mut dyn Write) -> Result<(), Error> {
    check_paths_exist(&args.paths)?;
    let _lock = args.graph.lock()?;
    let mut graph = args.graph.load_or_new()?;
    let progress = !args.no_progress && std::io::stderr().is_terminal();
    let opts = options(&args.rules, args.date.clone(), progress);
    ingest::timing::enable(args.timings);
    let report = ingest::ingest_paths(&mut graph, &args.paths, &opts)?;
    for w in report.warnings() {
        eprintln!("warning: {w}");
    }
    if args.timings {
        eprintln!("{}", ingest::timing::take());
    }
    args.graph.save(&graph)?;
    writeln!(out, "{report}").map_err(|e| Error::io("stdout", e))?;
    Ok(())
}

pub fn run_eval(args: &EvalArgs, out: &mut dyn Write) -> Result<(), Error> {
    if args.identity {
        return run_eval_identity(args, out);
    }
    let gold = files::read_regular_text(&args.gold, files::MAX_TEXT_BYTES)
        .map_err(|e| Error::io(args.gold.display().to_string(), e))?;
    let graph = if args.paths.is_empty() {
        args.graph.load()?
    } else {
        check_paths_exist(&args.paths)?;
        let mut graph = Graph::new();
        let report =
            ingest::ingest_paths(&mut graph, &args.paths, &options(&args.rules, None, false))?;
        for w in report.warnings() {
            eprintln!("warning: {w}");
        }
        graph
    };
    let score = ingest::eval::score(&gold, &graph).map_err(|e| match e {
        ingest::IngestError::Gold { message, .. } => Error::Ingest(ingest::IngestError::Gold {
            file: args.gold.display().to_string(),
            message,
        }),
        other => Error::Ingest(other),
    })?;
    for w in &score.warnings {
        eprintln!("warning: {w}");
    }
    let io = |e| Error::io("stdout", e);
    write!(out, "{}", score.render()).map_err(io)?;
    if args.json {
        let figures = serde_json::json!({
            "entity_p": score.entity_p,
            "entity_r": score.entity_r,
            "entity_f1": score.entity_f1,
            "rel_p": score.rel_p,
            "rel_r": score.rel_r,
            "rel_f1": score.rel_f1,
            "attr_acc": score.attr_acc,
            "absent_hits": score.absent_hits.len(),
        });
        writeln!(out, "{figures}").map_err(io)?;
    }
    Ok(())
}

/// `skein eval --identity FILE.conllu...`: who-is-who scored against annotated text.
fn run_eval_identity(args: &EvalArgs, out: &mut dyn Write) -> Result<(), Error> {
    let mut texts = Vec::new();
    for path in std::iter::once(&args.gold).chain(&args.paths) {
        let text = files::read_regular_text(path, files::MAX_TEXT_BYTES)
            .map_err(|e| Error::io(path.display().to_string(), e))?;
        texts.push((path.display().to_string(), text));
    }
    let score = ingest::identity_eval::score(&texts, &options(&args.rules, None, false))?;
    let io = |e| Error::io("stdout", e);
    write!(out, "{}", score.render()).map_err(io)?;
    if args.mistakes {
        for line in &score.mistakes {
            writeln!(out, "{line}").map_err(io)?;
        }
    }
    if args.json {
        let groups: Vec<serde_json::Value> = score
            .groups
            .iter()
            .map(|g| {
                serde_json::json!({
                    "genre": g.group, "mentions": g.mentions, "found": g.found,
                    "entities": g.gold_entities, "b3_p": g.precision, "b3_r": g.recall,
                    "b3_f1": g.f1,
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::Value::from(groups)).map_err(io)?;
    }
    Ok(())
}
