package dev.vtdb.bench.sql;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The workloads of the SQL benchmarks, as one client library performs them; every peer (and,
 * after the merge, vtdb) implements this interface once per database.
 *
 * <p>Methods never block the caller: they return a future completed on the peer's own threads.
 * Optional workloads throw {@link UnsupportedOperationException} by default.
 */
public interface SqlPeer extends AutoCloseable {

    /**
     * TechEmpower "single query": {@code select id, randomnumber from world where id = ?}.
     *
     * @param id a row id in {@code [1, 10000]}
     * @return the row's {@code randomnumber}
     */
    CompletableFuture<Integer> pointSelect(int id);

    /**
     * TechEmpower "multiple queries": one point select per id, as the library would do it for one
     * web request.
     *
     * @param ids 20 ids in {@code [1, 10000]}
     * @return the sum of the {@code randomnumber}s
     */
    CompletableFuture<Integer> multiSelect(int[] ids);

    /**
     * TechEmpower "fortunes": fetch the 12 rows of {@code fortune}, mapped to objects.
     *
     * @return the fortunes
     */
    CompletableFuture<List<Fortune>> fortunes();

    /**
     * TechEmpower "updates" (write half): one {@code update world set randomnumber = ? where id =
     * ?} per id, sent as the library's batch.
     *
     * @param sortedIds distinct ids in ascending order (a fixed lock order: no deadlocks)
     * @param values the new values, one per id
     * @return rows updated
     */
    CompletableFuture<Integer> updates(int[] sortedIds, int[] values);

    /**
     * Inserts {@code rows} rows of {@link BulkRows} into {@code bench_insert} in one transaction
     * (all or nothing), with the library's batch API.
     *
     * @param rows how many
     * @return rows inserted
     * @throws UnsupportedOperationException if the peer has no such API
     */
    default CompletableFuture<Long> executeMany(int rows) {
        throw new UnsupportedOperationException("executeMany");
    }

    /**
     * Copies {@code rows} rows of {@link BulkRows} into {@code bench_copy} with PostgreSQL's COPY
     * FROM STDIN.
     *
     * @param rows how many
     * @return rows copied
     * @throws UnsupportedOperationException if the peer has no COPY API
     */
    default CompletableFuture<Long> copyIn(int rows) {
        throw new UnsupportedOperationException("copyIn");
    }

    /**
     * Reads every row of {@code bench_stream} (1,000,000 rows) through a cursor with bounded
     * memory, using all three columns of each row ({@code id}, {@code a}, {@code b}) as an
     * application would, and as asyncpg's records and vtdb's rows decode them.
     *
     * @param fetchSize rows per round trip
     * @return rows read
     * @throws UnsupportedOperationException if the peer cannot stream
     */
    default CompletableFuture<Long> streamRead(int fetchSize) {
        throw new UnsupportedOperationException("streamRead");
    }

    /**
     * Holds one connection for a while ({@code pg_sleep}, {@code sleep}): used to fill the pool
     * in the in-flight memory measurement.
     *
     * @param seconds how long
     * @return completes when the statement returns
     */
    CompletableFuture<?> sleep(double seconds);

    /** Closes the pool and the peer's threads. */
    @Override
    void close();
}
