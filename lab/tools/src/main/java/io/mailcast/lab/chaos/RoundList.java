package io.mailcast.lab.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** {@code --rounds}: names of rounds in order, where {@code random:N} stands for N rounds drawn from the seed. */
final class RoundList {

    private static final String RANDOM = "random:";

    private RoundList() {
    }

    static List<ChaosCommand.Kind> parse(List<String> names, Random random) {
        List<ChaosCommand.Kind> rounds = new ArrayList<>();
        for (String raw : names) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.startsWith(RANDOM)) {
                int n = count(name.substring(RANDOM.length()), raw);
                for (int i = 0; i < n; i++) {
                    rounds.add(ChaosCommand.Kind.DRAWN.get(random.nextInt(ChaosCommand.Kind.DRAWN.size())));
                }
            } else {
                rounds.add(kind(name, raw));
            }
        }
        return rounds;
    }

    private static int count(String digits, String raw) {
        try {
            int n = Integer.parseInt(digits);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--rounds: '" + raw + "' needs a count of at least 1, e.g. random:30");
    }

    private static ChaosCommand.Kind kind(String name, String raw) {
        try {
            return ChaosCommand.Kind.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--rounds: unknown round '" + raw + "'; use "
                    + Arrays.toString(ChaosCommand.Kind.values()) + " or random:N");
        }
    }
}
