package io.mailcast.message;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiTemplateTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void rendersNestedDataAndEscapesOnlyTheHtmlBody() {
        var template = new ApiTemplate("receipt", "Order {{order.id}}", "Hi {{name}}: {{#items}}{{.}};{{/items}}",
                "<p>Hi {{name}}</p>", NOW);

        ApiTemplate.Rendered r = template.render(Map.of("name", "Ann <ann@x>", "order", Map.of("id", 42),
                "items", List.of("tea", "cake")));

        assertThat(r.subject()).isEqualTo("Order 42");
        assertThat(r.text()).isEqualTo("Hi Ann <ann@x>: tea;cake;");
        assertThat(r.html()).isEqualTo("<p>Hi Ann &lt;ann@x&gt;</p>");
    }

    @Test
    void aPlaceholderWithoutDataRefusesTheMessageNamingIt() {
        var template = new ApiTemplate("reset", "Reset", "Click {{resetUrl}}", null, NOW);

        assertThatThrownBy(() -> template.render(Map.of("name", "Ann")))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("template 'reset', text body").hasMessageContaining("resetUrl")
                .hasMessageEndingWith("; give that value in data");
    }

    @Test
    void aTemplateIsCheckedWhenItIsMade() {
        assertThatThrownBy(() -> new ApiTemplate("Bad Name", "s", "t", null, NOW)).hasMessageContaining("lower-case");
        assertThatThrownBy(() -> new ApiTemplate("x", " ", "t", null, NOW)).hasMessageContaining("needs a subject");
        assertThatThrownBy(() -> new ApiTemplate("x", "s", null, null, NOW)).hasMessageContaining("text or an HTML body");
        assertThatThrownBy(() -> new ApiTemplate("x", "s", "{{#open}}", null, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text body of template 'x'");
        assertThatThrownBy(() -> new ApiTemplate("x", "s", "{{>partial}}", null, NOW)).hasMessageContaining("partial");
    }
}
