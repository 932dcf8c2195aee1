// Who met whom, when and where?
// MET_WITH is symmetric: each meeting is one edge, stored in the direction it was read.
MATCH (a)-[r:MET_WITH]->(b)
RETURN a.name AS who, b.name AS met, r.date AS date, r.place AS place
ORDER BY date, who, met;
