package dev.vtdb.testkit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/** Starts a server in a container when a Docker engine exists (not on machines without one). */
final class Containers {
    private Containers() {}

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
        @SuppressWarnings("resource") // lives for the JVM; Testcontainers' Ryuk removes it
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(kind.image)).withExposedPorts(kind.port);
        switch (kind) {
            case POSTGRES ->
                c.withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
                        .withEnv("POSTGRES_DB", "test")
                        .waitingFor(Wait.forLogMessage(".*ready to accept connections.*\\n", 2));
            case MYSQL ->
                c.withEnv("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "1")
                        .withEnv("MARIADB_DATABASE", "test")
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
