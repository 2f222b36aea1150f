package com.diotec360.lattice.operator.config;

import java.util.List;

/** The operator's configuration has problems; each one says what is wrong and how to fix it. */
public class InvalidConfigException extends RuntimeException {

  private final List<String> problems;

  public InvalidConfigException(List<String> problems) {
    super("invalid operator configuration:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
