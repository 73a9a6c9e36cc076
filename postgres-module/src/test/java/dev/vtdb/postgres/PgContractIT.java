package dev.vtdb.postgres;

import dev.vtdb.Database;
import dev.vtdb.testkit.DatabaseContract;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;

/** The shared contract, against PostgreSQL. */
class PgContractIT extends DatabaseContract {

    @Override
    protected Database open(int poolSize, int queueBound, Duration commandTimeout) {
        return Postgres.connect(PgOptions.fromDsn(TestServers.postgresUrl()).toBuilder()
                .poolSize(poolSize)
                .queueBound(queueBound)
                .commandTimeout(commandTimeout)
                .closeTimeout(Duration.ofSeconds(1))
                .build());
    }

    @Override
    protected String createTableSql(String table) {
        return "CREATE TABLE " + table + " (id serial PRIMARY KEY, name varchar(64) UNIQUE NOT NULL, age int,"
                + " place varchar(64))";
    }

    @Override
    protected String sleepSql(int seconds) {
        return "SELECT pg_sleep(" + seconds + ")";
    }

    @Override
    protected long runningStatementsContaining(String marker) {
        return await(db.fetchValue(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE ? AND pid <> pg_backend_pid()",
                Long.class,
                "%" + marker + "%"));
    }

    @Override
    protected String syntaxErrorState() {
        return "42601";
    }

    @Override
    protected String textFromUtf8BytesSql() {
        return "convert_from(?, 'UTF8')";
    }

    @Override
    protected String invalidUtf8State() {
        return "22021";
    }
}
