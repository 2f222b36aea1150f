package com.diotec360.lattice.realapi.conformance;

/**
 * One API behaviour the suite runs on both servers: {@code id} names it in the difference table
 * and in the accepted differences ({@link AcceptedDifferences}), {@code what} says it in words.
 */
record Behaviour(String id, String what, Probe probe) {

  /** Runs the behaviour on one server and says what it saw. */
  interface Probe {
    Observation on(Target target) throws Exception;
  }

  String area() {
    return id.substring(0, id.indexOf('.'));
  }

  @Override
  public String toString() {
    return id;
  }
}
