package dev.vtdb.redis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The replies of a {@link RedisClient#pipeline pipeline} or {@link RedisClient#transaction
 * transaction}, in the order the commands were queued. An error reply stays at its position and
 * does not hide the other replies.
 */
public final class PipelineResult {
    private final List<Object> values;
    private final List<RedisCommandException> errors;

    /**
     * Creates a result; internal, built by the client.
     *
     * @param values each position's value ({@code null} where it failed)
     * @param errors each position's error, or {@code null} where it succeeded
     */
    public PipelineResult(List<Object> values, List<RedisCommandException> errors) {
        this.values = Collections.unmodifiableList(new ArrayList<>(values));
        this.errors = Collections.unmodifiableList(new ArrayList<>(errors));
    }

    /**
     * Returns the number of replies.
     *
     * @return the number of queued commands
     */
    public int size() {
        return values.size();
    }

    /**
     * Returns the reply at a position.
     *
     * @param index 0-based position
     * @return the typed value the command's own method would have returned (may be {@code null})
     * @throws RedisCommandException when the command at that position failed
     * @throws IndexOutOfBoundsException when there is no such position
     */
    public Object get(int index) {
        RedisCommandException e = errors.get(index);
        if (e != null) {
            throw e;
        }
        return values.get(index);
    }

    /**
     * Returns the error at a position, if the command there failed.
     *
     * @param index 0-based position
     * @return the error, or empty when the command succeeded
     */
    public Optional<RedisCommandException> error(int index) {
        return Optional.ofNullable(errors.get(index));
    }

    /**
     * Tells whether any command failed.
     *
     * @return {@code true} when at least one position holds an error
     */
    public boolean hasErrors() {
        return errors.stream().anyMatch(e -> e != null);
    }

    /**
     * Returns all values in order, {@code null} at failed positions.
     *
     * @return an unmodifiable list
     */
    public List<Object> values() {
        return values;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PipelineResult[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            RedisCommandException e = errors.get(i);
            sb.append(e == null ? String.valueOf(values.get(i)) : "error: " + e.getMessage());
        }
        return sb.append(']').toString();
    }
}
