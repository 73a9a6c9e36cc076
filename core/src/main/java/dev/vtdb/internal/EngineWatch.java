package dev.vtdb.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon platform thread, shared by all engines, that ticks every {@link #TICK_NANOS} while
 * any engine has calls outstanding, and parks when none has; a new call wakes it. Each tick, every
 * engine ({@link Engine#tick}):
 *
 * <ul>
 *   <li>fails the calls made with the engine's default timeout whose deadline has passed, queued or
 *       running (their deadlines are not scheduled one by one on a timer: with one timeout for all
 *       of them, their deadlines come in the order they were made, so a tick looks only at the
 *       oldest ones);
 *   <li>moves a call kept in a worker's hand-off slot ({@link Worker#handOff}) to the shared queue
 *       when the worker has not taken it within a tick: the completion callback that made the call
 *       is blocking instead of returning (waiting for that very call, say).
 * </ul>
 */
final class EngineWatch {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int IDLE_TICKS_BEFORE_PARK = 4;
    private static final Set<Engine> ENGINES = ConcurrentHashMap.newKeySet();
    private static final Thread THREAD;
    private static volatile boolean parked;

    static {
        THREAD = Thread.ofPlatform().daemon().name("vtdb-watch").unstarted(EngineWatch::loop);
        THREAD.start();
    }

    private EngineWatch() {}

    static void register(Engine engine) {
        ENGINES.add(engine);
    }

    static void unregister(Engine engine) {
        ENGINES.remove(engine);
    }

    static List<Engine> engines() {
        return List.copyOf(ENGINES);
    }

    /** Called when an engine gets work to watch: wakes the thread if it parked. */
    static void wake() {
        if (parked) {
            parked = false;
            LockSupport.unpark(THREAD);
        }
    }

    private static void loop() {
        int idleTicks = 0;
        while (true) {
            if (tick()) {
                idleTicks = 0;
            } else if (++idleTicks >= IDLE_TICKS_BEFORE_PARK) {
                parked = true;
                // work that arrived between the tick above and the flag is seen by this tick
                if (!tick()) {
                    LockSupport.park(EngineWatch.class);
                }
                parked = false;
                idleTicks = 0;
                continue;
            }
            LockSupport.parkNanos(EngineWatch.class, TICK_NANOS);
        }
    }

    /** Ticks every engine; tells whether any has work outstanding. */
    private static boolean tick() {
        boolean busy = false;
        long now = System.nanoTime();
        for (Engine e : ENGINES) {
            try {
                busy |= e.tick(now);
            } catch (RuntimeException | Error t) {
                // a failing completion callback must not stop the watch for every engine
                busy = true;
                Engine.LOG.warn("{}: deadline watch failed", e.name(), t);
            }
        }
        return busy;
    }
}
