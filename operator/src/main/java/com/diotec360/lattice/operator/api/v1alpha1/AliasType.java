package com.diotec360.lattice.operator.api.v1alpha1;

/** The kind of DNS record an alias stands for. */
public enum AliasType {
  CNAME,
  A
}
