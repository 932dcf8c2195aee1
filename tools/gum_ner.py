#!/usr/bin/env python3
"""Turn GUM's named entities into a corpus that `skein eval` scores like tests/data/news.

UD English-GUM marks every entity mention in the MISC column (`Entity=(eid-type-...-identity`
opens a mention, `eid)` closes it). This script writes each document of the given CoNLL-U files
as one article (paragraphs from `# newpar`, spacing from `SpaceAfter=No`) into OUT, and a gold
file OUT/gold.json in EXTRACTION.md's shape: one entity per named person, organisation or place
(GUM's `person`, `organization`, `place` mapped to Person, Organization, Region), named when the
mention's own words (those outside mentions nested in it) hold a proper noun; its name is the
stretch from the first to the last of those proper nouns, and every other such form of the same
entity (same Wikipedia identity, else same document and entity id) is an alias. The gold file
has no relations, so only the entity figures mean anything.

GUM is text nobody tuned skein for: use train and dev to diagnose, test to report. It reads the
files it is given and writes only into OUT.

Usage (from the repository root):
    python3 tools/gum_ner.py --out target/gum-test ../shared/ud/en_gum-ccby-test.conllu
    target/release/skein eval target/gum-test/gold.json target/gum-test
    python3 benches/ner_baseline.py --corpus target/gum-test --by-label --skein target/release/skein
    python3 tools/gum_ner.py --genre news --out target/gum-news ../shared/ud/en_gum-ccby-*.conllu
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

LABELS = {"person": "Person", "organization": "Organization", "place": "Region"}


def misc_value(misc: str, key: str):
    for item in misc.split("|"):
        if item.startswith(key + "="):
            return item[len(key) + 1:]
    return None


def parse_entity_field(field: str, token: int, open_: list, spans: list):
    """Read one `Entity=` value: openings, closings and one-token mentions, in order."""
    rest = field
    while rest:
        if rest.startswith("("):
            after = rest[1:]
            stops = [i for i in (after.find("("), after.find(")")) if i >= 0]
            stop = min(stops) if stops else len(after)
            parts = after[:stop].split("-", 7)
            entity = {
                "eid": parts[0],
                "type": parts[1] if len(parts) > 1 else "",
                "identity": parts[7] if len(parts) > 7 else None,
                "first": token,
            }
            rest = after[stop:]
            if rest.startswith(")"):
                spans.append((token, token, entity))
                rest = rest[1:]
            else:
                open_.append(entity)
        else:
            stop = rest.find(")")
            stop = len(rest) if stop < 0 else stop
            eid = rest[:stop]
            for pos in range(len(open_) - 1, -1, -1):
                if open_[pos]["eid"] == eid:
                    entity = open_.pop(pos)
                    spans.append((entity["first"], token, entity))
                    break
            rest = rest[stop + 1:]


# Words that may join the proper nouns of one name ("Bank of England", "Procter & Gamble").
JOINERS = ("of", "the", "and", "&", "for", "de", "-")


def name_words(toks, spans, i):
    """The tokens of mention i's name: the run of proper nouns around the mention's syntactic
    head when that is a proper noun ("Aberdeen Grammar School", without a leading descriptor
    such as "Dr."), joiners included for a body or a place ("Bank of England") but never for a
    person, whose run stops at a name nested in it ("Cheng of Civic Passion"); else the
    mention's own proper nouns, outside the mentions nested in it ("Mayor Jane Doe" -> "Jane
    Doe"). A person mention headed by a plural proper noun ("Muslims") names a group: none."""
    first, last, entity = spans[i]
    person = entity["type"] == "person"
    inside = range(first, last + 1)
    nested = [
        (f, l) for j, (f, l, _) in enumerate(spans)
        if j != i and f >= first and l <= last and (f, l) != (first, last)
    ]
    in_nested = lambda t: any(f <= t <= l for f, l in nested)
    head = next((t for t in inside if toks[t]["head"] not in inside), first)
    if person and toks[head]["xpos"] == "NNPS":
        return []
    if toks[head]["propn"]:
        word = lambda t: toks[t]["propn"] and not (person and in_nested(t) and not in_nested(head))
        a = head
        while a > first and word(a - 1) and toks[a - 1]["deprel"] != "nmod:desc":
            a -= 1
        b = head
        while b < last:
            if word(b + 1):
                b += 1
                continue
            c = b + 1
            while not person and c <= last and toks[c]["lower"] in JOINERS and not toks[c]["propn"]:
                c += 1
            if c > b + 1 and c <= last and toks[c]["propn"]:
                b = c
                continue
            break
        return list(range(a, b + 1))
    return [t for t in inside if not in_nested(t) and toks[t]["propn"]]


def read_documents(path: Path):
    """Yield (doc id, genre, paragraphs, named mentions) for each document of a CoNLL-U file."""
    doc = None

    def finish(doc):
        toks, spans = doc["toks"], doc["spans"]
        for i, (first, last, entity) in enumerate(spans):
            label = LABELS.get(entity["type"])
            if label is None:
                continue
            words = name_words(toks, spans, i)
            if not words:
                continue
            a, b = toks[words[0]], toks[words[-1]]
            if a["para"] != b["para"]:
                continue
            text = doc["paragraphs"][a["para"]][a["start"]:b["end"]]
            doc["mentions"].append((label, text, entity["eid"], entity["identity"]))
        genre = doc["id"].split("_")[1] if "_" in doc["id"] else "other"
        return doc["id"], genre, doc["paragraphs"], doc["mentions"]

    new_par = True
    space_before = False
    skip_until = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            comment = line[1:].strip()
            if comment.startswith("newdoc id ="):
                if doc is not None:
                    yield finish(doc)
                doc = {"id": comment.split("=", 1)[1].strip(), "paragraphs": [], "toks": [],
                       "spans": [], "open": [], "mentions": []}
                new_par = True
            elif comment.startswith("newpar"):
                new_par = True
            continue
        if not line.strip():
            space_before = True
            continue
        cols = line.split("\t")
        if len(cols) != 10 or "." in cols[0] or doc is None:
            continue
        if new_par or not doc["paragraphs"]:
            doc["paragraphs"].append("")
            new_par = False
            space_before = False
        para = len(doc["paragraphs"]) - 1
        text = doc["paragraphs"][para]
        if "-" in cols[0]:
            # A multiword token: its form is the text; its words share its place.
            if space_before and text:
                text += " "
            start = len(text)
            text += cols[1]
            doc["paragraphs"][para] = text
            space_before = misc_value(cols[9], "SpaceAfter") != "No"
            skip_until = int(cols[0].split("-")[1])
            doc["range"] = (start, len(text))
            continue
        index = len(doc["toks"])
        if int(cols[0]) <= skip_until:
            # A word of a multiword token takes its own form's bytes where they are written.
            start, range_end = doc["range"]
            text = doc["paragraphs"][para]
            end = range_end
            if text.startswith(cols[1], start) and int(cols[0]) < skip_until:
                end = start + len(cols[1])
            doc["range"] = (end, range_end)
        else:
            if space_before and text:
                text += " "
            start = len(text)
            text += cols[1]
            end = len(text)
            doc["paragraphs"][para] = text
            space_before = misc_value(cols[9], "SpaceAfter") != "No"
        head = int(cols[6]) if cols[6].isdigit() else 0
        doc["toks"].append({
            "para": para, "start": start, "end": end, "propn": cols[4] in ("NNP", "NNPS"),
            "lower": cols[1].lower(), "deprel": cols[7], "xpos": cols[4],
            # The head as an index into the document's tokens (0 = the root).
            "head": index - int(cols[0]) + head if head else -1,
        })
        field = misc_value(cols[9], "Entity")
        if field:
            parse_entity_field(field, index, doc["open"], doc["spans"])
        if int(cols[0]) == skip_until:
            skip_until = 0
    if doc is not None:
        yield finish(doc)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", help="CoNLL-U files with GUM's Entity= annotation")
    parser.add_argument("--out", required=True, help="folder to write the articles and gold.json into")
    parser.add_argument("--genre", action="append", help="only documents of this genre (repeatable)")
    args = parser.parse_args(argv)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    entities: dict[tuple, dict] = {}
    n_docs = 0
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            raise SystemExit(f"error: {name}: no such file\nhint: pass GUM's CoNLL-U files")
        for doc_id, genre, paragraphs, mentions in read_documents(path):
            if args.genre and genre not in args.genre:
                continue
            n_docs += 1
            (out / f"{doc_id}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
            for label, text, eid, identity in mentions:
                key = (label, identity) if identity else (label, doc_id, eid)
                forms = entities.setdefault(key, {"label": label, "forms": {}})["forms"]
                forms[text] = forms.get(text, 0) + 1
    gold_entities = []
    for entity in entities.values():
        forms = sorted(entity["forms"], key=lambda f: (-entity["forms"][f], -len(f), f))
        gold_entities.append({"name": forms[0], "label": entity["label"], "aliases": forms[1:]})
    gold = {"entities": gold_entities, "relations": []}
    (out / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts = {label: sum(e["label"] == label for e in gold_entities) for label in LABELS.values()}
    print(f"{n_docs} documents, {len(gold_entities)} gold entities {counts} -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
