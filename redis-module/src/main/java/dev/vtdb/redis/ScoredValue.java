package dev.vtdb.redis;

/**
 * A sorted-set member with its score.
 *
 * @param value the member
 * @param score its score
 */
public record ScoredValue(String value, double score) {}
