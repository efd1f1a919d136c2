package io.mailcast.validation;

import java.math.BigDecimal;

/** Amounts in millionths of the currency unit: exact sums with an atomic integer increment in the store. */
public final class Money {

    private Money() {
    }

    /**
     * Parses a decimal amount such as {@code 0.004}.
     *
     * @throws IllegalArgumentException when it is not a non-negative number with at most six decimals
     */
    public static long parseMicros(String what, String amount) {
        try {
            BigDecimal value = new BigDecimal(amount.strip());
            if (value.signum() < 0) {
                throw new IllegalArgumentException(what + " must not be negative, got " + amount);
            }
            return value.movePointRight(6).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(what + " must be an amount such as 0.004 with at most six decimals, got "
                    + amount);
        }
    }

    public static String format(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }
}
