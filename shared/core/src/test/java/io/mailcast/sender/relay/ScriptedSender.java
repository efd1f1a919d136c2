package io.mailcast.sender.relay;

import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;
import io.mailcast.subscriber.SubscriberId;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A relay stand-in that answers each message as the test scripts it and remembers what it was given. */
final class ScriptedSender implements Sender {

    private final Function<OutgoingMessage, SendResult> answer;
    private final List<OutgoingMessage> calls = new CopyOnWriteArrayList<>();

    ScriptedSender(Function<OutgoingMessage, SendResult> answer) {
        this.answer = answer;
    }

    static ScriptedSender accepting(String relay) {
        return new ScriptedSender(m -> SendResult.sent(relay));
    }

    static ScriptedSender unreachable(String relay) {
        return new ScriptedSender(m -> SendResult.unreachable("cannot connect to relay: Connection refused", relay));
    }

    @Override
    public SendResult send(OutgoingMessage message) {
        calls.add(message);
        return answer.apply(message);
    }

    List<OutgoingMessage> calls() {
        return List.copyOf(calls);
    }

    static OutgoingMessage message(long id) {
        return new OutgoingMessage("campaign-1", SubscriberId.of(id), "news@example.com", null, "reader" + id + "@example.org", null,
                "Hello", "Hello, reader", null, null);
    }
}
