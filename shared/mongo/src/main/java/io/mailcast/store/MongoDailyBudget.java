package io.mailcast.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.mailcast.validation.BudgetLimits;
import io.mailcast.validation.DailyBudget;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.LocalDate;

/**
 * One document per UTC day ({@code _id} {@code 2026-12-02}) in {@code validation_budget}, charged with a conditional
 * {@code $inc}: the filter holds the limits, so two nodes can never both take the last call.
 */
public final class MongoDailyBudget implements DailyBudget {

    private final MongoCollection<Document> days;

    public MongoDailyBudget(MongoConnection mongo) {
        this.days = mongo.database().getCollection(Collections.VALIDATION_BUDGET);
    }

    @Override
    public boolean trySpend(LocalDate day, long priceMicros, BudgetLimits limits) {
        Bson within = Filters.and(Filters.eq("_id", day.toString()), Filters.lt("calls", limits.callsPerDay()),
                Filters.lte("micros", limits.microsPerDay() - priceMicros));
        Bson charge = Updates.combine(Updates.inc("calls", 1L), Updates.inc("micros", priceMicros));
        try {
            // The day's first call inserts its document; a spent day fails the insert on the unique _id.
            days.updateOne(within, charge, new UpdateOptions().upsert(true));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        // Either spent, or another node inserted the day's document first: once more, without inserting.
        if (days.updateOne(within, charge).getModifiedCount() == 1) {
            return true;
        }
        // Marked for status: "budget spent, waiting until the next day".
        days.updateOne(Filters.eq("_id", day.toString()), Updates.set("refused", true));
        return false;
    }

    @Override
    public Spent spent(LocalDate day) {
        Document d = days.find(Filters.eq("_id", day.toString())).first();
        if (d == null) {
            return new Spent(0, 0);
        }
        return new Spent(number(d.get("calls")), number(d.get("micros")), Boolean.TRUE.equals(d.getBoolean("refused")));
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
