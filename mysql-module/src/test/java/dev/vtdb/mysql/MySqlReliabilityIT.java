package dev.vtdb.mysql;

import dev.vtdb.Database;
import dev.vtdb.testkit.PrivateMariaDb;
import dev.vtdb.testkit.ReliabilityContract;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;

/** The shared reliability scenarios, against MariaDB. */
class MySqlReliabilityIT extends ReliabilityContract {

    @Override
    protected String databaseName() {
        return "mariadb";
    }

    @Override
    protected String sharedUrl() {
        return TestServers.mysqlUrl();
    }

    @Override
    protected String connectionIdSql() {
        return "SELECT CONNECTION_ID()";
    }

    @Override
    protected String killConnectionSql(long id) {
        return "KILL CONNECTION " + id;
    }

    @Override
    protected Database open(String url, String host, int port, int poolSize, Duration timeout, int queueBound) {
        MySqlOptions.Builder b = MySqlOptions.fromUrl(url).toBuilder()
                .poolSize(poolSize)
                .queueBound(queueBound)
                .commandTimeout(timeout)
                .connectTimeout(Duration.ofSeconds(2))
                .closeTimeout(Duration.ofSeconds(1));
        if (host != null) {
            b.host(host).port(port);
        }
        return MySql.connect(b.build());
    }

    @Override
    protected String sleepSql(int millis) {
        return "SELECT SLEEP(" + millis / 1000.0 + ")";
    }

    @Override
    protected long leftoverServerWork(Database db) {
        long openTransactions = db.fetchValue(
                        "SELECT count(*) FROM information_schema.innodb_trx WHERE trx_mysql_thread_id <> CONNECTION_ID()",
                        Long.class)
                .join();
        long running = db.fetchValue(
                        "SELECT count(*) FROM information_schema.processlist WHERE command = 'Query'"
                                + " AND info LIKE '%vtdb_storm%' AND id <> CONNECTION_ID()",
                        Long.class)
                .join();
        return openTransactions + running;
    }

    @Override
    protected PrivateServer startPrivateServer() {
        PrivateMariaDb server = PrivateMariaDb.start();
        return new PrivateServer() {
            @Override
            public String url() {
                return server.url();
            }

            @Override
            public void stop() {
                server.stopServer(false);
            }

            @Override
            public void start() {
                server.startServer();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
