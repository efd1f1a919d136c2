package io.mailcast.render;

/** A campaign template that does not compile; the message names the template and the problem. */
public final class TemplateException extends RuntimeException {

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
