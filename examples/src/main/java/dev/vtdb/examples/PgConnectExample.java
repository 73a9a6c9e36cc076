package dev.vtdb.examples;

import dev.vtdb.Row;
import dev.vtdb.examples.Endpoint.Kind;
import dev.vtdb.postgres.PgDatabase;
import dev.vtdb.postgres.PgOptions;
import dev.vtdb.postgres.Postgres;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Article section 3, asyncpg: connect with keyword arguments and a 10 s timeout, read one row with
 * {@code fetchrow} and all rows with {@code fetch}.
 *
 * <pre>{@code
 * conn = await asyncpg.connect(host="localhost", port=5432, user="postgres", password=...,
 *                              database="postgres", timeout=10)
 * row1 = await conn.fetchrow("select * from girl")
 * row2 = await conn.fetch("select * from girl")
 * print(row1)
 * pprint(row2)
 * await conn.close()
 * }</pre>
 */
public final class PgConnectExample {
    private PgConnectExample() {}

    /**
     * Runs the section against the target's {@code girl} table.
     *
     * @param t the PostgreSQL server and namespace
     * @param out where to print
     * @return the rows of {@code fetch}
     */
    public static List<Row> run(Target t, PrintStream out) {
        Endpoint pg = t.endpoint();
        PgDatabase conn = Postgres.connectOne(PgOptions.builder() // asyncpg.connect(host=..., port=..., ...
                .host(pg.host())
                .port(pg.port())
                .user(pg.user())
                .password(pg.password())
                .database(pg.database())
                .connectTimeout(Duration.ofSeconds(10)) // timeout=10
                .serverOptions(t.pgServerOptions()) // search_path: the walkthrough's own schema
                .build());
        try {
            Optional<Row> row1 = conn.fetchRow("select * from girl").join();
            List<Row> row2 = conn.fetch("select * from girl").join();
            out.println(row1.orElse(null)); // print(row1)
            out.println(Py.pformat(row2)); // pprint(row2)
            return row2;
        } finally {
            conn.close(); // await conn.close()
        }
    }

    /**
     * Runs this section alone.
     *
     * @param args {@code --pg-url URL} and/or {@code --embedded}
     */
    public static void main(String[] args) {
        Walkthrough.runAlone(args, Kind.POSTGRES, PgConnectExample::run);
    }
}
