package com.diotec360.lattice.operator.api.v1alpha1;

/** Log levels the reference node understands. */
public enum LogLevel {
  DEBUG,
  INFO,
  WARNING,
  ERROR
}
