package dev.vtdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TxOptionsTest {
    @Test
    void defaultsAreServerDefaultReadWriteNoRetry() {
        assertThat(TxOptions.DEFAULT.isolation()).isEqualTo(TxOptions.Isolation.SERVER_DEFAULT);
        assertThat(TxOptions.DEFAULT.readOnly()).isFalse();
        assertThat(TxOptions.DEFAULT.retries()).isZero();
    }

    @Test
    void validationNamesTheBadValue() {
        assertThatThrownBy(() -> TxOptions.builder().retries(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retries must be between 0 and 100 but was -1");
        assertThatThrownBy(
                        () -> TxOptions.builder().backoff(Duration.ofMillis(-5)).build())
                .hasMessageContaining("backoff must be >= 0");
        assertThatThrownBy(() -> TxOptions.builder().deferrable(true).build()).hasMessageContaining("readOnly");
    }

    @Test
    void toBuilderCopies() {
        TxOptions o = TxOptions.builder()
                .isolation(TxOptions.Isolation.SERIALIZABLE)
                .readOnly(true)
                .deferrable(true)
                .retries(5)
                .build();
        TxOptions copy = o.toBuilder().retries(2).build();
        assertThat(copy.isolation()).isEqualTo(TxOptions.Isolation.SERIALIZABLE);
        assertThat(copy.deferrable()).isTrue();
        assertThat(copy.retries()).isEqualTo(2);
        assertThat(o.retries()).isEqualTo(5);
    }

    @Test
    void conflictDetectionCoversBothDatabases() {
        assertThat(new QueryException("x", "40001", 0, null, null).isTransactionConflict())
                .isTrue();
        assertThat(new QueryException("x", "40P01", 0, null, null).isTransactionConflict())
                .isTrue();
        assertThat(new QueryException("x", "40001", 1213, null, null).isTransactionConflict())
                .isTrue();
        assertThat(new QueryException("x", "HY000", 1205, null, null).isTransactionConflict())
                .isTrue();
        assertThat(new QueryException("x", "42601", 0, null, null).isTransactionConflict())
                .isFalse();
    }
}
