//! A session: the graph, its file, parameters and settings, and the one place where statements
//! and meta-commands are carried out for the REPL, `skein run` and piped input alike.
//!
//! A session never saves the graph on its own: the REPL saves on `:save`, and scripts save
//! once at the end through `finish_script`, only when every statement succeeded.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::commands::{self, COMMANDS, TOPICS};
use super::render::{self, Format};
use super::split::{Item, ItemKind, split};
use crate::graph::files::{self, FileStamp};
use crate::graph::{self, Graph, NodeId, Value, provenance_keys};
use crate::query::{self, ErrorKind, QueryError, QueryOptions, QueryResult, QueryValue, Span};
use crate::{Error, QueryFailure};

/// How deep `:run` may nest, so that a script running itself stops with an error.
const MAX_RUN_DEPTH: usize = 16;
/// How many sentences `:why` shows per relationship before summarising the rest.
const MAX_EVIDENCE_SHOWN: usize = 5;

/// What the caller should do after an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// Where the items being run come from, for error positions.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// A file name, `<stdin>` or `input`.
    pub name: &'a str,
    /// The text the items' offsets point into.
    pub text: &'a str,
    /// Lines of the source before `text`, when `text` is a piece of a longer input.
    pub line_offset: usize,
}

/// Settings a user can change with meta-commands.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub format: Format,
    pub timing: bool,
    /// Interactive sessions print summaries for every format and confirm meta-commands.
    pub interactive: bool,
    /// Run everything but write no file.
    pub dry_run: bool,
    /// In a script, keep going after a failed item (the failure is still counted).
    pub continue_on_error: bool,
    /// The memory budget of each query, in bytes (`query::budget`).
    pub max_memory: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            format: Format::Table,
            timing: false,
            interactive: false,
            dry_run: false,
            continue_on_error: false,
            max_memory: query::budget::DEFAULT_MAX_MEMORY,
        }
    }
}

pub struct Session {
    pub graph: Graph,
    /// The file the graph was loaded from and `:save` writes.
    pub graph_path: PathBuf,
    pub params: BTreeMap<String, QueryValue>,
    pub settings: Settings,
    /// Whether the graph differs from its file.
    pub dirty: bool,
    /// The graph file as this session last read or wrote it (`None`: there was no file), so
    /// that a save notices another writer's save in between instead of overwriting it.
    pub file_stamp: Option<FileStamp>,
    /// How many times the graph was changed or replaced in this session; the shell compares
    /// it to tell changes made at the prompt from those made before it.
    pub edits: u64,
    /// Items that failed while `continue_on_error` was on.
    pub failures: usize,
    /// Set by the Ctrl-C handler while a query runs.
    pub cancel: Arc<AtomicBool>,
    last: Option<QueryResult>,
    run_depth: usize,
}

impl Session {
    /// A session on `graph`, read from `graph_path`. The file's stamp is taken now; a caller
    /// that does not hold the write lock should take it before reading the graph and set
    /// `file_stamp`, so that a save landing in between is noticed, not missed.
    pub fn new(graph: Graph, graph_path: PathBuf, settings: Settings) -> Self {
        Session {
            graph,
            file_stamp: FileStamp::of(&graph_path),
            graph_path,
            params: BTreeMap::new(),
            settings,
            dirty: false,
            edits: 0,
            failures: 0,
            cancel: Arc::new(AtomicBool::new(false)),
            last: None,
            run_depth: 0,
        }
    }

    /// The width to cut tables to: the terminal's, or none when stdout is not a terminal.
    fn table_width(&self) -> Option<usize> {
        terminal_width()
    }

    /// Runs one statement and returns its result and how long it took.
    pub fn execute(&mut self, text: &str) -> Result<(QueryResult, Duration), QueryError> {
        self.cancel.store(false, Ordering::SeqCst);
        let mut options = QueryOptions {
            params: self.params.clone(),
            cancel: Some(Arc::clone(&self.cancel)),
            ..QueryOptions::default()
        };
        options.limits.max_memory = self.settings.max_memory;
        let started = Instant::now();
        let result = query::execute(&mut self.graph, text, &options)?;
        let elapsed = started.elapsed();
        if result.stats.contains_updates() {
            self.dirty = true;
            self.edits += 1;
        }
        Ok((result, elapsed))
    }

    /// `:profile`: runs a statement, prints its result, and returns the annotated plan.
    fn profile(&mut self, text: &str, out: &mut dyn Write) -> Result<String, Error> {
        self.cancel.store(false, Ordering::SeqCst);
        let options = QueryOptions {
            params: self.params.clone(),
            cancel: Some(Arc::clone(&self.cancel)),
            ..QueryOptions::default()
        };
        let started = Instant::now();
        let (result, plan) =
            query::profile(&mut self.graph, text, &options).map_err(|e| Error::query(text, e))?;
        let elapsed = started.elapsed();
        if result.stats.contains_updates() {
            self.dirty = true;
            self.edits += 1;
        }
        let printed = render::render(
            &result,
            self.settings.format,
            self.table_width(),
            Some(elapsed),
        );
        self.last = Some(result);
        out.write_all(printed.as_bytes())
            .map_err(|e| Error::io("stdout", e))?;
        Ok(format!("{plan}\n"))
    }

    /// Runs a statement and prints its result; the error is returned for the caller to place.
    pub fn run_statement(&mut self, text: &str, out: &mut dyn Write) -> Result<(), QueryError> {
        let (result, elapsed) = self.execute(text)?;
        let shown = self.settings.timing.then_some(elapsed);
        let mut printed = render::render(&result, self.settings.format, self.table_width(), shown);
        if self.settings.interactive && self.settings.format != Format::Table {
            printed.push_str(&render::summary(&result, shown));
            printed.push('\n');
        }
        self.last = Some(result);
        // A closed stdout must not turn a successful statement into a failed one; the caller
        // notices the broken pipe on its next write or flush.
        let _ = out.write_all(printed.as_bytes());
        Ok(())
    }

    /// Runs the items of a script in order. Errors carry the source's name and the position
    /// in it; with `continue_on_error` they are printed to stderr and counted instead.
    pub fn run_items(
        &mut self,
        source: &Source<'_>,
        items: &[Item],
        out: &mut dyn Write,
    ) -> Result<Flow, Error> {
        for item in items {
            let outcome = match item.kind {
                // `EXPLAIN MATCH ...` and `PROFILE MATCH ...`, as Neo4j takes them, are the
                // REPL's `:explain` and `:profile`.
                ItemKind::Statement if plan_prefix(&item.text) => self
                    .run_meta(&item.text, out)
                    .map_err(|e| place_error(source, item.position.line, item.position.column, e)),
                ItemKind::Statement => self
                    .run_statement(&item.text, out)
                    .map(|()| Flow::Continue)
                    .map_err(|e| place_query_error(source, item, e)),
                ItemKind::Meta => self
                    .run_meta(&item.text, out)
                    .map_err(|e| place_error(source, item.position.line, item.position.column, e)),
            };
            match outcome {
                Ok(Flow::Quit) => return Ok(Flow::Quit),
                Ok(Flow::Continue) => {}
                Err(e) if self.settings.continue_on_error && !e.is_broken_pipe() => {
                    self.failures += 1;
                    let _ = out.flush();
                    eprintln!("error: {}", e.render());
                }
                Err(e) => return Err(e),
            }
        }
        Ok(Flow::Continue)
    }

    /// Runs a whole script text: splits it, refuses an unfinished last item, runs the rest.
    pub fn run_script_text(
        &mut self,
        name: &str,
        text: &str,
        out: &mut dyn Write,
    ) -> Result<Flow, Error> {
        let parts = split(text);
        let source = Source {
            name,
            text,
            line_offset: 0,
        };
        let flow = self.run_items(&source, &parts.items, out)?;
        if flow == Flow::Quit {
            return Ok(flow);
        }
        if let Some(problem) = unfinished(&source, &parts) {
            if self.settings.continue_on_error {
                self.failures += 1;
                let _ = out.flush();
                eprintln!("error: {}", problem.render());
                return Ok(Flow::Continue);
            }
            return Err(problem);
        }
        Ok(Flow::Continue)
    }

    /// Reads and runs a script file.
    pub fn run_script_file(&mut self, path: &Path, out: &mut dyn Write) -> Result<Flow, Error> {
        let name = path.display().to_string();
        let text = read_text(path)?;
        self.run_script_text(&name, &text, out)
    }

    /// Saves the graph at the end of a script when it changed, nothing failed and this is no
    /// dry run; returns what was done, for a message.
    pub fn finish_script(&mut self) -> Result<Option<String>, Error> {
        if self.failures > 0 {
            return Err(Error::Usage(format!(
                "{} item(s) failed; the graph file {} was left unchanged",
                self.failures,
                self.graph_path.display()
            )));
        }
        if !self.dirty {
            return Ok(None);
        }
        if self.settings.dry_run {
            return Ok(Some(format!(
                "dry run: the changes were not saved to {}",
                self.graph_path.display()
            )));
        }
        let path = self.graph_path.clone();
        self.save_to(&path, false)?;
        Ok(Some(format!("saved {}", self.graph_path.display())))
    }

    /// Runs one meta-command line (`:name args`).
    pub fn run_meta(&mut self, line: &str, out: &mut dyn Write) -> Result<Flow, Error> {
        let line = line.trim().trim_end_matches(';').trim_end();
        let body = line.strip_prefix(':').unwrap_or(line);
        let (name, rest) = match body.find(char::is_whitespace) {
            Some(i) => (&body[..i], body[i..].trim()),
            None => (body, ""),
        };
        let name = name.to_ascii_lowercase();
        let text = match name.as_str() {
            "help" | "h" | "?" => help(rest)?,
            "schema" => self.schema(),
            "stats" => self.stats(),
            "ingest" => self.ingest_command(rest)?,
            "load" => self.load_command(rest)?,
            "save" => self.save_command(rest, false)?,
            "save!" => self.save_command(rest, true)?,
            "export" => self.export_command(rest)?,
            "run" => {
                let path = single_arg(rest, "run", "SCRIPT")?;
                if self.run_depth >= MAX_RUN_DEPTH {
                    return Err(Error::Usage(format!(
                        ":run nests deeper than {MAX_RUN_DEPTH} scripts; does a script run itself?"
                    )));
                }
                self.run_depth += 1;
                let result = self.run_script_file(Path::new(path), out);
                self.run_depth -= 1;
                return result;
            }
            "param" => self.param_command(rest)?,
            "params" => self.params_text(),
            "format" => {
                let format = Format::parse(rest).ok_or_else(|| {
                    Error::Usage(format!(
                        "unknown format {rest:?}: use :format table, :format json or :format csv"
                    ))
                })?;
                self.settings.format = format;
                self.confirm(format!("format: {}", format.name()))
            }
            "timing" => {
                self.settings.timing = match rest.to_ascii_lowercase().as_str() {
                    "on" | "true" | "yes" => true,
                    "off" | "false" | "no" => false,
                    "" => !self.settings.timing,
                    _ => return Err(Error::Usage("use :timing on or :timing off".into())),
                };
                let state = if self.settings.timing { "on" } else { "off" };
                self.confirm(format!("timing: {state}"))
            }
            "max-memory" => {
                if !rest.is_empty() {
                    self.settings.max_memory = query::budget::parse_size(rest)
                        .map_err(|e| Error::Usage(format!("{e}; e.g. :max-memory 4GiB")))?;
                }
                self.confirm(format!(
                    "max-memory: {}",
                    query::budget::show_size(self.settings.max_memory)
                ))
            }
            "why" => self.why()?,
            "explain" => {
                if rest.is_empty() {
                    return Err(Error::Usage("usage: :explain QUERY".into()));
                }
                let plan = query::explain(rest).map_err(|e| Error::query(rest, e))?;
                format!("{}\n", plan.trim_end())
            }
            "profile" => {
                if rest.is_empty() {
                    return Err(Error::Usage("usage: :profile QUERY".into()));
                }
                self.profile(rest, out)?
            }
            "quit" | "exit" | "q" => return Ok(Flow::Quit),
            _ => {
                let names = COMMANDS.iter().map(|c| c.name);
                let hint = match commands::suggest(&name, names) {
                    Some(s) => format!("did you mean :{s}? (:help lists the commands)"),
                    None => "type :help for the list of commands".to_string(),
                };
                return Err(Error::Usage(format!("unknown command :{name}; {hint}")));
            }
        };
        out.write_all(text.as_bytes())
            .map_err(|e| Error::io("stdout", e))?;
        Ok(Flow::Continue)
    }

    /// A confirmation line, shown only to people at a prompt so that scripts print results
    /// and nothing else.
    fn confirm(&self, message: String) -> String {
        if self.settings.interactive {
            message + "\n"
        } else {
            String::new()
        }
    }

    fn schema(&self) -> String {
        let mut out = String::new();
        let labels: Vec<(&str, usize)> = self.graph.labels().collect();
        let types: Vec<(&str, usize)> = self.graph.rel_types().collect();
        let width = labels
            .iter()
            .chain(&types)
            .map(|(name, _)| name.len())
            .max()
            .unwrap_or(0);
        out.push_str(&format!(
            "Node labels ({} nodes):\n",
            self.graph.node_count()
        ));
        if labels.is_empty() {
            out.push_str("  (none)\n");
        }
        for (label, n) in &labels {
            let _ = writeln!(out, "  :{label:<width$} {n:>7}");
        }
        out.push_str(&format!(
            "Relationship types ({} relationships):\n",
            self.graph.edge_count()
        ));
        if types.is_empty() {
            out.push_str("  (none)\n");
        }
        for (rel_type, n) in &types {
            let _ = writeln!(out, "  :{rel_type:<width$} {n:>7}");
        }
        let keys: Vec<&str> = self.graph.property_keys().into_iter().collect();
        out.push_str("Property keys:\n");
        if keys.is_empty() {
            out.push_str("  (none)\n");
        } else {
            out.push_str(&wrap_list(&keys, 90, "  "));
        }
        out
    }

    fn stats(&self) -> String {
        let file_state = match fs::metadata(&self.graph_path) {
            Ok(meta) => format!("{} bytes on disk", meta.len()),
            Err(_) => "not saved yet".to_string(),
        };
        let mut out = format!(
            "graph: {} ({file_state}{})\n",
            self.graph_path.display(),
            if self.dirty { ", unsaved changes" } else { "" }
        );
        let labels: Vec<String> = self
            .graph
            .labels()
            .map(|(l, n)| format!("{l} {n}"))
            .collect();
        let types: Vec<String> = self
            .graph
            .rel_types()
            .map(|(t, n)| format!("{t} {n}"))
            .collect();
        let _ = writeln!(
            out,
            "nodes: {}{}",
            self.graph.node_count(),
            bracketed(&labels)
        );
        let _ = writeln!(
            out,
            "relationships: {}{}",
            self.graph.edge_count(),
            bracketed(&types)
        );
        let _ = writeln!(
            out,
            "format: {}, timing: {}, parameters: {}",
            self.settings.format.name(),
            if self.settings.timing { "on" } else { "off" },
            self.params.len()
        );
        out
    }

    fn ingest_command(&mut self, rest: &str) -> Result<String, Error> {
        if rest.is_empty() {
            return Err(Error::Usage(
                "say what to ingest: :ingest PATH... (article files or directories)".into(),
            ));
        }
        let paths: Vec<PathBuf> = rest.split_whitespace().map(PathBuf::from).collect();
        let summary = self.ingest(&paths)?;
        Ok(summary + "\n")
    }

    /// Ingests articles into the session's graph and returns the one-line summary (with the
    /// time it took) followed by any warnings, one a line.
    pub fn ingest(&mut self, paths: &[PathBuf]) -> Result<String, Error> {
        let started = Instant::now();
        let options = crate::ingest::IngestOptions::default();
        let report = crate::ingest::ingest_paths(&mut self.graph, paths, &options)?;
        if report.entities_new + report.edges_new + report.entities_merged + report.edges_merged > 0
        {
            self.dirty = true;
            self.edits += 1;
        }
        let mut text = format!("{report} in {}", render::human_duration(started.elapsed()));
        for warning in report.warnings() {
            let _ = write!(text, "\n  warning: {}: {}", warning.file, warning.message);
        }
        Ok(text)
    }

    fn load_command(&mut self, rest: &str) -> Result<String, Error> {
        let path = PathBuf::from(single_arg(rest, "load", "FILE")?);
        // Stamped before the read: a save landing in between makes `:save` refuse, not lose it.
        let stamp = FileStamp::of(&path);
        let loaded = graph::load(&path)?;
        let discarded = self.dirty;
        self.graph = loaded;
        self.graph_path = path;
        self.file_stamp = stamp;
        self.edits += 1;
        self.dirty = false;
        self.last = None;
        let mut msg = format!(
            "loaded {}: {} nodes, {} relationships",
            self.graph_path.display(),
            self.graph.node_count(),
            self.graph.edge_count()
        );
        if discarded {
            msg.push_str(" (unsaved changes to the previous graph were discarded)");
        }
        Ok(self.confirm(msg))
    }

    /// `:save [FILE]`, and `:save! [FILE]` (`force`), which overwrites the session's file even
    /// when another writer saved it since this session read it.
    fn save_command(&mut self, rest: &str, force: bool) -> Result<String, Error> {
        let command = if force { "save!" } else { "save" };
        let target = if rest.is_empty() {
            None
        } else {
            Some(PathBuf::from(single_arg(rest, command, "[FILE]")?))
        };
        if self.settings.dry_run {
            return Ok(self.confirm("dry run: nothing saved".into()));
        }
        if !self.settings.interactive && target.is_none() {
            // Scripts save once, at the end, and only when everything succeeded.
            return Ok(String::new());
        }
        let path = target.unwrap_or_else(|| self.graph_path.clone());
        self.save_to(&path, force)?;
        Ok(self.confirm(format!(
            "saved {} nodes and {} relationships to {}",
            self.graph.node_count(),
            self.graph.edge_count(),
            path.display()
        )))
    }

    /// Saves the graph to `path` under the file's write lock. Onto the session's own file, the
    /// save is refused when the file changed on disk since this session read or wrote it
    /// (another `skein query`, `ingest` or REPL saved it), unless `force`: the other
    /// writer's update is never overwritten without being asked.
    fn save_to(&mut self, path: &Path, force: bool) -> Result<(), Error> {
        let own = same_file(path, &self.graph_path);
        let _lock = graph::lock_for_writing(path)?;
        if own && !force && FileStamp::of(path) != self.file_stamp {
            return Err(Error::Usage(format!(
                "{} was changed on disk since this session read it (another skein saved it); \
                 nothing was saved. :save! overwrites it with this session's graph, losing the \
                 other change; :load {} reads it again, losing this session's unsaved changes; \
                 :save OTHER_FILE keeps both",
                path.display(),
                path.display()
            )));
        }
        graph::save(&self.graph, path)?;
        if own {
            self.file_stamp = FileStamp::of(path);
            self.dirty = false;
        }
        Ok(())
    }

    fn export_command(&mut self, rest: &str) -> Result<String, Error> {
        use crate::export::{self, Destination, ExportOptions};
        let usage = || {
            Error::Usage(
                "usage: :export FORMAT FILE [QUERY], FORMAT one of dot, svg, png, json, \
                 graphml, cypher, csv (csv writes a directory)"
                    .into(),
            )
        };
        let mut words = rest.splitn(3, char::is_whitespace);
        let format: export::Format = words
            .next()
            .filter(|w| !w.is_empty())
            .ok_or_else(usage)?
            .parse()?;
        let file = words.next().filter(|w| !w.is_empty()).ok_or_else(usage)?;
        let query_text = words.next().map(str::trim).unwrap_or("");
        let fresh;
        let result = if query_text.is_empty() {
            self.last.as_ref().ok_or_else(|| {
                Error::Usage(
                    "no result to export yet: run a query first, or give one: \
                     :export dot out.dot MATCH p=()-[:MET_WITH]-() RETURN p"
                        .into(),
                )
            })?
        } else {
            fresh = self
                .execute(query_text)
                .map_err(|e| Error::query(query_text, e))?
                .0;
            &fresh
        };
        if self.settings.dry_run {
            // A dry run checks that the query runs but writes no file, as it saves no graph.
            return Ok(self.confirm(format!("dry run: the result was not exported to {file}")));
        }
        let dest = Destination::Path(PathBuf::from(file));
        export::export_result(
            &self.graph,
            result,
            &ExportOptions::default(),
            format,
            &dest,
        )?;
        Ok(self.confirm(format!("exported the result as {format} to {file}")))
    }

    fn param_command(&mut self, rest: &str) -> Result<String, Error> {
        let (name, value_text) = match rest.find(char::is_whitespace) {
            Some(i) => (&rest[..i], rest[i..].trim()),
            None => (rest, ""),
        };
        let name = name.trim_start_matches('$');
        if name.is_empty() || value_text.is_empty() {
            return Err(Error::Usage(
                "usage: :param NAME VALUE, e.g. :param who 'Vladimir Putin'".into(),
            ));
        }
        let value = query::parse_value(value_text).map_err(|e| {
            Error::Usage(format!(
                "the value of ${name} is not a Cypher literal: {}",
                e.message
            ))
        })?;
        let shown = render::cell(&value);
        self.params.insert(name.to_string(), value);
        Ok(self.confirm(format!("${name} = {shown}")))
    }

    fn params_text(&self) -> String {
        if self.params.is_empty() {
            return "no parameters; set one with :param NAME VALUE\n".into();
        }
        let mut out = String::new();
        for (name, value) in &self.params {
            let _ = writeln!(out, "${name} = {}", render::cell(value));
        }
        out
    }

    /// The evidence behind every relationship of the last result.
    fn why(&self) -> Result<String, Error> {
        // Nothing to explain is an answer, not a failure: a script that asks `:why` after a
        // query that found nothing (on an empty graph, say) still succeeds.
        let Some(last) = &self.last else {
            return Ok("no result yet: run a query that returns relationships, then :why\n".into());
        };
        let mut seen = std::collections::BTreeSet::new();
        let mut rels = Vec::new();
        for row in &last.rows {
            for value in row {
                collect_rels(value, &mut |r| {
                    if seen.insert(r.id) {
                        rels.push(r.clone());
                    }
                });
            }
        }
        if rels.is_empty() {
            return Ok(if last.rows.is_empty() {
                "the last result has no rows, so no evidence to show\n".into()
            } else {
                "the last result has no relationships; return them to see their evidence, \
                 e.g. MATCH (a)-[r:MET_WITH]-(b) RETURN a.name, r, b.name;\n"
                    .into()
            });
        }
        let mut out = String::new();
        for rel in &rels {
            let _ = writeln!(
                out,
                "{} -[:{}]-> {}{}",
                self.node_label(rel.source),
                rel.rel_type,
                self.node_label(rel.target),
                when_where(&rel.props)
            );
            if let Some(Value::String(what)) = rel.props.get("what") {
                let _ = writeln!(out, "  what: {what}");
            }
            let evidence = evidence_of(&rel.props);
            if evidence.is_empty() {
                out.push_str("  no evidence recorded (made by hand?)\n");
            }
            for (article, sentence, rule) in evidence.iter().take(MAX_EVIDENCE_SHOWN) {
                let _ = writeln!(out, "  [{article}, rule {rule}] \"{sentence}\"");
            }
            if evidence.len() > MAX_EVIDENCE_SHOWN {
                let _ = writeln!(
                    out,
                    "  ... and {} more (RETURN r.evidences for all of them)",
                    evidence.len() - MAX_EVIDENCE_SHOWN
                );
            }
        }
        Ok(out)
    }

    /// A node's name for messages, or its id when it has no name or is gone.
    fn node_label(&self, id: NodeId) -> String {
        match self.graph.node(id) {
            Some(node) => match node.name() {
                Some(name) => name.to_string(),
                None => format!("#{id}"),
            },
            None => format!("#{id}"),
        }
    }
}

/// The terminal's width in columns, when stdout is one that reports a usable width (a pty
/// that was never sized reports 0, and cutting to that would hide everything).
pub fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size()
        .map(|(w, _)| usize::from(w.0))
        .filter(|&w| w >= 20)
}

fn collect_rels(value: &QueryValue, f: &mut dyn FnMut(&query::RelValue)) {
    match value {
        QueryValue::Relationship(r) => f(r),
        QueryValue::Path(p) => p.rels.iter().for_each(&mut *f),
        QueryValue::List(items) => items.iter().for_each(|v| collect_rels(v, f)),
        QueryValue::Map(map) => map.values().for_each(|v| collect_rels(v, f)),
        _ => {}
    }
}

/// " (2025-04-11, St. Petersburg)" from an edge's date and place, or nothing.
fn when_where(props: &crate::graph::Properties) -> String {
    let parts: Vec<String> = ["date", "place"]
        .iter()
        .filter_map(|k| props.get(*k))
        .map(|v| match v {
            Value::String(s) => s.to_string(),
            other => other.to_string(),
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// (article, sentence, rule) triples of an edge: the lists when ingestion recorded them, else
/// the single first-seen values.
fn evidence_of(props: &crate::graph::Properties) -> Vec<(String, String, String)> {
    let strings = |key: &str| -> Vec<String> {
        props
            .get(key)
            .map(|v| v.strings().into_iter().map(str::to_string).collect())
            .unwrap_or_default()
    };
    let mut sentences = strings(provenance_keys::EVIDENCES);
    let mut articles = strings(provenance_keys::ARTICLES);
    let mut rules = strings(provenance_keys::RULES);
    if sentences.is_empty() {
        sentences = strings(provenance_keys::EVIDENCE);
        articles = strings(provenance_keys::ARTICLE);
        rules = strings(provenance_keys::RULE);
    }
    sentences
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let article = articles.get(i).cloned().unwrap_or_else(|| "?".into());
            let rule = rules.get(i).cloned().unwrap_or_else(|| "?".into());
            (article, s, rule)
        })
        .collect()
}

fn bracketed(parts: &[String]) -> String {
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// Words joined with ", " and wrapped at `width` columns, each line indented.
fn wrap_list(words: &[&str], width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(indent);
    for (i, word) in words.iter().enumerate() {
        let piece = if i + 1 < words.len() {
            format!("{word}, ")
        } else {
            word.to_string()
        };
        if line.len() + piece.len() > width && line.len() > indent.len() {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(indent);
        }
        line.push_str(&piece);
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// Whether two paths name one file: the same file once both exist, else the same path.
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn single_arg<'a>(rest: &'a str, command: &str, what: &str) -> Result<&'a str, Error> {
    if rest.is_empty() || rest.split_whitespace().count() > 1 {
        return Err(Error::Usage(format!("usage: :{command} {what}")));
    }
    Ok(rest)
}

/// The `:help` text for a topic (none: the overview).
fn help(topic: &str) -> Result<String, Error> {
    let topic = topic.trim_start_matches(':').to_ascii_lowercase();
    if topic.is_empty() {
        return Ok(commands::overview());
    }
    match topic.as_str() {
        "cypher" | "query" | "queries" => return Ok(commands::CYPHER_HELP.to_string()),
        "keys" | "editing" => return Ok(commands::KEYS_HELP.to_string()),
        "functions" | "function" => return Ok(commands::functions_help()),
        "procedures" | "procedure" => return Ok(commands::procedures_help()),
        _ => {}
    }
    if let Some(c) = commands::find(&topic) {
        let usage = format!(":{} {}", c.name, c.args);
        return Ok(format!(
            "{}\n  {}\n\n{}\n",
            usage.trim_end(),
            c.summary,
            c.details
        ));
    }
    let names = COMMANDS
        .iter()
        .map(|c| c.name)
        .chain(TOPICS.iter().copied());
    let hint = match commands::suggest(&topic, names) {
        Some(s) => format!("did you mean :help {s}?"),
        None => "try :help for the list of commands and topics".into(),
    };
    Err(Error::Usage(format!("no help on {topic:?}; {hint}")))
}

/// Reads a script as UTF-8 text; a bad byte is reported with its line and column.
pub fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = files::read_regular(path, files::MAX_TEXT_BYTES)
        .map_err(|e| Error::io(path.display().to_string(), e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = String::from_utf8_lossy(valid)
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            + 1;
        Error::Usage(format!(
            "{}:{line}:{column}: the script is not UTF-8 text; save it as UTF-8",
            path.display()
        ))
    })
}

/// A query error moved from its statement into the whole source, so that it prints with the
/// source's name, line and column. An error without a span points at the statement's start.
fn place_query_error(source: &Source<'_>, item: &Item, error: QueryError) -> Error {
    let mut error = error;
    let span = error.span.unwrap_or(Span {
        start: 0,
        end: item.text.len().min(1),
    });
    error.span = Some(Span {
        start: item.start + span.start,
        end: item.start + span.end,
    });
    Error::Query(Box::new(QueryFailure {
        source_name: source.name.to_string(),
        text: source.text.to_string(),
        line_offset: source.line_offset,
        error,
    }))
}

/// Prefixes a meta-command's error with where the command stands.
fn place_error(source: &Source<'_>, line: usize, column: usize, error: Error) -> Error {
    let at = format!("{}:{}:{column}", source.name, line + source.line_offset);
    match error {
        Error::Usage(msg) => Error::Usage(format!("{at}: {msg}")),
        Error::Io { what, source } => Error::Io {
            what: format!("{at}: {what}"),
            source,
        },
        // Query errors from a nested `:run` already name their own script.
        Error::Query(q) => Error::Query(q),
        other => Error::Usage(format!("{at}: {}", other.render())),
    }
}

/// The error for a script that ends inside a statement, a string or a comment.
pub fn unfinished(source: &Source<'_>, parts: &super::split::Split) -> Option<Error> {
    use super::split::Open;
    let (at, what) = match (parts.open, &parts.pending) {
        (Some(Open::Quote(q, at)), _) => (at, format!("this {q} is never closed")),
        (Some(Open::Comment(at)), _) => (at, "this /* comment is never closed".to_string()),
        (None, Some(p)) => (
            p.start,
            "this statement has no `;` at its end; add one".to_string(),
        ),
        (None, None) => return None,
    };
    let error =
        QueryError::new(ErrorKind::SyntaxError, query::Phase::Compile, "", what).with_span(Span {
            start: at,
            end: at + 1,
        });
    Some(Error::Query(Box::new(QueryFailure {
        source_name: source.name.to_string(),
        text: source.text.to_string(),
        line_offset: source.line_offset,
        error,
    })))
}

/// Whether a statement opens with Neo4j's `EXPLAIN` or `PROFILE` keyword (no statement of the
/// language itself starts with either word).
fn plan_prefix(text: &str) -> bool {
    let text = text.trim_start();
    let word = text.split(|c: char| c.is_whitespace()).next().unwrap_or("");
    word.len() < text.len()
        && (word.eq_ignore_ascii_case("explain") || word.eq_ignore_ascii_case("profile"))
}
