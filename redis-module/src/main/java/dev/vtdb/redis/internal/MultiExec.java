package dev.vtdb.redis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.PipeliningBase;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * One {@code WATCH}/{@code MULTI}/{@code EXEC} attempt on a dedicated connection that knows how far
 * it got, so that a lost connection is reported truthfully: before {@code EXEC} left the client
 * nothing can have been applied (the server discards a {@code MULTI} whose connection closes); once
 * {@code EXEC} was written, the transaction may or may not have run. Jedis's {@code Transaction}
 * hides that boundary inside {@code exec()}, so the protocol steps are spelled out here.
 */
final class MultiExec extends PipeliningBase {
    private enum Stage {
        IDLE,
        WATCHING,
        QUEUING,
        EXEC_SENT,
        DONE
    }

    private final Connection connection;
    private final List<Response<?>> responses = new ArrayList<>();
    private Stage stage = Stage.IDLE;

    MultiExec(Connection connection) {
        super(new CommandObjects(RedisProtocol.orServerDefault(connection.getRedisProtocol())));
        this.connection = connection;
    }

    /**
     * Sends {@code WATCH} and waits for its reply.
     *
     * @param keys the keys, not empty
     */
    void watch(List<String> keys) {
        stage = Stage.WATCHING;
        connection.executeCommand(commandObjects.watch(keys.toArray(String[]::new)));
    }

    /** Buffers {@code MULTI}; the commands appended next are queued by the server. */
    void multi() {
        stage = Stage.QUEUING;
        connection.sendCommand(Protocol.Command.MULTI);
    }

    @Override
    protected <T> Response<T> appendCommand(CommandObject<T> command) {
        if (stage != Stage.QUEUING) {
            throw new IllegalStateException("a command was appended outside MULTI");
        }
        connection.sendCommand(command.getArguments());
        Response<T> response = new Response<>(command.getBuilder());
        responses.add(response);
        return response;
    }

    /**
     * Returns the number of commands queued inside {@code MULTI}.
     *
     * @return the count
     */
    int queued() {
        return responses.size();
    }

    /**
     * Sends the queued commands, then {@code EXEC}, and fills every appended command's response.
     *
     * @param call the dedicated call, consulted once the commands are queued: when its caller
     *     already gave up, the transaction is discarded instead of executed
     * @param outcomeUnknown builds the error for a transaction whose {@code EXEC} was written but
     *     whose reply never came: (why, cause)
     * @return {@code true} when the transaction ran, {@code false} when a watched key changed
     *     (the server answered {@code EXEC} with nil and ran nothing)
     * @throws redis.clients.jedis.exceptions.JedisConnectionException when the connection broke
     *     before {@code EXEC} was written (nothing was applied)
     * @throws JedisDataException when the server refused the transaction ({@code EXECABORT}: a
     *     command failed to queue, nothing ran)
     * @throws RuntimeException from {@code outcomeUnknown} when the connection broke after
     *     {@code EXEC} was written
     */
    boolean exec(Engine.DedicatedCall call, BiFunction<String, Throwable, RuntimeException> outcomeUnknown) {
        // flushes MULTI and the commands; reads MULTI's OK and one QUEUED (or error) per command
        List<Object> queuedReplies = connection.getMany(1 + responses.size());
        if (!call.beginCommit(() -> outcomeUnknown.apply("its deadline passed", null))) {
            discardQueued(); // the caller was already told: send nothing it was not told about
            throw call.deadlineError("queueing the transaction");
        }
        connection.sendCommand(Protocol.Command.EXEC);
        // a failed flush means the socket refused the bytes: EXEC never left this client
        connection.getMany(0);
        stage = Stage.EXEC_SENT;
        List<Object> replies;
        try {
            replies = connection.getObjectMultiBulkReply();
        } catch (JedisDataException e) {
            stage = Stage.DONE; // EXECABORT: the server ran nothing
            call.endCommit();
            for (Object r : queuedReplies) {
                if (r instanceof Exception queueError) {
                    e.addSuppressed(queueError);
                }
            }
            throw e;
        } catch (RuntimeException e) {
            connection.setBroken();
            throw outcomeUnknown.apply("the connection was lost", e);
        }
        stage = Stage.DONE;
        call.endCommit();
        if (replies == null) {
            return false;
        }
        for (int i = 0; i < responses.size(); i++) {
            responses.get(i).set(i < replies.size() ? replies.get(i) : null);
        }
        return true;
    }

    private void discardQueued() {
        stage = Stage.DONE;
        connection.sendCommand(Protocol.Command.DISCARD);
        connection.getStatusCodeReply();
    }

    /**
     * Leaves the connection clean after an attempt that failed before {@code EXEC}: reads the
     * pending replies and sends {@code DISCARD}, or {@code UNWATCH}. A failure of this cleanup
     * marks the connection broken (the pool drops it) and is attached to {@code error}.
     *
     * @param error the attempt's failure
     */
    void abandon(Throwable error) {
        Stage was = stage;
        stage = Stage.DONE;
        if (connection.isBroken() || was == Stage.IDLE || was == Stage.EXEC_SENT || was == Stage.DONE) {
            return;
        }
        try {
            if (was == Stage.QUEUING) {
                connection.getMany(1 + responses.size());
                connection.sendCommand(Protocol.Command.DISCARD);
            } else {
                connection.sendCommand(Protocol.Command.UNWATCH);
            }
            connection.getStatusCodeReply();
        } catch (RuntimeException e) {
            connection.setBroken();
            if (e != error) {
                error.addSuppressed(e);
            }
        }
    }
}
