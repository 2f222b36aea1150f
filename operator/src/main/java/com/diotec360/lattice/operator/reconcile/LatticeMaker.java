package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the Lattice a LatticeNode names when there is none, so {@code kubectl apply -f
 * examples/dual-node.yaml} alone still works. It is labelled as made by the operator ({@link
 * Lattice#MADE_BY_OPERATOR}), which removes it again with its last member; a Lattice a person
 * created is never removed by the operator.
 *
 * <p>Members of a new lattice reconcile at the same moment; only the first makes the Lattice: the
 * others see it made here until their informer shows it, so no member races another for it.
 */
final class LatticeMaker {

  private static final Logger LOG = LoggerFactory.getLogger(LatticeMaker.class);

  /** How long a Lattice made here counts as made before the informer shows it. */
  private static final Duration UNSEEN_FOR = Duration.ofSeconds(30);

  private final Map<String, Instant> made = new ConcurrentHashMap<>();

  LatticeMaker() {}

  /**
   * Makes the Lattice {@code node} names, unless this process just made it or the cache shows it
   * now. The caller read the cache at the start of its reconcile; meanwhile another member may
   * have made the Lattice and a third seen it ({@link #seen} forgets it), so the cache is asked
   * again here, under the lock.
   */
  void make(LatticeNode node, KubernetesClient client, BooleanSupplier inCache, Instant now) {
    String namespace = node.getMetadata().getNamespace();
    String name = node.getSpec().getLattice();
    String key = namespace + "/" + name;
    synchronized (made) {
      Instant at = made.get(key);
      if ((at != null && now.isBefore(at.plus(UNSEEN_FOR))) || inCache.getAsBoolean()) {
        return;
      }
      made.put(key, now);
    }
    Lattice lattice = new Lattice();
    lattice.setMetadata(new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(Map.of(Lattice.MADE_BY_LABEL, Lattice.MADE_BY_OPERATOR))
        .build());
    lattice.setSpec(new LatticeSpec());
    try {
      // No Event: a normal start raises none, and the label says who made it.
      client.resource(lattice).create();
      LOG.info("{}/{}: made Lattice {} for it (removed with its last member)", namespace,
          node.getMetadata().getName(), name);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        made.remove(key);
        throw e;
      }
      // A person (or another process) created it a moment ago: it is there, which is what counts.
    }
  }

  /** The informer shows the Lattice: nothing made here is pending any more. */
  void seen(Lattice lattice) {
    made.remove(lattice.getMetadata().getNamespace() + "/" + lattice.getMetadata().getName());
  }
}
