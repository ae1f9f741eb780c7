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
# A reply without code has no "program"; it is counted apart.
pairs = [(a.get("program"), t[a["refined_from"]].get("program")) for t in tasks.values() for a in t.values() if a["iteration"] > 0]
without_code = sum(x is None for x, _ in pairs)
print(sum(x is not None and x == y for x, y in pairs), "of", len(pairs), "refinements returned the program they were shown",
      f"({without_code} replies without code)" if without_code else "")
