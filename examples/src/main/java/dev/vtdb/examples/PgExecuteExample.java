package dev.vtdb.examples;

import dev.vtdb.ExecResult;
import dev.vtdb.examples.Endpoint.Kind;
import dev.vtdb.postgres.PgDatabase;
import dev.vtdb.postgres.Postgres;
import java.io.PrintStream;

/**
 * Article section 5, asyncpg's {@code execute} with {@code $1..$3} placeholders: one row inserted,
 * the command status {@code INSERT 0 1} printed.
 *
 * <pre>{@code
 * row = await conn.execute("insert into girl(name, age, place) values ($1, $2, $3)",
 *                          '十六夜咲夜', 17, '红魔馆')
 * pprint(row)
 * }</pre>
 */
public final class PgExecuteExample {
    private PgExecuteExample() {}

    /**
     * Runs the section against the target's {@code girl} table.
     *
     * @param t the PostgreSQL server and namespace
     * @param out where to print
     * @return the statement's result
     */
    public static ExecResult run(Target t, PrintStream out) {
        try (PgDatabase conn = Postgres.connectOne(t.pgDsn())) {
            ExecResult row = conn.execute("insert into girl(name, age, place) values ($1, $2, $3)", "十六夜咲夜", 17, "红魔馆")
                    .join();
            out.println(Py.pformat(row.status())); // pprint(row)  -> 'INSERT 0 1'
            return row;
        }
    }

    /**
     * Runs this section alone.
     *
     * @param args {@code --pg-url URL} and/or {@code --embedded}
     */
    public static void main(String[] args) {
        Walkthrough.runAlone(args, 5, Kind.POSTGRES, PgExecuteExample::run);
    }
}
