#!/usr/bin/env python3
"""How many refinements in a `refine bench` run returned, byte for byte, the
program they were asked to fix (the sign of a refiner that cannot use its
feedback).

    python3 scripts/unchanged-refinements.py RUN_DIR/journal.jsonl
"""
import json, sys

tasks = {}
for line in open(sys.argv[1]):
    row = json.loads(line)
    if row["type"] == "attempt":
        tasks.setdefault(row["task_id"], {})[row["attempt"]["iteration"]] = row["attempt"]
pairs = [(a["program"], t[a["refined_from"]]["program"]) for t in tasks.values() for a in t.values() if a["iteration"] > 0]
print(sum(x == y for x, y in pairs), "of", len(pairs), "refinements returned the program they were shown")
