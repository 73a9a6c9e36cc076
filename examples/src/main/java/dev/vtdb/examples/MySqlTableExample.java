package dev.vtdb.examples;

import dev.vtdb.ExecResult;
import dev.vtdb.Row;
import dev.vtdb.Transaction;
import dev.vtdb.examples.Endpoint.Kind;
import dev.vtdb.mysql.MySql;
import dev.vtdb.mysql.MySqlDatabase;
import dev.vtdb.sql.Insert;
import dev.vtdb.sql.Table;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Article section 2, aiomysql.sa + SQLAlchemy Core: reflect table {@code girl}, insert two rows in
 * one statement inside a transaction and print {@code lastrowid} and {@code rowcount}; read
 * everything back as dicts; then update and delete through the same table object.
 *
 * <pre>{@code
 * tbl = Table("girl", MetaData(bind=s_engine), autoload=True)
 * insert_sql = tbl.insert().values([{"name": "十六夜咲夜", "age": 17, "place": "红魔馆"},
 *                                   {"name": "琪露诺", "age": 60, "place": "雾之湖"}])
 * async with conn.begin():
 *     result = await conn.execute(insert_sql)
 *     print(result.lastrowid)
 *     print(result.rowcount)
 * data = await (await conn.execute("select * from girl")).fetchall()
 * pprint(list(map(dict, data)))
 * }</pre>
 */
public final class MySqlTableExample {
    private MySqlTableExample() {}

    /**
     * What the section observed, for checks.
     *
     * @param lastInsertId {@code result.lastrowid} of the two-row insert
     * @param insertedRows {@code result.rowcount} of the insert
     * @param updatedRows rows changed by the update
     * @param deletedRows rows removed by the delete
     * @param rowsAfter the table's rows at the end, as maps
     */
    public record Outcome(
            long lastInsertId,
            long insertedRows,
            long updatedRows,
            long deletedRows,
            List<Map<String, Object>> rowsAfter) {}

    /**
     * Runs the section against the target's {@code girl} table.
     *
     * @param t the MySQL server and namespace
     * @param out where to print
     * @return what was observed
     */
    public static Outcome run(Target t, PrintStream out) {
        try (MySqlDatabase engine = MySql.connect(MySqlEngineExample.options(t))) {
            Table tbl = engine.table("girl").join(); // Table("girl", MetaData(), autoload=True)
            Insert insertSql = tbl.insert().values(List.of(girl("十六夜咲夜", 17, "红魔馆"), girl("琪露诺", 60, "雾之湖")));
            ExecResult result = engine.withConnection(
                            conn -> { // async with engine.acquire() as conn:
                                try (Transaction tx = conn.begin()) { // async with conn.begin():
                                    ExecResult r = conn.execute(insertSql);
                                    tx.commit();
                                    return r;
                                }
                            })
                    .join();
            long lastRowId = result.lastInsertId().orElseThrow();
            out.println(lastRowId); // print(result.lastrowid)
            out.println(result.rowCount()); // print(result.rowcount)

            List<Map<String, Object>> data = engine
                    .withConnection( // async with engine.acquire() as conn:
                            conn -> conn.execute("select * from girl")
                                    .fetchAll()) // (await conn.execute(..)).fetchall()
                    .join()
                    .stream()
                    .map(Row::toMap) // list(map(dict, data))
                    .toList();
            out.println(Py.pformat(data)); // pprint(data)

            // "Updating and deleting follow a similar pattern using Table.update() and Table.delete()"
            ExecResult updated = engine.execute(
                            tbl.update().set("place", "博丽神社").where("id = ?", lastRowId))
                    .join();
            out.println(updated.rowCount()); // print(result.rowcount) of the update
            ExecResult deleted =
                    engine.execute(tbl.delete().where("id = ?", lastRowId + 1)).join();
            out.println(deleted.rowCount()); // print(result.rowcount) of the delete
            List<Map<String, Object>> after = engine.fetch("select * from girl order by id").join().stream()
                    .map(Row::toMap)
                    .toList();
            out.println(Py.pformat(after));
            return new Outcome(lastRowId, result.rowCount(), updated.rowCount(), deleted.rowCount(), after);
        }
    }

    private static Map<String, Object> girl(String name, int age, String place) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("age", age);
        row.put("place", place);
        return row;
    }

    /**
     * Runs this section alone.
     *
     * @param args {@code --mysql-url URL} and/or {@code --embedded}
     */
    public static void main(String[] args) {
        Walkthrough.runAlone(args, 2, Kind.MYSQL, MySqlTableExample::run);
    }
}
