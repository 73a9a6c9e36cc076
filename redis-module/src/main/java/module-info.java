/** vtdb for Redis: async commands, pipelines, transactions, pub/sub and Redis Cluster over pooled Jedis. */
module dev.vtdb.redis {
    requires transitive dev.vtdb;
    requires redis.clients.jedis;
    requires org.apache.commons.pool2;

    exports dev.vtdb.redis;
}
