package dev.vtdb.examples;

import dev.vtdb.examples.Endpoint.Kind;
import dev.vtdb.redis.Redis;
import dev.vtdb.redis.RedisClient;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Redis create, read, update and delete of a string key and a hash, as redis-py's asyncio client
 * does them ({@code await r.set(...)}, {@code await r.hset(name, mapping=...)}, ...). Every key
 * starts with the target's prefix.
 *
 * <pre>{@code
 * r = redis.asyncio.from_url("redis://127.0.0.1:6379/0", decode_responses=True)
 * await r.set("girl:1", "十六夜咲夜"); print(await r.get("girl:1"))
 * await r.set("girl:1", "琪露诺");     print(await r.get("girl:1"))
 * print(await r.delete("girl:1"), await r.exists("girl:1"), await r.get("girl:1"))
 * print(await r.hset("girl:2", mapping={"name": "琪露诺", "age": 60, "place": "雾之湖"}))
 * print(await r.hgetall("girl:2"))
 * await r.hset("girl:2", "age", 61); print(await r.hget("girl:2", "age"))
 * print(await r.hdel("girl:2", "place"), await r.hgetall("girl:2"))
 * print(await r.delete("girl:2"))
 * }</pre>
 */
public final class RedisExample {
    private RedisExample() {}

    /**
     * What the section observed, for checks.
     *
     * @param firstValue the string read after the first SET
     * @param updatedValue the string read after the second SET
     * @param hashAfterUpdate the hash read after HSET age 61
     */
    public record Outcome(String firstValue, String updatedValue, Map<String, String> hashAfterUpdate) {}

    /**
     * Runs the section under the target's key prefix.
     *
     * @param t the Redis server and namespace
     * @param out where to print
     * @return what was observed
     */
    public static Outcome run(Target t, PrintStream out) {
        String key = t.redisPrefix() + "girl:1";
        String hash = t.redisPrefix() + "girl:2";
        try (RedisClient r = Redis.connect(t.endpoint().url())) {
            r.set(key, "十六夜咲夜").join(); // create
            String first = r.get(key).join(); // read
            out.println(Py.print(first));
            r.set(key, "琪露诺").join(); // update
            String updated = r.get(key).join();
            out.println(Py.print(updated));
            out.println(
                    Py.print(r.del(key).join(), r.exists(key).join(), r.get(key).join())); // delete: 1 0 None

            Map<String, String> girl = new LinkedHashMap<>();
            girl.put("name", "琪露诺");
            girl.put("age", "60");
            girl.put("place", "雾之湖");
            out.println(Py.print(r.hset(hash, girl).join())); // 3 fields added
            out.println(Py.repr(new TreeMap<>(r.hgetAll(hash).join())));
            r.hset(hash, "age", "61").join();
            out.println(Py.print(r.hget(hash, "age").join()));
            Map<String, String> afterUpdate = new TreeMap<>(r.hgetAll(hash).join());
            out.println(Py.print(
                    r.hdel(hash, "place").join(),
                    Py.repr(new TreeMap<>(r.hgetAll(hash).join()))));
            out.println(Py.print(r.del(hash).join()));
            return new Outcome(first, updated, afterUpdate);
        }
    }

    /**
     * Runs this section alone.
     *
     * @param args {@code --redis-url URL} and/or {@code --embedded}
     */
    public static void main(String[] args) {
        Walkthrough.runAlone(args, 8, Kind.REDIS, RedisExample::run);
    }
}
