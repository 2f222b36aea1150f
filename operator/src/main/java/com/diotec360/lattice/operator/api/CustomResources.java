package com.diotec360.lattice.operator.api;

import java.util.List;

/**
 * The operator's CRDs, as the fabric8 generator writes them into the jar at build time and as
 * {@code crds/} and the operator chart's {@code crds/} carry them: everything that installs the
 * API (tests, the local lattice, scripts) takes the list from here.
 */
public final class CustomResources {

  /** Where the generator puts them, on the classpath (no leading slash). */
  public static final String FOLDER = "META-INF/fabric8/";

  /** The LatticeNode CRD's file name. */
  public static final String NODE_FILE = "latticenodes.lattice.diotec360.com-v1.yml";

  /** The Lattice CRD's file name. */
  public static final String LATTICE_FILE = "lattices.lattice.diotec360.com-v1.yml";

  /** The LatticeNode CRD on the classpath (a constant, for annotations). */
  public static final String NODE_RESOURCE = FOLDER + NODE_FILE;

  /** The Lattice CRD on the classpath (a constant, for annotations). */
  public static final String LATTICE_RESOURCE = FOLDER + LATTICE_FILE;

  /** File names of the generated CRDs, LatticeNode first. */
  public static final List<String> FILES = List.of(NODE_FILE, LATTICE_FILE);

  /** The classpath resources of every CRD. */
  public static final List<String> RESOURCES = List.of(NODE_RESOURCE, LATTICE_RESOURCE);

  private CustomResources() {}
}
