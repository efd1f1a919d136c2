package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import io.mailcast.message.ApiTemplate;
import io.mailcast.message.ApiTemplateStore;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/** The send API's templates in {@code templates}, one document per name ({@code _id}). */
public final class MongoApiTemplateStore implements ApiTemplateStore {

    private final MongoCollection<Document> templates;

    public MongoApiTemplateStore(MongoConnection mongo) {
        this.templates = mongo.database().getCollection(Collections.TEMPLATES);
    }

    @Override
    public Optional<ApiTemplate> find(String name) {
        return Optional.ofNullable(templates.find(Filters.eq("_id", name)).first()).map(MongoApiTemplateStore::fromDocument);
    }

    @Override
    public void put(ApiTemplate template) {
        templates.replaceOne(Filters.eq("_id", template.name()), new Document("_id", template.name())
                        .append("subject", template.subject()).append("text", template.text()).append("html", template.html())
                        .append("updatedAt", Date.from(template.updatedAt())),
                new ReplaceOptions().upsert(true));
    }

    @Override
    public List<ApiTemplate> list() {
        List<ApiTemplate> all = new ArrayList<>();
        templates.find().sort(Sorts.ascending("_id")).forEach(d -> all.add(fromDocument(d)));
        return all;
    }

    @Override
    public boolean remove(String name) {
        return templates.deleteOne(Filters.eq("_id", name)).getDeletedCount() > 0;
    }

    private static ApiTemplate fromDocument(Document d) {
        return new ApiTemplate(d.getString("_id"), d.getString("subject"), d.getString("text"), d.getString("html"),
                d.getDate("updatedAt").toInstant());
    }
}
