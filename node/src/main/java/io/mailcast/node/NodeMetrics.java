package io.mailcast.node;

import io.mailcast.bounce.BounceStats;
import io.mailcast.bounce.InboundVerdict;
import io.mailcast.engine.NodeStats;
import io.mailcast.message.MessageStats;
import io.mailcast.sender.RelayFigures;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Renders a node's figures in the Prometheus text exposition format. */
final class NodeMetrics {

    private NodeMetrics() {
    }

    static String render(NodeStats s, int inFlight, int activeChunks, int members, List<RelayFigures> relays) {
        StringBuilder out = new StringBuilder(1024);
        counter(out, "mailcast_messages_sent_total", "Messages accepted by the relay", s.sent.sum());
        counter(out, "mailcast_messages_failed_total", "Recipients recorded as FAILED", s.failed.sum());
        counter(out, "mailcast_messages_invalid_total", "Recipients recorded as INVALID", s.invalid.sum());
        counter(out, "mailcast_messages_suppressed_total", "Recipients not mailed: on the suppression list", s.suppressed.sum());
        counter(out, "mailcast_messages_skipped_total", "Recipients not mailed: another subscriber of the campaign has the same address", s.skipped.sum());
        counter(out, "mailcast_send_retries_total", "Send attempts repeated after a transient failure", s.retried.sum());
        counter(out, "mailcast_messages_uncertain_total", "Re-sends of recipients in flight on a node that died", s.uncertain.sum());
        counter(out, "mailcast_chunks_completed_total", "Chunks this node finished", s.chunksCompleted.sum());
        counter(out, "mailcast_chunks_released_total", "Chunks handed back (pause, shutdown)", s.chunksReleased.sum());
        counter(out, "mailcast_chunks_lost_total", "Chunks this node lost to another owner", s.chunksLost.sum());
        counter(out, "mailcast_store_write_failures_total", "Failed outcome writes (kept and retried)", s.storeWriteFailures.sum());
        gauge(out, "mailcast_sends_in_flight", "Sends in flight now", inFlight);
        gauge(out, "mailcast_chunks_active", "Chunks being worked on now", activeChunks);
        gauge(out, "mailcast_cluster_members", "Members this node sees", members);
        gauge(out, "mailcast_jvm_heap_used_bytes", "Heap in use",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        if (!relays.isEmpty()) {
            perRelay(out, "mailcast_relay_up", "gauge", "1 unless the relay is marked down", relays, r -> r.down() ? "0" : "1");
            perRelay(out, "mailcast_relay_rate_factor", "gauge", "Share of the relay's rate allowed now (below 1 after throttling)",
                    relays, r -> String.valueOf(r.rateFactor()));
            perRelay(out, "mailcast_relay_messages_sent_total", "counter", "Messages this node got accepted by the relay",
                    relays, r -> String.valueOf(r.sent()));
            perRelay(out, "mailcast_relay_failures_total", "counter", "Attempts on the relay that were not accepted",
                    relays, r -> String.valueOf(r.failed()));
            perRelay(out, "mailcast_relay_marked_down_total", "counter", "Times this node took the relay from up to down (one per outage in the cluster)",
                    relays, r -> String.valueOf(r.markedDown()));
        }
        return out.toString();
    }

    /** The send API's figures; {@code queueDepth} below 0 when the store did not answer. */
    static String renderMessages(MessageStats s, long queueDepth, int inFlight) {
        StringBuilder out = new StringBuilder(512);
        counter(out, "mailcast_api_messages_accepted_total", "Send-API messages this node stored", s.accepted.sum());
        counter(out, "mailcast_api_messages_sent_total", "Send-API messages this node sent to every recipient", s.sent.sum());
        counter(out, "mailcast_api_messages_failed_total", "Send-API messages this node finished as FAILED", s.failed.sum());
        counter(out, "mailcast_api_messages_retried_total", "Send-API attempts queued again after a transient failure", s.retried.sum());
        counter(out, "mailcast_api_messages_uncertain_total", "Send-API messages that may have arrived twice", s.uncertain.sum());
        gauge(out, "mailcast_api_messages_in_flight", "Send-API messages this node is sending now", inFlight);
        if (queueDepth >= 0) {
            gauge(out, "mailcast_api_queue_depth", "Send-API messages QUEUED or PROCESSING in the cluster", queueDepth);
        }
        return out.toString();
    }

    /** What the bounce listener took in, by verdict (dropped mail included: unsigned, auto-replies, unknown). */
    static String renderBounces(BounceStats s) {
        StringBuilder out = new StringBuilder(512);
        String name = "mailcast_bounce_reports_total";
        out.append("# HELP ").append(name).append(" Mail to the bounce address, by what became of it\n")
                .append("# TYPE ").append(name).append(" counter\n");
        for (InboundVerdict verdict : InboundVerdict.values()) {
            out.append(name).append("{verdict=\"").append(verdict.name().toLowerCase(Locale.ROOT)).append("\"} ")
                    .append(s.get(verdict)).append('\n');
        }
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(value).append('\n');
    }

    private static void perRelay(StringBuilder out, String name, String type, String help, List<RelayFigures> relays,
                                 Function<RelayFigures, String> value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (RelayFigures r : relays) {
            out.append(name).append("{relay=\"").append(labelValue(r.relay())).append("\"} ").append(value.apply(r)).append('\n');
        }
    }

    /** Prometheus label values escape backslash, double quote and line feed. */
    private static String labelValue(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(value).append('\n');
    }
}
