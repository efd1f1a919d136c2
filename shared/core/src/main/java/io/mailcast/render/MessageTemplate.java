package io.mailcast.render;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import io.mailcast.campaign.Campaign;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.suppression.UnsubscribeLink;

import java.util.HashMap;
import java.util.Map;

/**
 * A campaign's subject and bodies compiled once, rendered per subscriber. Placeholders see {@code id}, {@code email},
 * {@code name}, {@code attributes.*}, {@code unsubscribeUrl}, the subscriber document's fields (nested ones with
 * dots, {@code {{address.city}}}) and, in a reminder campaign, {@code expiresOn} and {@code daysLeft} (see
 * {@link io.mailcast.reminder.Reminder#values}); a missing field renders as empty text, and a section
 * over an empty or missing field is skipped. HTML output escapes every value.
 */
public final class MessageTemplate {

    // An empty value skips its section, so {{#unsubscribeUrl}}...{{/unsubscribeUrl}} vanishes on a node without links.
    private static final Mustache.Compiler TEXT =
            Mustache.compiler().escapeHTML(false).defaultValue("").emptyStringIsFalse(true);
    private static final Mustache.Compiler HTML =
            Mustache.compiler().escapeHTML(true).defaultValue("").emptyStringIsFalse(true);

    private static Template compile(Mustache.Compiler compiler, String source, String what) {
        return MustacheTemplates.compile(compiler, source, what);
    }

    private final Campaign campaign;
    private final Template subject;
    private final Template text;
    private final Template html;

    private MessageTemplate(Campaign campaign) {
        this.campaign = campaign;
        this.subject = compile(TEXT, campaign.subject(), "subject");
        this.text = campaign.textTemplate() == null ? null : compile(TEXT, campaign.textTemplate(), "text template");
        this.html = campaign.htmlTemplate() == null ? null : compile(HTML, campaign.htmlTemplate(), "HTML template");
    }

    /** Compiles the campaign's templates; throws {@link TemplateException} naming the broken one. */
    public static MessageTemplate of(Campaign campaign) {
        return new MessageTemplate(campaign);
    }

    /** @param unsubscribe the recipient's link: {@code {{unsubscribeUrl}}}, and the headers that carry it */
    public OutgoingMessage render(Subscriber subscriber, UnsubscribeLink unsubscribe) {
        Map<String, Object> context = context(subscriber, unsubscribe.url());
        if (campaign.reminder() != null) {
            context.putAll(campaign.reminder().values(subscriber));
        }
        return new OutgoingMessage(
                campaign.id(),
                subscriber.id(),
                campaign.from(),
                campaign.replyTo(),
                subscriber.email(),
                subscriber.name(),
                subject.execute(context).strip(),
                text == null ? null : text.execute(context),
                html == null ? null : html.execute(context),
                unsubscribe.headers());
    }

    private static Map<String, Object> context(Subscriber s, String unsubscribeUrl) {
        // The document's own fields first: the address, name and link Mailcast resolved win over same-named fields.
        Map<String, Object> context = new HashMap<>(s.fields());
        context.put("unsubscribeUrl", unsubscribeUrl);
        context.put("id", s.id().text());
        context.put("email", s.email());
        context.put("name", s.name());
        context.put("attributes", s.attributes());
        return context;
    }
}
