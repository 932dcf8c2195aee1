//! Saving and loading a whole graph: in the compact binary format (see `binary`), which every
//! save writes, or as versioned RON text, the readable form that loads too and that
//! `write_graph` writes for `skein export --format ron`.
//!
//! Both are our own schema (id counters, node and edge records), not petgraph's layout, so
//! the store can change without breaking saved graphs; a file is told apart by its first
//! bytes, never by its name. Saving is atomic:
//! the graph is written to a temporary file beside the target, synced, then renamed over it,
//! so an interrupted save leaves the previous file whole. This is the only module of the graph
//! layer that touches the file system.

use std::cell::RefCell;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use super::GraphError;
use super::binary;
use super::files::{self, AtomicFile, MAX_GRAPH_BYTES, WriteLock};
use super::props::Properties;
use super::store::{Edge, EdgeId, Graph, Node, NodeId};

/// The `format` tag every graph file carries.
pub const FORMAT_TAG: &str = "skein-graph";
/// The newest file version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct FileOut<N, E> {
    format: &'static str,
    version: u32,
    next_node_id: u64,
    next_edge_id: u64,
    nodes: N,
    edges: E,
}

#[derive(Serialize)]
struct NodeOut<'a> {
    id: u64,
    labels: Vec<&'a str>,
    props: &'a Properties,
}

#[derive(Serialize)]
struct EdgeOut<'a> {
    id: u64,
    #[serde(rename = "type")]
    rel_type: &'a str,
    source: u64,
    target: u64,
    props: &'a Properties,
}

/// Streams records straight from an iterator, without a copy; serialised once.
struct Stream<I> {
    items: RefCell<Option<I>>,
    len: usize,
}

impl<'a, I: Iterator<Item = &'a Node>> Serialize for Stream<I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len))?;
        for node in self.items.borrow_mut().take().into_iter().flatten() {
            seq.serialize_element(&NodeOut {
                id: node.id.0,
                labels: node.labels.iter().map(|l| &**l).collect(),
                props: &node.props,
            })?;
        }
        seq.end()
    }
}

/// The edges' stream; a separate type because `Stream` is implemented for nodes.
struct EdgeStream<I> {
    items: RefCell<Option<I>>,
    len: usize,
}

impl<'a, I: Iterator<Item = &'a Edge>> Serialize for EdgeStream<I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len))?;
        for edge in self.items.borrow_mut().take().into_iter().flatten() {
            seq.serialize_element(&EdgeOut {
                id: edge.id.0,
                rel_type: &edge.rel_type,
                source: edge.source.0,
                target: edge.target.0,
                props: &edge.props,
            })?;
        }
        seq.end()
    }
}

/// The header alone, read first so that a foreign or newer file is named as such instead of
/// failing on its first unknown field.
#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    format: String,
    version: u32,
    next_node_id: u64,
    next_edge_id: u64,
    nodes: Vec<NodeIn>,
    edges: Vec<EdgeIn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NodeIn {
    id: u64,
    labels: Vec<String>,
    props: Properties,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EdgeIn {
    id: u64,
    #[serde(rename = "type")]
    rel_type: String,
    source: u64,
    target: u64,
    props: Properties,
}

/// Writes the graph as RON text, the readable form of the graph file, to any writer.
pub fn write_graph(graph: &Graph, out: impl Write) -> Result<(), ron::Error> {
    write_records(
        out,
        (graph.next_node_id(), graph.next_edge_id()),
        (graph.nodes(), graph.node_count()),
        (graph.edges(), graph.edge_count()),
    )
}

/// Writes nodes and edges (with how many there are) as a RON graph file with the given id
/// counters: a whole graph, or part of one for an export.
pub fn write_records<'a>(
    out: impl Write,
    (next_node_id, next_edge_id): (u64, u64),
    (nodes, n_nodes): (impl Iterator<Item = &'a Node>, usize),
    (edges, n_edges): (impl Iterator<Item = &'a Edge>, usize),
) -> Result<(), ron::Error> {
    let file = FileOut {
        format: FORMAT_TAG,
        version: FORMAT_VERSION,
        next_node_id,
        next_edge_id,
        nodes: Stream {
            items: RefCell::new(Some(nodes)),
            len: n_nodes,
        },
        edges: EdgeStream {
            items: RefCell::new(Some(edges)),
            len: n_edges,
        },
    };
    // One record a line: readable, diffable, and cheap for large graphs.
    let pretty = ron::ser::PrettyConfig::new().depth_limit(2);
    ron::Options::default().to_io_writer_pretty(out, &file, pretty)
}

/// Parses a graph from the text of a file; `path` only names the file in errors.
pub fn read_graph(text: &str, path: &Path) -> Result<Graph, GraphError> {
    let parse_error = |e: ron::error::SpannedError| GraphError::Parse {
        path: path.to_path_buf(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: e.code.to_string(),
    };
    let check_header = |format: &str, version: u32| {
        if format != FORMAT_TAG {
            Err(GraphError::Foreign {
                path: path.to_path_buf(),
                found: format.to_string(),
            })
        } else if version > FORMAT_VERSION {
            Err(GraphError::Version {
                path: path.to_path_buf(),
                found: version,
            })
        } else {
            Ok(())
        }
    };
    let file: FileIn = match ron::Options::default().from_str(text) {
        Ok(file) => file,
        Err(e) => {
            // Name a foreign or newer file as such rather than by its first odd field.
            if let Ok(h) = ron::Options::default().from_str::<Header>(text) {
                check_header(&h.format, h.version)?;
            }
            return Err(parse_error(e));
        }
    };
    check_header(&file.format, file.version)?;
    check_ron_ids(&file, text, path)?;
    let nodes = file
        .nodes
        .into_iter()
        .map(|n| (NodeId(n.id), n.labels, n.props))
        .collect();
    let edges = file
        .edges
        .into_iter()
        .map(|e| {
            (
                EdgeId(e.id),
                NodeId(e.source),
                e.rel_type,
                NodeId(e.target),
                e.props,
            )
        })
        .collect();
    Graph::from_records(file.next_node_id, file.next_edge_id, nodes, edges).map_err(|e| {
        GraphError::Invalid {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    })
}

/// The largest id a graph file may hold: `id(n)` is a Cypher integer, which is signed.
pub const MAX_ID: u64 = i64::MAX as u64;

/// Line and column (both from 1, the column in characters) of the first `needle` in `text`,
/// or 1:1 when it is not there.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let Some(at) = text.find(needle) else {
        return (1, 1);
    };
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Checks the id counters against the ids: every id and counter fits a Cypher integer, and
/// each counter is above every id of its kind, so that the next element created never takes
/// an id already in use (a wrapped or lowered counter would silently replace a node and
/// its edges). `at` turns a field name or a bad id into the error at its place in the file.
fn check_ids(
    counters: [u64; 2],
    max_ids: [Option<u64>; 2],
    at: impl Fn(IdFault, String) -> GraphError,
) -> Result<(), GraphError> {
    let fields = ["next_node_id", "next_edge_id"];
    let kinds = ["node", "edge"];
    for i in 0..2 {
        let (field, next) = (fields[i], counters[i]);
        if next > MAX_ID {
            return Err(at(
                IdFault::Counter(field),
                format!("{field} is {next}, above the largest id {MAX_ID}; the file is damaged"),
            ));
        }
    }
    for i in 0..2 {
        let (kind, field, next) = (kinds[i], fields[i], counters[i]);
        let Some(max) = max_ids[i] else { continue };
        if max > MAX_ID {
            return Err(at(
                IdFault::Id(max),
                format!("{kind} id {max} is above the largest id {MAX_ID}; the file is damaged"),
            ));
        }
        if next <= max {
            return Err(at(
                IdFault::Counter(field),
                format!(
                    "{field} is {next}, but {kind} id {max} is in use: the next {kind} \
                     created would take an id that exists; the file is damaged (set {field} \
                     to {} if you edited it by hand)",
                    max + 1
                ),
            ));
        }
    }
    Ok(())
}

/// What `check_ids` found wrong: a counter (by field name) or an id.
enum IdFault {
    Counter(&'static str),
    Id(u64),
}

/// `check_ids` for a RON file, with positions found in its text.
fn check_ron_ids(file: &FileIn, text: &str, path: &Path) -> Result<(), GraphError> {
    check_ids(
        [file.next_node_id, file.next_edge_id],
        [
            file.nodes.iter().map(|n| n.id).max(),
            file.edges.iter().map(|e| e.id).max(),
        ],
        |fault, message| {
            let needle = match fault {
                IdFault::Counter(field) => format!("{field}:"),
                IdFault::Id(id) => format!("id: {id},"),
            };
            let (line, column) = position_of(text, &needle);
            GraphError::Parse {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        },
    )
}

/// Builds a graph from the binary file format (see [`binary`]); `path` only names the file in
/// errors, which give the byte offset of the fault.
pub fn read_binary(bytes: &[u8], path: &Path) -> Result<Graph, GraphError> {
    binary_fault(binary::decode(bytes), path)
}

/// A decoded graph, or the error its fault makes for the file at `path`.
fn binary_fault(decoded: Result<Graph, binary::Fault>, path: &Path) -> Result<Graph, GraphError> {
    decoded.map_err(|fault| match fault {
        binary::Fault::Read(e) => GraphError::io(path, e),
        binary::Fault::At(e) => GraphError::Corrupt {
            path: path.to_path_buf(),
            offset: e.offset,
            message: e.message,
        },
        binary::Fault::Graph(e) => GraphError::Invalid {
            path: path.to_path_buf(),
            message: e.to_string(),
        },
    })
}

/// Loads a graph file. Only a regular file is read (a pipe or a device is refused at once,
/// never waited on or read without end), and at most [`MAX_GRAPH_BYTES`] of it.
///
/// A binary file is decoded as it is read, a small window at a time, so that the file's bytes
/// are never held next to the graph they become; a RON file is read whole.
pub fn load(path: &Path) -> Result<Graph, GraphError> {
    let io_error = |e| GraphError::io(path, e);
    let (file, len) = files::open_regular(path, MAX_GRAPH_BYTES).map_err(io_error)?;
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    // One byte more than the size shows whether the file grew while it was read.
    let mut file = file.take(len.saturating_add(1) as u64);
    let mut start = Vec::with_capacity(binary::MAGIC.len());
    (&mut file)
        .take(binary::MAGIC.len() as u64)
        .read_to_end(&mut start)
        .map_err(io_error)?;
    if binary::is_binary(&start) {
        return binary_fault(
            binary::decode_from(&mut start.as_slice().chain(file), len),
            path,
        );
    }
    // Text: read whole, through the same checks as any file.
    let bytes = files::read_regular(path, MAX_GRAPH_BYTES).map_err(io_error)?;
    read_bytes(&bytes, path)
}

/// Builds a graph from the bytes of a file, in either form; `path` only names the file in
/// errors. The form is told apart by content, not by name: a file called `.ron` may hold
/// either.
pub fn read_bytes(bytes: &[u8], path: &Path) -> Result<Graph, GraphError> {
    if binary::is_binary(bytes) {
        return read_binary(bytes, path);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        GraphError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: "the file is not UTF-8 text".to_string(),
        }
    })?;
    read_graph(text, path)
}

/// Loads a graph file, or starts an empty graph when there is no file yet. Any other
/// failure (unreadable, corrupt, foreign) is an error, so that a bad file is never
/// silently replaced by a new graph.
pub fn load_or_new(path: &Path) -> Result<(Graph, bool), GraphError> {
    match load(path) {
        Ok(graph) => Ok((graph, true)),
        Err(GraphError::NotFound { .. }) => Ok((Graph::new(), false)),
        Err(e) => Err(e),
    }
}

/// Takes the lock that lets this process write the graph file at `path` (see
/// [`WriteLock`]), waiting as long as `SKEIN_LOCK_WAIT` says (30 s by default). A command
/// that reads, changes and saves a graph holds it from before the read until after the save.
pub fn lock_for_writing(path: &Path) -> Result<WriteLock, GraphError> {
    WriteLock::acquire_default(path).map_err(|e| write_error(path, e))
}

/// A graph written to a temporary file beside its destination, not yet in place.
/// Dropping it without `commit` removes the temporary file and leaves the destination as
/// it was, which is what a crash or a failed write amounts to. It holds the graph's write
/// lock until it is committed or dropped.
pub struct PendingSave {
    file: AtomicFile,
    dest: PathBuf,
    _lock: WriteLock,
}

impl PendingSave {
    /// The temporary file's path.
    pub fn temp_path(&self) -> &Path {
        self.file.temp_path()
    }

    /// Renames the temporary file over the destination (a symlink's target) and syncs the
    /// directory.
    pub fn commit(self) -> Result<(), GraphError> {
        let dest = self.dest;
        self.file.commit().map_err(|e| write_error(&dest, e))
    }
}

/// A write failure; unlike a read, a missing path here means a missing directory.
fn write_error(path: &Path, source: io::Error) -> GraphError {
    GraphError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes the graph to a synced temporary file beside `dest`: the first half of a save.
/// It takes the graph's write lock (at once if this process holds it already), and removes
/// temporary files that killed saves of the same file left behind.
///
/// The new file keeps the old one's mode; a read-only file is refused; a symlink is written
/// through, so the link stays and its target gets the new graph. A file with other hard
/// links is replaced under this name only: the other names keep the previous graph, whole,
/// as a snapshot does; a save never rewrites a shared file in place, where a crash would
/// tear it for every name.
pub fn prepare_save(graph: &Graph, dest: &Path) -> Result<PendingSave, GraphError> {
    let lock = lock_for_writing(dest)?;
    let mut file = AtomicFile::create(dest).map_err(|e| write_error(dest, e))?;
    // Under the lock no other save of this file runs, so any temporary file of ours that no
    // live process holds is left over from a killed one.
    files::clean_stale_temps(file.target(), Duration::ZERO);
    let temp = file.temp_path().to_path_buf();
    let bytes = binary::encode(graph);
    file.file()
        .write_all(&bytes)
        .map_err(|e| write_error(&temp, e))?;
    Ok(PendingSave {
        file,
        dest: dest.to_path_buf(),
        _lock: lock,
    })
}

/// Saves the graph atomically: temporary file, sync, rename.
pub fn save(graph: &Graph, dest: &Path) -> Result<(), GraphError> {
    prepare_save(graph, dest)?.commit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Value, provenance_keys};
    use std::fs;

    fn sample() -> Graph {
        let mut g = Graph::new();
        let mut props = Properties::new();
        props.insert("name", Value::from("Vladimir \"Vova\" Putin\n"));
        props.insert("aliases", Value::from(vec!["Putin"]));
        props.insert("mentions", Value::Int(3));
        props.insert("score", Value::Float(0.5));
        props.insert("whole", Value::Float(2.0));
        props.insert("big", Value::Float(1e300));
        props.insert(
            "nested",
            Value::List(vec![Value::Null, Value::Int(-1), Value::from(vec![true])]),
        );
        props.insert("nan", Value::Float(f64::NAN));
        let a = g.add_node(["Person", "Leader"], props);
        let b = g.add_node(["Region"], Properties::new());
        let gone = g.add_node(["Region"], Properties::new());
        g.remove_node(gone).unwrap();
        let mut edge = Properties::new();
        edge.insert(provenance_keys::EVIDENCE, Value::from("Ünïcode ✓ 'quoted'"));
        edge.insert("flag", Value::Bool(true));
        g.add_edge(a, "LEADS", b, edge).unwrap();
        g
    }

    #[test]
    fn save_then_load_gives_the_same_graph() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.ron");
        let g = sample();
        save(&g, &path).unwrap();
        let back = load(&path).unwrap();
        assert!(back == g, "round trip changed the graph");
        // The id counter survives, so the deleted node's id is not handed out again.
        assert_eq!(back.next_node_id(), g.next_node_id());
        back.check_consistency().unwrap();
        // Saving is deterministic.
        let mut first = Vec::new();
        let mut second = Vec::new();
        write_graph(&g, &mut first).unwrap();
        write_graph(&back, &mut second).unwrap();
        assert_eq!(first, second);
    }

    #[test]
    fn a_ron_file_loads_and_its_next_save_is_binary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.ron");
        let g = sample();
        let mut text = Vec::new();
        write_graph(&g, &mut text).unwrap();
        fs::write(&path, &text).unwrap();
        let back = load(&path).unwrap();
        assert!(back == g, "the RON file loads as it was written");
        save(&back, &path).unwrap();
        assert!(binary::is_binary(&fs::read(&path).unwrap()));
        let again = load(&path).unwrap();
        assert!(again == g);
        assert_eq!(again.next_node_id(), g.next_node_id());
        assert_eq!(again.next_edge_id(), g.next_edge_id());
    }

    #[test]
    fn a_damaged_binary_file_is_refused_with_its_offset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.skg");
        save(&sample(), &path).unwrap();
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        fs::write(&path, &bytes).unwrap();
        match load(&path) {
            Err(GraphError::Corrupt {
                offset, message, ..
            }) => {
                assert_eq!(offset, 24);
                assert!(message.contains("checksum"), "{message}");
            }
            other => panic!("expected a corrupt-file error, got {other:?}"),
        }
    }

    #[test]
    fn an_interrupted_save_leaves_the_old_file_loadable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.ron");
        let old = sample();
        save(&old, &path).unwrap();
        let mut new = sample();
        new.add_node(["Person"], Properties::new());
        let pending = prepare_save(&new, &path).unwrap();
        assert!(pending.temp_path().exists());
        let temp = pending.temp_path().to_path_buf();
        // The process dies before the rename: the pending save is dropped uncommitted.
        drop(pending);
        assert!(!temp.exists(), "the temporary file is cleaned up");
        assert!(load(&path).unwrap() == old);
    }

    #[test]
    fn a_failed_rename_leaves_the_old_file_loadable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.ron");
        let old = sample();
        save(&old, &path).unwrap();
        let pending = prepare_save(&Graph::new(), &path).unwrap();
        // Make the rename fail: the destination's directory entry is swapped for a
        // non-empty directory, which a file cannot replace.
        let moved = dir.path().join("moved.ron");
        fs::rename(&path, &moved).unwrap();
        fs::create_dir(&path).unwrap();
        fs::write(path.join("keep"), b"x").unwrap();
        assert!(matches!(pending.commit(), Err(GraphError::Io { .. })));
        assert!(load(&moved).unwrap() == old);
    }

    #[test]
    fn temporal_values_and_durations_survive_save_and_load() {
        use crate::graph::{Duration, Temporal, TemporalKind};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.ron");
        let mut g = Graph::new();
        let mut props = Properties::new();
        for (kind, text) in [
            (TemporalKind::Date, "2025-04-11"),
            (TemporalKind::LocalTime, "12:31:14.645876123"),
            (TemporalKind::Time, "10:35-08:00"),
            (TemporalKind::LocalDateTime, "0001-01-01T01:01:01.000000001"),
            (TemporalKind::DateTime, "1984-10-11T12:31:14.5+00:17"),
        ] {
            let t = Temporal::parse(kind, text).unwrap();
            props.insert(kind.function_name(), Value::Temporal(t));
        }
        let d = Duration::parse("P1Y2M3DT4H5M6.5S").unwrap();
        props.insert("both", Value::List(vec![Value::from(d)]));
        // A map with another key, or a non-text value under a tag, stays a map.
        let mut map = std::collections::BTreeMap::new();
        map.insert("$date".to_string(), Value::Int(3));
        props.insert("map", Value::Map(map));
        g.add_node(["Event"], props);
        save(&g, &path).unwrap();
        assert!(
            load(&path).unwrap() == g,
            "the binary round trip changed the graph"
        );
        let mut text = Vec::new();
        write_graph(&g, &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        std::fs::write(&path, &text).unwrap();
        assert!(text.contains(r#"{"$date": "2025-04-11"}"#), "{text}");
        assert!(
            text.contains(r#"{"$duration": "P1Y2M3DT4H5M6.5S"}"#),
            "{text}"
        );
        let back = load(&path).unwrap();
        assert!(back == g, "round trip changed the graph");
        let bad = text.replace("2025-04-11", "2025-02-30");
        assert!(matches!(
            read_graph(&bad, &path),
            Err(GraphError::Parse { .. })
        ));
    }

    #[test]
    fn corrupt_files_are_reported_with_line_and_column() {
        let path = Path::new("g.ron");
        let text = "(\n  format: \"skein-graph\",\n  version: 1,\n  next_node_id: oops,\n)";
        match read_graph(text, path) {
            Err(GraphError::Parse { line, column, .. }) => {
                assert_eq!(line, 4);
                assert!((16..=17).contains(&column), "column {column}");
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
        let foreign = "(format: \"something-else\", version: 1)";
        assert!(matches!(
            read_graph(foreign, path),
            Err(GraphError::Foreign { .. })
        ));
        let newer = "(format: \"skein-graph\", version: 99, future: true)";
        assert!(matches!(
            read_graph(newer, path),
            Err(GraphError::Version { found: 99, .. })
        ));
        let dangling = "(format: \"skein-graph\", version: 1, next_node_id: 0, next_edge_id: 1, \
                        nodes: [], edges: [(id: 0, type: \"T\", source: 0, target: 1, props: {})])";
        assert!(matches!(
            read_graph(dangling, path),
            Err(GraphError::Invalid { .. })
        ));
    }

    #[test]
    fn a_non_utf8_file_names_the_position_of_the_bad_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.ron");
        fs::write(&path, b"(\n  format: \xff").unwrap();
        match load(&path) {
            Err(GraphError::Parse { line, column, .. }) => assert_eq!((line, column), (2, 11)),
            other => panic!("expected a parse error, got {other:?}"),
        }
    }
}
