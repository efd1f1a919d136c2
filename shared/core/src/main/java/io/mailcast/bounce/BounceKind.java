package io.mailcast.bounce;

/** What a report sent to the bounce address says about a message. */
public enum BounceKind {
    /** Refused for good (a 5.x.x status): the address is suppressed at once. */
    HARD,
    /** Given up after temporary failures (a 4.x.x status): suppressed only when it keeps happening. */
    SOFT,
    /** The recipient reported the message as spam (an ARF feedback report). */
    COMPLAINT
}
