package dev.vtdb.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The Redis commands that can be pipelined, shared by {@link RedisClient} (each call is sent at
 * once, batched with other callers' commands) and {@link RedisPipeline} (calls are queued and sent
 * together). Strings are UTF-8; {@code byte[]} variants carry binary values.
 *
 * <p>Every method returns a future that fails with {@link RedisCommandException} when the server
 * answers with an error (for example {@code WRONGTYPE}), {@link dev.vtdb.DeadlineExceededException}
 * when the call's deadline passes, {@link dev.vtdb.ConnectionLostException} when the connection
 * breaks, and {@link dev.vtdb.PoolExhaustedException} when the request queue is full. A missing
 * key gives {@code null} where a value is returned.
 *
 * <p>Text is strict UTF-8 both ways (as redis-py with {@code decode_responses=True}). A key or
 * argument that is not valid Unicode (a {@code String} with an unpaired surrogate, which would
 * reach the server as {@code '?'}) is refused before anything is sent: the future fails with
 * {@link RedisCommandException}; inside a pipeline or transaction body the call throws it and
 * nothing of the body is sent. A value that is not UTF-8 fails a {@code String} method with {@link
 * RedisCommandException} instead of being returned with U+FFFD in place of the bad bytes; read
 * binary values with {@link #getBytes} or {@link #hgetBytes}. A destructive read ({@code LPOP},
 * {@code GETDEL}...) has removed such a value when the error is reported; {@code BLPOP} and
 * {@code BRPOP} push it back.
 *
 * <p>Arguments are checked as the method is called, not later inside the future: a {@code null}
 * key, field, value, member or element throws {@link NullPointerException} naming the parameter
 * ({@code key}, {@code keys[1]}, {@code fields has a null value}), and nothing is sent.
 */
public interface RedisCommands {
    // ---- connection

    /**
     * Sends {@code PING}.
     *
     * @return {@code PONG}
     */
    CompletableFuture<String> ping();

    /**
     * Runs any command by name, like redis-py's {@code execute_command}: an escape hatch for
     * commands without a method here. Not for blocking commands, {@code SUBSCRIBE} or {@code MULTI}
     * (they would hold a shared pipelined connection): use the dedicated methods for those. Messages
     * name the command but never its arguments (they may hold a password, as {@code AUTH} does).
     *
     * <p>In a cluster the first argument is taken as the key: its hash slot picks the node (as for
     * {@code GET k}, {@code HSET k ...}); a command without arguments is refused there.
     *
     * @param command the command name, such as {@code OBJECT} or {@code DEBUG}
     * @param args its arguments
     * @return the raw reply: {@code Long}, {@code String} (bulk and status replies as UTF-8), {@code List} or {@code null}
     * @throws NullPointerException when {@code command} or an argument is {@code null}
     */
    CompletableFuture<Object> execute(String command, String... args);

    // ---- strings

    /**
     * Returns a string value ({@code GET}).
     *
     * @param key the key
     * @return the value, or {@code null} when the key does not exist
     */
    CompletableFuture<String> get(String key);

    /**
     * Returns a binary value ({@code GET}).
     *
     * @param key the key
     * @return the raw bytes, or {@code null} when the key does not exist
     */
    CompletableFuture<byte[]> getBytes(String key);

    /**
     * Sets a string value, clearing any expiry ({@code SET}).
     *
     * @param key the key
     * @param value the value
     * @return completes when stored
     */
    CompletableFuture<Void> set(String key, String value);

    /**
     * Sets a string value with options ({@code SET ... EX|PX|KEEPTTL NX|XX}).
     *
     * @param key the key
     * @param value the value
     * @param options expiry and condition
     * @return {@code true} when stored, {@code false} when the NX/XX condition was not met
     */
    CompletableFuture<Boolean> set(String key, String value, SetOptions options);

    /**
     * Sets a binary value, clearing any expiry ({@code SET}).
     *
     * @param key the key
     * @param value the raw bytes
     * @return completes when stored
     */
    CompletableFuture<Void> set(String key, byte[] value);

    /**
     * Sets a binary value with options.
     *
     * @param key the key
     * @param value the raw bytes
     * @param options expiry and condition
     * @return {@code true} when stored, {@code false} when the NX/XX condition was not met
     */
    CompletableFuture<Boolean> set(String key, byte[] value, SetOptions options);

    /**
     * Sets a value and returns the previous one ({@code SET ... GET}).
     *
     * @param key the key
     * @param value the new value
     * @param options expiry and condition
     * @return the old value, or {@code null} when there was none
     */
    CompletableFuture<String> setGet(String key, String value, SetOptions options);

    /**
     * Returns several values in one call ({@code MGET}).
     *
     * @param keys the keys
     * @return the values in key order, {@code null} for missing keys
     */
    CompletableFuture<List<String>> mget(String... keys);

    /**
     * Sets several values in one call ({@code MSET}).
     *
     * @param values keys and values
     * @return completes when stored
     */
    CompletableFuture<Void> mset(Map<String, String> values);

    /**
     * Increments an integer value by one ({@code INCR}).
     *
     * @param key the key; a missing key counts as 0
     * @return the new value
     */
    CompletableFuture<Long> incr(String key);

    /**
     * Increments an integer value ({@code INCRBY}).
     *
     * @param key the key
     * @param delta the increment, may be negative
     * @return the new value
     */
    CompletableFuture<Long> incrBy(String key, long delta);

    /**
     * Decrements an integer value by one ({@code DECR}).
     *
     * @param key the key
     * @return the new value
     */
    CompletableFuture<Long> decr(String key);

    /**
     * Appends to a string ({@code APPEND}).
     *
     * @param key the key
     * @param value what to append
     * @return the string's new length
     */
    CompletableFuture<Long> append(String key, String value);

    /**
     * Returns a value and deletes the key ({@code GETDEL}).
     *
     * @param key the key
     * @return the value, or {@code null}
     */
    CompletableFuture<String> getDel(String key);

    /**
     * Returns a value and sets the key's expiry ({@code GETEX PX}).
     *
     * @param key the key
     * @param ttl the new time to live
     * @return the value, or {@code null}
     */
    CompletableFuture<String> getEx(String key, Duration ttl);

    /**
     * Returns a value and removes the key's expiry ({@code GETEX PERSIST}).
     *
     * @param key the key
     * @return the value, or {@code null}
     */
    CompletableFuture<String> getExPersist(String key);

    // ---- keys

    /**
     * Deletes keys ({@code DEL}).
     *
     * @param keys the keys
     * @return how many existed
     */
    CompletableFuture<Long> del(String... keys);

    /**
     * Counts existing keys ({@code EXISTS}).
     *
     * @param keys the keys
     * @return how many exist (a key named twice counts twice)
     */
    CompletableFuture<Long> exists(String... keys);

    /**
     * Sets a key's time to live in seconds ({@code EXPIRE}).
     *
     * @param key the key
     * @param ttl the time to live, rounded down to seconds
     * @return {@code true} when set, {@code false} when the key does not exist
     */
    CompletableFuture<Boolean> expire(String key, Duration ttl);

    /**
     * Sets a key's time to live in milliseconds ({@code PEXPIRE}).
     *
     * @param key the key
     * @param ttl the time to live
     * @return {@code true} when set, {@code false} when the key does not exist
     */
    CompletableFuture<Boolean> pexpire(String key, Duration ttl);

    /**
     * Returns a key's remaining time to live in seconds ({@code TTL}).
     *
     * @param key the key
     * @return seconds left, {@code -1} without expiry, {@code -2} when the key does not exist
     */
    CompletableFuture<Long> ttl(String key);

    /**
     * Removes a key's expiry ({@code PERSIST}).
     *
     * @param key the key
     * @return {@code true} when an expiry was removed
     */
    CompletableFuture<Boolean> persist(String key);

    /**
     * Returns a key's type ({@code TYPE}).
     *
     * @param key the key
     * @return {@code string}, {@code hash}, {@code list}, {@code set}, {@code zset}, ... or {@code none}
     */
    CompletableFuture<String> type(String key);

    /**
     * Renames a key ({@code RENAME}).
     *
     * @param key the existing key
     * @param newKey its new name (overwritten if it exists)
     * @return completes when renamed; fails with {@link RedisCommandException} when {@code key} does not exist
     */
    CompletableFuture<Void> rename(String key, String newKey);

    // ---- hashes

    /**
     * Sets a hash field ({@code HSET}).
     *
     * @param key the hash
     * @param field the field
     * @param value the value
     * @return 1 when the field is new, 0 when it was updated
     */
    CompletableFuture<Long> hset(String key, String field, String value);

    /**
     * Sets a binary hash field ({@code HSET}).
     *
     * @param key the hash
     * @param field the field
     * @param value the raw bytes
     * @return 1 when the field is new, 0 when it was updated
     */
    CompletableFuture<Long> hset(String key, String field, byte[] value);

    /**
     * Sets several hash fields ({@code HSET}).
     *
     * @param key the hash
     * @param fields fields and values
     * @return how many fields were new
     */
    CompletableFuture<Long> hset(String key, Map<String, String> fields);

    /**
     * Returns a hash field ({@code HGET}).
     *
     * @param key the hash
     * @param field the field
     * @return the value, or {@code null}
     */
    CompletableFuture<String> hget(String key, String field);

    /**
     * Returns a binary hash field ({@code HGET}).
     *
     * @param key the hash
     * @param field the field
     * @return the raw bytes, or {@code null}
     */
    CompletableFuture<byte[]> hgetBytes(String key, String field);

    /**
     * Returns every field of a hash ({@code HGETALL}).
     *
     * @param key the hash
     * @return the fields and values, empty when the key does not exist
     */
    CompletableFuture<Map<String, String>> hgetAll(String key);

    /**
     * Deletes hash fields ({@code HDEL}).
     *
     * @param key the hash
     * @param fields the fields
     * @return how many existed
     */
    CompletableFuture<Long> hdel(String key, String... fields);

    /**
     * Increments an integer hash field ({@code HINCRBY}).
     *
     * @param key the hash
     * @param field the field
     * @param delta the increment
     * @return the new value
     */
    CompletableFuture<Long> hincrBy(String key, String field, long delta);

    // ---- lists

    /**
     * Prepends values to a list ({@code LPUSH}).
     *
     * @param key the list
     * @param values the values, pushed one after the other
     * @return the list's new length
     */
    CompletableFuture<Long> lpush(String key, String... values);

    /**
     * Appends values to a list ({@code RPUSH}).
     *
     * @param key the list
     * @param values the values
     * @return the list's new length
     */
    CompletableFuture<Long> rpush(String key, String... values);

    /**
     * Removes and returns a list's first element ({@code LPOP}).
     *
     * @param key the list
     * @return the element, or {@code null} when the list is empty
     */
    CompletableFuture<String> lpop(String key);

    /**
     * Removes and returns a list's last element ({@code RPOP}).
     *
     * @param key the list
     * @return the element, or {@code null} when the list is empty
     */
    CompletableFuture<String> rpop(String key);

    /**
     * Returns a range of a list ({@code LRANGE}).
     *
     * @param key the list
     * @param start first index (negative counts from the end)
     * @param stop last index, inclusive ({@code -1} for the end)
     * @return the elements
     */
    CompletableFuture<List<String>> lrange(String key, long start, long stop);

    /**
     * Returns a list's length ({@code LLEN}).
     *
     * @param key the list
     * @return the length, 0 when the key does not exist
     */
    CompletableFuture<Long> llen(String key);

    // ---- sets

    /**
     * Adds members to a set ({@code SADD}).
     *
     * @param key the set
     * @param members the members
     * @return how many were new
     */
    CompletableFuture<Long> sadd(String key, String... members);

    /**
     * Removes members from a set ({@code SREM}).
     *
     * @param key the set
     * @param members the members
     * @return how many were removed
     */
    CompletableFuture<Long> srem(String key, String... members);

    /**
     * Returns a set's members ({@code SMEMBERS}).
     *
     * @param key the set
     * @return the members, empty when the key does not exist
     */
    CompletableFuture<Set<String>> smembers(String key);

    /**
     * Tells whether a set has a member ({@code SISMEMBER}).
     *
     * @param key the set
     * @param member the member
     * @return {@code true} when present
     */
    CompletableFuture<Boolean> sismember(String key, String member);

    // ---- sorted sets

    /**
     * Adds or updates a sorted-set member ({@code ZADD}).
     *
     * @param key the sorted set
     * @param score the score
     * @param member the member
     * @return 1 when the member is new, 0 when its score was updated
     */
    CompletableFuture<Long> zadd(String key, double score, String member);

    /**
     * Adds or updates several sorted-set members ({@code ZADD}).
     *
     * @param key the sorted set
     * @param scores members and their scores
     * @return how many members were new
     */
    CompletableFuture<Long> zadd(String key, Map<String, Double> scores);

    /**
     * Returns members by rank, lowest score first ({@code ZRANGE}).
     *
     * @param key the sorted set
     * @param start first rank
     * @param stop last rank, inclusive ({@code -1} for the end)
     * @return the members
     */
    CompletableFuture<List<String>> zrange(String key, long start, long stop);

    /**
     * Returns members with their scores by rank ({@code ZRANGE ... WITHSCORES}).
     *
     * @param key the sorted set
     * @param start first rank
     * @param stop last rank, inclusive
     * @return the members and scores
     */
    CompletableFuture<List<ScoredValue>> zrangeWithScores(String key, long start, long stop);

    /**
     * Returns members whose score lies in a closed range ({@code ZRANGEBYSCORE}).
     *
     * @param key the sorted set
     * @param min lowest score, inclusive
     * @param max highest score, inclusive
     * @return the members, lowest score first
     */
    CompletableFuture<List<String>> zrangeByScore(String key, double min, double max);

    /**
     * Increments a member's score ({@code ZINCRBY}).
     *
     * @param key the sorted set
     * @param delta the increment
     * @param member the member (added when missing)
     * @return the new score
     */
    CompletableFuture<Double> zincrBy(String key, double delta, String member);

    /**
     * Returns a member's score ({@code ZSCORE}).
     *
     * @param key the sorted set
     * @param member the member
     * @return the score, or {@code null}
     */
    CompletableFuture<Double> zscore(String key, String member);

    /**
     * Removes sorted-set members ({@code ZREM}).
     *
     * @param key the sorted set
     * @param members the members
     * @return how many were removed
     */
    CompletableFuture<Long> zrem(String key, String... members);

    // ---- scripting and pub/sub

    /**
     * Runs a Lua script. The client sends {@code EVALSHA} with the script's SHA-1 and falls back
     * to {@code EVAL} (which loads it) on {@code NOSCRIPT}; a pipeline sends {@code EVAL}.
     *
     * @param script the Lua source
     * @param keys the KEYS array
     * @param args the ARGV array
     * @return the script's reply: {@code Long}, {@code String}, {@code List} or {@code null}
     */
    CompletableFuture<Object> eval(String script, List<String> keys, List<String> args);

    /**
     * Runs a script already loaded on the server ({@code EVALSHA}).
     *
     * @param sha1 the script's SHA-1
     * @param keys the KEYS array
     * @param args the ARGV array
     * @return the script's reply; fails with {@link RedisCommandException} ({@code NOSCRIPT}) when not loaded
     */
    CompletableFuture<Object> evalsha(String sha1, List<String> keys, List<String> args);

    /**
     * Loads a script into the server's script cache ({@code SCRIPT LOAD}).
     *
     * @param script the Lua source
     * @return its SHA-1
     */
    CompletableFuture<String> scriptLoad(String script);

    /**
     * Publishes a message ({@code PUBLISH}).
     *
     * @param channel the channel
     * @param message the payload
     * @return how many subscribers received it (on this node, in a cluster)
     */
    CompletableFuture<Long> publish(String channel, String message);
}
