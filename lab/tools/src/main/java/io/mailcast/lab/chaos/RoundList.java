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

    /** {@code --draw-from}: the kinds random:N draws from; the default set when none are given. */
    static List<ChaosCommand.Kind> kinds(List<String> names) {
        if (names == null || names.isEmpty()) {
            return ChaosCommand.Kind.DRAWN;
        }
        List<ChaosCommand.Kind> kinds = new ArrayList<>();
        for (String raw : names) {
            ChaosCommand.Kind kind = kind(raw.trim().toLowerCase(Locale.ROOT), raw, "--draw-from");
            if (!kinds.contains(kind)) {
                kinds.add(kind);
            }
        }
        return List.copyOf(kinds);
    }

    static List<ChaosCommand.Kind> parse(List<String> names, List<ChaosCommand.Kind> drawn, Random random) {
        List<ChaosCommand.Kind> rounds = new ArrayList<>();
        for (String raw : names) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.startsWith(RANDOM)) {
                int n = count(name.substring(RANDOM.length()), raw);
                for (int i = 0; i < n; i++) {
                    rounds.add(drawn.get(random.nextInt(drawn.size())));
                }
            } else {
                rounds.add(kind(name, raw, "--rounds"));
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

    private static ChaosCommand.Kind kind(String name, String raw, String flag) {
        try {
            return ChaosCommand.Kind.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": unknown round '" + raw + "'; use "
                    + Arrays.toString(ChaosCommand.Kind.values()) + " or random:N");
        }
    }
}
