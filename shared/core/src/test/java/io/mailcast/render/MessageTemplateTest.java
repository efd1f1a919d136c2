package io.mailcast.render;

import io.mailcast.campaign.Campaign;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static io.mailcast.testing.Campaigns.aCampaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageTemplateTest {

    private static final String NASTY = "<script>alert(\"x\")</script> & 'Co'";

    private static Subscriber subscriber(String name, Map<String, Object> attributes) {
        return new Subscriber(7, "ann@example.com", name, true, attributes);
    }

    private static OutgoingMessage render(Campaign campaign, Subscriber s) {
        return MessageTemplate.of(campaign).render(s, Map.of("List-Unsubscribe", "<mailto:u@example.com>"));
    }

    @Test
    void rendersDefaultsPerSubscriber() {
        OutgoingMessage m = render(aCampaign().replyTo("reply@example.com").build(), subscriber("Ann", Map.of()));

        assertThat(m.campaignId()).isEqualTo("c-test");
        assertThat(m.subscriberId()).isEqualTo(SubscriberId.of(7));
        assertThat(m.from()).isEqualTo("News <news@example.com>");
        assertThat(m.replyTo()).isEqualTo("reply@example.com");
        assertThat(m.to()).isEqualTo("ann@example.com");
        assertThat(m.toName()).isEqualTo("Ann");
        assertThat(m.subject()).isEqualTo("Hello Ann");
        assertThat(m.text()).isEqualTo("Hi Ann");
        assertThat(m.html()).isEqualTo("<p>Hi Ann</p>");
        assertThat(m.headers()).containsEntry("List-Unsubscribe", "<mailto:u@example.com>");
    }

    @Test
    void htmlBodyEscapesValues() {
        OutgoingMessage m = render(aCampaign().build(), subscriber(NASTY, Map.of()));

        assertThat(m.html())
                .startsWith("<p>Hi ").endsWith("</p>")
                .doesNotContain("<script>", "\"x\"", "'Co'")
                .contains("&lt;script&gt;", "&amp;", "&quot;x&quot;", "&lt;/script&gt;");
    }

    @Test
    void htmlEscapesAttributesToo() {
        OutgoingMessage m = render(aCampaign().htmlTemplate("<b>{{attributes.city}}</b>").build(),
                subscriber("Ann", Map.of("city", "<i>Lyon</i>")));

        assertThat(m.html()).isEqualTo("<b>&lt;i&gt;Lyon&lt;/i&gt;</b>");
    }

    @Test
    void textBodyAndSubjectKeepValuesVerbatim() {
        OutgoingMessage m = render(aCampaign().build(), subscriber(NASTY, Map.of()));

        assertThat(m.text()).isEqualTo("Hi " + NASTY);
        assertThat(m.subject()).isEqualTo("Hello " + NASTY);
    }

    @Test
    void missingFieldsRenderEmpty() {
        Campaign campaign = aCampaign()
                .subject("Hello {{name}}!")
                .textTemplate("[{{name}}][{{attributes.city}}][{{nosuch}}][{{attributes.plan}}]")
                .htmlTemplate("<p>{{name}}|{{attributes.city}}</p>")
                .build();

        OutgoingMessage m = render(campaign, subscriber(null, null));

        assertThat(m.subject()).isEqualTo("Hello !");
        assertThat(m.text()).isEqualTo("[][][][]");
        assertThat(m.html()).isEqualTo("<p>|</p>");
    }

    @Test
    void subjectIsStrippedAfterRendering() {
        OutgoingMessage m = render(aCampaign().subject("{{name}} news").build(), subscriber(null, Map.of()));

        assertThat(m.subject()).isEqualTo("news");
    }

    @Test
    void attributesAndIdentityFieldsAreVisible() {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("city", "Kraków");
        attributes.put("signupYear", 2019);
        Campaign campaign = aCampaign()
                .textTemplate("{{name}} from {{attributes.city}} since {{attributes.signupYear}} (#{{id}}, {{email}})")
                .build();

        OutgoingMessage m = render(campaign, subscriber("Ann", attributes));

        assertThat(m.text()).isEqualTo("Ann from Kraków since 2019 (#7, ann@example.com)");
    }

    @Test
    void sectionsOverAttributesWork() {
        Campaign campaign = aCampaign().textTemplate("{{#attributes.vip}}VIP {{/attributes.vip}}{{name}}").build();

        assertThat(render(campaign, subscriber("Ann", Map.of("vip", true))).text()).isEqualTo("VIP Ann");
        assertThat(render(campaign, subscriber("Bob", Map.of())).text()).isEqualTo("Bob");
    }

    @Test
    void campaignWithOnlyOneBodyRendersOnlyThatBody() {
        OutgoingMessage textOnly = render(aCampaign().htmlTemplate(null).build(), subscriber("Ann", Map.of()));
        OutgoingMessage htmlOnly = render(aCampaign().textTemplate(null).build(), subscriber("Ann", Map.of()));

        assertThat(textOnly.html()).isNull();
        assertThat(textOnly.text()).isEqualTo("Hi Ann");
        assertThat(htmlOnly.text()).isNull();
        assertThat(htmlOnly.html()).isEqualTo("<p>Hi Ann</p>");
    }

    @Test
    void brokenSubjectIsNamed() {
        assertThatThrownBy(() -> MessageTemplate.of(aCampaign().subject("Hi {{#x}}").build()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("subject")
                .hasMessageNotContaining("text template")
                .hasMessageNotContaining("HTML template")
                .cause().isNotNull();
    }

    @Test
    void brokenTextTemplateIsNamed() {
        assertThatThrownBy(() -> MessageTemplate.of(aCampaign().textTemplate("Hi {{#x}} there").build()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("text template")
                .hasMessageContaining("x");
    }

    @Test
    void brokenHtmlTemplateIsNamed() {
        assertThatThrownBy(() -> MessageTemplate.of(aCampaign().htmlTemplate("<p>{{/y}}</p>").build()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("HTML template");
    }

    /** JMustache keeps these as literal text, which would reach every recipient; the check refuses them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "Hello {{#broken | unterminated tag '{{#broken' at line 1, column 7: close it with }}",
            "Hi {{#name} | unterminated tag '{{#name}' at line 1, column 4: close it with }}",
            "{{name | unterminated tag '{{name' at line 1, column 1: close it with }}",
            "`Hi {{name}},\nsee {{#items}\n{{/items}}` | unterminated tag '{{#items}' at line 2, column 5: close it with }}",
            "Hi {{}} | empty tag {{}} at line 1, column 4: put a name in it",
            "`{{=<% %>=}}Hi <%name%>, <%#x` | unterminated tag '<%#x' at line 1, column 25: close it with %>",
            "{{=<%>=}} | invalid delimiter change '{{=<%>=}}' at line 1, column 1",
    })
    void anUnterminatedOrEmptyTagIsRefusedWithItsLineAndColumn(String source, String problem) {
        String template = source.replace("\\n", "\n");

        assertThatThrownBy(() -> MessageTemplate.of(aCampaign().textTemplate(template).build()))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("the text template has an " + problem)
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> MessageTemplate.of(aCampaign().subject(template).build()))
                .hasMessageStartingWith("the subject has an " + problem);
    }

    @Test
    void whatOnlyLooksLikeATagStillCompiles() {
        Campaign campaign = aCampaign()
                .textTemplate("a }} b {{! a comment with {{ inside }} {{=<% %>=}}{{literal}} <%name%>")
                .htmlTemplate("<style>@media (max-width:600px){.x{color:red}}</style><p>{{{name}}}</p>")
                .build();

        OutgoingMessage m = render(campaign, subscriber("Ann", Map.of()));

        assertThat(m.text()).isEqualTo("a }} b  {{literal}} Ann");
        assertThat(m.html()).isEqualTo("<style>@media (max-width:600px){.x{color:red}}</style><p>Ann</p>");
    }

    /**
     * A partial ({@code {{>footer}}}) compiles but cannot render: no template loader is configured. The submitter
     * relies on {@link MessageTemplate#of} to refuse a broken template early; otherwise every recipient fails at send
     * time with "render failed".
     */
    @Test
    void templateThatCannotRenderIsRefusedWhenCompiled() {
        Campaign campaign = aCampaign().textTemplate("Hi {{name}} {{>footer}}").build();

        assertThatThrownBy(() -> MessageTemplate.of(campaign))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("text template");
    }
}
