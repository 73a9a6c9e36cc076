package dev.vtdb.internal;

import dev.vtdb.Scope;
import java.util.Map;

/**
 * What a thread carries into the calls it makes: the enclosing {@link Scope} (deadline and
 * cancellation) and, for a fork created inside a connection callback, the session it must not
 * share. Set by {@code Scope} on its own thread and on each fork.
 *
 * @param scope the innermost open scope, or {@code null}
 * @param deadlineNanos absolute {@link System#nanoTime()} deadline, or {@link Long#MAX_VALUE}
 * @param forbiddenOwner a connection owner (worker session) the thread must not use, or {@code null}
 * @param mdc the SLF4J MDC map to restore in forks, or {@code null}
 */
public record CallContext(Scope scope, long deadlineNanos, Object forbiddenOwner, Map<String, String> mdc) {
    private static final ThreadLocal<CallContext> CURRENT = new ThreadLocal<>();

    /**
     * Returns the calling thread's context.
     *
     * @return the context, or {@code null}
     */
    public static CallContext current() {
        return CURRENT.get();
    }

    /**
     * Replaces the calling thread's context.
     *
     * @param context the new context, or {@code null} to clear
     * @return the previous context
     */
    public static CallContext set(CallContext context) {
        CallContext previous = CURRENT.get();
        if (context == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(context);
        }
        return previous;
    }
}
