package dev.vtdb.internal;

import dev.vtdb.Transaction;
import dev.vtdb.VtdbException;
import java.sql.Savepoint;

/** An explicit transaction (or savepoint, when nested) begun by {@code Session.begin()}. */
final class JdbcTransaction implements Transaction {
    private final JdbcSession session;
    private final Savepoint savepoint;
    private boolean finished;

    JdbcTransaction(JdbcSession session, Savepoint savepoint) {
        this.session = session;
        this.savepoint = savepoint;
    }

    @Override
    public void commit() {
        checkOpen("commit");
        finished = true;
        session.commitTransaction(savepoint);
    }

    @Override
    public void rollback() {
        checkOpen("rollback");
        finished = true;
        session.rollbackTransaction(savepoint);
    }

    @Override
    public void close() {
        if (!finished) {
            rollback();
        }
    }

    private void checkOpen(String what) {
        if (finished) {
            throw new VtdbException("cannot " + what + ": the transaction already ended");
        }
    }
}
