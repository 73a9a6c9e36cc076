package dev.vtdb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.Row;
import dev.vtdb.examples.Endpoint.Kind;
import dev.vtdb.testkit.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sections 1 to 3 connect with whatever the URL says, as the walkthrough's own set-up does: a URL
 * whose user comes from its query ({@code ?user=...}) or is left out (MySqlOptions' default,
 * {@code root}) works too, instead of failing with "user must be set" because the sections rebuilt
 * the options from the URL's user-info alone and dropped its query settings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserlessUrlIT {
    private static final String NS =
            "vtdb_examples_userless_it_" + ProcessHandle.current().pid();

    private final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @AfterAll
    void dropNamespace() {
        Fixtures.dropPostgres(new Target(new Endpoint(Kind.POSTGRES, TestServers.postgresUrl(), "given"), NS));
        Fixtures.dropMysql(new Target(new Endpoint(Kind.MYSQL, TestServers.mysqlUrl(), "given"), NS));
    }

    @Test
    void postgresSectionTakesTheUserAndSettingsFromTheDsnQuery() {
        Target t = target(Kind.POSTGRES, userInQuery(TestServers.postgresUrl()) + "&application_name=vtdb_userless");
        assertThat(t.endpoint().user()).isNull();
        Fixtures.postgres(t);

        assertThat(PgConnectExample.options(t).user()).isEqualTo("postgres");
        assertThat(PgConnectExample.options(t).connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        List<Row> rows = PgConnectExample.run(t, out);
        assertThat(rows).extracting(r -> r.get("name")).containsExactly("十六夜咲夜", "琪露诺");
    }

    @Test
    void mysqlSectionsTakeTheUserFromTheUrlQuery() {
        runMysqlSections(target(Kind.MYSQL, userInQuery(TestServers.mysqlUrl())));
    }

    @Test
    void mysqlSectionsWithoutAUserConnectAsRootLikeTheOptionsDefault() {
        URI test = URI.create(TestServers.mysqlUrl());
        Target t = target(Kind.MYSQL, "mysql://" + test.getHost() + ":" + test.getPort() + "/test");
        assertThat(MySqlEngineExample.options(t).user()).isEqualTo("root");
        runMysqlSections(t);
    }

    private void runMysqlSections(Target t) {
        assertThat(t.endpoint().user()).isNull();
        Fixtures.mysql(t);
        assertThat(MySqlEngineExample.run(t, out).toMap()).containsEntry("name", "十六夜咲夜");
        assertThat(MySqlTableExample.run(t, out).insertedRows()).isEqualTo(2);
    }

    private static Target target(Kind kind, String url) {
        return new Target(new Endpoint(kind, url, "given"), NS);
    }

    /** Moves a URL's user and password from its user-info into its query. */
    private static String userInQuery(String url) {
        URI u = URI.create(url);
        String info = u.getUserInfo();
        int colon = info.indexOf(':');
        String query = "user=" + enc(colon < 0 ? info : info.substring(0, colon))
                + (colon < 0 ? "" : "&password=" + enc(info.substring(colon + 1)));
        return u.getScheme() + "://" + u.getHost() + ":" + u.getPort() + u.getRawPath() + "?" + query;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
