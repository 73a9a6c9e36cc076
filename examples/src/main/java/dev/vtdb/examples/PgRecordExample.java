package dev.vtdb.examples;

import dev.vtdb.Row;
import dev.vtdb.examples.Endpoint.Kind;
import dev.vtdb.postgres.PgDatabase;
import dev.vtdb.postgres.Postgres;
import java.io.PrintStream;

/**
 * Article section 4, asyncpg's {@code Record}: key access, {@code get} with and without a default,
 * keys, values, items and {@code dict}. vtdb's {@link Row} is the same ordered, immutable mapping.
 *
 * <pre>{@code
 * conn = await asyncpg.connect("postgres://postgres:...@localhost:5432/postgres")
 * row = await conn.fetchrow("select * from girl")
 * print(type(row)); print(row)
 * print(row["id"], row["name"])
 * print(row.get("id"), row.get("name"))
 * print(row.get("xxx"), row.get("xxx", "不存在的字段"))
 * print(list(row.keys())); print(list(row.values())); print(dict(row.items()))
 * }</pre>
 */
public final class PgRecordExample {
    private PgRecordExample() {}

    /**
     * Runs the section against the target's {@code girl} table.
     *
     * @param t the PostgreSQL server and namespace
     * @param out where to print
     * @return the row read
     */
    public static Row run(Target t, PrintStream out) {
        try (PgDatabase conn = Postgres.connectOne(t.pgDsn())) { // asyncpg.connect("postgres://...")
            Row row = conn.fetchRow("select * from girl").join().orElseThrow();
            out.println(row.getClass()); // print(type(row))
            out.println(row); // print(row)
            out.println(Py.print(row.get("id"), row.get("name"))); // row["id"], row["name"]
            Object none = null; // Python's get(key) is get(key, None)
            out.println(Py.print(row.get("id", none), row.get("name", none))); // row.get("id"), row.get("name")
            out.println(Py.print(row.get("xxx", none), row.get("xxx", "不存在的字段"))); // row.get("xxx", "不存在的字段")
            out.println(Py.repr(row.keys())); // list(row.keys())
            out.println(Py.repr(row.values())); // list(row.values())
            out.println(Py.repr(row.toMap())); // dict(row.items())
            return row;
        }
    }

    /**
     * Runs this section alone.
     *
     * @param args {@code --pg-url URL} and/or {@code --embedded}
     */
    public static void main(String[] args) {
        Walkthrough.runAlone(args, 4, Kind.POSTGRES, PgRecordExample::run);
    }
}
