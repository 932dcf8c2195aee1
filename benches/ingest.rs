//! Ingestion throughput over a generated corpus of at least 10 MB: the whole pipeline
//! (reading, recognition, resolution, relations, merge) on one core, and over all cores;
//! then the split of one pass's time between the stages (`skein::ingest::timing`).
//!
//! The corpus is built deterministically from a few synthetic sentence templates and name
//! lists written for this benchmark, so every run measures the same text. Every sentence of
//! it holds a trigger, so every sentence is parsed; real news parses fewer, so a second
//! group ("real text") ingests the articles of the project's development sets (`heldout`,
//! `news`, `dev`, `dev2`, `archive`; never the frozen `unseen`), copied over and over to
//! at least 10 MB, each copy in its own folder as the sets are laid out.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use skein::graph::Graph;
use skein::ingest::{IngestOptions, ingest_paths};

/// The allocator of the `skein` binary, so the figures are what users get.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FIRST: [&str; 12] = [
    "Anna", "John", "Maria", "Peter", "Elena", "David", "Sofia", "Michael", "Laura", "Thomas",
    "Irina", "James",
];
const LAST: [&str; 12] = [
    "Novak",
    "Keller",
    "Moreau",
    "Lindqvist",
    "Haddad",
    "Okafor",
    "Tanaka",
    "Silva",
    "Brandt",
    "Kowalski",
    "Petrenko",
    "Olsen",
];
const COUNTRIES: [&str; 10] = [
    "France", "Germany", "Poland", "Brazil", "Japan", "Kenya", "Egypt", "Canada", "Norway", "Chile",
];
const DEMONYMS: [&str; 10] = [
    "French",
    "German",
    "Polish",
    "Brazilian",
    "Japanese",
    "Kenyan",
    "Egyptian",
    "Canadian",
    "Norwegian",
    "Chilean",
];
const CITIES: [&str; 6] = ["Geneva", "Vienna", "Oslo", "Nairobi", "Cairo", "Lisbon"];
const ORGS: [&str; 5] = [
    "Northern Energy Agency",
    "Atlantic Trade Council",
    "Harbor News",
    "Central Mining Fund",
    "Coastal Defence Ministry",
];
const TEMPLATES: [&str; 14] = [
    "{D1} President {P1} and {D2} Prime Minister {P2} held talks in {C} on Tuesday.",
    "{P1} later criticised {K2} for what {L1} called a breach of the accord.",
    "According to {O}, {L1} told {L2} that a phased withdrawal would be the best way forward.",
    "{K1} rejected {L2}'s proposal for a border commission, a plan {K2} supported.",
    "{O} spokesperson {P3} said the two sides had agreed to resume flights.",
    "{K1} and {K2} agreed to exchange prisoners, and both sides accused each other of delays.",
    "Last month, {D1} forces attacked {D2} positions near the border.",
    "{L2} did not meet {L1} during the summit, and a future meeting is possible.",
    "{K1} freed {P3} on Monday after a court in {C} ordered the release.",
    "\"We will impose sanctions on {K2} if the attacks continue,\" {L1} said.",
    "{L1}'s meeting with {L2} in {C} lasted three hours.",
    "Markets in {C} rose 2.5 percent on Friday as traders welcomed the news.",
    "{P3}, a senior adviser to {L1}, said the talks were constructive.",
    "{L2} praised {L1} and called the {D1} president a great leader.",
];

/// A small deterministic generator (a linear congruential sequence).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

fn article(rng: &mut Lcg, n: usize) -> String {
    let mut text = format!(
        " date 2025-{:02}-{:02} Report {n}\n\n",
        1 + n % 12,
        1 + n % 28
    );
    let (a, b) = (rng.next(10), rng.next(10));
    let b = if a == b { (b + 1) % 10 } else { b };
    let p1 = format!("{} {}", FIRST[rng.next(12)], LAST[rng.next(12)]);
    let p2 = format!("{} {}", FIRST[rng.next(12)], LAST[rng.next(12)]);
    let p3 = format!("{} {}", FIRST[rng.next(12)], LAST[rng.next(12)]);
    let l1 = p1.split(' ').next_back().unwrap_or_default().to_string();
    let l2 = p2.split(' ').next_back().unwrap_or_default().to_string();
    while text.len() < 5_000 {
        for _ in 0..4 {
            let t = TEMPLATES[rng.next(TEMPLATES.len())];
            let s = t
                .replace("{D1}", DEMONYMS[a])
                .replace("{D2}", DEMONYMS[b])
                .replace("{K1}", COUNTRIES[a])
                .replace("{K2}", COUNTRIES[b])
                .replace("{P1}", &p1)
                .replace("{P2}", &p2)
                .replace("{P3}", &p3)
                .replace("{L1}", &l1)
                .replace("{L2}", &l2)
                .replace("{C}", CITIES[rng.next(6)])
                .replace("{O}", ORGS[rng.next(5)]);
            text.push_str(&s);
            text.push(' ');
        }
        text.push_str("\n\n");
    }
    text
}

/// Writes the corpus (at least `bytes`) as files under `dir`; returns the total size.
fn write_corpus(dir: &Path, bytes: usize) -> usize {
    let mut rng = Lcg(42);
    let mut total = 0;
    let mut n = 0;
    while total < bytes {
        let text = article(&mut rng, n);
        total += text.len();
        let sub = dir.join(format!("{:02}", n % 50));
        std::fs::create_dir_all(&sub).expect("corpus directory");
        std::fs::write(sub.join(format!("{n:05}.txt")), text).expect("corpus file");
        n += 1;
    }
    total
}

/// The development sets whose articles the real-text corpus repeats.
const REAL_SETS: [&str; 5] = ["heldout", "news", "dev", "dev2", "archive"];

/// Writes copies of the development sets' articles under `dir` until they hold at least
/// `bytes`; returns the total size.
fn write_real_corpus(dir: &Path, bytes: usize) -> usize {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut articles = Vec::new();
    for set in REAL_SETS {
        let mut files: Vec<PathBuf> = std::fs::read_dir(data.join(set))
            .expect("a development set")
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        for f in files {
            articles.push((
                set,
                f.file_name().expect("a file name").to_owned(),
                std::fs::read(&f).expect("an article"),
            ));
        }
    }
    let mut total = 0;
    let mut copy = 0;
    while total < bytes {
        for (set, name, text) in &articles {
            let sub = dir.join(format!("{copy:03}")).join(set);
            std::fs::create_dir_all(&sub).expect("corpus directory");
            std::fs::write(sub.join(name), text).expect("corpus file");
            total += text.len();
        }
        copy += 1;
    }
    total
}

/// Ingests `paths` on one core and on all, then prints the split of one pass on one core.
fn bench_corpus(c: &mut Criterion, group: &str, paths: &[PathBuf], size: usize) {
    let options = IngestOptions::default();
    let mut group = c.benchmark_group(group);
    // Reported in MB/s (10^6 bytes a second), the unit ingestion speed is quoted in.
    group.throughput(Throughput::BytesDecimal(size as u64));
    group.sample_size(10);
    group.measurement_time(std::time::Duration::from_secs(20));
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("thread pool");
    group.bench_function("whole pipeline, one core", |b| {
        b.iter(|| {
            one.install(|| {
                let mut g = Graph::new();
                ingest_paths(&mut g, paths, &options).expect("ingests")
            })
        })
    });
    group.bench_function("whole pipeline, all cores", |b| {
        b.iter(|| {
            let mut g = Graph::new();
            ingest_paths(&mut g, paths, &options).expect("ingests")
        })
    });
    group.finish();
    // Where the time goes: one more pass on one core, timed stage by stage.
    skein::ingest::timing::enable(true);
    one.install(|| ingest_paths(&mut Graph::new(), paths, &options).expect("ingests"));
    skein::ingest::timing::enable(false);
    println!(
        "one pass on one core, {size} bytes\n{}",
        skein::ingest::timing::take()
    );
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    // `SKEIN_INGEST_CORPUS=DIR` writes the corpus there and keeps it, for profiling
    // `skein ingest DIR` outside the benchmark.
    let corpus = std::env::var_os("SKEIN_INGEST_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.path().join("corpus"));
    let size = write_corpus(&corpus, 10 * 1024 * 1024 + 1);
    let paths: Vec<PathBuf> = vec![corpus];
    // Parse the built-in rules and lexicons once, outside the measurement.
    ingest_paths(&mut Graph::new(), &[], &IngestOptions::default()).expect("rules load");
    bench_corpus(c, "ingest", &paths, size);
    let real = dir.path().join("real");
    let size = write_real_corpus(&real, 10 * 1024 * 1024 + 1);
    bench_corpus(c, "ingest real text", &[real], size);
}

criterion_group!(benches, bench);
criterion_main!(benches);
