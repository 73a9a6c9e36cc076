package dev.vtdb;

/**
 * Point-in-time counters of a database's calls, workers and connections.
 *
 * @param active calls executing on a worker right now
 * @param waiting calls waiting in the request queue
 * @param workers worker threads (each owns at most one pooled connection)
 * @param bound the queue's capacity; a call past it fails with {@link PoolExhaustedException}
 * @param connectionsHeld connections HikariCP has lent (to workers, or to subscriptions)
 * @param connectionsIdle connections idle in HikariCP
 * @param threadsAwaitingConnection threads HikariCP reports as waiting for a connection
 */
public record PoolStats(
        int active,
        int waiting,
        int workers,
        int bound,
        int connectionsHeld,
        int connectionsIdle,
        int threadsAwaitingConnection) {

    /**
     * Tells whether no call is queued or running and nobody waits for a connection.
     *
     * @return {@code true} when idle
     */
    public boolean isIdle() {
        return active == 0 && waiting == 0 && threadsAwaitingConnection == 0;
    }

    @Override
    public String toString() {
        return "active=" + active + ", waiting=" + waiting + ", workers=" + workers + ", bound=" + bound
                + ", connections held=" + connectionsHeld + ", idle=" + connectionsIdle + ", awaiting="
                + threadsAwaitingConnection;
    }
}
