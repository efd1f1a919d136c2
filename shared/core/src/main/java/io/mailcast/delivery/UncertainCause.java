package io.mailcast.delivery;

/** Why a recipient may have been mailed more than once; stored with its delivery and counted by {@code status}. */
public enum UncertainCause {
    /** The node sending to this recipient died with the message in flight; the chunk's next owner sent it again. */
    NODE_DIED("node-died"),
    /**
     * The relay connection was lost (or no final reply came in time) after the message's content went out, so the
     * relay may have accepted it; the message was then sent again, or finally recorded FAILED though it may have arrived.
     */
    RELAY_CONNECTION_LOST("relay-connection-lost");

    private final String label;

    UncertainCause(String label) {
        this.label = label;
    }

    /** The stored and displayed name, such as {@code relay-connection-lost}. */
    public String label() {
        return label;
    }

    public static UncertainCause ofLabel(String label) {
        for (UncertainCause cause : values()) {
            if (cause.label.equals(label)) {
                return cause;
            }
        }
        throw new IllegalArgumentException("unknown uncertain cause: " + label);
    }
}
