#!/usr/bin/env bash
# Regenerates every generated lexicon file from its generator and pinned packages, then fails
# when a committed file differs from what its generator writes: a hand edit, or a change to a
# generator, a facts file or a file the generators read (rules/lexicon.ron) that was not
# followed by a regeneration. It compares the files as they are in the working tree and puts
# them back as they were, whatever the outcome. The packages go to a temporary virtual environment; a machine
# that cannot create one or reach the package index skips the check and says so.
#
#   src/ingest/lexicon/gen/check.sh [PETRARCH2_SOURCE_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
source_dir=${1:-../../../../../shared/lexicon-sources/petrarch2}
if [ ! -d "$source_dir" ]; then
    echo "lexicon check: no PETRARCH2 dictionaries at $source_dir; skipped"
    exit 0
fi
venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
if ! python3 -m venv "$venv" >/dev/null 2>&1 \
    || ! "$venv/bin/python" -m pip install --quiet -r requirements.txt >/dev/null 2>&1; then
    echo "lexicon check: could not install the pinned packages of requirements.txt; skipped"
    exit 0
fi
generated=(regions.ron given_names.ron given_genders.ron triggers.ron organizations.ron)
for f in "${generated[@]}"; do cp "../$f" "$venv/$f.kept"; done
restore() { for f in "${generated[@]}"; do cp "$venv/$f.kept" "../$f"; done; rm -rf "$venv"; }
trap restore EXIT
"$venv/bin/python" gen_regions.py >/dev/null
"$venv/bin/python" gen_given_genders.py >/dev/null
"$venv/bin/python" gen_petrarch.py --source "$source_dir" >/dev/null
differ=()
for f in "${generated[@]}"; do
    if ! cmp -s "../$f" "$venv/$f.kept"; then
        diff -u "$venv/$f.kept" "../$f" | head -20 || true
        differ+=("$f")
    fi
done
if [ ${#differ[@]} -gt 0 ]; then
    echo "lexicon check: ${differ[*]} differ from what their generators write (a sample above)."
    echo "Regenerate them (README.md in this folder) and commit the result, or fix the generator."
    exit 1
fi
echo "lexicon check: every generated lexicon file matches its generator"
