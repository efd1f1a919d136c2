package io.mailcast.store;

import org.bson.BsonInvalidOperationException;
import org.bson.BsonType;
import org.bson.Document;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;
import org.bson.json.JsonParseException;
import org.bson.json.JsonReader;

/** An audience's extended JSON as the MongoDB query document it stands for. */
public final class AudienceFilter {

    private static final String EXAMPLE = "{\"subscribed\": true}";

    private AudienceFilter() {
    }

    /**
     * Parses exactly one JSON object: unlike {@link Document#parse}, text after its closing brace (a stray brace, a
     * second object) is an error rather than silently dropped.
     *
     * @param field how the caller names the filter in the message, e.g. {@code --audience}
     * @throws IllegalArgumentException saying what is wrong, without repeating the text (it may span lines)
     */
    public static Document parse(String field, String json) {
        try (JsonReader reader = new JsonReader(json)) {
            if (reader.readBsonType() != BsonType.DOCUMENT) {
                throw new IllegalArgumentException(field + " must be a JSON object such as " + EXAMPLE);
            }
            Document filter = new DocumentCodec().decode(reader, DecoderContext.builder().build());
            if (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
                throw new IllegalArgumentException(field + " has text after the closing '}' of its JSON object; "
                        + "remove it, or combine the conditions in one object such as " + EXAMPLE);
            }
            return filter;
        } catch (JsonParseException | BsonInvalidOperationException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceFirst("\\.$", "");
            throw new IllegalArgumentException(field + " is not valid JSON (" + reason.replaceAll("\\s+", " ")
                    + "); give a MongoDB filter document such as " + EXAMPLE, e);
        }
    }
}
