package dev.vtdb.mysql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MySqlDriverSupportTest {
    private final MySqlDriverSupport driver = new MySqlDriverSupport("mysql://127.0.0.1:3306/test", ZoneOffset.UTC);

    @Test
    void rowValuesInServerMessagesAreHidden() {
        assertThat(driver.errorMessage(
                        new SQLException("Duplicate entry 'secret-o''s value' for key 'girl.name'", "23000", 1062)))
                .isEqualTo("Duplicate entry '***' for key 'girl.name'");
        assertThat(driver.errorMessage(new SQLException(
                        "Incorrect integer value: 'not a number' for column `test`.`t`.`age` at row 1", "22007", 1366)))
                .isEqualTo("Incorrect integer value: '***' for column `test`.`t`.`age` at row 1");
        assertThat(driver.errorMessage(new SQLException("Data too long for column 'name' at row 1", "22001", 1406)))
                .isEqualTo("Data too long for column 'name' at row 1");
    }

    @Test
    void constraintNameStillComesFromTheFullMessage() {
        SQLException e = new SQLException("Duplicate entry 'secret' for key 'name'", "23000", 1062);
        assertThat(driver.constraintName(e)).isEqualTo("name");
    }
}
