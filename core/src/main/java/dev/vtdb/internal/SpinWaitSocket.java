package dev.vtdb.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.LongAdder;

/**
 * A plain TCP socket whose first read after a write (the wait for the server's reply) may poll
 * the socket for a while before blocking, as {@link SpinWait} allows (the latency worker running
 * its database's only call): a reply caught while polling costs the thread no sleep and no wake-up
 * in the kernel. Every other read is the platform socket's, and the driver still connects, times
 * out, negotiates TLS over and closes the socket itself. The driver modules hand it to their
 * drivers through a socket factory.
 *
 * <p>One thread uses a connection at a time (the drivers' rule; vtdb hands connections between
 * threads through its queue and the pool, which order the accesses), so the flag needs no
 * synchronisation of its own.
 */
public final class SpinWaitSocket extends Socket {
    private static final LongAdder SPINS = new LongAdder();
    private static final LongAdder CAUGHT = new LongAdder();

    private InputStream input;
    private OutputStream output;
    private boolean replyPending;

    /** An unconnected socket; the driver connects it. */
    public SpinWaitSocket() {}

    /**
     * Counts the waits for a reply that polled, since the JVM started.
     *
     * @return {polled, of which the reply arrived while polling}
     */
    public static long[] spins() {
        return new long[] {SPINS.sum(), CAUGHT.sum()};
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (input == null) {
            input = new Input(super.getInputStream());
        }
        return input;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (output == null) {
            output = new Output(super.getOutputStream());
        }
        return output;
    }

    private final class Input extends InputStream {
        private final InputStream in;

        Input(InputStream in) {
            this.in = in;
        }

        /** Polls for the reply to the last write, within the thread's budget. */
        private void awaitReply() throws IOException {
            if (!replyPending) {
                return;
            }
            replyPending = false;
            long budget = SpinWait.budgetNanos();
            if (budget <= 0) {
                return;
            }
            SPINS.increment();
            long end = System.nanoTime() + budget;
            while (in.available() == 0) {
                if (System.nanoTime() - end >= 0) {
                    return;
                }
                Thread.onSpinWait();
            }
            CAUGHT.increment();
        }

        @Override
        public int read() throws IOException {
            awaitReply();
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            awaitReply();
            return in.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private final class Output extends OutputStream {
        private final OutputStream out;

        Output(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            replyPending = true;
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            replyPending = true;
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
