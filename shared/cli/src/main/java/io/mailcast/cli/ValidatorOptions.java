package io.mailcast.cli;

import io.mailcast.http.validation.ApiKeySource;
import io.mailcast.http.validation.HttpValidator;
import io.mailcast.http.validation.HttpValidatorConfig;
import io.mailcast.time.Sleeper;
import io.mailcast.validation.BudgetLimits;
import io.mailcast.validation.Money;
import io.mailcast.validation.SimulatedValidator;
import io.mailcast.validation.SimulatedValidatorConfig;
import io.mailcast.validation.ValidationPolicy;
import io.mailcast.validation.Validator;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

/**
 * Which paid validator to use and what it may spend; every value is checked before anything is called. Shared by
 * {@code coordinator validate} and the node, which runs the cluster's validation jobs.
 */
public final class ValidatorOptions {

    @Option(names = "--validator", defaultValue = "${env:MAILCAST_VALIDATOR}",
            description = "simulated or http [MAILCAST_VALIDATOR] (default: simulated; a node runs validation jobs only with it)")
    String kind;

    @Option(names = "--price", defaultValue = "0.004", description = "Price per call (default: ${DEFAULT-VALUE})")
    String price;

    @Option(names = "--calls-per-day", description = "Paid calls per UTC day, for the whole cluster (default: no limit)")
    Long callsPerDay;

    @Option(names = "--money-per-day", description = "Money per UTC day, for the whole cluster (default: no limit)")
    String moneyPerDay;

    @Option(names = "--valid-days", defaultValue = "30",
            description = "Days a VALID or UNKNOWN verdict is trusted (default: ${DEFAULT-VALUE})")
    int validDays;

    @Option(names = "--invalid-days", defaultValue = "180",
            description = "Days an INVALID verdict is trusted (default: ${DEFAULT-VALUE})")
    int invalidDays;

    @Option(names = "--sim-min-latency", defaultValue = "PT1S", description = "Simulated: shortest call (default: ${DEFAULT-VALUE})")
    Duration simMinLatency;

    @Option(names = "--sim-max-latency", defaultValue = "PT60S", description = "Simulated: longest call (default: ${DEFAULT-VALUE})")
    Duration simMaxLatency;

    @Option(names = "--sim-invalid-rate", defaultValue = "0.05", description = "Simulated: share INVALID (default: ${DEFAULT-VALUE})")
    double simInvalidRate;

    @Option(names = "--sim-unknown-rate", defaultValue = "0.01", description = "Simulated: share UNKNOWN (default: ${DEFAULT-VALUE})")
    double simUnknownRate;

    @Option(names = "--sim-error-rate", defaultValue = "0.01", description = "Simulated: share of calls failing (default: ${DEFAULT-VALUE})")
    double simErrorRate;

    @Option(names = "--sim-seed", defaultValue = "4", description = "Simulated: seed of verdicts and latencies (default: ${DEFAULT-VALUE})")
    long simSeed;

    @Option(names = "--http-endpoint", description = "HTTP: the service's URL; the address is added as a query parameter")
    URI httpEndpoint;

    @Option(names = "--http-address-param", defaultValue = "email", description = "HTTP: query parameter for the address (default: ${DEFAULT-VALUE})")
    String httpAddressParam;

    @Option(names = "--http-verdict-field", defaultValue = "result",
            description = "HTTP: answer field with the verdict, a name or a JSON pointer such as /data/status (default: ${DEFAULT-VALUE})")
    String httpVerdictField;

    @Option(names = "--http-valid-values", defaultValue = "valid,deliverable",
            description = "HTTP: comma-separated values meaning VALID (default: ${DEFAULT-VALUE})")
    String httpValidValues;

    @Option(names = "--http-invalid-values", defaultValue = "invalid,undeliverable",
            description = "HTTP: comma-separated values meaning INVALID; others mean UNKNOWN (default: ${DEFAULT-VALUE})")
    String httpInvalidValues;

    @Option(names = "--http-timeout", defaultValue = "PT90S", description = "HTTP: timeout per call (default: ${DEFAULT-VALUE})")
    Duration httpTimeout;

    @Option(names = "--http-key-header", defaultValue = "X-Api-Key", description = "HTTP: header carrying the API key (default: ${DEFAULT-VALUE})")
    String httpKeyHeader;

    @Option(names = "--http-key-env", description = "HTTP: environment variable holding the API key")
    String httpKeyEnv;

    @Option(names = "--http-key-file", description = "HTTP: file holding the API key")
    Path httpKeyFile;

    /** @throws IllegalArgumentException naming the option at fault */
    public Validator validator(Sleeper sleeper) {
        long priceMicros = Money.parseMicros("--price", price);
        return switch (kind()) {
            case "simulated" -> new SimulatedValidator(new SimulatedValidatorConfig(simMinLatency, simMaxLatency,
                    simInvalidRate, simUnknownRate, simErrorRate, priceMicros, simSeed), sleeper);
            case "http" -> {
                if (httpEndpoint == null) {
                    throw new IllegalArgumentException("--validator http needs --http-endpoint URL");
                }
                yield new HttpValidator(new HttpValidatorConfig(httpEndpoint, httpAddressParam, httpVerdictField,
                        values(httpValidValues), values(httpInvalidValues), httpTimeout, httpKeyHeader,
                        ApiKeySource.read(httpKeyEnv, httpKeyFile, System.getenv()), priceMicros));
            }
            default -> throw new IllegalArgumentException("--validator must be simulated or http, got " + kind);
        };
    }

    public ValidationPolicy policy(Duration longestCall) {
        if (validDays < 1 || invalidDays < 1) {
            throw new IllegalArgumentException("--valid-days and --invalid-days must be at least 1");
        }
        BudgetLimits limits = new BudgetLimits(callsPerDay == null ? Long.MAX_VALUE : callsPerDay,
                moneyPerDay == null ? Long.MAX_VALUE : Money.parseMicros("--money-per-day", moneyPerDay));
        ValidationPolicy d = ValidationPolicy.DEFAULTS;
        // The lease outlives the slowest call and every back-off, or a second holder would pay for the same address.
        Duration lease = longestCall.multipliedBy(2).plus(d.retryBackoff().multipliedBy(1L << d.maxAttempts()));
        return new ValidationPolicy(Duration.ofDays(validDays), Duration.ofDays(invalidDays), lease, d.maxAttempts(),
                d.retryBackoff(), d.poll(), limits);
    }

    public Duration longestCall() {
        return "http".equals(kind) ? httpTimeout : simMaxLatency;
    }

    /** Whether {@code --validator} was given: a node runs validation jobs only then, never with a default. */
    public boolean chosen() {
        return kind != null;
    }

    private String kind() {
        return kind == null ? "simulated" : kind;
    }

    private static Set<String> values(String commaSeparated) {
        return Set.copyOf(Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }
}
