//! The meta-commands' names, usage and help texts, and the "did you mean" suggestion for
//! typos; data only, nothing here runs a command.

/// One meta-command as the help, the completer and the hinter see it.
pub struct CommandInfo {
    pub name: &'static str,
    /// Arguments, as shown after the name: `FORMAT FILE [QUERY]`.
    pub args: &'static str,
    pub summary: &'static str,
    pub details: &'static str,
}

pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "help",
        args: "[TOPIC]",
        summary: "this list, or help on a command or topic (cypher, functions, procedures, keys)",
        details: "`:help schema` explains one command; `:help cypher` shows the query language \
                  with examples; `:help functions` and `:help procedures` list every function and procedure; `:help keys` lists the editing keys.",
    },
    CommandInfo {
        name: "schema",
        args: "",
        summary: "labels, relationship types and property keys, with counts",
        details: "Lists every node label and relationship type in the graph with how many \
                  elements carry it, then every property key in use.",
    },
    CommandInfo {
        name: "stats",
        args: "",
        summary: "the graph file, node and relationship counts, unsaved changes",
        details: "Shows which graph file the session uses, how many nodes and relationships \
                  it holds, whether there are unsaved changes, and the current settings.",
    },
    CommandInfo {
        name: "ingest",
        args: "PATH...",
        summary: "read articles (files or directories) into the graph",
        details: "Ingests articles as `skein ingest` does and prints a one-line summary. \
                  The graph changes in memory; `:save` writes it.",
    },
    CommandInfo {
        name: "load",
        args: "FILE",
        summary: "replace the graph with a graph file",
        details: "Loads a skein graph file; it becomes the session's graph and the file that \
                  `:save` writes. Unsaved changes to the previous graph are discarded.",
    },
    CommandInfo {
        name: "save",
        args: "[FILE]",
        summary: "write the graph to its file, or to FILE",
        details: "Saves atomically (a temporary file renamed over the old one). Without FILE \
                  the graph goes to the file it was loaded from. If another skein saved that \
                  file since this session read it, `:save` refuses, so that their change is not \
                  lost: `:load` reads the file again, `:save!` overwrites it anyway. In \
                  `skein run` scripts the graph is saved at the end when every statement \
                  succeeded, so `:save` alone does nothing there.",
    },
    CommandInfo {
        name: "export",
        args: "FORMAT FILE [QUERY]",
        summary: "write the last result, or QUERY's, as dot, json, graphml, cypher or csv",
        details: "Without QUERY the last result is exported. Example: \
                  `:export dot meetings.dot MATCH p=(:Person)-[:MET_WITH]-(:Person) RETURN p`.",
    },
    CommandInfo {
        name: "run",
        args: "SCRIPT",
        summary: "run a saved script of statements and meta-commands",
        details: "Statements end with `;`; `//` and `/* */` are comments; meta-commands stand \
                  on their own lines. The script stops at its first error.",
    },
    CommandInfo {
        name: "param",
        args: "NAME VALUE",
        summary: "set the query parameter $NAME to a Cypher literal",
        details: "Example: `:param who 'Vladimir Putin'`, then \
                  `MATCH (p:Person {name: $who}) RETURN p;`. Values are Cypher literals: \
                  'text', 42, 1.5, true, null, [1, 2], {key: 'value'}.",
    },
    CommandInfo {
        name: "params",
        args: "",
        summary: "list the query parameters",
        details: "Shows every parameter set with `:param` or `--param`, in name order.",
    },
    CommandInfo {
        name: "format",
        args: "table|json|csv",
        summary: "how results are printed",
        details: "table: aligned columns cut to the terminal width; json: one object per row; \
                  csv: a header line and one line per row.",
    },
    CommandInfo {
        name: "timing",
        args: "on|off",
        summary: "show how long each query took",
        details: "When on, the summary line under each result ends with the elapsed time.",
    },
    CommandInfo {
        name: "max-memory",
        args: "SIZE",
        summary: "the memory one query's lists, strings and maps may take",
        details: "Shows the limit, or sets it, e.g. `:max-memory 4GiB` (the default is 1GiB, \
                  or what --max-memory said). A query that builds a larger value stops with \
                  an error that names the limit.",
    },
    CommandInfo {
        name: "why",
        args: "",
        summary: "the evidence (sentences, articles, rules) behind the last result's edges",
        details: "For every relationship in the last result, directly or inside a path, shows \
                  who did what to whom, when and where, and each sentence it was read from \
                  with its article and extraction rule. Return the relationships to see them: \
                  `MATCH (a)-[r:REJECTED]->(b) RETURN a.name, r, b.name;` then `:why`.",
    },
    CommandInfo {
        name: "profile",
        args: "QUERY",
        summary: "run a query and show its plan with rows and time per step",
        details: "Runs the query (its changes included, as any statement), prints its result, \
                  then the plan with the rows each step produced and the time it took, and the \
                  operators that matched each pattern.",
    },
    CommandInfo {
        name: "explain",
        args: "QUERY",
        summary: "show how a query would run, without running it",
        details: "Prints the query's plan: where matching starts, which index it uses, the \
                  order of the steps, and the operators that match each pattern.",
    },
    CommandInfo {
        name: "quit",
        args: "",
        summary: "leave (Ctrl-D does too)",
        details: "Leaves the shell. With unsaved changes it asks once more; `:save` keeps them.",
    },
];

/// Help topics that are not commands.
pub const TOPICS: &[&str] = &["cypher", "functions", "procedures", "keys"];

pub fn find(name: &str) -> Option<&'static CommandInfo> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let d = if candidate.starts_with(&word) && !word.is_empty() {
            0
        } else {
            edit_distance(&word, &candidate.to_lowercase())
        };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    let limit = (word.chars().count() / 3).clamp(1, 3);
    best.filter(|&(d, _)| d <= limit).map(|(_, c)| c)
}

/// Levenshtein distance with adjacent transpositions counted as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

/// The `:help` text with no topic.
pub fn overview() -> String {
    let mut out = String::from(
        "Type a Cypher statement and end it with `;` (it may span lines). Tab completes \
         keywords, labels, types, properties, variables and names in quotes; Up recalls history.\n\
         Ctrl-C drops the current input or cancels a running query; Ctrl-D leaves.\n\n\
         Commands:\n",
    );
    let width = COMMANDS
        .iter()
        .map(|c| c.name.len() + c.args.len() + 2)
        .max()
        .unwrap_or(0);
    for c in COMMANDS {
        let usage = if c.args.is_empty() {
            format!(":{}", c.name)
        } else {
            format!(":{} {}", c.name, c.args)
        };
        out.push_str(&format!("  {usage:<width$}  {}\n", c.summary));
    }
    out.push_str(
        "\nMore: :help COMMAND, :help cypher, :help functions, :help procedures, :help keys\n",
    );
    out
}

/// `:help functions`: every function of the query engine's table, with its signature and help.
pub fn functions_help() -> String {
    let mut out = String::from("Functions (names match without regard to case):\n");
    for f in crate::query::function_table() {
        out.push_str(&format!("  {}\n      {}\n", f.signature(), f.help));
    }
    out
}

/// `:help procedures`: every built-in procedure, with its signature and help.
pub fn procedures_help() -> String {
    let mut out = String::from(
        "Procedures (CALL name() YIELD output; SHOW PROCEDURES lists them as a table):\n",
    );
    for p in crate::query::builtin_procedures() {
        out.push_str(&format!("  {}\n      {}\n", p.signature(), p.help));
    }
    out
}

pub const CYPHER_HELP: &str = "\
Nodes are Person, Organization and Region; relationships are MET_WITH, PROPOSED, REJECTED,
SUPPORTED, CRITICIZED, PRAISED, ACCUSED, THREATENED, ATTACKED, RELEASED, AGREED_WITH, LEADS,
REPRESENTS and LOCATED_IN, each with date, place, what, article, evidence and rule properties.

  MATCH (p:Person) RETURN p.name ORDER BY p.name;
  MATCH (a:Person)-[r:MET_WITH]-(b:Person) RETURN a.name, b.name, r.date, r.place;
  MATCH (a)-[r:REJECTED]->(b) RETURN a.name, r.what, b.name;   then :why for the evidence
  MATCH (p {name: 'Vladimir Putin'})-[*1..2]-(x) RETURN DISTINCT x.name;
  MATCH (a)-[r]->(b) WHERE r.date >= '2025-04-01' RETURN type(r), count(*) ORDER BY count(*) DESC;
  MERGE (p:Person {name: 'Steve Witkoff'}) SET p.titles = ['US special envoy'];
  CALL db.labels();   CALL db.schema.relTypeProperties();   SHOW PROCEDURES;
";

pub const KEYS_HELP: &str = "\
  Enter        run the statement when it ends with `;`, else continue on the next line
  Tab          complete; inside quotes, complete entity names
  Right arrow  accept the grey hint
  Up / Down    previous / next statement from history (kept across sessions)
  Ctrl-R       search history
  Ctrl-C       drop the current input, or cancel a running query
  Ctrl-D       leave (on an empty line)
  Ctrl-L       clear the screen
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_command_names_only() {
        let names = || COMMANDS.iter().map(|c| c.name);
        assert_eq!(suggest("shcema", names()), Some("schema"));
        assert_eq!(suggest("qiut", names()), Some("quit"));
        assert_eq!(suggest("exprot", names()), Some("export"));
        assert_eq!(suggest("param", names()), Some("param"));
        assert_eq!(suggest("sch", names()), Some("schema"));
        assert_eq!(suggest("xyzzy", names()), None);
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("abc", "acb"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
