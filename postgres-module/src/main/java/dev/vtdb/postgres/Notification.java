package dev.vtdb.postgres;

/**
 * One message received by a {@link PgDatabase#listen LISTEN} subscription: asyncpg's listener
 * callback arguments.
 *
 * @param channel the channel it was sent on
 * @param payload the payload, empty when none was given
 * @param processId the backend process id of the sender
 */
public record Notification(String channel, String payload, int processId) {}
