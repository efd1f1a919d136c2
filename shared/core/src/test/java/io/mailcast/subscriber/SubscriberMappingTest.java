package io.mailcast.subscriber;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

class SubscriberMappingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "     | subscribers  | email        | name | database name",
            "a/b  | subscribers  | email        | name | database name",
            "app  | system.users | email        | name | collection name",
            "app  | $cmd         | email        | name | collection name",
            "app  | people       | $where       | name | e-mail field",
            "app  | people       | contact..e   | name | e-mail field",
            "app  | people       | .email       | name | e-mail field",
            "app  | people       | email        | a$b  | name field"})
    void namesMongoDbWouldRefuseAreRefusedNamingWhichOne(String database, String collection, String email, String name,
                                                          String problem) {
        String db = database == null ? "" : database;
        assertThatThrownBy(() -> new SubscriberMapping(db, collection, email, name, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(problem);
    }

    @ParameterizedTest
    @CsvSource({"address.city", "$x", "''"})
    void templateFieldsAreTopLevelNames(String field) {
        assertThatThrownBy(() -> new SubscriberMapping(null, "people", "email", null, List.of(field)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("template field");
    }

    @ParameterizedTest
    @CsvSource({"contact.email", "e-mail", "E Mail"})
    void ordinaryPathsPass(String field) {
        assertThatCode(() -> new SubscriberMapping("app_1", "people.v2", field, "profile.name", List.of("plan", "city")))
                .doesNotThrowAnyException();
    }
}
