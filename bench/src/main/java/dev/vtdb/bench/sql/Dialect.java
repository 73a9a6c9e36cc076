package dev.vtdb.bench.sql;

/** The SQL each workload sends, per database and placeholder style. */
public enum Dialect {
    /** PostgreSQL; Vert.x uses {@code $n} placeholders. */
    POSTGRES("$1", "$2", "$3", "select pg_sleep(%s)"),
    /** MariaDB/MySQL; {@code ?} everywhere. */
    MYSQL("?", "?", "?", "select sleep(%s)");

    /** Point select by id, JDBC placeholders. */
    public static final String POINT_SELECT = "select id, randomnumber from world where id = ?";

    /** All fortunes. */
    public static final String FORTUNES = "select id, message from fortune";

    /** One update of a world row, JDBC placeholders: randomnumber, then id. */
    public static final String UPDATE = "update world set randomnumber = ? where id = ?";

    /** One insert of the bulk workload, JDBC placeholders. */
    public static final String INSERT = "insert into bench_insert (id, a, b) values (?, ?, ?)";

    /** The streaming read of the 1,000,000-row table. */
    public static final String STREAM = "select id, a, b from bench_stream";

    /** Point select with this dialect's native placeholders. */
    public final String nativePointSelect;

    /** Update with this dialect's native placeholders. */
    public final String nativeUpdate;

    /** Insert with this dialect's native placeholders. */
    public final String nativeInsert;

    private final String sleepFormat;

    Dialect(String p1, String p2, String p3, String sleepFormat) {
        this.nativePointSelect = "select id, randomnumber from world where id = " + p1;
        this.nativeUpdate = "update world set randomnumber = " + p1 + " where id = " + p2;
        this.nativeInsert = "insert into bench_insert (id, a, b) values (" + p1 + ", " + p2 + ", " + p3 + ")";
        this.sleepFormat = sleepFormat;
    }

    /**
     * Returns a statement that holds a connection for a while.
     *
     * @param seconds how long
     * @return the SQL, with the duration inlined
     */
    public String sleep(double seconds) {
        return String.format(java.util.Locale.ROOT, sleepFormat, seconds);
    }
}
