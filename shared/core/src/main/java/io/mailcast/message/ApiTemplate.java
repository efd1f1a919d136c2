package io.mailcast.message;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import io.mailcast.render.MustacheTemplates;
import io.mailcast.render.TemplateException;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A named template that applications send through the API with their own data ({@code "template": "password-reset",
 * "data": {...}}): a subject and a text and/or HTML body in Mustache, HTML values escaped.
 *
 * <p>Rendering is strict, unlike a campaign's: a placeholder the data has no value for refuses the message instead of
 * sending it with a hole where the reset link should be.
 */
public record ApiTemplate(String name, String subject, String text, String html, Instant updatedAt) {

    private static final Mustache.Compiler TEXT = Mustache.compiler().escapeHTML(false);
    private static final Mustache.Compiler HTML = Mustache.compiler().escapeHTML(true);

    public ApiTemplate {
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("template name '" + name + "' must be 1 to 64 lower-case letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit");
        }
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("template '" + name + "' needs a subject");
        }
        if (text == null && html == null) {
            throw new IllegalArgumentException("template '" + name + "' needs a text or an HTML body");
        }
        compile(TEXT, subject, name, "subject");
        compile(TEXT, text, name, "text body");
        compile(HTML, html, name, "HTML body");
    }

    /** Subject, text and HTML rendered with {@code data}; throws naming the first placeholder the data lacks. */
    public Rendered render(Map<String, Object> data) {
        return new Rendered(execute(TEXT, subject, "subject", data).strip(), execute(TEXT, text, "text body", data),
                execute(HTML, html, "HTML body", data));
    }

    /** @param text {@code null} when the template has no text body; likewise {@code html} */
    public record Rendered(String subject, String text, String html) {
    }

    private String execute(Mustache.Compiler compiler, String source, String what, Map<String, Object> data) {
        if (source == null) {
            return null;
        }
        try {
            return compile(compiler, source, name, what).execute(data);
        } catch (MustacheException e) {
            throw new InvalidMessageException("data", "template '" + name + "', " + what + ": " + e.getMessage()
                    + "; give that value in data");
        }
    }

    private static Template compile(Mustache.Compiler compiler, String source, String name, String what) {
        if (source == null) {
            return null;
        }
        try {
            return MustacheTemplates.compile(compiler, source, what + " of template '" + name + "'");
        } catch (TemplateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
