/**
 * SQL peers: one {@link dev.vtdb.bench.sql.SqlPeer} implementation per client library, created by
 * name through {@link dev.vtdb.bench.sql.SqlPeers}.
 */
package dev.vtdb.bench.sql;
