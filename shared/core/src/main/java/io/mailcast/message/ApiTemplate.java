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
 * "data": {...}}): a subject and a text and/or HTML body in Mustache, HTML values escaped. Compiled once, when made.
 *
 * <p>Rendering is strict, unlike a campaign's: a placeholder the data has no value for refuses the message instead of
 * sending it with a hole where the reset link should be.
 */
public final class ApiTemplate {

    private static final Mustache.Compiler TEXT = Mustache.compiler().escapeHTML(false);
    private static final Mustache.Compiler HTML = Mustache.compiler().escapeHTML(true);

    private final String name;
    private final String subject;
    private final String text;
    private final String html;
    private final Instant updatedAt;
    private final Template compiledSubject;
    private final Template compiledText;
    private final Template compiledHtml;

    /** @throws IllegalArgumentException naming the template and what is wrong with it */
    public ApiTemplate(String name, String subject, String text, String html, Instant updatedAt) {
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
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
        this.name = name;
        this.subject = subject;
        this.text = text;
        this.html = html;
        this.compiledSubject = compile(TEXT, subject, name, "subject");
        this.compiledText = compile(TEXT, text, name, "text body");
        this.compiledHtml = compile(HTML, html, name, "HTML body");
    }

    public String name() {
        return name;
    }

    public String subject() {
        return subject;
    }

    /** The text body's source, {@code null} when the template has none. */
    public String text() {
        return text;
    }

    /** The HTML body's source, {@code null} when the template has none. */
    public String html() {
        return html;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    /** Subject, text and HTML rendered with {@code data}; throws naming the first placeholder the data lacks. */
    public Rendered render(Map<String, Object> data) {
        return new Rendered(execute(compiledSubject, "subject", data).strip(), execute(compiledText, "text body", data),
                execute(compiledHtml, "HTML body", data));
    }

    /** @param text {@code null} when the template has no text body; likewise {@code html} */
    public record Rendered(String subject, String text, String html) {
    }

    private String execute(Template template, String what, Map<String, Object> data) {
        if (template == null) {
            return null;
        }
        try {
            return template.execute(data);
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
