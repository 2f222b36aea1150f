package com.diotec360.lattice.kubectl;

/** Something the command could not do: unknown node, no such lattice, no permission (exit 1). */
final class CommandException extends RuntimeException {
  CommandException(String message) {
    super(message);
  }
}
