// Everyone within two hops of Vladimir Putin, whichever way the edges point.
// The person is the parameter $who: change the :param line to ask about someone else.
:param who 'Vladimir Putin'
MATCH (p {name: $who})-[*1..2]-(x)
WHERE x <> p
RETURN DISTINCT x.name AS name, labels(x)[0] AS label
ORDER BY label, name;
