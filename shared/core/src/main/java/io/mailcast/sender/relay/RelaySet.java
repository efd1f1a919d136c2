package io.mailcast.sender.relay;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The relays a node sends through, in file order, with unique names, and how to route between them. */
public record RelaySet(List<RelayConfig> relays, RoutingPolicy policy) {

    public RelaySet {
        Objects.requireNonNull(relays, "relays");
        Objects.requireNonNull(policy, "policy");
        relays = List.copyOf(relays);
        if (relays.isEmpty()) {
            throw new IllegalArgumentException("at least one relay is needed");
        }
        Set<String> names = new HashSet<>();
        for (RelayConfig relay : relays) {
            if (!names.add(relay.name())) {
                throw new IllegalArgumentException("relay name '" + relay.name() + "' is used twice; names must be unique");
            }
        }
    }

    public static RelaySet of(RelayConfig... relays) {
        return new RelaySet(List.of(relays), RoutingPolicy.defaults());
    }

    public Optional<RelayConfig> find(String name) {
        return relays.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** The relay called {@code name}; throws with the known names when there is none. */
    public RelayConfig get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no relay named '" + name + "'; known: "
                + names()));
    }

    public List<String> names() {
        return relays.stream().map(RelayConfig::name).toList();
    }

    public String describe() {
        return relays.stream().map(RelayConfig::describe).collect(Collectors.joining("; ", "relays(", ")"))
                + " cool-down=" + policy.coolDown().toSeconds() + "s";
    }
}
