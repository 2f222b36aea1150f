package com.diotec360.lattice.operator.api.v1alpha1;

/** When the kubelet pulls the node image. */
public enum ImagePullPolicy {
  Always,
  IfNotPresent,
  Never
}
