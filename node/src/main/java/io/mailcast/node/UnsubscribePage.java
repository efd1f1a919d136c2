package io.mailcast.node;

/**
 * The small HTML pages of the unsubscribe endpoint. Self-contained (no scripts, no external resources), so the content
 * security policy can forbid everything but inline style and a form posting back to the same URL.
 */
final class UnsubscribePage {

    private UnsubscribePage() {
    }

    /** The page a GET shows: it unsubscribes nobody (mail scanners follow links), its button posts the one-click form. */
    static String confirm(String address) {
        return page("Unsubscribe", "<p>Stop e-mails to <strong>" + escape(address) + "</strong>?</p>"
                // No action: the form posts to this very URL, token included, whatever path a proxy put in front.
                + "<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                + "<button type=\"submit\" id=\"unsubscribe\">Unsubscribe</button></form>");
    }

    static String done(String address) {
        return page("Unsubscribed", "<p id=\"done\"><strong>" + escape(address) + "</strong> will get no more e-mails "
                + "from us.</p>");
    }

    static String problem(String title, String explanation) {
        return page(title, "<p>" + escape(explanation) + "</p>");
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + escape(title)
                + "</title><style>body{font-family:sans-serif;max-width:32em;margin:3em auto;padding:0 1em}"
                + "button{font-size:1.1em;padding:.5em 1.5em}</style></head><body><h1>" + escape(title) + "</h1>"
                + body + "</body></html>\n";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
