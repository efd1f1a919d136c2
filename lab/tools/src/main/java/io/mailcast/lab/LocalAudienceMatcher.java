package io.mailcast.lab;

import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.QueryMatcher;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Evaluates an audience filter in this process with mongo-java-server's own matcher: the same semantics that server
 * applies, used only against that server (see {@link EmbeddedSubscriberSource}).
 */
final class LocalAudienceMatcher {

    private final QueryMatcher matcher = new DefaultQueryMatcher();
    private final de.bwaldvogel.mongo.bson.Document filter;

    LocalAudienceMatcher(Document filter) {
        this.filter = convert(filter);
    }

    boolean matches(Document document) {
        return matcher.matches(convert(document), filter);
    }

    private static de.bwaldvogel.mongo.bson.Document convert(Map<String, Object> source) {
        de.bwaldvogel.mongo.bson.Document target = new de.bwaldvogel.mongo.bson.Document();
        source.forEach((k, v) -> target.put(k, value(v)));
        return target;
    }

    @SuppressWarnings("unchecked")
    private static Object value(Object v) {
        if (v instanceof Map<?, ?> map) {
            return convert((Map<String, Object>) map);
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(item -> out.add(value(item)));
            return out;
        }
        if (v instanceof Date date) {
            return date.toInstant();
        }
        // The driver's BSON types mean nothing to that server's comparator ("can't sort class ...ObjectId").
        if (v instanceof org.bson.types.ObjectId id) {
            return new de.bwaldvogel.mongo.bson.ObjectId(id.toByteArray());
        }
        if (v instanceof org.bson.types.Decimal128 d) {
            return new de.bwaldvogel.mongo.bson.Decimal128(d.getLow(), d.getHigh());
        }
        return v;
    }
}
