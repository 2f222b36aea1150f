package com.diotec360.lattice.embedded.patch;

/**
 * A patch that cannot be applied to the stored object: the API server answers 422 Invalid, or
 * 400 BadRequest for a malformed strategic merge patch directive (as kube-apiserver's
 * {@code interpretStrategicMergePatchError} does).
 */
public final class PatchException extends Exception {

  private final int code;

  public PatchException(String message) {
    this(message, 422);
  }

  public PatchException(String message, int code) {
    super(message);
    this.code = code;
  }

  /** The HTTP status the API server answers with: 422 or 400. */
  public int code() {
    return code;
  }
}
