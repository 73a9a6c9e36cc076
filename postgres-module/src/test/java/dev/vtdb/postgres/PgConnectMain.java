package dev.vtdb.postgres;

import java.util.concurrent.TimeUnit;

/**
 * Run by {@link PgConnectIT} in a forked JVM, whose environment (PG* variables, {@code HOME}) the
 * test sets: connects with the DSN given and prints {@code OK user@database app} or {@code FAIL}
 * with the exception chain.
 */
public final class PgConnectMain {
    private PgConnectMain() {}

    /**
     * Connects and reports.
     *
     * @param args the DSN
     */
    public static void main(String[] args) {
        try (PgDatabase db = Postgres.connect(args[0])) {
            String who = db.fetchValue(
                            "SELECT current_user || '@' || current_database() || ' '"
                                    + " || current_setting('application_name')",
                            String.class)
                    .get(30, TimeUnit.SECONDS);
            System.out.println("OK " + who);
        } catch (Throwable t) {
            StringBuilder sb = new StringBuilder("FAIL");
            for (Throwable c = t; c != null; c = c.getCause()) {
                sb.append(" | ").append(c);
            }
            System.out.println(sb);
        }
        System.exit(0);
    }
}
