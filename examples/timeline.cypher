// A timeline of events: every dated relationship except the standing ones (who leads or
// represents what, what lies where), oldest first.
MATCH (a)-[r]->(b)
WHERE r.date IS NOT NULL AND NOT type(r) IN ['LEADS', 'REPRESENTS', 'LOCATED_IN']
RETURN r.date AS date, a.name AS actor, type(r) AS event, b.name AS other, r.place AS place
ORDER BY date, actor, event, other;
