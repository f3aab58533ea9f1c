"""The SQL of the facts projection's set-wise forms, one dictionary per dialect.

A catch-up page and a bulk rebuild write the timeline, mark retractions and pick
each key's winner with these statements instead of decoding payloads in Python.
The payload's times are already UTC text at microsecond precision (the stored form
on SQLite, checked); ids are 16 bytes on SQLite.
"""

from __future__ import annotations

from tracker.domain.events import FactAsserted, FactRetracted
from tracker.projections.timeline import ASSERTION_ID, KEY, RETRACTED_KEY, VALID_FROM, VALUE

_ASSERTED = f"'{FactAsserted.TYPE}'"
_RETRACTED = f"'{FactRetracted.TYPE}'"

# The database keeps the later of the stored winner and a page's, in the upsert itself:
# no read of the page's keys first. Stored times compare as stored (fixed-width UTC text
# on SQLite); a row with no assertion loses to any.
LATER_WINNER = (
    "current_facts.position IS NULL OR excluded.valid_from > current_facts.valid_from "
    "OR (excluded.valid_from = current_facts.valid_from "
    "AND excluded.position > current_facts.position)"
)
ELIGIBLE = (
    "SELECT count(*) FROM events WHERE position <= ? AND ("
    f"(type = {_ASSERTED} AND schema_version <> ?) "
    f"OR (type = {_RETRACTED} AND schema_version <> ?))"
)
SQLITE_BULK = {
    "timeline": (
        "INSERT INTO fact_timeline (position, key, value, valid_from, recorded_at) "
        f"SELECT position, data ->> '$.{KEY}', data -> '$.{VALUE}', data ->> '$.{VALID_FROM}', "
        f"recorded_at FROM events WHERE type = {_ASSERTED} AND position > ? AND position <= ?"
    ),
    "malformed": (
        "SELECT count(*) FROM fact_timeline WHERE position > ? AND position <= ? "
        "AND (length(valid_from) <> 32 OR valid_from NOT LIKE '%+00:00')"
    ),
    "retractions": (
        "UPDATE fact_timeline SET retracted_at = r.recorded_at, retracted_position = r.position "
        "FROM (SELECT a.position AS target, min(x.position) AS first FROM events x "
        f"JOIN fact_timeline k ON k.key = x.data ->> '$.{RETRACTED_KEY}' "
        "JOIN events a ON a.position = "
        f"k.position AND lower(hex(a.event_id)) = replace(x.data ->> '$.{ASSERTION_ID}', '-', '') "
        f"WHERE x.type = {_RETRACTED} AND a.position < x.position "
        "AND x.position <= ? GROUP BY a.position) AS f JOIN events r ON r.position = f.first "
        "WHERE fact_timeline.position = f.target"
    ),
    "id_text": (
        "lower(substr(hex(e.event_id), 1, 8) || '-' || substr(hex(e.event_id), 9, 4) || '-' || "
        "substr(hex(e.event_id), 13, 4) || '-' || substr(hex(e.event_id), 17, 4) || '-' || "
        "substr(hex(e.event_id), 21))"
    ),
    "json_null": "'null'",
}
POSTGRES_BULK = {
    "timeline": (
        "INSERT INTO fact_timeline (position, key, value, valid_from, recorded_at) "
        f"SELECT position, data ->> '{KEY}', data -> '{VALUE}', "
        f"(data ->> '{VALID_FROM}')::timestamptz, "
        f"recorded_at FROM events WHERE type = {_ASSERTED} AND position > ? AND position <= ?"
    ),
    "retractions": (
        "UPDATE fact_timeline t SET retracted_at = r.recorded_at, retracted_position = r.position "
        "FROM (SELECT a.position AS target, min(x.position) AS first FROM events x "
        f"JOIN fact_timeline k ON k.key = x.data ->> '{RETRACTED_KEY}' "
        "JOIN events a ON a.position = "
        f"k.position AND a.event_id::text = x.data ->> '{ASSERTION_ID}' "
        f"WHERE x.type = {_RETRACTED} AND a.position < x.position "
        "AND x.position <= ? GROUP BY a.position) AS f JOIN events r ON r.position = f.first "
        "WHERE t.position = f.target"
    ),
    "id_text": "e.event_id::text",
    "json_null": "'null'::jsonb",
}
for bulk in (SQLITE_BULK, POSTGRES_BULK):
    # One index seek per key for its winner, as apply() keeps it; a key whose every
    # assertion was retracted keeps a row with no assertion, as apply() leaves it.
    bulk["current"] = (
        "INSERT INTO current_facts (key, assertion_id, value, valid_from, position) "
        f"SELECT k.key, {bulk['id_text']}, "
        f"CASE WHEN t.position IS NULL THEN {bulk['json_null']} ELSE t.value END, "
        "t.valid_from, t.position FROM (SELECT DISTINCT key FROM fact_timeline) AS k "
        "LEFT JOIN fact_timeline t ON t.position = (SELECT s.position FROM fact_timeline s "
        "WHERE s.key = k.key AND s.retracted_at IS NULL "
        "ORDER BY s.valid_from DESC, s.position DESC LIMIT 1) "
        "LEFT JOIN events e ON e.position = t.position"
    )
