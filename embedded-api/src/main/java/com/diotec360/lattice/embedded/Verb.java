package com.diotec360.lattice.embedded;

/** A write verb as the API server's audit log would name it (status writes apart). */
public enum Verb {
  CREATE,
  UPDATE,
  PATCH,
  UPDATE_STATUS,
  PATCH_STATUS,
  DELETE
}
