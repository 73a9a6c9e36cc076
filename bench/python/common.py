"""Shared closed-loop driver of the Python reference rows (same load model as dev.vtdb.bench.ClosedLoop)."""
import asyncio
import json
import random
import time

WORLD_ROWS = 10_000


def world_id():
    return random.randint(1, WORLD_ROWS)


def row_a(i):
    """Column a of bulk row i, as dev.vtdb.bench.sql.BulkRows.a."""
    return (i * 7919) % 100_000


def row_b(i):
    return "row-" + str(i)


async def closed_loop(callers, seconds, request):
    """`callers` coroutines, each with one request in flight, for `seconds`; returns (requests/s, latencies in us)."""
    latencies = []
    deadline = time.perf_counter() + seconds

    async def caller():
        first = True
        while first or time.perf_counter() < deadline:
            first = False
            t0 = time.perf_counter()
            await request()
            latencies.append((time.perf_counter() - t0) * 1e6)

    start = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(callers)))
    elapsed = time.perf_counter() - start
    return len(latencies) / elapsed, latencies


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


class Out:
    """Appends one JSON object per line to side.jsonl."""

    def __init__(self, path, peer):
        self.path = path
        self.peer = peer

    def write(self, workload, callers, score, unit, latencies=None, **extra):
        rec = {"kind": "throughput", "source": "python", "workload": workload, "peer": self.peer,
               "callers": callers, "score": score, "unit": unit}
        if latencies:
            s = sorted(latencies)
            rec["p50_us"] = percentile(s, 50)
            rec["p99_us"] = percentile(s, 99)
        rec.update(extra)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(rec) + "\n")
        print(f"{self.peer:18} {workload:32} callers={callers:<5} {score:12.0f} {unit}", flush=True)
