package dev.vtdb.mysql;

import dev.vtdb.Database;
import dev.vtdb.testkit.DatabaseContract;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;

/** The shared contract, against MySQL or MariaDB. */
class MySqlContractIT extends DatabaseContract {

    @Override
    protected Database open(int poolSize, int queueBound, Duration commandTimeout) {
        return MySql.connect(MySqlOptions.fromUrl(TestServers.mysqlUrl()).toBuilder()
                .poolSize(poolSize)
                .queueBound(queueBound)
                .commandTimeout(commandTimeout)
                .closeTimeout(Duration.ofSeconds(1))
                .build());
    }

    @Override
    protected String createTableSql(String table) {
        return "CREATE TABLE " + table + " (id int AUTO_INCREMENT PRIMARY KEY, name varchar(64) UNIQUE NOT NULL,"
                + " age int, place varchar(64)) DEFAULT CHARSET=utf8mb4";
    }

    @Override
    protected String sleepSql(int seconds) {
        return "SELECT SLEEP(" + seconds + ")";
    }

    @Override
    protected long runningStatementsContaining(String marker) {
        return await(db.fetchValue(
                "SELECT count(*) FROM information_schema.processlist WHERE info LIKE ? AND id <> CONNECTION_ID()",
                Long.class,
                "%" + marker + "%"));
    }

    @Override
    protected String syntaxErrorState() {
        return "42000/1064";
    }

    @Override
    protected String textFromUtf8BytesSql() {
        return "CONVERT(? USING utf8mb4)";
    }

    @Override
    protected String invalidUtf8State() {
        return "HY000/1300";
    }

    @Override
    protected boolean refusesEncodedSurrogates() {
        return false; // MariaDB 10.11 stores ED A0 80 (an encoded surrogate) in utf8mb4 as is
    }
}
