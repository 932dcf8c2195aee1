// The strongest ties: pairs of entities joined by the most relationships of any type or
// direction, with the kinds of relationship between them (sorted by name: collect keeps the
// order of its input, and the order of a match is not defined without ORDER BY).
MATCH (a)-[r]-(b)
WHERE id(a) < id(b)
WITH a, b, r ORDER BY type(r)
WITH a, b, count(r) AS ties, collect(DISTINCT type(r)) AS kinds
RETURN a.name AS one, b.name AS other, ties, kinds
ORDER BY ties DESC, one, other
LIMIT 10;
