package io.mailcast.node;

import io.mailcast.node.DashboardQueries.GridPos;
import io.mailcast.node.DashboardQueries.Panel;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Grafana dashboard (monitoring/grafana/dashboards/mailcast.json) and the scanner that reads its queries. */
class DashboardQueriesTest {

    static final Path DASHBOARD = Path.of("../monitoring/grafana/dashboards/mailcast.json");
    private static final Path DATASOURCE = Path.of("../monitoring/grafana/provisioning/datasources/prometheus.yml");

    // ------------------------------------------------------------------ the scanner

    @Test
    void aHistogramQuantileNamesOnlyItsBuckets() {
        assertThat(DashboardQueries.metricNames(
                "histogram_quantile(0.95, sum by (le, relay) (rate(mailcast_send_duration_seconds_bucket[$__rate_interval])))"))
                .containsExactly("mailcast_send_duration_seconds_bucket");
    }

    @Test
    void matchersRangesAndGroupingLabelsAreNotNames() {
        assertThat(DashboardQueries.metricNames("sum(rate(a_total{relay=\"x\"}[1m])) / ignoring(relay) b"))
                .containsExactly("a_total", "b");
        assertThat(DashboardQueries.metricNames(
                "sum without (instance) (x_total{job=~\"$job\", relay!=\"b}c\", q='{by}'}[5m:30s] offset 1h30m)"
                        + " * on (relay) group_left (zone) y_info > bool 1e-3 or vector(0) unless z"))
                .containsExactly("x_total", "y_info", "z");
        assertThat(DashboardQueries.metricNames("sum(rate(m[${__range}])) BY (le) and SUM(n) by(x) # q_total in a comment"))
                .containsExactly("m", "n");
        assertThat(DashboardQueries.metricNames("label_replace(up_total, \"dst\", \"$1\", \"src\", \"(.*)\") @ start()"))
                .containsExactly("up_total");
    }

    @Test
    void aNameMatcherOrAQuotedNameNamesItsSeries() {
        assertThat(DashboardQueries.metricNames("{__name__=\"a_total\", job=\"j\"} + {__name__=~\"b.*\"} + {\"c.d\"}"))
                .containsExactly("a_total", "c.d");
    }

    @Test
    void variableQueriesNameTheirSeriesNotTheLabel() {
        assertThat(DashboardQueries.variableMetricNames("label_values(m{job=~\"$job\", x=\"a,b\"}, instance)"))
                .containsExactly("m");
        assertThat(DashboardQueries.variableMetricNames("label_values(instance)")).isEmpty();
        assertThat(DashboardQueries.variableMetricNames("query_result(topk(3, rate(q_total[5m])))")).containsExactly("q_total");
    }

    @Test
    void exportedNamesReadsAScrape() {
        String scrape = """
                # HELP mailcast_messages_sent_total Messages accepted by the relay
                # TYPE mailcast_messages_sent_total counter
                mailcast_messages_sent_total 42
                mailcast_relay_up{relay="primary"} 1
                mailcast_send_duration_seconds_bucket{relay="primary",outcome="sent",le="0.5"} 3

                jvm_gc_pause_seconds_max{action="end of minor GC",cause="G1 Evacuation Pause"} 0.004
                """;
        assertThat(DashboardQueries.exportedNames(scrape)).containsExactly("jvm_gc_pause_seconds_max",
                "mailcast_messages_sent_total", "mailcast_relay_up", "mailcast_send_duration_seconds_bucket");
    }

    // ------------------------------------------------------------------ the dashboard

    @Test
    void everyPanelQueriesAtLeastOneSeries() {
        List<Panel> panels = DashboardQueries.panels(DASHBOARD);
        assertThat(panels.stream().filter(p -> !p.isRow())).hasSizeGreaterThanOrEqualTo(20);
        for (Panel panel : panels) {
            if (!panel.isRow()) {
                assertThat(panel.exprs()).as("queries of \"%s\"", panel.title()).isNotEmpty();
            }
        }
        Map<String, Set<String>> byPanel = DashboardQueries.metricNamesByPanel(DASHBOARD);
        byPanel.forEach((title, names) -> assertThat(names).as("series of \"%s\"", title).isNotEmpty());
        assertThat(panels.stream().map(Panel::id)).doesNotHaveDuplicates().doesNotContain(-1);
    }

    @Test
    void theVariablesListNodesByTheMembersGauge() {
        assertThat(DashboardQueries.metricNamesByVariable(DASHBOARD)).containsOnlyKeys("$job", "$instance")
                .allSatisfy((name, names) -> assertThat(names).containsExactly("mailcast_cluster_members"));
    }

    @Test
    void panelsStayOnTheGridAndNeverOverlap() {
        List<Panel> panels = DashboardQueries.panels(DASHBOARD);
        List<String> overlaps = new ArrayList<>();
        for (int i = 0; i < panels.size(); i++) {
            GridPos a = panels.get(i).gridPos();
            assertThat(a).as("gridPos of \"%s\"", panels.get(i).title()).isNotNull();
            assertThat(a.x()).isNotNegative();
            assertThat(a.y()).isNotNegative();
            assertThat(a.w()).isPositive();
            assertThat(a.h()).isPositive();
            assertThat(a.x() + a.w()).as("right edge of \"%s\"", panels.get(i).title()).isLessThanOrEqualTo(24);
            for (int j = i + 1; j < panels.size(); j++) {
                if (a.overlaps(panels.get(j).gridPos())) {
                    overlaps.add(panels.get(i).title() + " / " + panels.get(j).title());
                }
            }
        }
        assertThat(overlaps).isEmpty();
    }

    @Test
    void everyQueryUsesTheProvisionedPrometheusDataSource() throws Exception {
        String json = Files.readString(DASHBOARD);
        assertThat(json).doesNotContain("${DS_").doesNotContain("__inputs");
        Document dashboard = Document.parse(json);
        assertThat(dashboard.getString("uid")).isEqualTo("mailcast");
        List<Object> dataSources = new ArrayList<>();
        collect(dashboard, "datasource", dataSources);
        assertThat(dataSources).isNotEmpty().allSatisfy(ds -> {
            assertThat(ds).isInstanceOf(Document.class);
            Document d = (Document) ds;
            if (!"grafana".equals(d.getString("type"))) { // the built-in annotations
                assertThat(d).containsEntry("type", "prometheus").containsEntry("uid", "prometheus");
            }
        });
        assertThat(Files.readString(DATASOURCE)).containsPattern("(?m)^\\s+uid: prometheus$")
                .containsPattern("(?m)^\\s+type: prometheus$");
    }

    private static void collect(Object node, String key, List<Object> out) {
        if (node instanceof Document d) {
            d.forEach((k, v) -> {
                if (k.equals(key)) {
                    out.add(v);
                }
                collect(v, key, out);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(e -> collect(e, key, out));
        }
    }
}
