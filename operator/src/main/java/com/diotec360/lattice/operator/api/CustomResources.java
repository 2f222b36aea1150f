package com.diotec360.lattice.operator.api;

import java.util.List;

/**
 * The operator's CRDs, as the fabric8 generator writes them into the jar at build time and as
 * {@code crds/} and the operator chart's {@code crds/} carry them: everything that installs the
 * API (tests, the local lattice, scripts) takes the list from here.
 */
public final class CustomResources {

  /** File names of the generated CRDs, LatticeNode first. */
  public static final List<String> FILES =
      List.of("latticenodes.lattice.diotec360.com-v1.yml", "lattices.lattice.diotec360.com-v1.yml");

  /** Where the generator puts them, on the classpath (no leading slash). */
  public static final String FOLDER = "META-INF/fabric8/";

  /** The classpath resources of every CRD. */
  public static final List<String> RESOURCES = FILES.stream().map(f -> FOLDER + f).toList();

  private CustomResources() {}
}
