//! Compiles the generated lexicons (`src/ingest/lexicon/*.ron`, the form people read, edit and
//! regenerate) into postcard, a compact binary form that skein decodes at start-up many times
//! faster than it could parse the RON. A RON error fails the build with its file, line and
//! column.

use std::path::{Path, PathBuf};

#[path = "src/ingest/lexicon/schema.rs"]
mod schema;

fn compile<T: serde::de::DeserializeOwned + serde::Serialize>(source: &str, out: &Path) {
    println!("cargo::rerun-if-changed={source}");
    let text =
        std::fs::read_to_string(source).unwrap_or_else(|e| panic!("cannot read {source}: {e}"));
    let value: T = ron::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "{source}:{}:{}: {}",
            e.span.start.line, e.span.start.col, e.code
        )
    });
    let bytes =
        postcard::to_allocvec(&value).unwrap_or_else(|e| panic!("cannot encode {source}: {e}"));
    std::fs::write(out, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}

/// The given-name genders as sorted lines ("anna\tF"), looked up by binary search in the
/// text itself (`lexicon::given_gender`), so that start-up decodes nothing.
fn given_genders(source: &str, out: &Path) {
    println!("cargo::rerun-if-changed={source}");
    let text =
        std::fs::read_to_string(source).unwrap_or_else(|e| panic!("cannot read {source}: {e}"));
    let file: schema::GivenGendersFile = ron::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "{source}:{}:{}: {}",
            e.span.start.line, e.span.start.col, e.code
        )
    });
    let mut lines: Vec<String> = file
        .female
        .iter()
        .map(|n| format!("{}\tF", n.to_lowercase()))
        .chain(file.male.iter().map(|n| format!("{}\tM", n.to_lowercase())))
        .collect();
    lines.sort();
    let mut blob = lines.join("\n");
    blob.push('\n');
    std::fs::write(out, blob).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}

fn main() {
    println!("cargo::rerun-if-changed=src/ingest/lexicon/schema.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    compile::<schema::RegionsFile>(
        "src/ingest/lexicon/regions.ron",
        &out.join("regions.postcard"),
    );
    compile::<schema::GivenNamesFile>(
        "src/ingest/lexicon/given_names.ron",
        &out.join("given_names.postcard"),
    );
    given_genders(
        "src/ingest/lexicon/given_genders.ron",
        &out.join("given_genders.txt"),
    );
    compile::<schema::OrganizationsFile>(
        "src/ingest/lexicon/organizations.ron",
        &out.join("organizations.postcard"),
    );
}
