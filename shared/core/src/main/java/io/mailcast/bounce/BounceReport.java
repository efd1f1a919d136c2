package io.mailcast.bounce;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One report from the bounce address, read from a DSN (RFC 3464) or an ARF report (RFC 5965).
 *
 * @param status     the DSN status code ({@code 5.1.1}), or the ARF feedback type ({@code abuse})
 * @param diagnostic the remote server's reply, {@code null} when the report gives none; at most {@value #MAX_TEXT}
 *                   characters, no control characters
 */
public record BounceReport(BounceKind kind, String status, String diagnostic) {

    public static final int MAX_TEXT = 300;

    private static final Pattern STATUS = Pattern.compile("([245])\\.\\d{1,3}\\.\\d{1,3}");

    public BounceReport {
        Objects.requireNonNull(kind, "kind");
        status = clean(Objects.requireNonNull(status, "status"));
        diagnostic = diagnostic == null ? null : clean(diagnostic);
    }

    /**
     * A recipient block of a DSN: only {@code Action: failed} is a bounce ({@code delayed}, {@code delivered},
     * {@code relayed} and {@code expanded} are news, not failures); its class decides hard (5) or soft (4).
     */
    public static Optional<BounceReport> ofDeliveryStatus(String action, String status, String diagnostic) {
        if (action == null || status == null || !action.strip().equalsIgnoreCase("failed")) {
            return Optional.empty();
        }
        // A status may carry a comment after the code ("5.1.1 (user unknown)").
        String code = status.strip().split("[\\s(]", 2)[0];
        if (!STATUS.matcher(code).matches()) {
            return Optional.empty();
        }
        return switch (code.charAt(0)) {
            case '5' -> Optional.of(new BounceReport(BounceKind.HARD, code, diagnostic));
            case '4' -> Optional.of(new BounceReport(BounceKind.SOFT, code, diagnostic));
            default -> Optional.empty(); // 2.x.x: delivered after all
        };
    }

    /** An ARF report: every feedback type but {@code not-spam} is a complaint against the message. */
    public static Optional<BounceReport> ofFeedback(String feedbackType, String userAgent) {
        if (feedbackType == null || feedbackType.isBlank()) {
            return Optional.empty();
        }
        String type = feedbackType.strip().toLowerCase(Locale.ROOT);
        return type.equals("not-spam") ? Optional.empty()
                : Optional.of(new BounceReport(BounceKind.COMPLAINT, type, userAgent));
    }

    /** For the suppression list: what showed it, in one line. */
    public String evidence() {
        return (kind == BounceKind.COMPLAINT ? "feedback-type " : "status ") + status
                + (diagnostic == null ? "" : "; " + diagnostic);
    }

    private static String clean(String text) {
        String flat = text.replaceAll("[\\p{Cntrl}]+", " ").strip();
        return flat.length() <= MAX_TEXT ? flat : flat.substring(0, MAX_TEXT);
    }
}
