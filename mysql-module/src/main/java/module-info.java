/**
 * vtdb for MySQL and MariaDB: aiomysql.sa's calls and SQLAlchemy Core-style tables over MySQL
 * Connector/J on virtual threads.
 */
module dev.vtdb.mysql {
    requires transitive dev.vtdb;
    requires mysql.connector.j;
    requires com.zaxxer.hikari;

    exports dev.vtdb.mysql;
    // Connector/J instantiates the socket factory by class name
    exports dev.vtdb.mysql.internal to
            mysql.connector.j;
}
