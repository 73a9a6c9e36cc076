"""MariaDB reference row: the bench workloads with aiomysql (Debian's python3-aiomysql), pool of 16."""
import argparse
import asyncio

import aiomysql

from common import Out, closed_loop, world_id

POINT = "select id, randomnumber from world where id = %s"
UPDATE = "update world set randomnumber = %s where id = %s"


async def main(a):
    out = Out(a.out, "python-aiomysql")
    pool = await aiomysql.create_pool(host=a.host, port=a.port, user="root", db="test",
                                      minsize=16, maxsize=16, autocommit=True)

    async def point():
        async with pool.acquire() as conn:
            async with conn.cursor() as cur:
                await cur.execute(POINT, (world_id(),))
                await cur.fetchone()

    for callers in a.callers:
        await closed_loop(callers, min(0.5, a.seconds), point)  # warm
        score, lat = await closed_loop(callers, a.seconds, point)
        out.write("MySqlPointSelect.pointSelect", callers, score, "ops/s", lat)

    async def queries20():
        async with pool.acquire() as conn:
            async with conn.cursor() as cur:
                for _ in range(20):
                    await cur.execute(POINT, (world_id(),))
                    await cur.fetchone()

    async def fortunes():
        async with pool.acquire() as conn:
            async with conn.cursor() as cur:
                await cur.execute("select id, message from fortune")
                return [(r[0], r[1]) for r in await cur.fetchall()]

    async def updates20():
        ids = sorted({(i * 500) + 1 + (world_id() % 500) for i in range(20)})
        async with pool.acquire() as conn:
            async with conn.cursor() as cur:
                await cur.executemany(UPDATE, [(world_id(), i) for i in ids])

    for name, fn in (("queries20", queries20), ("fortunes", fortunes), ("updates20", updates20)):
        score, lat = await closed_loop(256, a.seconds, fn)
        out.write("MySqlRequests." + name, 256, score, "ops/s", lat)
    pool.close()
    await pool.wait_closed()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=3306)
    p.add_argument("--seconds", type=float, default=3)
    p.add_argument("--callers", type=int, nargs="+", default=[1, 16, 256, 4096])
    p.add_argument("--out", required=True)
    asyncio.run(main(p.parse_args()))
