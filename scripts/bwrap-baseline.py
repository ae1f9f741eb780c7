#!/usr/bin/env python3
"""Cost of bubblewrap with every namespace, against a bare python3, on the
canonical solutions of a suite, interleaved in one run (the same comparison
`refine sandbox-bench` makes for refine's sandbox). Needs `bwrap`.

    python3 scripts/bwrap-baseline.py [--suite humaneval|mbpp] [--data DIR] [--rounds N]
"""
import argparse, gzip, json, os, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("--suite", choices=["humaneval", "mbpp"], default="humaneval")
parser.add_argument("--data", default=os.environ.get("REFINE_DATA", "../shared/datasets"))
parser.add_argument("--rounds", type=int, default=3)
arguments = parser.parse_args()

if arguments.suite == "humaneval":
    tasks = [json.loads(line) for line in gzip.open(os.path.join(arguments.data, "HumanEval.jsonl.gz"))]
    programs = [t["prompt"] + t["canonical_solution"] + "\n\n" + t["test"] + "\n\ncheck(%s)\n" % t["entry_point"] for t in tasks]
else:
    tasks = json.load(open(os.path.join(arguments.data, "sanitized-mbpp.json")))
    programs = [t["code"] + "\n\n" + "\n".join(t["test_imports"] + t["test_list"]) + "\n" for t in tasks]

bwrap = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr",
         "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
         "--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache", "--proc", "/proc", "--dev", "/dev",
         "--tmpfs", "/tmp", "--ro-bind", "{file}", "/tmp/program.py", "--chdir", "/tmp",
         "/usr/bin/python3", "/tmp/program.py"]

directory = tempfile.mkdtemp(prefix="bwrap-baseline-")
times = {"bwrap": [], "bare": []}
failed = {"bwrap": 0, "bare": 0}
for round in range(arguments.rounds):
    for index, program in enumerate(programs):
        path = os.path.join(directory, "p%d.py" % index)
        with open(path, "w") as f:
            f.write(program)
        order = ["bwrap", "bare"] if (round + index) % 2 == 0 else ["bare", "bwrap"]
        for kind in order:
            command = [a.replace("{file}", path) for a in bwrap] if kind == "bwrap" else ["/usr/bin/python3", path]
            start = time.perf_counter()
            result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[kind].append(time.perf_counter() - start)
            failed[kind] += result.returncode != 0

def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(q * len(values) + 0.999999) - 1))] * 1000

for kind in ("bwrap", "bare"):
    print("%-6s executions %5d  p50 %.2f ms  p95 %.2f ms  failed %d" % (kind, len(times[kind]), p(times[kind], 0.5), p(times[kind], 0.95), failed[kind]))
print("ratio (bwrap p50 / bare p50): %.3f" % (p(times["bwrap"], 0.5) / p(times["bare"], 0.5)))
