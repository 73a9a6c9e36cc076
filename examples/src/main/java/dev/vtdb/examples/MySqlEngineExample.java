package dev.vtdb.examples;

import dev.vtdb.ExecResult;
import dev.vtdb.Row;
import dev.vtdb.examples.Endpoint.Kind;
import dev.vtdb.mysql.MySql;
import dev.vtdb.mysql.MySqlDatabase;
import dev.vtdb.mysql.MySqlOptions;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Article section 1, aiomysql.sa: create an engine with keyword arguments, acquire a connection,
 * run {@code SELECT * FROM girl}, take one row with {@code fetchone()} and look at it as a dict.
 *
 * <pre>{@code
 * engine = await aio_sa.create_engine(host=..., port=3306, user="root", password=..., db=...,
 *                                     connect_timeout=10)
 * async with engine.acquire() as conn:
 *     result = await conn.execute("SELECT * FROM girl")
 *     data = await result.fetchone()
 *     print(data.keys()); print(list(data.keys())); ...; print(dict(data))
 * engine.close()
 * await engine.wait_closed()
 * }</pre>
 */
public final class MySqlEngineExample {
    private MySqlEngineExample() {}

    /**
     * Runs the section against the target's {@code girl} table.
     *
     * @param t the MySQL server and namespace
     * @param out where to print
     * @return the row read
     */
    public static Row run(Target t, PrintStream out) {
        MySqlDatabase engine = MySql.connect(options(t));
        try {
            Row data = engine.withConnection(
                            conn -> { // async with engine.acquire() as conn:
                                ExecResult result = conn.execute("SELECT * FROM girl"); // await conn.execute(...)
                                return result.fetchOne().orElseThrow(); // await result.fetchone()
                            })
                    .join();
            out.println(data.keys()); // data.keys()
            out.println(Py.repr(data.keys())); // list(data.keys())
            out.println(data.values()); // data.values()
            out.println(Py.repr(data.values())); // list(data.values())
            out.println(data.items()); // data.items()
            out.println(Py.repr(data.items())); // list(data.items())
            out.println(Py.repr(data.toMap())); // dict(data)
            return data;
        } finally {
            engine.closeAsync(); // engine.close()
            engine.awaitClosed().join(); // await engine.wait_closed()
        }
    }

    /**
     * Returns the engine's options: host, port, user and password as the target's URL gives them
     * (no user means {@link MySqlOptions}' default, {@code root}; its query settings kept), the target's
     * database, and the snippet's {@code connect_timeout=10}. The keyword form of the article,
     * {@code MySqlOptions.builder().host(..).port(..).user(..).password(..).database(..)}, builds
     * the same options.
     *
     * @param t the MySQL server and namespace
     * @return the options
     * @throws IllegalArgumentException when the URL is not a MySQL URL
     */
    static MySqlOptions options(Target t) {
        return MySqlOptions.fromUrl(t.endpoint().url()).toBuilder()
                .database(t.namespace()) // db=
                .connectTimeout(Duration.ofSeconds(10)) // connect_timeout=10
                .build();
    }

    /**
     * Runs this section alone: finds a MySQL server as {@link Walkthrough} does, creates the table
     * and runs.
     *
     * @param args {@code --mysql-url URL} and/or {@code --embedded}
     */
    public static void main(String[] args) {
        Walkthrough.runAlone(args, 1, Kind.MYSQL, MySqlEngineExample::run);
    }
}
