package io.mailcast.quota;

/**
 * What a relay has used of one window's quota.
 *
 * @param cap the cap the last node that took units had for the window (nodes should agree; the guard uses each one's)
 */
public record QuotaUse(String relay, QuotaWindow window, long used, long cap) {
}
