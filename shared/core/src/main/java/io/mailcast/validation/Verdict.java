package io.mailcast.validation;

/** What a paid validator says about one address. */
public enum Verdict {
    /** The mailbox exists and accepts mail. */
    VALID,
    /** The mailbox does not exist or never accepts mail. */
    INVALID,
    /** The validator answered but could not tell (a catch-all domain, a greylisting server). Not mailable. */
    UNKNOWN
}
