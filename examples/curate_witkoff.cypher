// Curation by hand: make sure Steve Witkoff is one node with his title and the alias
// "Steven Witkoff", and record that Kirill Dmitriev heads the Russian Direct Investment
// Fund, whatever ingestion found. MERGE makes the script safe to run twice.
// This script changes the graph: `skein run` saves it at the end if every statement
// succeeded; add --dry-run to try it without saving.
MERGE (w:Person {name: 'Steve Witkoff'})
SET w.titles = ['U.S. Special Envoy'], w.aliases = ['Witkoff', 'Steven Witkoff'], w.curated = true;

MERGE (k:Person {name: 'Kirill Dmitriev'})
MERGE (f:Organization {name: 'Russian Direct Investment Fund'})
MERGE (k)-[r:LEADS]->(f)
SET k.curated = true, r.rule = 'curated by hand';

MATCH (p:Person)
WHERE p.curated = true
RETURN p.name AS name, p.titles AS titles, p.aliases AS aliases
ORDER BY name;
