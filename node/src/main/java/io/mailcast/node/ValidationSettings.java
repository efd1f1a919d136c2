package io.mailcast.node;

import io.mailcast.validation.Money;
import io.mailcast.validation.ValidationPolicy;
import io.mailcast.validation.Validator;

import java.util.Objects;

/**
 * How a node runs the cluster's validation jobs.
 *
 * @param nodeConcurrency    paid checks in flight on this node at most
 * @param clusterConcurrency paid checks in flight in the whole cluster at most (each node takes its share);
 *                           {@link Integer#MAX_VALUE} for no cluster limit
 */
public record ValidationSettings(Validator validator, ValidationPolicy policy, int nodeConcurrency,
                                 int clusterConcurrency) {

    public ValidationSettings {
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(policy, "policy");
        if (nodeConcurrency < 1 || nodeConcurrency > 100_000) {
            throw new IllegalArgumentException("--validation-concurrency must be between 1 and 100000, got " + nodeConcurrency);
        }
        if (clusterConcurrency < 1) {
            throw new IllegalArgumentException("--validation-cluster-concurrency must be at least 1, got " + clusterConcurrency);
        }
        policy.limits().requireAffords(validator.priceMicros());
    }

    public String describe() {
        return validator.name() + " concurrency=" + nodeConcurrency
                + (clusterConcurrency == Integer.MAX_VALUE ? "" : " cluster-concurrency=" + clusterConcurrency)
                + " calls-per-day=" + (policy.limits().callsPerDay() == Long.MAX_VALUE ? "no-limit"
                : policy.limits().callsPerDay())
                + " money-per-day=" + (policy.limits().microsPerDay() == Long.MAX_VALUE ? "no-limit"
                : Money.format(policy.limits().microsPerDay()));
    }
}
