package dev.vtdb.postgres.internal;

import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * A COPY's data written straight into a byte buffer that goes to the server in {@link #CHUNK}-byte
 * chunks: the text encoder ({@link PgCopy}) and the binary one ({@link PgBinaryCopy}) both write
 * through it.
 */
class CopyOut {
    static final int CHUNK = 1 << 16;

    private final CopyIn copy;
    /** The buffer; an encoder may write up to {@link #room}'s promise into it directly. */
    final byte[] buf = new byte[CHUNK];
    /** The next free position in {@link #buf}. */
    int pos;

    CopyOut(CopyIn copy) {
        this.copy = copy;
    }

    /** Makes room for {@code n} bytes (at most {@link #CHUNK}), sending what is buffered if need be. */
    void room(int n) throws SQLException {
        if (buf.length - pos < n) {
            flush();
        }
    }

    void put(int b) throws SQLException {
        room(1);
        buf[pos++] = (byte) b;
    }

    /** Big-endian, as COPY's binary format has it. */
    void int16(int v) throws SQLException {
        room(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    /** Big-endian, as COPY's binary format has it. */
    void int32(int v) throws SQLException {
        room(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    /** Big-endian, as COPY's binary format has it. */
    void int64(long v) throws SQLException {
        int32((int) (v >>> 32));
        int32((int) v);
    }

    /** The bytes as they are, across as many chunks as they need. */
    void bytes(byte[] b) throws SQLException {
        int off = 0;
        while (off < b.length) {
            if (pos == buf.length) {
                flush();
            }
            int n = Math.min(b.length - off, buf.length - pos);
            System.arraycopy(b, off, buf, pos, n);
            pos += n;
            off += n;
        }
    }

    void flush() throws SQLException {
        if (pos > 0) {
            copy.writeToCopy(buf, 0, pos);
            pos = 0;
        }
    }
}
