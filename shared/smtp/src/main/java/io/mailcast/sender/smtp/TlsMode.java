package io.mailcast.sender.smtp;

/** How the connection to the relay is encrypted. */
public enum TlsMode {
    /** Plain text; only for relays on a trusted network (or tests). */
    NONE,
    /** Plain connect, then STARTTLS; the relay must offer it, otherwise sending fails (usually port 587 or 25). */
    STARTTLS,
    /** TLS from the first byte, "implicit TLS" (usually port 465). */
    TLS
}
