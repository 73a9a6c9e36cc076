package dev.vtdb.examples;

import dev.vtdb.Database;
import dev.vtdb.mysql.MySql;
import dev.vtdb.mysql.MySqlOptions;
import dev.vtdb.postgres.PgOptions;
import dev.vtdb.postgres.Postgres;
import dev.vtdb.redis.Redis;
import dev.vtdb.redis.RedisClient;
import java.time.Duration;
import java.util.List;

/**
 * Creates the article's {@code girl} table (id, name, age, place) with its two rows, 十六夜咲夜 17
 * 红魔馆 and 琪露诺 60 雾之湖, in the target's own PostgreSQL schema or MySQL database, dropping
 * what an earlier run left; and empties the target's Redis key prefix.
 */
public final class Fixtures {
    /** The article's rows: name, age, place. */
    public static final List<List<Object>> GIRLS = List.of(List.of("十六夜咲夜", 17, "红魔馆"), List.of("琪露诺", 60, "雾之湖"));

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private Fixtures() {}

    /**
     * Recreates schema {@code <namespace>} and table {@code girl} on PostgreSQL.
     *
     * @param t the server and namespace
     * @throws dev.vtdb.VtdbException when the server refuses
     */
    public static void postgres(Target t) {
        String ns = t.namespace();
        try (Database db = Postgres.connectOne(PgOptions.fromDsn(t.endpoint().url()).toBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .build())) {
            db.withConnection(s -> {
                        s.execute("CREATE SCHEMA IF NOT EXISTS " + ns);
                        s.execute("DROP TABLE IF EXISTS " + ns + ".girl");
                        s.execute("CREATE TABLE " + ns + ".girl (id serial PRIMARY KEY, name varchar(64) NOT NULL,"
                                + " age int NOT NULL, place varchar(64) NOT NULL)");
                        s.executeMany("INSERT INTO " + ns + ".girl (name, age, place) VALUES (?, ?, ?)", GIRLS);
                        return null;
                    })
                    .join();
        }
    }

    /**
     * Recreates database {@code <namespace>} and table {@code girl} on MySQL/MariaDB.
     *
     * @param t the server and namespace
     * @throws dev.vtdb.VtdbException when the server refuses
     */
    public static void mysql(Target t) {
        String ns = t.namespace();
        try (Database db = MySql.connect(MySqlOptions.fromUrl(t.endpoint().url()).toBuilder()
                .poolSize(1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build())) {
            db.withConnection(s -> {
                        s.execute("CREATE DATABASE IF NOT EXISTS " + ns + " CHARACTER SET utf8mb4");
                        s.execute("DROP TABLE IF EXISTS " + ns + ".girl");
                        s.execute("CREATE TABLE " + ns + ".girl (id int AUTO_INCREMENT PRIMARY KEY,"
                                + " name varchar(64) NOT NULL, age int NOT NULL, place varchar(64) NOT NULL)"
                                + " DEFAULT CHARSET=utf8mb4");
                        s.executeMany("INSERT INTO " + ns + ".girl (name, age, place) VALUES (?, ?, ?)", GIRLS);
                        return null;
                    })
                    .join();
        }
    }

    /**
     * Drops schema {@code <namespace>} and everything in it on PostgreSQL.
     *
     * @param t the server and namespace
     * @throws dev.vtdb.VtdbException when the server refuses
     */
    public static void dropPostgres(Target t) {
        try (Database db = Postgres.connectOne(PgOptions.fromDsn(t.endpoint().url()).toBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .build())) {
            db.execute("DROP SCHEMA IF EXISTS " + t.namespace() + " CASCADE").join();
        }
    }

    /**
     * Drops database {@code <namespace>} on MySQL/MariaDB.
     *
     * @param t the server and namespace
     * @throws dev.vtdb.VtdbException when the server refuses
     */
    public static void dropMysql(Target t) {
        try (Database db = MySql.connect(MySqlOptions.fromUrl(t.endpoint().url()).toBuilder()
                .poolSize(1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build())) {
            db.execute("DROP DATABASE IF EXISTS " + t.namespace()).join();
        }
    }

    /**
     * Deletes every Redis key under the target's prefix.
     *
     * @param t the server and namespace
     */
    public static void redis(Target t) {
        try (RedisClient redis = Redis.connect(t.endpoint().url())) {
            List<String> keys;
            try (var scan = redis.scan(t.redisPrefix() + "*", 100)) {
                keys = scan.toList();
            }
            if (!keys.isEmpty()) {
                redis.del(keys.toArray(String[]::new)).join();
            }
        }
    }
}
