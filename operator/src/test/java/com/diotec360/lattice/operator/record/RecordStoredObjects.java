package com.diotec360.lattice.operator.record;

import com.diotec360.lattice.embedded.Crds;
import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.api.CustomResources;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.support.OperatorHarness;
import com.diotec360.lattice.operator.support.RealApiOperator;
import com.diotec360.lattice.realapi.KubeAssets;
import com.diotec360.lattice.realapi.RealApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Records {@code testdata/real-api/v1.36-lattice}: what a real kube-apiserver v1.36.2 with
 * kube-controller-manager (the real-api harness; no kubelet, so no pod runs) stores after this
 * operator reconciled {@code examples/dual-node.yaml} in namespace {@code fixtures}, listed as
 * {@code kubectl get -o json} lists them, Secret values replaced by {@code REDACTED}. Run it again
 * when the operator changes what it writes:
 *
 * <pre>
 * ./mvnw -B -pl operator -am test-compile -DskipTests
 * ./mvnw -B -pl operator exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=com.diotec360.lattice.operator.record.RecordStoredObjects
 * </pre>
 */
public final class RecordStoredObjects {

  private static final String NAMESPACE = "fixtures";

  public static void main(String[] args) throws Exception {
    Path out = OperatorHarness.repoRoot().resolve("testdata/real-api/v1.36-lattice");
    KubeAssets assets = KubeAssets.find().orElseThrow(() -> new IllegalStateException(KubeAssets.HOW_TO_GET_THEM));
    try (RealApiServer server = RealApiServer.start(assets, true, Path.of("target", "real-api"))) {
      server.installCrds(Crds.fromClasspath(CustomResources.RESOURCES));
      server.ensureNamespace(NAMESPACE);
      KubernetesClient client = server.client();
      KubernetesClient operatorClient = RealApiOperator.operatorClient(server, false);
      try (LatticeOperator operator = LatticeOperator.create(operatorClient,
          OperatorConfig.defaults().withWatchNamespaces(java.util.Set.of(NAMESPACE)), Clock.systemUTC())) {
        operator.start();
        try (InputStream in = Files.newInputStream(OperatorHarness.repoRoot().resolve("examples/dual-node.yaml"))) {
          for (HasMetadata item : client.load(in).items()) {
            item.getMetadata().setNamespace(NAMESPACE);
            client.resource(item).create();
          }
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (!settled(client) && Instant.now().isBefore(deadline)) {
          Thread.sleep(500); // a recorder, not a test: poll until the operator is done
        }
        Thread.sleep(3000); // and let the controller-manager finish its own writes
        Files.createDirectories(out);
        dump(out, "latticenodes.json", client.resources(LatticeNode.class).inNamespace(NAMESPACE).list().getItems());
        dump(out, "lattices.json", client.resources(Lattice.class).inNamespace(NAMESPACE).list().getItems());
        dump(out, "deployments.json", client.apps().deployments().inNamespace(NAMESPACE).list().getItems());
        dump(out, "configmaps.json", client.configMaps().inNamespace(NAMESPACE).list().getItems().stream()
            .filter(c -> !c.getMetadata().getName().equals("kube-root-ca.crt")).toList());
        List<Secret> secrets = client.secrets().inNamespace(NAMESPACE).list().getItems();
        secrets.forEach(s -> s.getData().replaceAll((k, v) -> "REDACTED"));
        dump(out, "secrets.json", secrets);
        dump(out, "services.json", client.services().inNamespace(NAMESPACE).list().getItems());
        dump(out, "endpointslices.json", client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).list().getItems());
        dump(out, "poddisruptionbudgets.json", client.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).list().getItems());
        dump(out, "persistentvolumeclaims.json", client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems());
        System.out.println("recorded into " + out);
      } finally {
        operatorClient.close();
      }
    }
    System.exit(0);
  }

  private static boolean settled(KubernetesClient client) {
    List<LatticeNode> nodes = client.resources(LatticeNode.class).inNamespace(NAMESPACE).list().getItems();
    return nodes.size() == 2
        && nodes.stream().allMatch(n -> n.getStatus() != null && n.getStatus().getRollout() != null)
        && client.apps().deployments().inNamespace(NAMESPACE).list().getItems().size() == 2
        && client.resources(Lattice.class).inNamespace(NAMESPACE).list().getItems().stream()
            .allMatch(l -> l.getStatus() != null);
  }

  private static void dump(Path out, String file, List<? extends HasMetadata> items) throws Exception {
    KubernetesList list = new KubernetesList();
    list.setItems(new ArrayList<>(items));
    Map<?, ?> tree = Serialization.jsonMapper().convertValue(list, Map.class);
    Files.writeString(out.resolve(file), Serialization.jsonMapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n");
  }
}
