#!/usr/bin/env bash
# Fills fuzz/corpus/TARGET/ with seed inputs: the example scripts, the TCK's queries (read
# from ../shared/tck, or $SKEIN_TCK, at seeding time; never committed), the seed articles
# and held-out corpora, and a graph file and CSV export made from the seed articles.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
corpus="$root/fuzz/corpus"
mkdir -p "$corpus"/{query_roundtrip,query_exec,article,graph_load,csv_import}

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

# A graph file and its CSV export, made from the seed articles.
tmp=$(mktemp -d)
cargo run --quiet -- ingest seeds -g "$tmp/seeds.ron" >/dev/null
add graph_load "$tmp/seeds.ron"
cargo run --quiet -- export -g "$tmp/seeds.ron" -f csv -o "$tmp/csv" >/dev/null
cp "$tmp/csv/nodes.csv" "$corpus/csv_import/nodes-only"
{ cat "$tmp/csv/nodes.csv"; printf '\0'; cat "$tmp/csv/edges.csv"; } > "$corpus/csv_import/nodes-and-edges"
rm -rf "$tmp"

for t in "$corpus"/*; do
    echo "seed: $(basename "$t"): $(find "$t" -type f | wc -l) inputs"
done
