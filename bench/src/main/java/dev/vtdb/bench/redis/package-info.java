/**
 * Redis peers: one {@link dev.vtdb.bench.redis.RedisPeer} implementation per client library,
 * created by name through {@link dev.vtdb.bench.redis.RedisPeers}.
 */
package dev.vtdb.bench.redis;
