package io.mailcast.validation.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Validation jobs, durable: the nodes' supervisor finds the open ones here after any restart. */
public interface ValidationJobStore {

    /** Stores a new job, open; false when a job with this id exists already (the order was given before). */
    boolean create(ValidationJob job);

    Optional<ValidationJob> find(String id);

    /** Jobs not finished yet. */
    List<ValidationJob> open();

    /** Marks the job finished with its totals; false when it was finished already. */
    boolean finish(String id, ValidationTally totals, Instant at);

    /** When the job finished, or empty while it is open or unknown. */
    Optional<Instant> finishedAt(String id);
}
