package com.diotec360.lattice.embedded.admission;

/**
 * One cause of a 422 Invalid, as the API server lists it in {@code details.causes}: e.g. reason
 * {@code FieldValueInvalid}, message {@code Invalid value: "object": <rule message>}, field
 * {@code spec.sync}.
 */
public record FieldCause(String reason, String message, String field) {

  /** The line the API server puts into the Status message: {@code field: message}. */
  public String line() {
    return field + ": " + message;
  }
}
