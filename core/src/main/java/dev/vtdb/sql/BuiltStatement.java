package dev.vtdb.sql;

import java.util.ArrayList;
import java.util.List;

/** What every builder shares: SQL and parameters come from one rendering pass. */
abstract class BuiltStatement implements SqlStatement {

    /**
     * Renders the statement, appending the bound values in placeholder order.
     *
     * @param params receives the parameters
     * @return the SQL text
     */
    abstract String render(List<Object> params);

    @Override
    public final String sql() {
        return render(new ArrayList<>());
    }

    @Override
    public final List<Object> parameters() {
        List<Object> params = new ArrayList<>();
        render(params);
        return params;
    }

    @Override
    public final String toString() {
        return sql();
    }
}
