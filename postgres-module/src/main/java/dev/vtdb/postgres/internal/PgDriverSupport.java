package dev.vtdb.postgres.internal;

import dev.vtdb.internal.DriverSupport;
import dev.vtdb.internal.SqlParser;
import dev.vtdb.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import org.postgresql.util.PGobject;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** pgjdbc specifics: value mapping, SQLSTATEs, cursors (which need a transaction), status. */
public final class PgDriverSupport extends DriverSupport {
    private final String server;

    /**
     * Creates the support.
     *
     * @param server description of the server for messages, without secrets
     */
    public PgDriverSupport(String server) {
        this.server = server;
    }

    @Override
    public String shortName() {
        return "pg";
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRES;
    }

    @Override
    public SqlParser.Flavor sqlFlavor() {
        return SqlParser.Flavor.POSTGRES;
    }

    @Override
    public String describeServer() {
        return server;
    }

    @Override
    public ColumnReader reader(ResultSetMetaData md, int column) throws SQLException {
        String type = md.getColumnTypeName(column);
        return switch (type) {
            case "timestamptz" -> (rs, c) -> rs.getObject(c, OffsetDateTime.class);
            case "json", "jsonb" -> (rs, c) -> rs.getString(c);
            default ->
                (rs, c) -> {
                    Object v = rs.getObject(c);
                    if (v instanceof PGobject o) {
                        return o.getValue();
                    }
                    return normalize(v);
                };
        };
    }

    @Override
    public PreparedStatement prepareUpdate(Connection connection, String sql, java.util.List<String> keyColumns)
            throws SQLException {
        if (!keyColumns.isEmpty()) {
            return connection.prepareStatement(sql, keyColumns.toArray(String[]::new));
        }
        return connection.prepareStatement(sql, Statement.NO_GENERATED_KEYS);
    }

    @Override
    public void prepareCursor(Connection connection, PreparedStatement ps, int fetchSize) throws SQLException {
        ps.setFetchSize(fetchSize);
    }

    @Override
    public boolean cursorNeedsTransaction() {
        return true;
    }

    @Override
    public void setDeferrable(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET TRANSACTION DEFERRABLE");
        }
    }

    @Override
    public boolean isCancellation(SQLException e) {
        return "57014".equals(e.getSQLState());
    }

    @Override
    public boolean isConnectionError(SQLException e) {
        String state = e.getSQLState();
        // 57P01 admin_shutdown (pg_terminate_backend), 57P02 crash_shutdown, 57P03 cannot_connect_now
        return super.isConnectionError(e) || "57P01".equals(state) || "57P02".equals(state) || "57P03".equals(state);
    }

    @Override
    public String constraintName(SQLException e) {
        if (e instanceof PSQLException p) {
            ServerErrorMessage m = p.getServerErrorMessage();
            return m == null ? null : m.getConstraint();
        }
        return null;
    }
}
