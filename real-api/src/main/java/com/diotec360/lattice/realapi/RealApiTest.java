package com.diotec360.lattice.realapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs on a real kube-apiserver and etcd ({@link RealApiServer}), shared by
 * every such class in the test JVM; each test gets a namespace of its own, handed to it as a
 * {@link RealApi} parameter. Where the binaries cannot be found the class is skipped with one
 * line saying how to get them ({@link KubeAssets#HOW_TO_GET_THEM}), unless
 * {@code LATTICE_REQUIRE_REAL_API=1} (CI), where that is a failure.
 *
 * <pre>{@code
 * @RealApiTest(crds = "META-INF/fabric8/latticenodes.lattice.diotec360.com-v1.yml")
 * class StatusOnRealApiIT {
 *   @Test void statusIsWritten(RealApi api) { api.client().resource(...).create(); ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealApiExtension.class)
@Tag("real-api")
public @interface RealApiTest {

  /**
   * Also run kube-controller-manager: garbage collection, Deployment → ReplicaSet → Pod, PDB
   * status. A separate shared server from the API-only one: a test that stands in for the
   * Deployment controller itself must not run beside the real one.
   */
  boolean controllers() default false;

  /** CRDs to install (classpath resources, YAML), once per server, before the first test. */
  String[] crds() default {};
}
