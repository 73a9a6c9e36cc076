package dev.vtdb.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The safety net behind a worker's hand-off slot ({@link Worker#handOff}). A call made from a
 * completion callback that runs on a worker (say {@code fetchRow(...).thenCompose(r ->
 * db.execute(...))}) is kept by that worker and run as soon as the callback returns: no other
 * worker is woken and no thread switch happens. If the callback blocks instead of returning (it
 * waits for that very call, say), the kept call would wait with it; this watch notices a slot
 * that has been full for more than {@link #STALE_NANOS} and moves the call to the shared queue,
 * where any idle worker takes it.
 *
 * <p>One daemon platform thread for all engines. It ticks every 5 ms only while hand-offs
 * happen and parks when there have been none for a few ticks; a hand-off wakes it again.
 */
final class HandoffWatch {
    static final long STALE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int IDLE_TICKS_BEFORE_PARK = 4;
    private static final Set<Engine> ENGINES = ConcurrentHashMap.newKeySet();
    private static final Thread THREAD;
    private static volatile boolean parked;

    static {
        THREAD = Thread.ofPlatform().daemon().name("vtdb-handoff-watch").unstarted(HandoffWatch::loop);
        THREAD.start();
    }

    private HandoffWatch() {}

    static void register(Engine engine) {
        ENGINES.add(engine);
    }

    static void unregister(Engine engine) {
        ENGINES.remove(engine);
    }

    /** Called after a call was put in a hand-off slot. */
    static void handedOff() {
        if (parked) {
            parked = false;
            LockSupport.unpark(THREAD);
        }
    }

    private static void loop() {
        int idleTicks = 0;
        while (true) {
            if (rescue()) {
                idleTicks = 0;
            } else if (++idleTicks >= IDLE_TICKS_BEFORE_PARK) {
                parked = true;
                // a hand-off made between the scan above and this flag is seen by this scan
                if (!rescue()) {
                    LockSupport.park(HandoffWatch.class);
                }
                parked = false;
                idleTicks = 0;
                continue;
            }
            LockSupport.parkNanos(HandoffWatch.class, STALE_NANOS);
        }
    }

    /** Moves stale hand-offs to their queues; tells whether any slot was full. */
    private static boolean rescue() {
        boolean any = false;
        long now = System.nanoTime();
        for (Engine e : ENGINES) {
            any |= e.rescueHandoffs(now, STALE_NANOS);
        }
        return any;
    }
}
