package dev.vtdb;

/**
 * A live subscription (PostgreSQL LISTEN, Redis SUBSCRIBE) on a dedicated connection. Closing it
 * unsubscribes and releases the connection; closing twice is harmless.
 */
public interface Subscription extends AutoCloseable {
    /**
     * Tells whether the subscription is still delivering messages.
     *
     * @return {@code false} once closed
     */
    boolean isActive();

    /** Unsubscribes and releases the dedicated connection. Never throws. */
    @Override
    void close();
}
