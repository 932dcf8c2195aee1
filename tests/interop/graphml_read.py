#!/usr/bin/env python3
"""Read a `skein export --format graphml` file with NetworkX, as Gephi-style tools do, and
report what it holds as one JSON line: node and edge counts, and per node id its labels and
properties with the Python types NetworkX gave them (typed keys become int, float, bool).

Usage: graphml_read.py FILE.graphml. Exit code 3 means networkx is not installed.
"""
import json
import sys

try:
    import networkx as nx
except ImportError:
    print("networkx is not installed (pip install networkx)", file=sys.stderr)
    sys.exit(3)

g = nx.read_graphml(sys.argv[1], force_multigraph=True)
nodes = {}
for node_id, data in g.nodes(data=True):
    nodes[node_id] = {k: [type(v).__name__, v] for k, v in data.items()}
edges = sorted(
    (
        [s, t, data.get("type"), {k: type(v).__name__ for k, v in data.items()}]
        for s, t, data in g.edges(data=True)
    ),
    key=lambda e: json.dumps(e, sort_keys=True),
)
print(json.dumps({"nodes": nodes, "edges": edges, "n_nodes": g.number_of_nodes(),
                  "n_edges": g.number_of_edges()}, sort_keys=True))
