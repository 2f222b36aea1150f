package com.diotec360.lattice.node.config;

import java.util.List;

/** Thrown at start when the environment holds invalid settings; carries one message per problem. */
public final class InvalidConfigException extends RuntimeException {
    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
