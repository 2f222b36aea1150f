package com.diotec360.lattice.local.gc;

import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of Kubernetes' garbage collector a lattice needs, which the mock API server lacks: an
 * object whose every owner reference points at an object that no longer exists is deleted
 * (background propagation). It runs when a LatticeNode or a Lattice is deleted and every few
 * seconds, and repeats within one pass so chains (node → Deployment → ...) go in one go.
 *
 * <p>Only the kinds the operator creates are examined (taken from its workflows, {@link
 * LatticeOperator#ownedKinds()}), and only owners of those kinds (plus LatticeNode and Lattice) can
 * be judged gone; a reference to any other kind counts as alive, so nothing is removed on a guess.
 */
public final class OwnerReferenceCollector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OwnerReferenceCollector.class);
  private static final List<Class<? extends HasMetadata>> DEPENDENT_KINDS = LatticeOperator.ownedKinds();

  /** The operator's own kinds, which own what it makes. */
  private static final List<Class<? extends HasMetadata>> OWNER_KINDS = List.of(LatticeNode.class, Lattice.class);

  private final KubernetesClient client;
  private final Duration period;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "owner-gc");
            t.setDaemon(true);
            return t;
          });
  private final List<SharedIndexInformer<? extends HasMetadata>> owners = new ArrayList<>();

  public OwnerReferenceCollector(KubernetesClient client, Duration period) {
    this.client = client;
    this.period = period;
  }

  public void start() {
    for (Class<? extends HasMetadata> kind : OWNER_KINDS) {
      owners.add(informOnDelete(kind));
    }
    executor.scheduleWithFixedDelay(
        this::collectQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  private <T extends HasMetadata> SharedIndexInformer<T> informOnDelete(Class<T> kind) {
    return client
        .resources(kind)
        .inAnyNamespace()
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(T obj) {}

              @Override
              public void onUpdate(T oldObj, T newObj) {}

              @Override
              public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                executor.execute(OwnerReferenceCollector.this::collectQuietly);
              }
            });
  }

  private void collectQuietly() {
    try {
      collect();
    } catch (KubernetesClientException e) {
      LOG.warn("garbage collection pass failed, will retry: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("garbage collection pass failed, will retry", e);
    }
  }

  /** One pass; returns how many objects were deleted. Public for tests. */
  public int collect() {
    int total = 0;
    for (int round = 0; round < 5; round++) {
      int deleted = collectOnce();
      total += deleted;
      if (deleted == 0) {
        break;
      }
    }
    return total;
  }

  private int collectOnce() {
    List<HasMetadata> candidates = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : DEPENDENT_KINDS) {
      candidates.addAll(client.resources(kind).inAnyNamespace().list().getItems());
    }
    List<HasMetadata> ownerObjects = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : OWNER_KINDS) {
      ownerObjects.addAll(client.resources(kind).inAnyNamespace().list().getItems());
    }
    Set<String> alive = new HashSet<>();
    Set<String> judgedKinds = new HashSet<>();
    for (HasMetadata o : concat(candidates, ownerObjects)) {
      alive.add(o.getMetadata().getUid());
    }
    for (Class<? extends HasMetadata> kind : concat(DEPENDENT_KINDS, OWNER_KINDS)) {
      judgedKinds.add(kindKey(HasMetadata.getApiVersion(kind), HasMetadata.getKind(kind)));
    }

    int deleted = 0;
    for (HasMetadata candidate : candidates) {
      if (isOrphan(candidate, alive, judgedKinds)) {
        LOG.info(
            "deleting {} {}/{}: every owner is gone",
            candidate.getKind(),
            candidate.getMetadata().getNamespace(),
            candidate.getMetadata().getName());
        try {
          client.resource(candidate).delete();
          deleted++;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
        }
      }
    }
    return deleted;
  }

  /** True when the object has owners and every one of them is of a judged kind and gone. */
  static boolean isOrphan(HasMetadata object, Set<String> aliveUids, Set<String> judgedKinds) {
    List<OwnerReference> owners =
        Objects.requireNonNullElse(object.getMetadata().getOwnerReferences(), List.of());
    if (owners.isEmpty()) {
      return false;
    }
    return owners.stream()
        .allMatch(
            ref ->
                judgedKinds.contains(kindKey(ref.getApiVersion(), ref.getKind()))
                    && !aliveUids.contains(ref.getUid()));
  }

  private static String kindKey(String apiVersion, String kind) {
    return apiVersion + "/" + kind;
  }

  private static <T> List<T> concat(List<? extends T> a, List<? extends T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Override
  public void close() {
    executor.shutdownNow();
    owners.forEach(SharedIndexInformer::close);
  }
}
