package io.mailcast.coordinator;

import io.mailcast.campaign.Campaign;
import io.mailcast.chunk.ChunkRange;
import io.mailcast.engine.CampaignPreview;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.smtp.MimeWriter;
import io.mailcast.subscriber.AddressNormalizer;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.suppression.SuppressionList;
import jakarta.mail.internet.AddressException;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Prints what {@code submit} would do: the audience count, the chunk plan and the first messages, as the relay gets them. */
final class DryRunReport {

    private static final int CHUNKS_SHOWN_AT_EACH_END = 3;

    private final CampaignPreview preview;
    private final SuppressionList suppressions;
    private final MimeWriter mime;
    private final PrintStream out;

    DryRunReport(CampaignPreview preview, SuppressionList suppressions, Clock clock, PrintStream out) {
        this.preview = preview;
        this.suppressions = suppressions;
        this.mime = new MimeWriter(clock);
        this.out = out;
    }

    void print(Campaign draft, int samples) {
        out.println("dry run: nothing is stored and nothing is sent");
        CampaignPreview.Plan plan = preview.plan();
        out.printf("campaign %s: %,d eligible recipients in %,d chunks of up to %,d%n", draft.id(), plan.eligible(),
                plan.chunks().size(), draft.chunkSize());
        printChunks(plan.chunks());
        List<Subscriber> first = preview.firstRecipients(samples);
        if (first.isEmpty()) {
            return;
        }
        Set<String> suppressed = suppressions.suppressedAmong(first.stream()
                .map(s -> AddressNormalizer.normalize(s.email())).collect(Collectors.toSet()));
        out.printf("the first %d recipients' messages (the node adds its own signed unsubscribe link and headers):%n",
                first.size());
        for (int i = 0; i < first.size(); i++) {
            Subscriber s = first.get(i);
            out.printf("==== %d of %d: subscriber %s <%s>%n", i + 1, first.size(), s.id().key(), s.email());
            Optional<String> notSent = CampaignPreview.notSentBecause(s, suppressed);
            if (notSent.isPresent()) {
                out.println("not sent: " + notSent.get());
                continue;
            }
            out.println(wire(preview.render(s)));
        }
    }

    private void printChunks(List<ChunkRange> chunks) {
        for (int i = 0; i < chunks.size(); i++) {
            if (i == CHUNKS_SHOWN_AT_EACH_END && chunks.size() > 2 * CHUNKS_SHOWN_AT_EACH_END) {
                out.printf("  ... %,d more chunks%n", chunks.size() - 2 * CHUNKS_SHOWN_AT_EACH_END);
                i = chunks.size() - CHUNKS_SHOWN_AT_EACH_END;
            }
            ChunkRange c = chunks.get(i);
            out.printf("  chunk %d: ids %s (%,d)%n", c.index(), c.ids(), c.planned());
        }
    }

    /** The message as written for a relay with 8BITMIME, so non-ASCII text stays readable; line ends as the terminal's. */
    private String wire(OutgoingMessage message) {
        try {
            return new String(mime.write(message, true).content(), StandardCharsets.UTF_8).replace("\r\n", "\n").strip();
        } catch (AddressException e) {
            return "not sent: INVALID (" + e.getMessage() + ")";
        }
    }
}
