#!/usr/bin/env python3
"""Identity and wire-copy figures of skein on the wire archive of issue 18; it never writes outside its output folder.

It ingests tests/data/archive with a built skein binary (release by default), exports the graph
as JSON and reads tests/data/archive/identity.json to report the figures the issue asks for:

- Person nodes whose full names carry two different given names (titles dropped; an initial
  counts as different only when no full given name on the node starts with it; the few
  transliteration variants of the archive, Alexander/Aleksander and Evgeny/Yevgeny, are one name);
- `different` pairs of identity.json (people who share a surname) that ended in one node;
- `same` entities whose full names are spread over several nodes or carried by none, and the
  share of short mentions (surname or title only) whose article is listed on the entity's node;
- multi-word node names in capitals (headline furniture);
- relations drawn only from sports articles, and how many of them are not title relations
  (LEADS, REPRESENTS, LOCATED_IN);
- articles ingested without a date although their dateline gives one (read from skein's
  warnings that say "its date is unknown", so it must follow that wording if it changes);

then scores the export against tests/data/archive/gold.json with ../shared/score_gold.py.

Usage (from the repository root, after `cargo build --release`):
    python3 benches/archive_identity.py
    python3 benches/archive_identity.py --skein target/debug/skein --out target/archive-identity

Figures on the set as frozen (d5332ce), 2026-12-06. Before the identity and wire work (4ef15a0):
3 Person nodes with two given names; 3 of 19 distinct `different` pairs merged; 2 of 36 `same`
entities with no node under their full name (names with particles cut); 52/57 short mentions on
their entity's node; 14 multi-word capitals names; 33 relations only from sports articles, 17 of
them not title relations; 150 of 150 articles without a date; gold: entity F1 0.754, relation
P 0.532 R 0.546 F1 0.539. After it: 0 Person nodes with two given names; 0 of 19 pairs merged;
1 entity with no node under its full name (Pieter van der Berg); 53/57 short mentions; 1 capitals
name (START II); 16 relations only from sports articles, 0 of them not title relations; 68 of
150 articles without a date (25 with the date on a line under the headline, 43 whose dateline
gives no year); gold: entity F1 0.741, relation P 0.615 R 0.588 F1 0.601. After the date
lines, the years of yearless datelines and the identity of organisations (2026-12-06): the same
identity figures, 0 of 150 articles without a date; gold: entity P 0.789 R 0.715 F1 0.750,
relation P 0.618 R 0.593 F1 0.605.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = Path(os.environ.get("SKEIN_SHARED", REPO_ROOT.parent / "shared"))

# Words dropped before the given name is read; a name shorter than two words after that has none.
TITLES = {
    "mr", "mrs", "ms", "dr", "president", "senator", "governor", "treasurer", "prince", "king",
    "queen", "sheikh", "general", "colonel", "captain", "coach", "the", "first", "lady", "prime",
    "minister", "chancellor", "secretary", "us", "u.s.", "former", "chief", "executive",
}
# The transliteration variants the archive uses on purpose: one given name each.
VARIANTS = {"alexander": "aleksander", "aleksandr": "aleksander", "evgeny": "yevgeny", "evgeni": "yevgeny"}
TITLE_TYPES = {"LEADS", "REPRESENTS", "LOCATED_IN"}


def forms(node):
    props = node["properties"]
    return [props.get("name") or ""] + list(props.get("aliases") or [])


def given_name(form):
    words = [w for w in form.split() if w.lower().strip(".,") not in TITLES]
    if len(words) < 2:
        return None
    first = words[0].lower().strip(",")
    return VARIANTS.get(first, first)


def two_given_names(node):
    names = {given_name(f) for f in forms(node)} - {None}
    full = {g for g in names if not re.fullmatch(r"[a-z]\.", g)}
    initials = {g[0] for g in names if re.fullmatch(r"[a-z]\.", g)}
    return len(full) >= 2 or bool(full and initials - {g[0] for g in full})


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--skein", default=str(REPO_ROOT / "target/release/skein"))
    ap.add_argument("--corpus", default=str(REPO_ROOT / "tests/data/archive"))
    ap.add_argument("--out", default=str(REPO_ROOT / "target/archive-identity"))
    ap.add_argument("--shared", default=str(DEFAULT_SHARED))
    args = ap.parse_args(argv)
    sys.path.insert(0, args.shared)
    import score_gold as sg  # the reference scorer beside EXTRACTION.md

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    graph, export = out / "archive.ron", out / "archive.json"
    if graph.exists():
        graph.unlink()
    run = subprocess.run([args.skein, "ingest", args.corpus, "-g", str(graph)],
                         capture_output=True, text=True, check=True)
    subprocess.run([args.skein, "export", "-g", str(graph), "--format", "json", "-o", str(export)],
                   capture_output=True, text=True, check=True)
    corpus = Path(args.corpus)
    ident = json.loads((corpus / "identity.json").read_text(encoding="utf-8"))
    ex = json.loads(export.read_text(encoding="utf-8"))
    nodes = ex["nodes"]
    by_id = {n["id"]: n for n in nodes}
    genre = {a["file"]: a["genre"] for a in ident["articles"]}

    def nodes_named(name):
        key = sg.norm(name)
        return [n for n in nodes if any(sg.norm(f) == key for f in forms(n))]

    two = [n["properties"]["name"] for n in nodes if "Person" in n["labels"] and two_given_names(n)]
    print(f"Person nodes carrying two different given names: {len(two)}  {two}")

    merged = set()
    for d in ident["different"]:
        a, b = d["names"]
        if any(n in nodes_named(b) for n in nodes_named(a)):
            merged.add(tuple(sorted((a, b))))
    pairs = {tuple(sorted(d["names"])) for d in ident["different"]}
    print(f"'different' pairs merged into one node: {len(merged)} of {len(pairs)}  {sorted(merged)}")

    split, missing, short_ok, short_all = [], [], 0, 0
    for s in ident["same"]:
        ids = {n["id"] for name in s["names"] for n in nodes_named(name)}
        if not ids:
            missing.append(s["entity"])
        elif len(ids) > 1:
            split.append(s["entity"])
        for m in s["short_mentions"]:
            for art in m["articles"]:
                short_all += 1
                short_ok += any(art in (by_id[i]["properties"].get("articles") or []) for i in ids)
    print(f"'same' entities: {len(ident['same'])}; split over nodes: {len(split)} {split}; "
          f"no node under a full name: {len(missing)} {missing}")
    print(f"short mentions whose article is on the entity's node: {short_ok}/{short_all}")

    caps = [n["properties"]["name"] for n in nodes
            if len((n["properties"]["name"] or "").split()) >= 2
            and re.sub(r"[^A-Za-z]", "", n["properties"]["name"]).isupper()]
    print(f"multi-word all-capitals node names: {len(caps)}  {caps}")

    sport = []
    for e in ex["edges"]:
        arts = e["properties"].get("articles") or [e["properties"].get("article")]
        if arts and all(genre.get(a) == "sport" for a in arts):
            sport.append(e)
    nontitle = [e for e in sport if e["type"] not in TITLE_TYPES]
    print(f"relations drawn only from sports articles: {len(sport)} ({len(nontitle)} not title relations)")
    for e in nontitle:
        print(f"    {by_id[e['source']]['properties']['name']} -[{e['type']}]-> "
              f"{by_id[e['target']]['properties']['name']}  ({e['properties'].get('article')})")

    # Every warning that leaves an article's date unknown: no header and no dateline skein
    # reads, or a dateline without a year.
    undated = set(re.findall(r"warning: (\S+?):[^\n]*its date is unknown", run.stderr))
    undated = {Path(u).name for u in undated}
    fmt = collections.Counter(a["format"] for a in ident["articles"] if a["file"] in undated)
    print(f"articles ingested without a date: {len(undated)} of {len(ident['articles'])} "
          f"(all have a dated dateline); by dateline form: {dict(sorted(fmt.items()))}")

    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    summary, _ = sg.score(gold, ex)
    print("gold:", json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
