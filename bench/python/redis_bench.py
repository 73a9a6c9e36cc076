"""Redis reference row: GET/SET and a 100-command pipeline with redis.asyncio (Debian's python3-redis), pool of 16."""
import argparse
import asyncio
import random

import redis.asyncio as aioredis

from common import Out, closed_loop

PREFIX = "vtdb-bench:key:"
KEYS = [PREFIX + str(i) for i in range(10_000)]


async def main(a):
    out = Out(a.out, "python-redis")
    pool = aioredis.BlockingConnectionPool(host=a.host, port=a.port, db=0, max_connections=16, timeout=None)
    r = aioredis.Redis(connection_pool=pool)

    async def get():
        await r.get(random.choice(KEYS))

    async def set_():
        await r.set(random.choice(KEYS), "xxx")

    for callers in a.callers:
        for name, fn in (("set", set_), ("get", get)):
            score, lat = await closed_loop(callers, a.seconds, fn)
            out.write("RedisCommands." + name, callers, score, "ops/s", lat)

    async def pipeline100():
        async with r.pipeline(transaction=False) as p:
            for _ in range(100):
                p.get(random.choice(KEYS))
            await p.execute()

    score, lat = await closed_loop(1, a.seconds, pipeline100)
    out.write("RedisPipeline.pipeline100", 1, score * 100, "ops/s", lat)
    await r.close()
    await pool.disconnect()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=6379)
    p.add_argument("--seconds", type=float, default=3)
    p.add_argument("--callers", type=int, nargs="+", default=[1, 16, 256, 4096])
    p.add_argument("--out", required=True)
    asyncio.run(main(p.parse_args()))
