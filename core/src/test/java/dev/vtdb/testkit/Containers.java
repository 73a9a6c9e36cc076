package dev.vtdb.testkit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/** Starts a server in a container when a Docker engine exists (not on machines without one). */
final class Containers {
    private Containers() {}

    /**
     * The image to run: {@code VTDB_MYSQL_IMAGE} (e.g. {@code mysql:8.4} or {@code mysql:9.1}) runs the
     * MySQL suite against MySQL instead of the default MariaDB; {@code VTDB_PG_IMAGE} and {@code
     * VTDB_REDIS_IMAGE} likewise.
     */
    static String image(TestServers.Kind kind) {
        String variable = switch (kind) {
            case POSTGRES -> "VTDB_PG_IMAGE";
            case MYSQL -> "VTDB_MYSQL_IMAGE";
            case REDIS -> "VTDB_REDIS_IMAGE";
        };
        String given = System.getenv(variable);
        return given == null || given.isBlank() ? kind.image : given.strip();
    }

    static String tryStart(TestServers.Kind kind) {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            docker = false;
        }
        if (!docker) {
            return null;
        }
        String image = image(kind);
        @SuppressWarnings("resource") // lives for the JVM; Testcontainers' Ryuk removes it
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image)).withExposedPorts(kind.port);
        switch (kind) {
            case POSTGRES ->
                c.withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
                        .withEnv("POSTGRES_DB", "test")
                        .waitingFor(Wait.forLogMessage(".*ready to accept connections.*\\n", 2));
            case MYSQL ->
                // the official mysql image (8.x/9.x) and mariadb's read their own variables; both are set
                c.withEnv("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "1")
                        .withEnv("MARIADB_DATABASE", "test")
                        .withEnv("MYSQL_ALLOW_EMPTY_PASSWORD", "yes")
                        .withEnv("MYSQL_DATABASE", "test")
                        .waitingFor(Wait.forLogMessage(".*ready for connections.*\\n", 2));
            case REDIS -> c.waitingFor(Wait.forListeningPort());
        }
        c.start();
        String hostPort = c.getHost() + ":" + c.getMappedPort(kind.port);
        return switch (kind) {
            case POSTGRES -> "postgres://postgres@" + hostPort + "/test";
            case MYSQL -> "mysql://root@" + hostPort + "/test";
            case REDIS -> "redis://" + hostPort + "/0";
        };
    }
}
