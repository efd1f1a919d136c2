package io.mailcast.store;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AudienceFilterTest {

    @Test
    void parsesOneJsonObjectIntoTheQueryDocument() {
        assertThat(AudienceFilter.parse("--audience", " {\"subscribed\": true,\n \"attributes.age\": {\"$gte\": 18}} \n"))
                .isEqualTo(new Document("subscribed", true).append("attributes.age", new Document("$gte", 18)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{not json | --audience is not valid JSON (JSON reader was expecting ':' but found 'json')",
            "`{\"subscribed\": true` | --audience is not valid JSON (JSON reader was expecting a name but found '<eof>')",
            "`{\"subscribed\": true}}` | --audience is not valid JSON (JSON reader was expecting a value but found '}')",
            "`{\"a\": 1} {\"b\": 2}` | --audience has text after the closing '}' of its JSON object",
            "`[{\"a\": 1}]` | --audience must be a JSON object",
            "`` | --audience must be a JSON object",
    })
    void refusesAnythingButOneObjectSayingWhatIsWrongAndWhatToDo(String json, String problem) {
        assertThatThrownBy(() -> AudienceFilter.parse("--audience", json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(problem)
                .hasMessageContaining("{\"subscribed\": true}")
                .hasMessageNotContaining("\n");
    }
}
