package dev.vtdb.postgres;

import dev.vtdb.Database;
import dev.vtdb.testkit.PrivatePostgres;
import dev.vtdb.testkit.ReliabilityContract;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;

/** The shared reliability scenarios, against PostgreSQL. */
class PgReliabilityIT extends ReliabilityContract {

    @Override
    protected String databaseName() {
        return "postgres";
    }

    @Override
    protected String sharedUrl() {
        return TestServers.postgresUrl();
    }

    @Override
    protected String connectionIdSql() {
        return "SELECT pg_backend_pid()";
    }

    @Override
    protected String killConnectionSql(long id) {
        return "SELECT pg_terminate_backend(" + id + ")";
    }

    @Override
    protected Database open(String url, String host, int port, int poolSize, Duration timeout, int queueBound) {
        PgOptions.Builder b = PgOptions.fromDsn(url).toBuilder()
                .poolSize(poolSize)
                .queueBound(queueBound)
                .commandTimeout(timeout)
                .connectTimeout(Duration.ofSeconds(2))
                .closeTimeout(Duration.ofSeconds(1))
                .applicationName("vtdb-reliability");
        if (host != null) {
            b.host(host).port(port);
        }
        return Postgres.connect(b.build());
    }

    @Override
    protected String sleepSql(int millis) {
        return "SELECT pg_sleep(" + millis / 1000.0 + ")";
    }

    @Override
    protected long leftoverServerWork(Database db) {
        return db.fetchValue(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vtdb-reliability'"
                                + " AND (state LIKE 'idle in transaction%' OR state = 'active') AND pid <> pg_backend_pid()",
                        Long.class)
                .join();
    }

    @Override
    protected PrivateServer startPrivateServer() {
        PrivatePostgres pg = PrivatePostgres.start();
        return new PrivateServer() {
            @Override
            public String url() {
                return pg.url();
            }

            @Override
            public void stop() {
                pg.stopServer("fast");
            }

            @Override
            public void start() {
                pg.startServer();
            }

            @Override
            public void close() {
                pg.close();
            }
        };
    }
}
