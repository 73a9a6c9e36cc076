package dev.vtdb;

import java.time.Duration;

/**
 * A call did not finish before its deadline. The deadline covers queueing, execution and
 * fetching; when it passes, the server-side statement is cancelled and the connection kept.
 */
public class DeadlineExceededException extends VtdbException {
    private static final long serialVersionUID = 1L;

    private final transient Duration elapsed;
    private final transient Duration timeout;

    /**
     * Creates a deadline failure.
     *
     * @param message what was running and where it stood (queued or executing)
     * @param elapsed time spent by the call
     * @param timeout the call's whole allowance
     * @param cause the driver's cancellation exception, or {@code null}
     */
    public DeadlineExceededException(String message, Duration elapsed, Duration timeout, Throwable cause) {
        super(message, cause);
        this.elapsed = elapsed;
        this.timeout = timeout;
    }

    /**
     * Returns the time the call took until it was stopped.
     *
     * @return elapsed time
     */
    public Duration elapsed() {
        return elapsed;
    }

    /**
     * Returns the call's allowance.
     *
     * @return the timeout the deadline was computed from
     */
    public Duration timeout() {
        return timeout;
    }
}
