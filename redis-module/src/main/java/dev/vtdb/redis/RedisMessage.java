package dev.vtdb.redis;

/**
 * A message received by a pub/sub subscription.
 *
 * @param pattern the matching pattern for {@code psubscribe}, or {@code null} for {@code subscribe}
 * @param channel the channel it was published on
 * @param message the payload (UTF-8)
 */
public record RedisMessage(String pattern, String channel, String message) {}
