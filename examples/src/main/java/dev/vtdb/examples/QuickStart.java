package dev.vtdb.examples;

import dev.vtdb.Row;
import dev.vtdb.postgres.PgDatabase;
import dev.vtdb.postgres.Postgres;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The README's quick start, kept here so it compiles with every build: a pool, a table, an insert
 * with asyncpg-style placeholders, and two queries running at once. It writes table {@code
 * quickstart_girl} in the database it is pointed at.
 */
public final class QuickStart {
    private QuickStart() {}

    /**
     * Runs the quick start.
     *
     * @param args optional DSN, default {@code postgres://postgres@localhost:5432/test}
     */
    public static void main(String[] args) {
        String dsn = args.length > 0 ? args[0] : "postgres://postgres@localhost:5432/test";
        // README quick start, from here
        try (PgDatabase db = Postgres.connect(dsn)) { // a pool of connection-owning virtual threads
            db.execute(
                            "create table if not exists quickstart_girl (id serial primary key, name text, age int, place text)")
                    .join();
            db.execute("insert into quickstart_girl(name, age, place) values ($1, $2, $3)", "琪露诺", 60, "雾之湖")
                    .join();
            CompletableFuture<List<Row>> rows = db.fetch("select * from quickstart_girl where age > $1", 18);
            CompletableFuture<Long> count = db.fetchValue("select count(*) from quickstart_girl", Long.class);
            rows.join().forEach(System.out::println); // <Record id=1 name='琪露诺' age=60 place='雾之湖'>
            System.out.println(count.join() + " rows");
        }
        // to here
    }
}
