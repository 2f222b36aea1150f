package com.diotec360.lattice.faults;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeSpec;
import com.diotec360.lattice.operator.api.v1alpha1.LogLevel;
import com.diotec360.lattice.operator.api.v1alpha1.P2PSpec;
import com.diotec360.lattice.operator.api.v1alpha1.SyncSpec;
import com.diotec360.lattice.operator.support.Edits;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Creates, changes and deletes LatticeNodes through the test's own (cluster-admin) client, every
 * choice from one seeded {@link Random}. Node names are never reused: a deleted node's objects
 * stay behind in the embedded API (it has no garbage collector), and a new node of the same name
 * would find them owned by the old one. Changes touch what the owned objects show: the image
 * (Deployment), the log level (config ConfigMap), the P2P port (Service and Deployment ports) and
 * the extra peers (peer-list ConfigMap).
 */
final class Workload {

  private final KubernetesClient client;
  private final Random random;
  private final int lattices;
  private final List<String> live = new ArrayList<>();
  private int created;
  private int changed;
  private int deleted;

  Workload(KubernetesClient client, Random random, int lattices) {
    this.client = client;
    this.random = random;
    this.lattices = lattices;
  }

  Random random() {
    return random;
  }

  int created() {
    return created;
  }

  int changed() {
    return changed;
  }

  int deleted() {
    return deleted;
  }

  List<String> live() {
    return List.copyOf(live);
  }

  String create() {
    String name = "n" + created;
    LatticeNode node = new LatticeNode();
    node.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(FaultCluster.NAMESPACE).build());
    LatticeNodeSpec spec = new LatticeNodeSpec();
    spec.setLattice("l" + random.nextInt(lattices));
    spec.setRole("genesis-primary");
    node.setSpec(spec);
    client.resource(node).create();
    live.add(name);
    created++;
    return name;
  }

  /** Changes one spec field of a random live node (its generation goes up); none: no-op. */
  String change() {
    if (live.isEmpty()) {
      return null;
    }
    String name = live.get(random.nextInt(live.size()));
    int what = random.nextInt(4);
    int value = random.nextInt(1000);
    edit(name, what, value);
    changed++;
    return name;
  }

  private void edit(String name, int what, int value) {
    // A person's edit, which the operator's status writes can make lose the optimistic lock (Edits).
    Edits.edit(client.resources(LatticeNode.class).inNamespace(FaultCluster.NAMESPACE).withName(name), node -> {
      LatticeNodeSpec spec = node.getSpec();
      switch (what) {
        case 0 -> spec.setImage("registry.example/lattice-node:v" + value);
        case 1 -> spec.setLogLevel(LogLevel.values()[value % LogLevel.values().length]);
        case 2 -> {
          SyncSpec sync = spec.getSync() == null ? new SyncSpec() : spec.getSync();
          P2PSpec p2p = sync.getP2p() == null ? new P2PSpec() : sync.getP2p();
          p2p.setPort(9001 + value);
          sync.setP2p(p2p);
          spec.setSync(sync);
        }
        default -> spec.setPeers(List.of("https://peer" + value + ".example.org"));
      }
      return node;
    });
  }

  /** Deletes a random live node, keeping at least {@code keep}; none: no-op. */
  String delete(int keep) {
    if (live.size() <= keep) {
      return null;
    }
    String name = live.remove(random.nextInt(live.size()));
    client.resources(LatticeNode.class).inNamespace(FaultCluster.NAMESPACE).withName(name).delete();
    deleted++;
    return name;
  }

  @Override
  public String toString() {
    return created + " created, " + changed + " changes, " + deleted + " deleted, " + live.size() + " live";
  }
}
