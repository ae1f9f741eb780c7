#!/usr/bin/env python3
"""Aggregate decode speed of one llama-server with one request in flight
against two (-np 2), to decide whether `refine bench --concurrency 2` pays.

usage: python3 scripts/slot-throughput.py MODEL.gguf
LLAMA_SERVER names the binary (default: the one `refine setup` builds).
Each request decodes exactly 200 tokens (ignore_eos) at temperature 0 after
a warm-up; the two measurements alternate twice.
"""
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

model = sys.argv[1]
server = os.environ.get(
    "LLAMA_SERVER", os.path.expanduser("~/.cache/refine/llama.cpp/11434.0.0/bin/llama-server"))
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
process = subprocess.Popen(
    [server, "-m", model, "-t", "2", "-np", "2", "-c", "8192", "--host", "127.0.0.1", "--port", str(port)],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
url = f"http://127.0.0.1:{port}"
for _ in range(240):
    try:
        if urllib.request.urlopen(url + "/health", timeout=2).status == 200:
            break
    except Exception:
        pass
    time.sleep(0.5)
prompts = [
    "Write a Python function that returns the n-th prime number, with a docstring and tests.",
    "Write a Python function that parses a CSV line with quoted fields, with a docstring and tests.",
]


def ask(prompt, results, index):
    body = json.dumps({"prompt": prompt, "n_predict": 200, "temperature": 0, "ignore_eos": True,
                       "cache_prompt": False}).encode()
    request = urllib.request.Request(url + "/completion", body, {"Content-Type": "application/json"})
    started = time.time()
    reply = json.load(urllib.request.urlopen(request, timeout=600))
    results[index] = (reply["timings"]["predicted_n"], time.time() - started)


try:
    ask(prompts[0], [None], 0)  # warm-up
    for in_flight in (1, 2, 1, 2):
        results = [None] * in_flight
        threads = [threading.Thread(target=ask, args=(prompts[i], results, i)) for i in range(in_flight)]
        started = time.time()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.time() - started
        tokens = sum(result[0] for result in results)
        print(f"{in_flight} in flight: {tokens} tokens in {wall:.2f} s = {tokens / wall:.1f} tok/s aggregate", flush=True)
finally:
    process.terminate()
    process.wait()
