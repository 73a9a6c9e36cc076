"""PostgreSQL reference row: the bench workloads with asyncpg (Debian's python3-asyncpg), pool of 16."""
import argparse
import asyncio
import time

import asyncpg

from common import Out, closed_loop, row_a, row_b, world_id

POINT = "select id, randomnumber from world where id = $1"
UPDATE = "update world set randomnumber = $1 where id = $2"


class Fortune:
    __slots__ = ("id", "message")

    def __init__(self, id, message):
        self.id = id
        self.message = message


async def main(a):
    out = Out(a.out, "python-asyncpg")
    pool = await asyncpg.create_pool(host=a.host, port=a.port, user="postgres", database="test",
                                     min_size=16, max_size=16)

    async def point():
        await pool.fetchrow(POINT, world_id())

    for callers in a.callers:
        await closed_loop(callers, min(0.5, a.seconds), point)  # warm
        score, lat = await closed_loop(callers, a.seconds, point)
        out.write("PgPointSelect.pointSelect", callers, score, "ops/s", lat)

    async def queries20():
        async with pool.acquire() as c:
            for _ in range(20):
                await c.fetchrow(POINT, world_id())

    async def fortunes():
        rows = await pool.fetch("select id, message from fortune")
        return [Fortune(r[0], r[1]) for r in rows]

    async def updates20():
        ids = sorted({(i * 500) + 1 + (world_id() % 500) for i in range(20)})
        await pool.executemany(UPDATE, [(world_id(), i) for i in ids])

    for name, fn in (("queries20", queries20), ("fortunes", fortunes), ("updates20", updates20)):
        score, lat = await closed_loop(256, a.seconds, fn)
        out.write("PgRequests." + name, 256, score, "ops/s", lat)

    async with pool.acquire() as c:
        # executemany of 10,000 rows in one transaction
        await c.execute("truncate bench_insert")
        rows = 0
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < a.seconds:
            async with c.transaction():
                await c.executemany("insert into bench_insert (id, a, b) values ($1, $2, $3)",
                                    [(i, row_a(i), row_b(i)) for i in range(10_000)])
            rows += 10_000
        out.write("PgBulk.executeMany", 1, rows / (time.perf_counter() - t0), "ops/s")
        await c.execute("truncate bench_insert")

        # COPY of 1,000,000 records
        await c.execute("truncate bench_copy")
        t0 = time.perf_counter()
        n = 0
        while n == 0 or time.perf_counter() - t0 < a.seconds:
            await c.copy_records_to_table("bench_copy", columns=["id", "a", "b"],
                                          records=((i, row_a(i), row_b(i)) for i in range(1_000_000)))
            n += 1_000_000
        out.write("PgCopy.copy", 1, n / (time.perf_counter() - t0), "ops/s")
        await c.execute("truncate bench_copy")

        # cursor read of 1,000,000 rows
        t0 = time.perf_counter()
        n = 0
        while n == 0 or time.perf_counter() - t0 < a.seconds:
            async with c.transaction():
                async for r in c.cursor("select id, a, b from bench_stream", prefetch=10_000):
                    n += 1
        out.write("PgBulk.streamRead", 1, n / (time.perf_counter() - t0), "ops/s")
    await pool.close()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5432)
    p.add_argument("--seconds", type=float, default=3)
    p.add_argument("--callers", type=int, nargs="+", default=[1, 16, 256, 4096])
    p.add_argument("--out", required=True)
    asyncio.run(main(p.parse_args()))
