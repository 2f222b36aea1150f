package com.diotec360.lattice.embedded.patch;

/** A patch that cannot be applied to the stored object: the API server answers 422 Invalid. */
public final class PatchException extends Exception {

  public PatchException(String message) {
    super(message);
  }
}
