/** vtdb for PostgreSQL: asyncpg's calls over pgjdbc on virtual threads. */
module dev.vtdb.postgres {
    requires transitive dev.vtdb;
    requires org.postgresql.jdbc;
    requires com.zaxxer.hikari;

    exports dev.vtdb.postgres;
}
