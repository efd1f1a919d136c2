package io.mailcast.node;

import io.mailcast.engine.NodeStats;
import io.mailcast.sender.RelayFigures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus text a scraper reads, including one series per relay when the node routes between relays. */
class NodeMetricsTest {

    @Test
    void relaysAppearAsLabelledSeries() {
        NodeStats stats = new NodeStats();
        stats.sent.add(7);

        String text = NodeMetrics.render(stats, 3, 1, 2, List.of(
                new RelayFigures("primary", false, 0.5, 5, 1, 0),
                new RelayFigures("odd \"name\"", true, 1.0, 2, 9, 3)));

        assertThat(text).contains("mailcast_messages_sent_total 7\n")
                .contains("# TYPE mailcast_relay_up gauge\n")
                .contains("mailcast_relay_up{relay=\"primary\"} 1\n")
                .contains("mailcast_relay_up{relay=\"odd \\\"name\\\"\"} 0\n")
                .contains("mailcast_relay_rate_factor{relay=\"primary\"} 0.5\n")
                .contains("# TYPE mailcast_relay_messages_sent_total counter\n")
                .contains("mailcast_relay_failures_total{relay=\"odd \\\"name\\\"\"} 9\n")
                .contains("mailcast_relay_marked_down_total{relay=\"odd \\\"name\\\"\"} 3\n");
    }

    @Test
    void aNodeWithoutRelaysHasNoRelaySeries() {
        assertThat(NodeMetrics.render(new NodeStats(), 0, 0, 1, List.of())).doesNotContain("mailcast_relay_");
    }
}
