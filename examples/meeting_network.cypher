// The meeting network as a Graphviz DOT file, meeting_network.dot in the current directory:
// render it with `dot -Tsvg meeting_network.dot -o meetings.svg`.
MATCH (a)-[r:MET_WITH]->(b)
RETURN a.name AS who, b.name AS met, r.place AS place
ORDER BY who, met;
:export dot meeting_network.dot MATCH p = ()-[:MET_WITH]->() RETURN p
