package com.diotec360.lattice.operator;

public final class LatticeOperator {
  public static void main(String[] args) {}
}
