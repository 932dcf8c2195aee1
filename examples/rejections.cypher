// Who rejected whose proposals, and on what evidence?
// The relationships are returned whole, so that :why can show, for each one, what was
// rejected, the sentence it was read in, its article and the extraction rule.
MATCH (a)-[r:REJECTED]->(b)
RETURN a.name AS who, r, b.name AS whose
ORDER BY who, whose;
:why
