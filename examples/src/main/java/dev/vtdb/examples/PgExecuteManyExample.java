package dev.vtdb.examples;

import dev.vtdb.BatchResult;
import dev.vtdb.examples.Endpoint.Kind;
import dev.vtdb.postgres.PgDatabase;
import dev.vtdb.postgres.Postgres;
import java.io.PrintStream;
import java.util.List;

/**
 * Article section 6, asyncpg's {@code executemany}: two rows, one statement. asyncpg returns
 * {@code None}; vtdb returns a {@link BatchResult} with the per-row counts, and runs the batch in
 * one transaction (all rows or none).
 *
 * <pre>{@code
 * rows = await conn.executemany("insert into girl(name, age, place) values ($1, $2, $3)",
 *                               [('十六夜咲夜', 17, '红魔馆'), ('琪露诺', 60, '雾之湖')])
 * print(rows)
 * }</pre>
 */
public final class PgExecuteManyExample {
    private PgExecuteManyExample() {}

    /**
     * Runs the section against the target's {@code girl} table.
     *
     * @param t the PostgreSQL server and namespace
     * @param out where to print
     * @return the batch's result
     */
    public static BatchResult run(Target t, PrintStream out) {
        try (PgDatabase conn = Postgres.connectOne(t.pgDsn())) {
            BatchResult rows = conn.executeMany(
                            "insert into girl(name, age, place) values ($1, $2, $3)",
                            List.of(List.of("十六夜咲夜", 17, "红魔馆"), List.of("琪露诺", 60, "雾之湖")))
                    .join();
            out.println(rows); // print(rows)  (asyncpg prints None)
            return rows;
        }
    }

    /**
     * Runs this section alone.
     *
     * @param args {@code --pg-url URL} and/or {@code --embedded}
     */
    public static void main(String[] args) {
        Walkthrough.runAlone(args, 6, Kind.POSTGRES, PgExecuteManyExample::run);
    }
}
