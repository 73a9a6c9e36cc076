package dev.vtdb.internal;

/** Which connection owner (a worker's session) the current thread is running a callback for. */
public final class Owners {
    private static final ThreadLocal<Object> OWNER = new ThreadLocal<>();

    private Owners() {}

    /**
     * Returns the owner to forbid in forks made now: the session whose callback runs on this
     * thread, else the one the current context already forbids.
     *
     * @param context the thread's call context, or {@code null}
     * @return the owner, or {@code null}
     */
    public static Object currentOwner(CallContext context) {
        Object own = OWNER.get();
        if (own != null) {
            return own;
        }
        return context == null ? null : context.forbiddenOwner();
    }

    static Object enter(Object owner) {
        Object previous = OWNER.get();
        OWNER.set(owner);
        return previous;
    }

    /**
     * Restores the owner {@link #enter} replaced. Only workers enter, so the thread-local entry is
     * kept (set to {@code null}) rather than removed: a removed entry is created again on the
     * worker's next call.
     */
    static void exit(Object previous) {
        OWNER.set(previous);
    }
}
