//! A reader for the part of Gherkin the openCypher TCK uses: `Feature`, `Background`,
//! `Scenario`, `Scenario Outline` with `Examples`, tags, steps with a doc string or a table,
//! and comments. Outlines come out expanded, one scenario per example row.
//!
//! It must never panic on a malformed file: every failure is an error with its line.
//! (The `gherkin` crate was tried first; it rejects one TCK file, `Literals6.feature`.)

use std::fmt;

/// One step: its keyword-free text (`an empty graph`), line, and argument.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub keyword: String,
    pub text: String,
    pub line: usize,
    pub arg: StepArg,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StepArg {
    None,
    DocString(String),
    /// Rows of cells, escapes (`\|`, `\\`, `\n`) already resolved.
    Table(Vec<Vec<String>>),
}

/// A runnable scenario; for an outline, one example row of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The scenario's title as written (an outline's title keeps its `<placeholders>`).
    pub name: String,
    /// For an outline's example row, its 1-based number across all `Examples` blocks.
    pub example: Option<usize>,
    pub line: usize,
    pub tags: Vec<String>,
    /// Background steps first, then the scenario's own.
    pub steps: Vec<Step>,
}

impl Scenario {
    /// The stable id within a feature file: the title, and for an outline the example row.
    pub fn title(&self) -> String {
        match self.example {
            Some(row) => format!("{} (example {row})", self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub name: String,
    pub scenarios: Vec<Scenario>,
}

/// Why a feature file did not read: the line (1-based) and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for FeatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A scenario or outline as read, before outlines are expanded.
struct Block {
    name: String,
    line: usize,
    tags: Vec<String>,
    outline: bool,
    steps: Vec<Step>,
    /// Example tables: a header and rows each.
    examples: Vec<Vec<Vec<String>>>,
}

/// What the next table rows belong to.
#[derive(PartialEq)]
enum TableTarget {
    Step,
    Examples,
    Nothing,
}

const STEP_KEYWORDS: [&str; 6] = ["Given ", "When ", "Then ", "And ", "But ", "* "];

pub fn parse_feature(text: &str) -> Result<Feature, FeatureError> {
    let mut name = None;
    let mut background: Vec<Step> = Vec::new();
    let mut in_background = false;
    let mut blocks: Vec<Block> = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    let mut table_target = TableTarget::Nothing;
    // An open doc string: its delimiter, indentation, first line and text so far.
    let mut doc: Option<(&str, usize, usize, Vec<String>)> = None;

    let err = |line: usize, message: &str| FeatureError {
        line,
        message: message.to_string(),
    };

    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = raw.trim();

        if let Some((delimiter, indent, _, lines)) = &mut doc {
            if trimmed == *delimiter {
                let body = lines.join("\n");
                let steps = if in_background {
                    &mut background
                } else {
                    match blocks.last_mut() {
                        Some(block) => &mut block.steps,
                        None => return Err(err(line_no, "doc string outside a scenario")),
                    }
                };
                let Some(step) = steps.last_mut() else {
                    return Err(err(line_no, "doc string without a step"));
                };
                step.arg = StepArg::DocString(body);
                doc = None;
            } else {
                lines.push(strip_indent(raw, *indent));
            }
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if trimmed.starts_with('@') {
            tags.extend(trimmed.split_whitespace().map(str::to_string));
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("Feature:") {
            if name.is_some() {
                return Err(err(line_no, "a second `Feature:`"));
            }
            name = Some(rest.trim().to_string());
            tags.clear();
            continue;
        }
        if name.is_none() {
            return Err(err(line_no, "expected `Feature:` first"));
        }
        if trimmed.starts_with("Background:") {
            in_background = true;
            table_target = TableTarget::Nothing;
            continue;
        }
        let outline = ["Scenario Outline:", "Scenario Template:"]
            .iter()
            .find_map(|k| trimmed.strip_prefix(k));
        let plain = ["Scenario:", "Example:"]
            .iter()
            .find_map(|k| trimmed.strip_prefix(k));
        if let Some((title, is_outline)) = outline.map(|t| (t, true)).or(plain.map(|t| (t, false)))
        {
            in_background = false;
            table_target = TableTarget::Nothing;
            blocks.push(Block {
                name: title.trim().to_string(),
                line: line_no,
                tags: std::mem::take(&mut tags),
                outline: is_outline,
                steps: Vec::new(),
                examples: Vec::new(),
            });
            continue;
        }
        if trimmed.starts_with("Examples:") || trimmed.starts_with("Scenarios:") {
            match blocks.last_mut() {
                Some(block) if block.outline => block.examples.push(Vec::new()),
                _ => return Err(err(line_no, "`Examples:` outside a scenario outline")),
            }
            tags.clear();
            table_target = TableTarget::Examples;
            continue;
        }
        if trimmed.starts_with('|') {
            let row = parse_row(trimmed).map_err(|m| err(line_no, &m))?;
            match table_target {
                TableTarget::Examples => {
                    if let Some(table) = blocks.last_mut().and_then(|b| b.examples.last_mut()) {
                        table.push(row);
                    }
                }
                TableTarget::Step => {
                    let steps = if in_background {
                        &mut background
                    } else {
                        match blocks.last_mut() {
                            Some(block) => &mut block.steps,
                            None => return Err(err(line_no, "table outside a scenario")),
                        }
                    };
                    if let Some(step) = steps.last_mut() {
                        match &mut step.arg {
                            StepArg::Table(rows) => rows.push(row),
                            StepArg::None => step.arg = StepArg::Table(vec![row]),
                            StepArg::DocString(_) => {
                                return Err(err(line_no, "a step with a doc string and a table"));
                            }
                        }
                    }
                }
                TableTarget::Nothing => return Err(err(line_no, "table without a step")),
            }
            continue;
        }
        if trimmed.starts_with("\"\"\"") || trimmed.starts_with("```") {
            let delimiter = if trimmed.starts_with("```") {
                "```"
            } else {
                "\"\"\""
            };
            let indent = raw.len() - raw.trim_start().len();
            doc = Some((delimiter, indent, line_no, Vec::new()));
            table_target = TableTarget::Nothing;
            continue;
        }
        if let Some(keyword) = STEP_KEYWORDS.iter().find(|k| trimmed.starts_with(*k)) {
            let step = Step {
                keyword: keyword.trim().to_string(),
                text: trimmed[keyword.len()..].trim().to_string(),
                line: line_no,
                arg: StepArg::None,
            };
            if in_background {
                background.push(step);
            } else {
                match blocks.last_mut() {
                    Some(block) => block.steps.push(step),
                    None => return Err(err(line_no, "step outside a scenario")),
                }
            }
            table_target = TableTarget::Step;
            continue;
        }
        return Err(err(line_no, &format!("unexpected line `{trimmed}`")));
    }
    if let Some((_, _, start, _)) = doc {
        return Err(err(start, "doc string never closed"));
    }
    let Some(name) = name else {
        return Err(err(1, "no `Feature:` in the file"));
    };

    let mut scenarios = Vec::new();
    for block in blocks {
        let mut steps = background.clone();
        steps.extend(block.steps.iter().cloned());
        if !block.outline {
            scenarios.push(Scenario {
                name: block.name,
                example: None,
                line: block.line,
                tags: block.tags,
                steps,
            });
            continue;
        }
        let mut row_no = 0;
        for table in &block.examples {
            let Some((header, rows)) = table.split_first() else {
                continue;
            };
            for row in rows {
                if row.len() != header.len() {
                    return Err(err(
                        block.line,
                        "an example row has a different number of cells than its header",
                    ));
                }
                row_no += 1;
                let bindings: Vec<(String, &str)> = header
                    .iter()
                    .zip(row)
                    .map(|(h, v)| (format!("<{h}>"), v.as_str()))
                    .collect();
                scenarios.push(Scenario {
                    name: block.name.clone(),
                    example: Some(row_no),
                    line: block.line,
                    tags: block.tags.clone(),
                    steps: steps.iter().map(|s| substitute(s, &bindings)).collect(),
                });
            }
        }
    }
    Ok(Feature { name, scenarios })
}

/// Removes up to `indent` leading whitespace characters, as Gherkin does for doc strings.
fn strip_indent(line: &str, indent: usize) -> String {
    let mut rest = line;
    for _ in 0..indent {
        match rest.chars().next() {
            Some(c) if c.is_whitespace() => rest = &rest[c.len_utf8()..],
            _ => break,
        }
    }
    rest.to_string()
}

/// Splits `| a | b\|c |` into trimmed cells, resolving Gherkin's table escapes.
fn parse_row(line: &str) -> Result<Vec<String>, String> {
    let Some(inner) = line.strip_prefix('|') else {
        return Err("a table row must start with `|`".into());
    };
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars();
    // A lone `|` is a row without cells, as the TCK writes an empty procedure output table.
    let mut closed = true;
    while let Some(c) = chars.next() {
        closed = false;
        match c {
            '\\' => match chars.next() {
                Some('|') => cell.push('|'),
                Some('\\') => cell.push('\\'),
                Some('n') => cell.push('\n'),
                Some(other) => {
                    cell.push('\\');
                    cell.push(other);
                }
                None => cell.push('\\'),
            },
            '|' => {
                cells.push(cell.trim().to_string());
                cell.clear();
                closed = true;
            }
            c => cell.push(c),
        }
    }
    if !closed {
        return Err("a table row must end with `|`".into());
    }
    Ok(cells)
}

fn substitute(step: &Step, bindings: &[(String, &str)]) -> Step {
    let apply = |text: &str| {
        let mut out = text.to_string();
        for (placeholder, value) in bindings {
            out = out.replace(placeholder.as_str(), value);
        }
        out
    };
    Step {
        keyword: step.keyword.clone(),
        text: apply(&step.text),
        line: step.line,
        arg: match &step.arg {
            StepArg::None => StepArg::None,
            StepArg::DocString(s) => StepArg::DocString(apply(s)),
            StepArg::Table(rows) => StepArg::Table(
                rows.iter()
                    .map(|r| r.iter().map(|c| apply(c)).collect())
                    .collect(),
            ),
        },
    }
}
