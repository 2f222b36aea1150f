package com.diotec360.lattice.operator.support;

import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Runs the real operator against an API server (the fabric8 mock in CRUD mode in tests): registers
 * the generated CRD first, so the status subresource behaves as on a cluster.
 */
public final class OperatorHarness implements AutoCloseable {

  public static final String CRD_RESOURCE =
      "META-INF/fabric8/latticenodes.lattice.diotec360.com-v1.yml";

  private final KubernetesClient client;
  private final LatticeOperator operator;

  private OperatorHarness(KubernetesClient client, LatticeOperator operator) {
    this.client = client;
    this.operator = operator;
  }

  public static OperatorHarness start(KubernetesClient client, Map<String, String> env) {
    registerCrd(client);
    LatticeOperator operator =
        LatticeOperator.create(client, OperatorConfig.fromEnv(env), Clock.systemUTC());
    operator.start();
    return new OperatorHarness(client, operator);
  }

  public static void registerCrd(KubernetesClient client) {
    try (InputStream in =
        OperatorHarness.class.getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(CRD_RESOURCE + " not on the classpath: run the build");
      }
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(in).item();
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Creates every object of a manifest file (path relative to the repository root). */
  public List<HasMetadata> apply(String manifest) {
    try (InputStream in = Files.newInputStream(repoRoot().resolve(manifest))) {
      List<HasMetadata> items = client.load(in).items();
      items.forEach(item -> client.resource(item).create());
      return items;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public LatticeNode node(String name) {
    return client.resources(LatticeNode.class).withName(name).get();
  }

  public static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (a folder with examples/)");
    }
    return dir;
  }

  @Override
  public void close() {
    operator.close();
  }
}
