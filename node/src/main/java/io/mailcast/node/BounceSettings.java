package io.mailcast.node;

import io.mailcast.bounce.SoftBouncePolicy;
import io.mailcast.bounce.VerpAddresses;
import io.mailcast.inbound.BounceListenerConfig;

import java.util.Objects;

/**
 * Bounce handling on a node: campaign messages go out with VERP envelope senders, and the node may take the bounces
 * in itself.
 *
 * @param listener the bounce listener's port and limits, {@code null} when this node runs none (another node, or a
 *                 mail server in front, takes the bounce domain's mail)
 */
public record BounceSettings(VerpAddresses verp, BounceListenerConfig listener, SoftBouncePolicy softPolicy) {

    public BounceSettings {
        Objects.requireNonNull(verp, "verp");
        Objects.requireNonNull(softPolicy, "softPolicy");
    }

    String describe() {
        return "verp@" + verp.domain() + (listener == null ? "" : " bounce-port=" + listener.port())
                + " soft-bounces=" + softPolicy.limit() + "/" + softPolicy.window().toDays() + "d";
    }
}
