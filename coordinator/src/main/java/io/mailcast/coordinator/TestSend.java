package io.mailcast.coordinator;

import io.mailcast.cli.Cli;
import io.mailcast.engine.CampaignPreview;
import io.mailcast.message.Message;
import io.mailcast.message.MessageLimits;
import io.mailcast.message.MessageStore;
import io.mailcast.message.MessageValidator;
import io.mailcast.message.StoredMessage;
import io.mailcast.sender.AddressValidator;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.time.Sleeper;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code submit --test-to}: the campaign's message, built from one subscriber's data, sent to a few test addresses
 * only. It goes through the send API's queue, so any node sends it with the relays campaigns use, and it is recorded
 * there (tagged {@code test-send}) rather than in any campaign.
 */
final class TestSend {

    /** The send API records every message under the key that submitted it; test sends have this one. */
    static final String SUBMITTER = "coordinator-test-send";
    static final int MAX_ADDRESSES = 10;
    private static final Duration POLL = Duration.ofMillis(250);

    private final MessageStore messages;
    private final Clock clock;
    private final Sleeper sleeper;
    private final PrintStream out;

    TestSend(MessageStore messages, Clock clock, Sleeper sleeper, PrintStream out) {
        this.messages = messages;
        this.clock = clock;
        this.sleeper = sleeper;
        this.out = out;
    }

    /** Refuses the list before anything is stored: one to ten addresses, each a plain mailbox. */
    static List<String> checkedAddresses(List<String> addresses) {
        if (addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("--test-to takes 1 to " + MAX_ADDRESSES + " addresses, comma-separated");
        }
        List<String> stripped = addresses.stream().map(String::strip).toList();
        for (String address : stripped) {
            AddressValidator.problem(address).ifPresent(problem -> {
                throw new IllegalArgumentException("--test-to: '" + address + "' is not an e-mail address ("
                        + problem + "); write it as name@example.com");
            });
        }
        return stripped;
    }

    /** An id as typed: as {@code status} shows it ({@code 42}, {@code oid:65f1...}, {@code s:alice}) or a bare ObjectId. */
    static SubscriberId typedId(String typed) {
        if (typed.matches("[0-9a-fA-F]{24}")) {
            return SubscriberId.ofObjectId(typed.toLowerCase(Locale.ROOT));
        }
        try {
            return SubscriberId.parse(typed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--test-subscriber: '" + typed + "' is not an id; write it as status "
                    + "shows it: 42, oid:65f1c2d3e4f5a6b7c8d9e0f1, s:alice", e);
        }
    }

    /** Queues one copy per address, then waits up to {@code wait} for the nodes to send them; returns the exit code. */
    int send(CampaignPreview preview, Subscriber subscriber, List<String> to, Duration wait) throws InterruptedException {
        OutgoingMessage rendered = preview.render(subscriber);
        List<StoredMessage> queued = new ArrayList<>();
        MessageValidator validator = new MessageValidator(MessageLimits.DEFAULT);
        for (String address : to) {
            Message message = new Message(rendered.from(), List.of(address), List.of(), rendered.replyTo(),
                    "[test] " + rendered.subject(), rendered.text(), rendered.html(), Map.of(),
                    List.of("test-send", "campaign:" + rendered.campaignId(), "subscriber:" + subscriber.id().key()));
            validator.check(message);
            queued.add(StoredMessage.queued(UUID.randomUUID().toString(), SUBMITTER, null, message, List.of(), clock.instant()));
        }
        queued.forEach(messages::accept);
        out.printf("test message built from subscriber %s queued for %d address(es); waiting up to %d s for a node%n",
                subscriber.id().key(), to.size(), wait.toSeconds());
        return report(queued, clock.instant().plus(wait));
    }

    private int report(List<StoredMessage> queued, Instant deadline) throws InterruptedException {
        List<StoredMessage> latest = latest(queued);
        while (latest.stream().anyMatch(m -> !m.status().isFinal()) && clock.instant().isBefore(deadline)) {
            sleeper.sleep(POLL);
            latest = latest(queued);
        }
        int code = Cli.OK;
        for (StoredMessage m : latest) {
            String to = m.message().to().getFirst();
            switch (m.status()) {
                case SENT -> out.printf("%s: SENT via %s (message %s)%n", to, m.relay(), m.id());
                case FAILED, CANCELLED -> {
                    out.printf("%s: %s: %s (message %s)%n", to, m.status(), m.reply(), m.id());
                    code = Cli.FAILED;
                }
                default -> out.printf("%s: still %s: no node has sent it yet; a running node will (message %s)%n",
                        to, m.status(), m.id());
            }
        }
        return code;
    }

    private List<StoredMessage> latest(List<StoredMessage> queued) {
        return queued.stream().map(m -> messages.find(m.id(), SUBMITTER).orElse(m)).toList();
    }
}
