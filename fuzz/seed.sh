#!/usr/bin/env bash
# Fills fuzz/corpus/TARGET/ with seed inputs: the example scripts, the TCK's queries (read
# from ../shared/tck, or $SKEIN_TCK, at seeding time; never committed), the seed articles
# and held-out corpora, the rules files, and a graph file (RON and binary) and CSV export made
# from the seed articles.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
corpus="$root/fuzz/corpus"
mkdir -p "$corpus"/{query_roundtrip,query_exec,article,graph_load,graph_binary,csv_import,rules}

# The skein that makes the graph seeds: $SKEIN_BIN when set (a release build saves building
# a debug one), else this checkout through cargo.
skein() {
    if [ -n "${SKEIN_BIN:-}" ]; then "$SKEIN_BIN" "$@"; else cargo run --quiet -- "$@"; fi
}

n=0
add() { # add TARGET FILE: copies FILE into the target's corpus under a numbered name
    n=$((n + 1))
    cp "$2" "$corpus/$1/seed-$n"
}

# Queries: every example script whole, and each statement of it on its own.
for f in examples/*.cypher; do
    add query_roundtrip "$f"
    add query_exec "$f"
done

# The TCK's queries: the text between the triple quotes after "executing query".
tck="${SKEIN_TCK:-$root/../shared/tck}"
if [ -d "$tck/features" ]; then
    tmp=$(mktemp -d)
    find "$tck/features" -name '*.feature' -print0 | xargs -0 awk -v out="$tmp" '
        /executing query:|executing control query:/ { want = 1; next }
        /"""/ && want == 1 { want = 2; q = ""; next }
        /"""/ && want == 2 { want = 0; k++; print q > (out "/q" k); close(out "/q" k); next }
        want == 2 { q = q $0 "\n" }
    '
    for f in "$tmp"/q*; do
        add query_roundtrip "$f"
        add query_exec "$f"
    done
    rm -rf "$tmp"
else
    echo "seed: no TCK at $tck; the query corpora get the examples only"
fi

# Articles: the seeds and the held-out test corpora.
find seeds tests/data -name '*.txt' -print0 | while IFS= read -r -d '' f; do
    add article "$f"
done

# Rules files: the built-in ones and the example of a user's.
for f in src/ingest/rules/*.ron examples/*.ron; do
    add rules "$f"
done

# A graph file and its CSV export, made from the seed articles. Every save is binary; the
# export is the RON text. The binary target takes a file's body, after its 32-byte header.
tmp=$(mktemp -d)
skein ingest seeds -g "$tmp/seeds.skein" >/dev/null
skein export -g "$tmp/seeds.skein" -f ron -o "$tmp/seeds.ron" >/dev/null
add graph_load "$tmp/seeds.ron"
add graph_load "$tmp/seeds.skein"
tail -c +33 "$tmp/seeds.skein" > "$corpus/graph_binary/seeds-body"
skein export -g "$tmp/seeds.skein" -f csv -o "$tmp/csv" >/dev/null
cp "$tmp/csv/nodes.csv" "$corpus/csv_import/nodes-only"
{ cat "$tmp/csv/nodes.csv"; printf '\0'; cat "$tmp/csv/edges.csv"; } > "$corpus/csv_import/nodes-and-edges"
rm -rf "$tmp"

for t in "$corpus"/*; do
    echo "seed: $(basename "$t"): $(find "$t" -type f | wc -l) inputs"
done
