package dev.vtdb.mysql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
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
    void timeIsDecodedFromBothWireFormsWithItsSign() {
        // binary protocol: sign, days (LE int32), hours, minutes, seconds[, micros (LE int32)]
        assertThat(MySqlDriverSupport.time(HexFormat.of().parseHex("0101000000010001"), 0))
                .isEqualTo("-25:00:01");
        assertThat(MySqlDriverSupport.time(HexFormat.of().parseHex("0100000000001e0020a10700"), 6))
                .isEqualTo("-00:30:00.500000");
        assertThat(MySqlDriverSupport.time(HexFormat.of().parseHex("0022000000163b3b"), 0))
                .isEqualTo("838:59:59");
        assertThat(MySqlDriverSupport.time(HexFormat.of().parseHex("00000000000c2238d0020000"), 3))
                .isEqualTo(LocalTime.of(12, 34, 56, 720_000));
        assertThat(MySqlDriverSupport.time(new byte[0], 0)).isEqualTo(LocalTime.MIDNIGHT);
        // text protocol
        assertThat(MySqlDriverSupport.time("-25:00:01".getBytes(StandardCharsets.US_ASCII), 0))
                .isEqualTo("-25:00:01");
        assertThat(MySqlDriverSupport.time("-00:30:00.500000".getBytes(StandardCharsets.US_ASCII), 6))
                .isEqualTo("-00:30:00.500000");
        assertThat(MySqlDriverSupport.time("23:59:59.999999".getBytes(StandardCharsets.US_ASCII), 6))
                .isEqualTo(LocalTime.of(23, 59, 59, 999_999_000));
        assertThat(MySqlDriverSupport.time("-00:00:00".getBytes(StandardCharsets.US_ASCII), 0))
                .isEqualTo(LocalTime.MIDNIGHT);
        assertThat(MySqlDriverSupport.time(null, 0)).isNull();
    }

    @Test
    void constraintNameStillComesFromTheFullMessage() {
        SQLException e = new SQLException("Duplicate entry 'secret' for key 'name'", "23000", 1062);
        assertThat(driver.constraintName(e)).isEqualTo("name");
    }
}
