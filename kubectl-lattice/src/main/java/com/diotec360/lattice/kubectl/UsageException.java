package com.diotec360.lattice.kubectl;

/** A mistake on the command line; the message says which (exit code 2). */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
