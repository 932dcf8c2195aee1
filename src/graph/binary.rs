//! The compact binary graph file: what every save writes, because a graph of a million edges
//! opens from it in a fraction of the time its RON text takes to parse.
//!
//! Layout, all integers little-endian:
//! - a 32-byte header: the magic bytes [`MAGIC`] (the first is not valid UTF-8, so the file is
//!   never taken for RON text), the format version (`u32`), reserved flags (`u32`, zero), the
//!   body's length (`u64`) and a checksum of the body (`u64`, see [`checksum`]);
//! - the body: the id counters, a table of the distinct labels, relationship types and
//!   property keys (each written once and referred to by index), the nodes in id order, the
//!   edges in id order. Lengths and ids are LEB128 varints, integers zigzag varints, floats
//!   their 8 bytes, temporal values and durations their ISO text.
//!
//! Reading never trusts the file: the checksum is checked before anything is decoded, every
//! length is checked against the bytes that remain before anything is allocated, and every
//! fault is an error with the byte offset where it is. Nothing here panics on any input or
//! touches the file system.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read};

use compact_str::CompactString;

use super::GraphError;
use super::persist::MAX_ID;
use super::props::{Properties, PropsReader};
use super::store::{EdgeId, Graph, LoadedEdge, Loader, NodeId};
use super::symbol::Symbol;
use super::temporal::{Duration, Temporal, TemporalKind};
use super::value::Value;

/// The first bytes of every binary graph file.
pub const MAGIC: [u8; 8] = *b"\x89SKEIN\r\n";
/// The newest binary format version this build writes and reads.
pub const BINARY_VERSION: u32 = 1;
/// The header's length.
const HEADER_LEN: usize = 32;
/// Where the body, and its first field (the node id counter), starts.
pub const BODY_START: usize = HEADER_LEN;

/// A fault in a binary graph file, at a byte offset from the start of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinaryError {
    pub offset: usize,
    pub message: String,
}

/// Whether `bytes` start like a binary graph file.
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// A 64-bit checksum of `bytes`: four independent multiply-rotate lanes over 8-byte words,
/// then the tail, then a final mix. It catches damaged or truncated files; it is not meant
/// to resist anyone forging one.
pub fn checksum(bytes: &[u8]) -> u64 {
    let mut sum = Checksum::default();
    sum.update(bytes);
    sum.finish()
}

const P1: u64 = 0x9E37_79B1_85EB_CA87;
const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;

/// [`checksum`] over bytes given in pieces, for a reader that never holds the whole file.
#[derive(Debug, Clone)]
struct Checksum {
    lanes: [u64; 4],
    /// The bytes of an unfinished 32-byte block.
    tail: [u8; 32],
    tail_len: usize,
    len: u64,
}

impl Default for Checksum {
    fn default() -> Self {
        Checksum {
            lanes: [P1, P2, P1 ^ P2, P1.wrapping_mul(3)],
            tail: [0; 32],
            tail_len: 0,
            len: 0,
        }
    }
}

impl Checksum {
    fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.tail_len > 0 {
            let take = (32 - self.tail_len).min(bytes.len());
            self.tail[self.tail_len..self.tail_len + take].copy_from_slice(&bytes[..take]);
            self.tail_len += take;
            bytes = &bytes[take..];
            if self.tail_len < 32 {
                return;
            }
            let block = self.tail;
            self.block(&block);
            self.tail_len = 0;
        }
        let mut chunks = bytes.chunks_exact(32);
        for chunk in &mut chunks {
            self.block(chunk);
        }
        let rest = chunks.remainder();
        self.tail[..rest.len()].copy_from_slice(rest);
        self.tail_len = rest.len();
    }

    fn block(&mut self, chunk: &[u8]) {
        for (lane, word) in self.lanes.iter_mut().zip(chunk.chunks_exact(8)) {
            let w = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
            *lane = (*lane ^ w.wrapping_mul(P2))
                .rotate_left(31)
                .wrapping_mul(P1);
        }
    }

    fn finish(&self) -> u64 {
        let mut h = self
            .lanes
            .iter()
            .fold(self.len, |h, &l| (h ^ l).wrapping_mul(P1).rotate_left(27));
        for &b in &self.tail[..self.tail_len] {
            h = (h ^ u64::from(b)).wrapping_mul(P2).rotate_left(11);
        }
        h ^= h >> 33;
        h = h.wrapping_mul(P2);
        h ^ (h >> 29)
    }
}

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const INT: u8 = 3;
const FLOAT: u8 = 4;
const STRING: u8 = 5;
const LIST: u8 = 6;
const MAP: u8 = 7;
const TEMPORAL: u8 = 8;
const DURATION: u8 = 9;

const KINDS: [TemporalKind; 5] = [
    TemporalKind::Date,
    TemporalKind::LocalTime,
    TemporalKind::Time,
    TemporalKind::LocalDateTime,
    TemporalKind::DateTime,
];

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// The distinct labels, types and keys, numbered in the order first met.
#[derive(Default)]
struct Symbols<'g> {
    index: HashMap<&'g str, u64>,
    names: Vec<&'g str>,
}

impl<'g> Symbols<'g> {
    fn add(&mut self, name: &'g str) {
        if !self.index.contains_key(name) {
            self.index.insert(name, self.names.len() as u64);
            self.names.push(name);
        }
    }

    fn put(&self, out: &mut Vec<u8>, name: &str) {
        put_varint(out, self.index.get(name).copied().unwrap_or(0));
    }
}

fn put_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.push(NULL),
        Value::Bool(false) => out.push(FALSE),
        Value::Bool(true) => out.push(TRUE),
        Value::Int(i) => {
            out.push(INT);
            put_varint(out, ((i << 1) ^ (i >> 63)) as u64);
        }
        Value::Float(f) => {
            out.push(FLOAT);
            out.extend_from_slice(&f.to_le_bytes());
        }
        Value::String(s) => {
            out.push(STRING);
            put_str(out, s);
        }
        Value::List(items) => {
            out.push(LIST);
            put_varint(out, items.len() as u64);
            for item in items {
                put_value(out, item);
            }
        }
        Value::Map(map) => {
            out.push(MAP);
            put_varint(out, map.len() as u64);
            for (k, v) in map {
                put_str(out, k);
                put_value(out, v);
            }
        }
        Value::Temporal(t) => {
            out.push(TEMPORAL);
            out.push(KINDS.iter().position(|k| *k == t.kind()).unwrap_or(0) as u8);
            put_str(out, &t.iso());
        }
        Value::Duration(d) => {
            out.push(DURATION);
            put_str(out, &d.iso());
        }
    }
}

fn put_props(out: &mut Vec<u8>, symbols: &Symbols<'_>, props: &Properties) {
    put_varint(out, props.len() as u64);
    for (k, v) in props.iter() {
        symbols.put(out, k);
        put_value(out, v);
    }
}

/// The whole file for `graph`: header and body.
pub fn encode(graph: &Graph) -> Vec<u8> {
    let mut symbols = Symbols::default();
    for node in graph.nodes() {
        for label in &node.labels {
            symbols.add(label);
        }
        for (k, _) in node.props.iter() {
            symbols.add(k);
        }
    }
    for edge in graph.edges() {
        symbols.add(&edge.rel_type);
        for (k, _) in edge.props.iter() {
            symbols.add(k);
        }
    }
    let mut out = vec![0u8; HEADER_LEN];
    put_varint(&mut out, graph.next_node_id());
    put_varint(&mut out, graph.next_edge_id());
    put_varint(&mut out, symbols.names.len() as u64);
    for name in &symbols.names {
        put_str(&mut out, name);
    }
    put_varint(&mut out, graph.node_count() as u64);
    for node in graph.nodes() {
        put_varint(&mut out, node.id.0);
        put_varint(&mut out, node.labels.len() as u64);
        for label in &node.labels {
            symbols.put(&mut out, label);
        }
        put_props(&mut out, &symbols, &node.props);
    }
    put_varint(&mut out, graph.edge_count() as u64);
    for edge in graph.edges() {
        put_varint(&mut out, edge.id.0);
        symbols.put(&mut out, &edge.rel_type);
        put_varint(&mut out, edge.source.0);
        put_varint(&mut out, edge.target.0);
        put_props(&mut out, &symbols, &edge.props);
    }
    write_header(&mut out);
    out
}

/// The whole file for a body: a header that fits it, then the body. Only the fuzz target
/// for this format needs it, so that its inputs get past the checksum to the records.
pub fn seal_body(body: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; HEADER_LEN];
    out.extend_from_slice(body);
    write_header(&mut out);
    out
}

/// Fills the header at the start of `file` (its first [`HEADER_LEN`] bytes) for the body
/// that follows it.
fn write_header(file: &mut [u8]) {
    let body_len = (file.len() - HEADER_LEN) as u64;
    let sum = checksum(&file[HEADER_LEN..]);
    file[..8].copy_from_slice(&MAGIC);
    file[8..12].copy_from_slice(&BINARY_VERSION.to_le_bytes());
    file[12..16].copy_from_slice(&0u32.to_le_bytes());
    file[16..24].copy_from_slice(&body_len.to_le_bytes());
    file[24..32].copy_from_slice(&sum.to_le_bytes());
}

/// How many bytes of the file the reader holds at a time (more only for one longer record).
const WINDOW: usize = 1 << 16;

/// Reads the file through a window of the bytes not yet decoded, so that opening a graph
/// never holds the whole file next to the graph it becomes; every byte of the body is added
/// to the checksum as it enters the window. Offsets in errors are from the start of the file.
struct Reader<'s> {
    src: &'s mut dyn Read,
    window: Vec<u8>,
    /// The file offset of `window[0]`.
    start: usize,
    /// The read position within `window`.
    at: usize,
    /// The file's length.
    len: usize,
    /// Where the checksummed body starts.
    body_start: usize,
    sum: Checksum,
    /// Bytes read from the source so far.
    read: usize,
    /// The error the source gave, if it failed.
    io_error: Option<io::Error>,
}

impl<'s> Reader<'s> {
    fn new(src: &'s mut dyn Read, len: usize, body_start: usize) -> Self {
        Reader {
            src,
            window: Vec::new(),
            start: 0,
            at: 0,
            len,
            body_start,
            sum: Checksum::default(),
            read: 0,
            io_error: None,
        }
    }

    /// The file offset of the next byte to decode.
    fn pos(&self) -> usize {
        self.start + self.at
    }

    fn fail<T>(&self, message: impl Into<String>) -> Result<T, BinaryError> {
        self.fail_at(self.pos(), message)
    }

    fn fail_at<T>(&self, offset: usize, message: impl Into<String>) -> Result<T, BinaryError> {
        Err(BinaryError {
            offset,
            message: message.into(),
        })
    }

    /// Reads from the source into the window until it holds `n` bytes from the read position
    /// (or the source ends); returns whether it does.
    fn fill(&mut self, n: usize) -> bool {
        if self.window.len() - self.at >= n {
            return true;
        }
        self.window.drain(..self.at);
        self.start += self.at;
        self.at = 0;
        let want = n.max(WINDOW);
        while self.window.len() < n && self.io_error.is_none() {
            let old = self.window.len();
            self.window.resize(want, 0);
            let got = match self.src.read(&mut self.window[old..]) {
                Ok(got) => got,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    self.window.truncate(old);
                    continue;
                }
                Err(e) => {
                    self.io_error = Some(e);
                    0
                }
            };
            self.window.truncate(old + got);
            let new = &self.window[old..];
            let skip = self.body_start.saturating_sub(self.read).min(new.len());
            self.sum.update(&new[skip..]);
            self.read += got;
            if got == 0 && self.window.len() < n {
                return false;
            }
        }
        self.window.len() >= n
    }

    /// Reads the rest of the source, for its checksum; returns how many bytes it held in all.
    fn drain(&mut self) -> usize {
        self.start += self.window.len();
        self.at = 0;
        self.window.clear();
        while self.fill(1) {
            self.start += self.window.len();
            self.window.clear();
        }
        self.read
    }

    fn byte(&mut self) -> Result<u8, BinaryError> {
        if let Some(&b) = self.window.get(self.at) {
            self.at += 1;
            return Ok(b);
        }
        if !self.fill(1) {
            return self.fail("the file ends in the middle of a record");
        }
        self.at += 1;
        Ok(self.window[self.at - 1])
    }

    fn varint(&mut self) -> Result<u64, BinaryError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            let bits = u64::from(b & 0x7F);
            if shift == 63 && bits > 1 {
                return self.fail("a number is longer than 64 bits");
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        self.fail("a number is longer than 64 bits")
    }

    /// How many bytes of the file remain after the read position.
    fn remaining(&self) -> usize {
        self.len.saturating_sub(self.pos())
    }

    /// A count of items that each take at least one byte: never more than what remains, so
    /// a damaged count cannot make the reader allocate without bound.
    fn count(&mut self) -> Result<usize, BinaryError> {
        let at = self.pos();
        let n = self.varint()?;
        let remaining = self.remaining() as u64;
        if n > remaining {
            return self.fail_at(
                at,
                format!("a count of {n} items is more than the {remaining} bytes that remain"),
            );
        }
        Ok(n as usize)
    }

    fn bytes(&mut self, n: usize) -> Result<&[u8], BinaryError> {
        if n > self.remaining() || !self.fill(n) {
            return self.fail("the file ends in the middle of a record");
        }
        let slice = &self.window[self.at..self.at + n];
        self.at += n;
        Ok(slice)
    }

    fn str(&mut self) -> Result<&str, BinaryError> {
        let n = self.count()?;
        let at = self.pos();
        let raw = self.bytes(n)?;
        match std::str::from_utf8(raw) {
            Ok(text) => Ok(text),
            Err(e) => Err(BinaryError {
                offset: at + e.valid_up_to(),
                message: "text that is not UTF-8".into(),
            }),
        }
    }

    fn symbol(&mut self, symbols: &[Symbol]) -> Result<Symbol, BinaryError> {
        let at = self.pos();
        let i = self.varint()?;
        match usize::try_from(i).ok().and_then(|i| symbols.get(i)) {
            Some(s) => Ok(*s),
            None => self.fail_at(at, format!("name number {i} is not in the table of names")),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, BinaryError> {
        // Far deeper than any value skein makes; a bound keeps a damaged file from
        // overflowing the stack.
        if depth > 1000 {
            return self.fail("values nested more than 1000 deep");
        }
        let at = self.pos();
        Ok(match self.byte()? {
            NULL => Value::Null,
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            INT => {
                let z = self.varint()?;
                Value::Int(((z >> 1) as i64) ^ -((z & 1) as i64))
            }
            FLOAT => {
                let raw = self.bytes(8)?;
                Value::Float(f64::from_le_bytes(raw.try_into().unwrap_or([0; 8])))
            }
            STRING => Value::String(CompactString::from(self.str()?)),
            LIST => {
                let n = self.count()?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                Value::List(items)
            }
            MAP => {
                let n = self.count()?;
                let mut map = BTreeMap::new();
                for _ in 0..n {
                    let k = self.str()?.to_string();
                    let v = self.value(depth + 1)?;
                    map.insert(k, v);
                }
                Value::Map(map)
            }
            TEMPORAL => {
                let k = self.byte()?;
                let Some(&kind) = KINDS.get(usize::from(k)) else {
                    return self.fail(format!("temporal kind {k} is unknown"));
                };
                let text = self.str()?;
                match Temporal::parse(kind, text) {
                    Some(t) => Value::Temporal(t),
                    None => {
                        let message = format!("{text:?} is not a valid {}", kind.type_name());
                        return self.fail_at(at, message);
                    }
                }
            }
            DURATION => {
                let text = self.str()?;
                match Duration::parse(text) {
                    Some(d) => Value::from(d),
                    None => {
                        let message = format!("{text:?} is not an ISO 8601 duration");
                        return self.fail_at(at, message);
                    }
                }
            }
            other => {
                return self.fail_at(at, format!("value tag {other} is unknown"));
            }
        })
    }

    fn props(&mut self, symbols: &[Symbol]) -> Result<Properties, BinaryError> {
        let n = self.count()?;
        // Room for the entries at once, but never more than a real map has before it grows
        // as it goes: a damaged count must not reserve dozens of bytes per byte of the file.
        let mut props = PropsReader::with_capacity(n.min(64));
        for _ in 0..n {
            let at = self.pos();
            let key = self.symbol(symbols)?;
            let value = self.value(0)?;
            if props.push_ordered(key, value).is_some() {
                let key = key.as_str();
                return self.fail_at(at, format!("the property {key:?} appears twice"));
            }
        }
        Ok(props.finish())
    }
}

/// What stops a binary file from loading: a fault at a byte offset, records that do not
/// make a graph (an edge to a node the file does not hold, an id given twice), or a read
/// that failed.
#[derive(Debug)]
pub enum Fault {
    At(BinaryError),
    Graph(GraphError),
    Read(io::Error),
}

impl From<BinaryError> for Fault {
    fn from(e: BinaryError) -> Self {
        Fault::At(e)
    }
}

fn fault_at(offset: usize, message: String) -> Fault {
    Fault::At(BinaryError { offset, message })
}

/// [`decode_from`] for a file already in memory.
pub fn decode(file: &[u8]) -> Result<Graph, Fault> {
    decode_from(&mut &file[..], file.len())
}

/// Checks the header of a binary file of `len` bytes read from `src`, then decodes its
/// records straight into a graph, holding only a small window of the file at a time. The
/// checksum is taken as the bytes go by and checked at the end, before the graph is given
/// back: a damaged file is refused as "damaged" whatever its records look like, as if the
/// checksum had been checked first. Every id must fit a Cypher integer and stay below its
/// counter, so that the next element created never takes an id in use.
pub fn decode_from(src: &mut dyn Read, len: usize) -> Result<Graph, Fault> {
    let mut r = Reader::new(src, len, HEADER_LEN);
    if len < HEADER_LEN || !r.fill(HEADER_LEN) || !is_binary(&r.window) {
        if let Some(e) = r.io_error {
            return Err(Fault::Read(e));
        }
        return Err(fault_at(0, "the header is incomplete".into()));
    }
    let mut header = [0u8; HEADER_LEN];
    header.copy_from_slice(&r.window[..HEADER_LEN]);
    r.at = HEADER_LEN;
    let word = |range: std::ops::Range<usize>| -> [u8; 8] {
        let mut w = [0u8; 8];
        w[..range.len()].copy_from_slice(&header[range]);
        w
    };
    let version = u32::from_le_bytes(word(8..12)[..4].try_into().unwrap_or([0; 4]));
    if version == 0 || version > BINARY_VERSION {
        return Err(fault_at(
            8,
            format!(
                "binary format version {version}; this skein reads versions 1 to {BINARY_VERSION} \
                 (a newer skein wrote it: upgrade skein)"
            ),
        ));
    }
    if word(12..16) != [0; 8] {
        return Err(fault_at(
            12,
            "the header sets flags this skein does not know (a newer skein wrote it: upgrade \
             skein)"
                .into(),
        ));
    }
    let body_len = u64::from_le_bytes(word(16..24));
    let sum = u64::from_le_bytes(word(24..32));
    let cut = |held: usize| {
        fault_at(
            16,
            format!(
                "the header says the body has {body_len} bytes, the file holds {}; the file \
                 was cut short or added to",
                held - HEADER_LEN
            ),
        )
    };
    if (len - HEADER_LEN) as u64 != body_len {
        return Err(cut(len));
    }
    let records = decode_records(&mut r);
    let held = r.drain();
    if let Some(e) = r.io_error {
        return Err(Fault::Read(e));
    }
    if held != len {
        return Err(cut(held));
    }
    if r.sum.finish() != sum {
        return Err(fault_at(
            24,
            "the checksum does not match the contents: the file is damaged".into(),
        ));
    }
    records
}

/// How many edges are decoded before they are added to the graph together (see
/// `Loader::edges`): enough for the cache misses of their end nodes to overlap, few enough
/// that their nodes stay in the cache until they are linked.
const EDGE_BATCH: usize = 64;

/// The records of a binary file, after its header.
fn decode_records(r: &mut Reader<'_>) -> Result<Graph, Fault> {
    let next_node_id = r.varint()?;
    let next_edge_id = r.varint()?;
    for (field, next) in [
        ("next_node_id", next_node_id),
        ("next_edge_id", next_edge_id),
    ] {
        if next > MAX_ID {
            return Err(fault_at(
                BODY_START,
                format!("{field} is {next}, above the largest id {MAX_ID}; the file is damaged"),
            ));
        }
    }
    // The table of names is interned once, so that a record's labels, type and keys cost a
    // look-up by number each, not a search by text.
    let n_symbols = r.count()?;
    let mut symbols: Vec<Symbol> = Vec::with_capacity(n_symbols);
    for _ in 0..n_symbols {
        symbols.push(Symbol::new(r.str()?));
    }
    let mut loader = Loader::default();
    let below = |offset: usize, kind: &str, id: u64, next: u64| {
        if id >= next {
            Err(fault_at(
                offset,
                format!(
                    "{kind} id {id} is not below the file's next {kind} id {next}: the next \
                     {kind} created would take an id in use; the file is damaged"
                ),
            ))
        } else {
            Ok(())
        }
    };
    let mut labels: Vec<Symbol> = Vec::new();
    // A node takes at least 3 bytes and an edge 5, so a count within what remains also bounds
    // what is reserved for it by the file's size.
    let n_nodes = r.count()?;
    loader.reserve_nodes(n_nodes.min(r.remaining() / 3));
    for _ in 0..n_nodes {
        let offset = r.pos();
        let id = r.varint()?;
        below(offset, "node", id, next_node_id)?;
        let n_labels = r.count()?;
        labels.clear();
        for _ in 0..n_labels {
            labels.push(r.symbol(&symbols)?);
        }
        let props = r.props(&symbols)?;
        loader
            .node(NodeId(id), labels.iter().map(|l| l.as_str()), props)
            .map_err(Fault::Graph)?;
    }
    let n_edges = r.count()?;
    loader.reserve_edges(n_edges.min(r.remaining() / 5));
    let mut batch = Vec::with_capacity(EDGE_BATCH.min(n_edges));
    for i in 0..n_edges {
        let offset = r.pos();
        let id = r.varint()?;
        below(offset, "edge", id, next_edge_id)?;
        let rel_type = r.symbol(&symbols)?;
        let source = NodeId(r.varint()?);
        let target = NodeId(r.varint()?);
        let props = r.props(&symbols)?;
        batch.push(LoadedEdge {
            id: EdgeId(id),
            source,
            rel_type,
            target,
            props,
        });
        if batch.len() == EDGE_BATCH || i + 1 == n_edges {
            loader.edges(&mut batch).map_err(Fault::Graph)?;
        }
    }
    if r.pos() != r.len || r.fill(1) {
        return Err(fault_at(
            r.pos(),
            "unexpected bytes after the last relationship".into(),
        ));
    }
    Ok(loader.finish(next_node_id, next_edge_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::store::Walk;

    #[test]
    fn varints_and_zigzag_round_trip_at_the_edges() {
        for v in [0u64, 1, 127, 128, 300, u64::MAX >> 1, u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            let mut src = &out[..];
            let mut r = Reader::new(&mut src, out.len(), 0);
            assert_eq!(r.varint().unwrap(), v);
        }
        for i in [0i64, -1, 1, i64::MIN, i64::MAX] {
            let mut out = Vec::new();
            put_value(&mut out, &Value::Int(i));
            let mut src = &out[..];
            let mut r = Reader::new(&mut src, out.len(), 0);
            assert_eq!(r.value(0).unwrap(), Value::Int(i));
        }
    }

    #[test]
    fn every_damaged_byte_is_refused_without_a_panic() {
        let mut g = Graph::new();
        let mut props = Properties::new();
        props.insert("name", Value::from("Ada"));
        props.insert("l", Value::List(vec![Value::Int(-3), Value::Float(0.5)]));
        let a = g.add_node(["Person"], props);
        g.add_edge(a, "KNOWS", a, Properties::new()).unwrap();
        let file = encode(&g);
        for i in 0..file.len() {
            let mut bad = file.clone();
            bad[i] ^= 0x41;
            assert!(decode(&bad).is_err(), "a flip at byte {i} went unnoticed");
        }
        for n in 0..file.len() {
            assert!(decode(&file[..n]).is_err(), "a cut at {n} went unnoticed");
        }
    }

    #[test]
    fn edges_loaded_in_batches_keep_their_order_and_are_checked_one_by_one() {
        let mut g = Graph::new();
        let nodes: Vec<NodeId> = (0..5)
            .map(|_| g.add_node(["Person"], Properties::new()))
            .collect();
        // More than two batches, between few nodes, so that a batch links many edges into the
        // same lists.
        for i in 0..(2 * EDGE_BATCH + 7) {
            let mut props = Properties::new();
            props.insert("i", Value::Int(i as i64));
            g.add_edge(nodes[i % 5], "KNOWS", nodes[i * 3 % 5], props)
                .unwrap();
        }
        let loaded = decode(&encode(&g)).unwrap();
        assert!(loaded == g);
        let order = |g: &Graph| -> Vec<_> {
            g.edges_at(nodes[1], Walk::Both)
                .iter()
                .map(|e| e.id)
                .collect()
        };
        assert_eq!(order(&loaded), order(&g));

        // A file of one node and the edges given, each a (id, source, target) of type 0.
        let file = |edges: &[(u64, u64, u64)]| {
            let mut body = Vec::new();
            put_varint(&mut body, 1);
            put_varint(&mut body, 100);
            put_varint(&mut body, 1);
            put_str(&mut body, "KNOWS");
            put_varint(&mut body, 1);
            body.extend([0, 0, 0]);
            put_varint(&mut body, edges.len() as u64);
            for &(id, source, target) in edges {
                for v in [id, 0, source, target, 0] {
                    put_varint(&mut body, v);
                }
            }
            seal_body(&body)
        };
        let mut edges: Vec<(u64, u64, u64)> = (0..10).map(|i| (i, 0, 0)).collect();
        assert_eq!(decode(&file(&edges)).unwrap().edge_count(), 10);
        edges[6].0 = 3;
        match decode(&file(&edges)) {
            Err(Fault::Graph(GraphError::DuplicateId(what))) => assert_eq!(what, "edge 3"),
            other => panic!("expected a duplicate id, got {other:?}"),
        }
        edges[6].0 = 6;
        edges[8].2 = 1;
        match decode(&file(&edges)) {
            Err(Fault::Graph(GraphError::NoSuchNode(id))) => assert_eq!(id, NodeId(1)),
            other => panic!("expected a missing node, got {other:?}"),
        }
    }

    #[test]
    fn huge_counts_are_refused_before_anything_is_allocated() {
        let mut body = Vec::new();
        put_varint(&mut body, 0);
        put_varint(&mut body, 0);
        put_varint(&mut body, u64::MAX >> 1);
        match decode(&seal_body(&body)) {
            Err(Fault::At(err)) => assert!(err.message.contains("more than the"), "{err:?}"),
            other => panic!("expected a fault, got {other:?}"),
        }
    }
}
