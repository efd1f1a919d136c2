package io.mailcast.store;

import io.mailcast.subscriber.SubscriberMapping;
import org.bson.Document;

import java.util.List;

/** A campaign's {@link SubscriberMapping} as stored with it; campaigns stored before it existed read the default. */
final class SubscriberMappings {

    private SubscriberMappings() {
    }

    static Document toDocument(SubscriberMapping m) {
        return new Document("database", m.database()).append("collection", m.collection())
                .append("emailField", m.emailField()).append("nameField", m.nameField()).append("fields", m.fields());
    }

    static SubscriberMapping fromDocument(Document d) {
        if (d == null) {
            return SubscriberMapping.DEFAULT;
        }
        List<String> fields = d.getList("fields", String.class);
        return new SubscriberMapping(d.getString("database"), d.getString("collection"), d.getString("emailField"),
                d.getString("nameField"), fields);
    }
}
