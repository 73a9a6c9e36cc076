package dev.vtdb.examples;

import dev.vtdb.Row;
import dev.vtdb.examples.Endpoint.Kind;
import dev.vtdb.postgres.PgDatabase;
import dev.vtdb.postgres.Postgres;
import dev.vtdb.sql.Select;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Article section 7, SQLAlchemy's {@code Select} built from text fragments, rendered to a string
 * and run with asyncpg's {@code fetch}.
 *
 * <pre>{@code
 * sql = Select([text("id, name, place")], whereclause=text("id != 1"), from_obj=text("girl"))
 * rows = await conn.fetch(str(sql))
 * pprint(list(map(dict, rows)))
 * }</pre>
 */
public final class PgSelectExample {
    private PgSelectExample() {}

    /**
     * Runs the section against the target's {@code girl} table.
     *
     * @param t the PostgreSQL server and namespace
     * @param out where to print
     * @return the rows read, as maps
     */
    public static List<Map<String, Object>> run(Target t, PrintStream out) {
        try (PgDatabase conn = Postgres.connectOne(t.pgDsn())) {
            Select sql = Select.columns("id, name, place").from("girl").where("id != 1");
            List<Row> rows = conn.fetch(sql.toString()).join(); // conn.fetch(str(sql))
            List<Map<String, Object>> dicts = rows.stream().map(Row::toMap).toList();
            out.println(Py.pformat(dicts)); // pprint(list(map(dict, rows)))
            return dicts;
        }
    }

    /**
     * Runs this section alone.
     *
     * @param args {@code --pg-url URL} and/or {@code --embedded}
     */
    public static void main(String[] args) {
        Walkthrough.runAlone(args, 7, Kind.POSTGRES, PgSelectExample::run);
    }
}
