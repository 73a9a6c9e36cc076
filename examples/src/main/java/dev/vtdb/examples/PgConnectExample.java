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
        PgDatabase conn = Postgres.connectOne(options(t)); // asyncpg.connect(host=..., port=..., ..., timeout=10)

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
     * Returns the connection's options: host, port, user, password and database as the target's
     * URL gives them (what it leaves out defaults as in libpq: {@code PGUSER}, else the OS user, and
     * so on; its query settings such as {@code sslmode} kept), the search path of the target's
     * schema, and the snippet's own {@code timeout=10}. The keyword form of the article,
     * {@code PgOptions.builder().host(..).port(..).user(..).password(..).database(..)}, builds the
     * same options.
     *
     * @param t the PostgreSQL server and namespace
     * @return the options
     * @throws IllegalArgumentException when the URL is not a PostgreSQL DSN
     */
    static PgOptions options(Target t) {
        return PgOptions.fromDsn(t.pgDsn()) // host, port, user, password, database; search_path
                .toBuilder()
                .connectTimeout(Duration.ofSeconds(10)) // timeout=10
                .build();
    }

    /**
     * Runs this section alone.
     *
     * @param args {@code --pg-url URL} and/or {@code --embedded}
     */
    public static void main(String[] args) {
        Walkthrough.runAlone(args, 3, Kind.POSTGRES, PgConnectExample::run);
    }
}
