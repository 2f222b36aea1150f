package com.diotec360.lattice.embedded.patch;

import java.util.HashMap;
import java.util.Map;

/**
 * The strategic merge patch metadata of the built-in kinds: which lists merge, and by which key.
 * Taken from the {@code patchStrategy} / {@code patchMergeKey} struct tags of the Go types in
 * {@code k8s.io/api} (v1.32: core/v1/types.go, apps/v1/types.go, batch/v1/types.go,
 * apimachinery/pkg/apis/meta/v1/types.go). Fields not listed have no patch strategy: maps merge,
 * lists replace. Only the lists of the kinds this server serves or commonly nests are listed
 * (pod templates wherever they appear); {@code retainKeys} needs no entry, the client sends the
 * {@code $retainKeys} directive and the server obeys it wherever it appears.
 */
public final class PatchMeta {

  /** A field's patch metadata; {@code type} describes the field's value (or a list's elements). */
  public record Field(boolean merge, String mergeKey, PatchMeta type) {}

  private static final PatchMeta ANY = new PatchMeta();
  private static final Field PLAIN = new Field(false, null, ANY);

  private final Map<String, Field> fields = new HashMap<>();

  private PatchMeta() {}

  /** The metadata of a field of this struct; a field not listed merges maps and replaces lists. */
  public Field field(String name) {
    return fields.getOrDefault(name, PLAIN);
  }

  private PatchMeta struct(String name, PatchMeta type) {
    fields.put(name, new Field(false, null, type));
    return this;
  }

  private PatchMeta mergeList(String name, String mergeKey, PatchMeta elements) {
    fields.put(name, new Field(true, mergeKey, elements));
    return this;
  }

  private PatchMeta mergeList(String name, String mergeKey) {
    return mergeList(name, mergeKey, ANY);
  }

  /** A list of scalars with patchStrategy merge: union, $deleteFromPrimitiveList removes. */
  private PatchMeta mergeScalars(String name) {
    return mergeList(name, null, ANY);
  }

  // metav1.ObjectMeta: finalizers `patchStrategy:"merge"`, ownerReferences `patchMergeKey:"uid"`.
  private static final PatchMeta OBJECT_META =
      new PatchMeta().mergeScalars("finalizers").mergeList("ownerReferences", "uid");

  // core/v1 Container (and EphemeralContainerCommon).
  private static final PatchMeta CONTAINER = new PatchMeta()
      .mergeList("ports", "containerPort")
      .mergeList("env", "name")
      .mergeList("volumeMounts", "mountPath")
      .mergeList("volumeDevices", "devicePath");

  // core/v1 PodSpec. volumes and resourceClaims are "merge,retainKeys"; tolerations,
  // readinessGates, envFrom have no strategy.
  private static final PatchMeta POD_SPEC = new PatchMeta()
      .mergeList("volumes", "name")
      .mergeList("initContainers", "name", CONTAINER)
      .mergeList("containers", "name", CONTAINER)
      .mergeList("ephemeralContainers", "name", CONTAINER)
      .mergeList("imagePullSecrets", "name")
      .mergeList("hostAliases", "ip")
      .mergeList("topologySpreadConstraints", "topologyKey")
      .mergeList("schedulingGates", "name")
      .mergeList("resourceClaims", "name");

  private static final PatchMeta POD_TEMPLATE =
      new PatchMeta().struct("metadata", OBJECT_META).struct("spec", POD_SPEC);

  /** Status structs whose conditions merge by type (Deployment, Pod, Service, Job, PVC, ...). */
  private static final PatchMeta CONDITIONS_STATUS = new PatchMeta().mergeList("conditions", "type");

  private static final Map<String, PatchMeta> KINDS = new HashMap<>();

  static {
    PatchMeta workloadSpec = new PatchMeta().struct("template", POD_TEMPLATE);
    for (String kind : new String[] {"apps/v1/Deployment", "apps/v1/ReplicaSet", "apps/v1/StatefulSet",
        "apps/v1/DaemonSet", "batch/v1/Job", "v1/ReplicationController"}) {
      KINDS.put(kind, root().struct("spec", workloadSpec).struct("status", CONDITIONS_STATUS));
    }
    PatchMeta jobTemplate = new PatchMeta().struct("metadata", OBJECT_META).struct("spec", workloadSpec);
    KINDS.put("batch/v1/CronJob", root().struct("spec", new PatchMeta().struct("jobTemplate", jobTemplate)));
    KINDS.put("v1/PodTemplate", root().struct("template", POD_TEMPLATE));
    KINDS.put("v1/Pod", root().struct("spec", POD_SPEC).struct("status", new PatchMeta()
        .mergeList("conditions", "type").mergeList("podIPs", "ip").mergeList("hostIPs", "ip")));
    // ServiceSpec.ports: `patchStrategy:"merge" patchMergeKey:"port"` (list-map keys port, protocol).
    KINDS.put("v1/Service", root().struct("spec", new PatchMeta().mergeList("ports", "port"))
        .struct("status", CONDITIONS_STATUS));
    // ServiceAccount.secrets merges by name; its imagePullSecrets has no strategy.
    KINDS.put("v1/ServiceAccount", root().mergeList("secrets", "name"));
    KINDS.put("v1/PersistentVolumeClaim", root().struct("status", CONDITIONS_STATUS));
    KINDS.put("v1/Namespace", root().struct("status", CONDITIONS_STATUS));
    KINDS.put("v1/Node", root().struct("spec", new PatchMeta().mergeScalars("podCIDRs"))
        .struct("status", new PatchMeta().mergeList("conditions", "type").mergeList("addresses", "type")));
  }

  private static PatchMeta root() {
    return new PatchMeta().struct("metadata", OBJECT_META);
  }

  /** The metadata of a built-in kind ({@code apiVersion + "/" + kind}, e.g. {@code apps/v1/Deployment}). */
  public static PatchMeta of(String apiVersionAndKind) {
    PatchMeta meta = KINDS.get(apiVersionAndKind);
    return meta != null ? meta : root();
  }
}
