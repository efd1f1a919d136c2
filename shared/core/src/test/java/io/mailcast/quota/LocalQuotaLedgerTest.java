package io.mailcast.quota;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalQuotaLedgerTest extends QuotaLedgerContract {

    @Override
    protected QuotaLedger newLedger() {
        return new LocalQuotaLedger();
    }

    @Test
    void forgetsWindowsLongGoneWhenANewOneStarts() {
        ledger().take("r", HOUR, 5, 5);
        QuotaWindow muchLater = QuotaWindow.containing(QuotaWindow.Kind.HOUR, HOUR.start().plusSeconds(10 * 3_600));
        ledger().take("r", muchLater, 5, 1);
        assertThat(ledger().used("r", HOUR)).isZero();
        assertThat(ledger().used("r", muchLater)).isEqualTo(1);
    }
}
