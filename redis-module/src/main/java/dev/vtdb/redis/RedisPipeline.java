package dev.vtdb.redis;

/**
 * Commands queued inside {@link RedisClient#pipeline} or {@link RedisClient#transaction} and sent
 * together in one round trip. Each method returns a future completed when the batch's replies
 * arrive: never wait for it inside the body (the body runs before anything is sent).
 */
public interface RedisPipeline extends RedisCommands {}
