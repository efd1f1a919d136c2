package io.mailcast.bounce;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BounceReportTest {

    @Test
    void failedWithA5xxStatusIsHard() {
        assertThat(BounceReport.ofDeliveryStatus("failed", "5.1.1", "smtp; 550 5.1.1 user unknown"))
                .contains(new BounceReport(BounceKind.HARD, "5.1.1", "smtp; 550 5.1.1 user unknown"));
        assertThat(BounceReport.ofDeliveryStatus(" Failed ", "5.7.1 (delivery not authorized)", null))
                .map(BounceReport::status).contains("5.7.1");
    }

    @Test
    void failedWithA4xxStatusIsSoft() {
        assertThat(BounceReport.ofDeliveryStatus("failed", "4.2.2", "smtp; 452 mailbox full"))
                .map(BounceReport::kind).contains(BounceKind.SOFT);
    }

    @Test
    void delaysDeliveriesAndBadStatusesAreNoBounce() {
        assertThat(BounceReport.ofDeliveryStatus("delayed", "4.4.1", null)).isEmpty();
        assertThat(BounceReport.ofDeliveryStatus("delivered", "2.0.0", null)).isEmpty();
        assertThat(BounceReport.ofDeliveryStatus("failed", "2.0.0", null)).isEmpty();
        assertThat(BounceReport.ofDeliveryStatus("failed", "550", null)).isEmpty();
        assertThat(BounceReport.ofDeliveryStatus("failed", null, null)).isEmpty();
        assertThat(BounceReport.ofDeliveryStatus(null, "5.1.1", null)).isEmpty();
    }

    @Test
    void feedbackReportsAreComplaintsExceptNotSpam() {
        assertThat(BounceReport.ofFeedback("Abuse", "Yahoo!-Mail-Feedback/2.0"))
                .contains(new BounceReport(BounceKind.COMPLAINT, "abuse", "Yahoo!-Mail-Feedback/2.0"));
        assertThat(BounceReport.ofFeedback("not-spam", null)).isEmpty();
        assertThat(BounceReport.ofFeedback(" ", null)).isEmpty();
    }

    @Test
    void hostileTextIsFlattenedAndCut() {
        BounceReport report = new BounceReport(BounceKind.HARD, "5.1.1", "line\r\nInjected: yes" + "x".repeat(1000));
        assertThat(report.diagnostic()).doesNotContain("\r", "\n").hasSize(BounceReport.MAX_TEXT);
        assertThat(report.evidence()).startsWith("status 5.1.1; line Injected: yes");
    }
}
