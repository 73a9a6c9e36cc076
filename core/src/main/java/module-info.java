/** vtdb core: the async API shared by every database module. */
module dev.vtdb {
    requires transitive java.sql;
    requires transitive org.slf4j;
    requires com.zaxxer.hikari;
    requires org.jdbi.v3.core;

    exports dev.vtdb;
    exports dev.vtdb.sql;
    exports dev.vtdb.internal to
            dev.vtdb.postgres,
            dev.vtdb.mysql,
            dev.vtdb.redis;
}
