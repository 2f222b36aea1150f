package com.diotec360.lattice.node.mode;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The operator-chosen sync mode setting: {@code auto} (P2P with HTTP fallback), or a forced mode. */
public enum ModeSetting {
    AUTO, P2P, HTTP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ModeSetting> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (ModeSetting m : values()) {
            if (m.wireName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public static String validNames() {
        return Arrays.stream(values()).map(ModeSetting::wireName).collect(Collectors.joining(", "));
    }
}
