//! `skein parse`: how skein reads a sentence or an article (words, tags, the dependency
//! tree, entity mentions and what each resolved to, the facts and the rule behind each),
//! and `--eval`, the parser's scores against a CoNLL-U treebank.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use crate::Error;
use crate::graph::files;
use crate::ingest::resolve::MentionKind;
use crate::ingest::rules::Knowledge;
use crate::ingest::{self, SentenceTrace};
use crate::syntax::{self, conllu};

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The text to read (one sentence or a few).
    #[arg(
        value_name = "SENTENCE",
        required_unless_present_any = ["file", "eval"],
        conflicts_with_all = ["file", "eval"]
    )]
    pub text: Option<String>,
    /// Read an article from a file instead (`-` reads standard input).
    #[arg(long, value_name = "ARTICLE", conflicts_with = "eval")]
    pub file: Option<PathBuf>,
    /// Score the tagger and parser on a CoNLL-U file, with its own words, and print UPOS,
    /// UAS and LAS (every word counts, punctuation included).
    #[arg(long, value_name = "FILE.conllu")]
    pub eval: Option<PathBuf>,
    /// Extra rules files (RON), as for `skein ingest`.
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
}

pub fn run(args: &ParseArgs, out: &mut dyn Write) -> Result<(), Error> {
    if let Some(path) = &args.eval {
        return run_eval(path, out);
    }
    let (name, text, from_file) = match (&args.file, &args.text) {
        (Some(path), _) if path.as_os_str() == "-" => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Error::io("stdin", e))?;
            ("stdin".to_string(), text, true)
        }
        (Some(path), _) => {
            let name = path.display().to_string();
            let text = files::read_regular_text(path, files::MAX_TEXT_BYTES)
                .map_err(|e| Error::io(name.clone(), e))?;
            (name, text, true)
        }
        (None, Some(text)) => ("sentence".to_string(), text.clone(), false),
        (None, None) => {
            return Err(Error::Usage(
                "give a sentence, --file ARTICLE or --eval FILE.conllu".into(),
            ));
        }
    };
    let k = Knowledge::load(&args.rules)?;
    let mut trace = Vec::new();
    let ex = ingest::extract_article_traced(&name, text.as_bytes(), None, &k, Some(&mut trace))
        .map_err(|e| Error::io(name.clone(), e))?;
    if from_file {
        for w in &ex.warnings {
            eprintln!("warning: {name}: {w}");
        }
    }
    let io = |e| Error::io("stdout", e);
    for (n, sentence) in trace.iter().enumerate() {
        write_sentence(n + 1, sentence, &ex, out).map_err(io)?;
    }
    writeln!(out, "facts:").map_err(io)?;
    if ex.facts.is_empty() {
        writeln!(out, "  (none)").map_err(io)?;
    }
    for f in &ex.facts {
        let name = |i: usize| ex.entities.get(i).map_or("?", |e| e.name.as_str());
        write!(
            out,
            "  {} -[{}]-> {}  rule {}",
            name(f.source),
            f.rel_type,
            name(f.target),
            f.rule
        )
        .map_err(io)?;
        if let Some(d) = f.date {
            write!(out, "  date {d}").map_err(io)?;
        }
        if let Some(p) = f.place {
            write!(out, "  place {}", name(p)).map_err(io)?;
        }
        writeln!(out, "\n    from: {}", f.evidence).map_err(io)?;
    }
    Ok(())
}

fn write_sentence(
    n: usize,
    s: &SentenceTrace,
    ex: &ingest::Extraction,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "sentence {n}: {}", s.words.join(" "))?;
    let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
    match syntax::parse(&words) {
        Ok(tree) => {
            let width = words
                .iter()
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(4)
                .max(4);
            writeln!(
                out,
                "  {:>3}  {:width$}  {:5}  {:5}  {:>4}  label",
                "#", "word", "upos", "xpos", "head"
            )?;
            for (i, w) in words.iter().enumerate() {
                let head = tree.head(i).map_or(0, |h| h + 1);
                writeln!(
                    out,
                    "  {:>3}  {:width$}  {:5}  {:5}  {:>4}  {}",
                    i + 1,
                    w,
                    tree.upos(i),
                    tree.xpos(i),
                    head,
                    tree.label(i)
                )?;
            }
        }
        Err(e) => writeln!(out, "  (no tree: {e})")?,
    }
    writeln!(out, "  mentions:")?;
    if s.mentions.is_empty() {
        writeln!(out, "    (none)")?;
    }
    let text = |start: usize, end: usize| {
        words
            .get(start..end)
            .map(|w| w.join(" "))
            .unwrap_or_default()
    };
    for m in &s.mentions {
        let resolved: Vec<String> = m
            .ents
            .iter()
            .filter_map(|&e| ex.entities.get(e))
            .map(|e| match (e.label, e.fallback) {
                (Some(label), _) => format!("{label} {:?}", e.name),
                // A candidate becomes a node of the graph's label when the graph knows the
                // name; otherwise of its fallback label, if recognition gave it one.
                (None, Some(fallback)) => {
                    format!(
                        "Candidate {:?} ({fallback} unless the graph knows it)",
                        e.name
                    )
                }
                (None, None) => format!("Candidate {:?}", e.name),
            })
            .collect();
        let resolved = if resolved.is_empty() {
            "unresolved".to_string()
        } else {
            resolved.join(", ")
        };
        writeln!(
            out,
            "    {}-{} {:?} ({}) -> {resolved}",
            m.start + 1,
            m.end,
            text(m.start, m.end),
            kind_name(m.kind)
        )?;
    }
    // References that no entity fits alone: the resolver does not guess between two.
    if !s.unresolved.is_empty() {
        writeln!(out, "  unresolved:")?;
        for &(start, end, kind) in &s.unresolved {
            writeln!(
                out,
                "    {}-{} {:?} ({})",
                start + 1,
                end,
                text(start, end),
                kind_name(kind)
            )?;
        }
    }
    Ok(())
}

/// How `skein parse` names a kind of mention.
fn kind_name(kind: MentionKind) -> &'static str {
    match kind {
        MentionKind::Name => "name",
        MentionKind::Demonym => "demonym",
        MentionKind::Description => "description",
        MentionKind::Pronoun => "pronoun",
        MentionKind::Speaker => "speaker",
        MentionKind::Group => "group",
    }
}

fn run_eval(path: &std::path::Path, out: &mut dyn Write) -> Result<(), Error> {
    let name = path.display().to_string();
    let text = files::read_regular_text(path, files::MAX_TEXT_BYTES)
        .map_err(|e| Error::io(name.clone(), e))?;
    let gold = conllu::read(&text, &name)?;
    let loading = Instant::now();
    let model = syntax::model()?;
    let load_secs = loading.elapsed().as_secs_f64();
    let start = Instant::now();
    let scores = model.score(&gold);
    let secs = start.elapsed().as_secs_f64();
    let io = |e| Error::io("stdout", e);
    writeln!(
        out,
        "{name}: {} sentences, {} words",
        gold.len(),
        scores.words
    )
    .map_err(io)?;
    writeln!(out, "UPOS {:.2}%", scores.pct(scores.upos)).map_err(io)?;
    writeln!(out, "XPOS {:.2}%", scores.pct(scores.xpos)).map_err(io)?;
    writeln!(out, "UAS  {:.2}%", scores.pct(scores.uas)).map_err(io)?;
    writeln!(out, "LAS  {:.2}%", scores.pct(scores.las)).map_err(io)?;
    writeln!(out, "LAS with subtypes {:.2}%", scores.pct(scores.las_full)).map_err(io)?;
    // Timing goes to standard error so that the figures on standard output stay the same
    // from run to run.
    eprintln!(
        "model loaded in {:.1} ms; parsed {} words in {:.2}s ({:.0} words/s)",
        load_secs * 1000.0,
        scores.words,
        secs,
        scores.words as f64 / secs.max(1e-9)
    );
    Ok(())
}
