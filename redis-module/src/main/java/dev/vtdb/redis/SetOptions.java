package dev.vtdb.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable options of {@code SET}: expiry ({@code EX}/{@code PX}/{@code KEEPTTL}) and condition
 * ({@code NX}/{@code XX}). Start with {@link #none()} and chain: {@code SetOptions.none().ex(ttl).nx()}.
 */
public final class SetOptions {
    private static final SetOptions NONE = new SetOptions(null, false, false, false, false);

    private final Duration ttl;
    private final boolean millis;
    private final boolean nx;
    private final boolean xx;
    private final boolean keepTtl;

    private SetOptions(Duration ttl, boolean millis, boolean nx, boolean xx, boolean keepTtl) {
        this.ttl = ttl;
        this.millis = millis;
        this.nx = nx;
        this.xx = xx;
        this.keepTtl = keepTtl;
    }

    /**
     * Returns options that set unconditionally and clear any expiry.
     *
     * @return the empty options
     */
    public static SetOptions none() {
        return NONE;
    }

    /**
     * Expires the key after a number of seconds ({@code EX}).
     *
     * @param ttl positive time to live, rounded down to whole seconds (at least 1 s)
     * @return new options
     * @throws IllegalArgumentException when {@code ttl} is not positive or KEEPTTL is set
     */
    public SetOptions ex(Duration ttl) {
        return withTtl(ttl, false);
    }

    /**
     * Expires the key after a number of milliseconds ({@code PX}).
     *
     * @param ttl positive time to live
     * @return new options
     * @throws IllegalArgumentException when {@code ttl} is not positive or KEEPTTL is set
     */
    public SetOptions px(Duration ttl) {
        return withTtl(ttl, true);
    }

    private SetOptions withTtl(Duration ttl, boolean millis) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be > 0 but was " + ttl);
        }
        if (keepTtl) {
            throw new IllegalArgumentException("EX/PX and KEEPTTL exclude each other");
        }
        return new SetOptions(ttl, millis, nx, xx, false);
    }

    /**
     * Sets only when the key does not exist ({@code NX}).
     *
     * @return new options
     * @throws IllegalArgumentException when XX is set
     */
    public SetOptions nx() {
        if (xx) {
            throw new IllegalArgumentException("NX and XX exclude each other");
        }
        return new SetOptions(ttl, millis, true, false, keepTtl);
    }

    /**
     * Sets only when the key exists ({@code XX}).
     *
     * @return new options
     * @throws IllegalArgumentException when NX is set
     */
    public SetOptions xx() {
        if (nx) {
            throw new IllegalArgumentException("NX and XX exclude each other");
        }
        return new SetOptions(ttl, millis, false, true, keepTtl);
    }

    /**
     * Keeps the key's current time to live ({@code KEEPTTL}).
     *
     * @return new options
     * @throws IllegalArgumentException when EX/PX is set
     */
    public SetOptions keepTtl() {
        if (ttl != null) {
            throw new IllegalArgumentException("EX/PX and KEEPTTL exclude each other");
        }
        return new SetOptions(null, false, nx, xx, true);
    }

    /**
     * Returns the expiry, if any.
     *
     * @return the time to live, or {@code null}
     */
    public Duration ttl() {
        return ttl;
    }

    /**
     * Tells whether the expiry is sent in milliseconds ({@code PX}).
     *
     * @return {@code true} for PX
     */
    public boolean millis() {
        return millis;
    }

    /**
     * Tells whether {@code NX} is set.
     *
     * @return {@code true} for NX
     */
    public boolean isNx() {
        return nx;
    }

    /**
     * Tells whether {@code XX} is set.
     *
     * @return {@code true} for XX
     */
    public boolean isXx() {
        return xx;
    }

    /**
     * Tells whether {@code KEEPTTL} is set.
     *
     * @return {@code true} for KEEPTTL
     */
    public boolean isKeepTtl() {
        return keepTtl;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SET");
        if (ttl != null) {
            sb.append(millis ? " PX " + ttl.toMillis() : " EX " + Math.max(1, ttl.toSeconds()));
        }
        if (keepTtl) {
            sb.append(" KEEPTTL");
        }
        if (nx) {
            sb.append(" NX");
        }
        if (xx) {
            sb.append(" XX");
        }
        return sb.toString();
    }
}
