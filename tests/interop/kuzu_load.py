#!/usr/bin/env python3
"""Load a `skein export --format csv` directory into Kùzu, an embedded graph database from
PyPI, and report what Kùzu holds, as one JSON line on stdout.

Usage: kuzu_load.py CSV_DIR DB_DIR

The files are read as neo4j-admin would read them (typed header columns, `;` between array
items and labels, `\\;` and `\\\\` escapes inside items, unquoted empty = absent). Kùzu needs a
schema, so each node goes into the table of its first label and each relationship type gets
a table with one FROM/TO pair per pair of labels it joins; values are inserted with
parameters, so no text is ever spliced into a query. Exit code 3 means kuzu is not installed.
"""
from __future__ import annotations

import csv
import json
import sys

try:
    import kuzu
except ImportError:
    print("kuzu is not installed (pip install kuzu)", file=sys.stderr)
    sys.exit(3)

KUZU_TYPES = {
    "string": "STRING", "long": "INT64", "int": "INT64", "double": "DOUBLE",
    "float": "DOUBLE", "boolean": "BOOLEAN", "json": "STRING",
}


def split_items(text: str) -> list[str]:
    items, cur, chars = [], [], iter(text)
    for c in chars:
        if c == "\\":
            cur.append(next(chars, "\\"))
        elif c == ";":
            items.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    items.append("".join(cur))
    return items


def parse_header(fields):
    cols = []
    for f in fields:
        name, _, kind = f.rpartition(":")
        cols.append((name, kind))
    return cols


def kuzu_type(kind: str) -> str:
    if kind.endswith("[]"):
        return KUZU_TYPES[kind[:-2]] + "[]"
    return KUZU_TYPES[kind]


def convert(text: str, kind: str):
    if text == "":
        return None
    if kind.endswith("[]"):
        return [convert(item, kind[:-2]) for item in split_items(text)]
    if kind in ("long", "int"):
        return int(text)
    if kind in ("double", "float"):
        return float(text)
    if kind == "boolean":
        return text.lower() == "true"
    return text


def ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return parse_header(rows[0]), rows[1:]


def main() -> int:
    csv_dir, db_dir = sys.argv[1], sys.argv[2]
    node_cols, node_rows = read(f"{csv_dir}/nodes.csv")
    edge_cols, edge_rows = read(f"{csv_dir}/edges.csv")
    props = [(i, n, k) for i, (n, k) in enumerate(node_cols) if k not in ("ID", "LABEL")]
    eprops = [(i, n, k) for i, (n, k) in enumerate(edge_cols)
              if k not in ("START_ID", "END_ID", "TYPE")]

    table_of = {}
    for row in node_rows:
        labels = split_items(row[1]) if row[1] else []
        table_of[row[0]] = labels[0] if labels else "Unlabelled"
    pairs = {}
    for row in edge_rows:
        pairs.setdefault(row[2], set()).add((table_of[row[0]], table_of[row[1]]))

    db = kuzu.Database(db_dir)
    conn = kuzu.Connection(db)
    prop_schema = "".join(f", {ident(n)} {kuzu_type(k)}" for _, n, k in props)
    for table in sorted(set(table_of.values())):
        conn.execute(f"CREATE NODE TABLE {ident(table)}(_skein_id STRING{prop_schema}, "
                     f"PRIMARY KEY (_skein_id))")
    eschema = "".join(f", {ident(n)} {kuzu_type(k)}" for _, n, k in eprops)
    for rel_type, ends in sorted(pairs.items()):
        froms = ", ".join(f"FROM {ident(a)} TO {ident(b)}" for a, b in sorted(ends))
        conn.execute(f"CREATE REL TABLE {ident(rel_type)}({froms}{eschema})")

    for row in node_rows:
        params = {"id": row[0]}
        sets = []
        for i, name, kind in props:
            value = convert(row[i], kind)
            if value is not None:
                params[f"p{i}"] = value
                sets.append(f"{ident(name)}: $p{i}")
        body = ", ".join(["_skein_id: $id", *sets])
        conn.execute(f"CREATE (:{ident(table_of[row[0]])} {{{body}}})", params)
    for row in edge_rows:
        params = {"s": row[0], "t": row[1]}
        sets = []
        for i, name, kind in eprops:
            value = convert(row[i], kind)
            if value is not None:
                params[f"p{i}"] = value
                sets.append(f"{ident(name)}: $p{i}")
        a, b = ident(table_of[row[0]]), ident(table_of[row[1]])
        conn.execute(
            f"MATCH (a:{a} {{_skein_id: $s}}), (b:{b} {{_skein_id: $t}}) "
            f"CREATE (a)-[:{ident(row[2])} {{{', '.join(sets)}}}]->(b)", params)

    def scalar(query, params=None):
        result = conn.execute(query, params or {})
        rows = []
        while result.has_next():
            rows.append(result.get_next())
        return rows

    report = {
        "nodes": scalar("MATCH (n) RETURN count(n)")[0][0],
        "edges": scalar("MATCH ()-[r]->() RETURN count(r)")[0][0],
    }
    if "Person" in table_of.values():
        report["putin_met"] = sorted(r[0] for r in scalar(
            "MATCH (a:Person)-[:MET_WITH]-(b) WHERE a.name = $n RETURN b.name",
            {"n": "Vladimir Putin"}))
        aliases = scalar(
            "MATCH (a:Person) WHERE a.name = $n RETURN a.aliases", {"n": "Vladimir Putin"})
        report["putin_aliases"] = aliases[0][0] if aliases else None
        if "LEADS" in pairs:
            report["leads"] = sorted(f"{r[0]} -> {r[1]}" for r in scalar(
                "MATCH (a)-[:LEADS]->(b) RETURN a.name, b.name"))
        report["dated_after"] = scalar(
            "MATCH ()-[r]->() WHERE r.date >= $d RETURN count(r)", {"d": "2025-04-11"})[0][0]
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
