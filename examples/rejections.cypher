// Who rejected whose proposals, and what does the text say?
MATCH (a)-[r:REJECTED]->(b)
RETURN a.name AS who, b.name AS whose, r.what AS what, r.date AS date
ORDER BY who, whose, what;

// The same edges, returned whole, so that :why can show the sentence, article and rule
// behind each one.
MATCH (a)-[r:REJECTED]->(b)
RETURN a.name AS who, r, b.name AS whose
ORDER BY who, whose;
:why
