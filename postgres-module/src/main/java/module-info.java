/** vtdb for PostgreSQL: asyncpg's calls over pgjdbc on virtual threads. */
module dev.vtdb.postgres {
    requires transitive dev.vtdb;
    requires org.postgresql.jdbc;
    requires com.zaxxer.hikari;

    exports dev.vtdb.postgres;
    // pgjdbc instantiates the socket factory by class name
    exports dev.vtdb.postgres.internal to
            org.postgresql.jdbc;
}
