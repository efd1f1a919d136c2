package io.mailcast.validation;

/** A paid address check. Each call to {@link #check} costs {@link #priceMicros()}, whatever it returns. */
public interface Validator {

    /** Recorded with each verdict, so a cache entry says who decided it. */
    String name();

    /** Price of one call in millionths of the currency unit. */
    long priceMicros();

    /**
     * Checks one normalised address; may take up to a minute.
     *
     * @throws ValidatorException when no verdict came back; the caller may retry
     */
    Verdict check(String address) throws ValidatorException, InterruptedException;
}
