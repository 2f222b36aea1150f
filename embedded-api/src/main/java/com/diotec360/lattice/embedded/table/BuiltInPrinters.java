package com.diotec360.lattice.embedded.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * kube-apiserver's printers (pkg/printers/internalversion) for the built-in kinds a lattice uses.
 * The server prints "wide" (every column, priority 1 ones too); kubectl drops priority columns
 * unless {@code -o wide}.
 */
final class BuiltInPrinters {

  private BuiltInPrinters() {}

  /** The printer of a built-in resource, if kube-apiserver has a specific one. */
  static Optional<Printer> of(String group, String plural) {
    return Optional.ofNullable(switch (group + "/" + plural) {
      case "/events" -> EVENTS;
      case "apps/deployments" -> DEPLOYMENTS;
      case "/services" -> SERVICES;
      case "/configmaps" -> CONFIG_MAPS;
      case "/secrets" -> SECRETS;
      case "/persistentvolumeclaims" -> CLAIMS;
      case "discovery.k8s.io/endpointslices" -> ENDPOINT_SLICES;
      case "/namespaces" -> NAMESPACES;
      case "coordination.k8s.io/leases" -> LEASES;
      case "policy/poddisruptionbudgets" -> DISRUPTION_BUDGETS;
      case "apiextensions.k8s.io/customresourcedefinitions" -> CREATED_AT;
      default -> null;
    });
  }

  /** NAME and AGE, for kinds without a printer here. */
  static Printer nameAndAge() {
    return NAME_AGE;
  }

  private record Simple(List<Column> columns, Cells cells) implements Printer {
    @Override
    public void cells(JsonNode object, Instant now, ArrayNode out) {
      cells.accept(object, now, out);
    }
  }

  @FunctionalInterface
  private interface Cells {
    void accept(JsonNode object, Instant now, ArrayNode out);
  }

  private static String name(JsonNode o) {
    return o.path("metadata").path("name").asText();
  }

  private static String age(JsonNode o, Instant now) {
    return Ages.since(o.path("metadata").path("creationTimestamp").asText(null), now);
  }

  private static final Printer NAME_AGE = new Simple(List.of(Column.nameColumn(), Column.ageColumn()),
      (o, now, out) -> out.add(name(o)).add(age(o, now)));

  /** The default table convertor of kube-apiserver (used for CRDs themselves). */
  private static final Printer CREATED_AT = new Simple(
      List.of(Column.nameColumn(), new Column("Created At", "date", "", Column.CREATION_DESCRIPTION, 0)),
      (o, now, out) -> out.add(name(o)).add(o.path("metadata").path("creationTimestamp").asText("")));

  // ---- events --------------------------------------------------------------------------------

  private static final Printer EVENTS = new Simple(List.of(
      Column.string("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
      Column.string("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
      Column.string("Reason", "This should be a short, machine understandable string that gives the reason for"
          + " the transition into the object's current status."),
      Column.string("Object", "The object that this event is about."),
      Column.wide("Subobject", "If referring to a piece of an object instead of an entire object, this string"
          + " should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]."),
      Column.wide("Source", "The component reporting this event. Should be a short machine understandable string."),
      Column.string("Message", "A human-readable description of the status of this operation."),
      Column.wide("First Seen", "The time at which the event was first recorded. (Time of server receipt is in"
          + " TypeMeta.)"),
      Column.wide("Count", "The number of times this event has occurred."),
      new Column("Name", "string", "name", Column.NAME_DESCRIPTION, 1)),
      BuiltInPrinters::event);

  private static void event(JsonNode e, Instant now, ArrayNode out) {
    String first = e.path("firstTimestamp").asText("");
    String firstSeen = first.isEmpty() ? Ages.since(e.path("eventTime").asText(null), now) : Ages.since(first, now);
    String last = e.path("lastTimestamp").asText("");
    String lastSeen = last.isEmpty() ? firstSeen : Ages.since(last, now);
    long count = e.path("count").asLong(0);
    JsonNode series = e.get("series");
    if (series != null && series.isObject()) {
      lastSeen = Ages.since(series.path("lastObservedTime").asText(null), now);
      count = series.path("count").asLong(0);
    } else if (count == 0) {
      count = 1;
    }
    JsonNode involved = e.path("involvedObject");
    String kind = involved.path("kind").asText("").toLowerCase();
    String target = involved.path("name").asText("").isEmpty() ? kind : kind + "/" + involved.path("name").asText();
    String component = firstNonEmpty(e.path("source").path("component").asText(""),
        e.path("reportingComponent").asText(""));
    String instance = firstNonEmpty(e.path("source").path("host").asText(""), e.path("reportingInstance").asText(""));
    String source = component.isEmpty() ? "<unknown>" : instance.isEmpty() ? component : component + ", " + instance;
    out.add(lastSeen).add(e.path("type").asText("")).add(e.path("reason").asText("")).add(target)
        .add(involved.path("fieldPath").asText("")).add(source).add(e.path("message").asText("").strip())
        .add(firstSeen).add(count).add(name(e));
  }

  private static String firstNonEmpty(String a, String b) {
    return a.isEmpty() ? b : a;
  }

  // ---- deployments -----------------------------------------------------------------------------

  private static final Printer DEPLOYMENTS = new Simple(List.of(
      Column.nameColumn(),
      Column.string("Ready", "Number of the pod with ready state"),
      Column.string("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the"
          + " desired template spec."),
      Column.string("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by"
          + " this deployment."),
      Column.ageColumn(),
      Column.wide("Containers", "Names of each container in the template."),
      Column.wide("Images", "Images referenced by each container in the template."),
      Column.wide("Selector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will"
          + " be the ones affected by this deployment.")),
      (d, now, out) -> {
        JsonNode status = d.path("status");
        List<String> names = new ArrayList<>();
        List<String> images = new ArrayList<>();
        d.path("spec").path("template").path("spec").path("containers").forEach(c -> {
          names.add(c.path("name").asText(""));
          images.add(c.path("image").asText(""));
        });
        out.add(name(d))
            .add(status.path("readyReplicas").asLong(0) + "/" + d.path("spec").path("replicas").asLong(0))
            .add(status.path("updatedReplicas").asLong(0))
            .add(status.path("availableReplicas").asLong(0))
            .add(age(d, now))
            .add(String.join(",", names)).add(String.join(",", images))
            .add(selector(d.path("spec").path("selector")));
      });

  /** metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key. */
  static String selector(JsonNode selector) {
    if (!selector.isObject()) {
      return "";
    }
    TreeMap<String, List<String>> requirements = new TreeMap<>();
    selector.path("matchLabels").fields().forEachRemaining(e ->
        requirements.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getKey() + "=" + e.getValue().asText()));
    for (JsonNode expression : selector.path("matchExpressions")) {
      String key = expression.path("key").asText();
      Set<String> values = new TreeSet<>();
      expression.path("values").forEach(v -> values.add(v.asText()));
      String requirement = switch (expression.path("operator").asText()) {
        case "In" -> key + " in (" + String.join(",", values) + ")";
        case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
        case "Exists" -> key;
        case "DoesNotExist" -> "!" + key;
        default -> null;
      };
      if (requirement == null) {
        return "<invalid>";
      }
      requirements.computeIfAbsent(key, k -> new ArrayList<>()).add(requirement);
    }
    List<String> all = new ArrayList<>();
    requirements.values().forEach(all::addAll);
    return String.join(",", all);
  }

  /** labels.FormatLabels: sorted k=v pairs, "&lt;none&gt;" when empty. */
  static String labels(JsonNode map) {
    TreeMap<String, String> sorted = new TreeMap<>();
    map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    if (sorted.isEmpty()) {
      return "<none>";
    }
    List<String> pairs = new ArrayList<>();
    sorted.forEach((k, v) -> pairs.add(k + "=" + v));
    return String.join(",", pairs);
  }

  // ---- services --------------------------------------------------------------------------------

  private static final Printer SERVICES = new Simple(List.of(
      Column.nameColumn(),
      Column.string("Type", "type determines how the Service is exposed."),
      Column.string("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
      Column.string("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also"
          + " accept traffic for this service."),
      Column.string("Port(s)", "The list of ports that are exposed by this service."),
      Column.ageColumn(),
      Column.wide("Selector", "Route service traffic to pods with label keys and values matching this selector.")),
      (s, now, out) -> {
        JsonNode spec = s.path("spec");
        JsonNode clusterIPs = spec.path("clusterIPs");
        String clusterIp = clusterIPs.isArray() && !clusterIPs.isEmpty() ? clusterIPs.get(0).asText() : "<none>";
        List<String> ports = new ArrayList<>();
        spec.path("ports").forEach(p -> {
          String protocol = p.path("protocol").asText("");
          long nodePort = p.path("nodePort").asLong(0);
          ports.add(nodePort > 0
              ? p.path("port").asLong() + ":" + nodePort + "/" + protocol
              : p.path("port").asLong() + "/" + protocol);
        });
        out.add(name(s)).add(spec.path("type").asText("")).add(clusterIp).add(externalIp(s))
            .add(ports.isEmpty() ? "<none>" : String.join(",", ports)).add(age(s, now))
            .add(labels(spec.path("selector")));
      });

  private static String externalIp(JsonNode service) {
    JsonNode spec = service.path("spec");
    List<String> external = new ArrayList<>();
    spec.path("externalIPs").forEach(ip -> external.add(ip.asText()));
    switch (spec.path("type").asText("")) {
      case "ClusterIP", "NodePort" -> {
        return external.isEmpty() ? "<none>" : String.join(",", external);
      }
      case "LoadBalancer" -> {
        Set<String> ingress = new TreeSet<>();
        service.path("status").path("loadBalancer").path("ingress").forEach(i -> {
          if (!i.path("ip").asText("").isEmpty()) {
            ingress.add(i.path("ip").asText());
          } else if (!i.path("hostname").asText("").isEmpty()) {
            ingress.add(i.path("hostname").asText());
          }
        });
        if (!external.isEmpty()) {
          List<String> all = new ArrayList<>(ingress);
          all.addAll(external);
          return String.join(",", all);
        }
        return ingress.isEmpty() ? "<pending>" : String.join(",", ingress);
      }
      case "ExternalName" -> {
        return spec.path("externalName").asText("");
      }
      default -> {
        return "<unknown>";
      }
    }
  }

  // ---- config maps, secrets --------------------------------------------------------------------

  private static final Printer CONFIG_MAPS = new Simple(List.of(
      Column.nameColumn(),
      Column.string("Data", "Data contains the configuration data."),
      Column.ageColumn()),
      (c, now, out) -> out.add(name(c)).add((long) (c.path("data").size() + c.path("binaryData").size()))
          .add(age(c, now)));

  private static final Printer SECRETS = new Simple(List.of(
      Column.nameColumn(),
      Column.string("Type", "Used to facilitate programmatic handling of secret data."),
      Column.string("Data", "Data contains the secret data."),
      Column.ageColumn()),
      (s, now, out) -> out.add(name(s)).add(s.path("type").asText("")).add((long) s.path("data").size())
          .add(age(s, now)));

  // ---- persistent volume claims ------------------------------------------------------------------

  private static final Printer CLAIMS = new Simple(List.of(
      Column.nameColumn(),
      Column.string("Status", "phase represents the current phase of PersistentVolumeClaim."),
      Column.string("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
      Column.string("Capacity", "capacity represents the actual resources of the underlying volume."),
      Column.string("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has."),
      Column.string("StorageClass", "StorageClass of the pvc"),
      Column.string("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
      Column.ageColumn(),
      Column.wide("VolumeMode", "volumeMode defines what type of volume is required by the claim.")),
      (c, now, out) -> {
        JsonNode spec = c.path("spec");
        JsonNode status = c.path("status");
        String phase = c.path("metadata").has("deletionTimestamp") ? "Terminating" : status.path("phase").asText("");
        String volumeName = spec.path("volumeName").asText("");
        String capacity = "";
        String accessModes = "";
        if (!volumeName.isEmpty()) {
          accessModes = accessModes(status.path("accessModes"));
          capacity = status.path("capacity").path("storage").asText("");
        }
        String storageClass = spec.path("storageClassName").asText(
            c.path("metadata").path("annotations").path("volume.beta.kubernetes.io/storage-class").asText(""));
        String attributesClass = spec.path("volumeAttributesClassName").asText("");
        out.add(name(c)).add(phase).add(volumeName).add(capacity).add(accessModes).add(storageClass)
            .add(attributesClass.isEmpty() ? "<unset>" : attributesClass).add(age(c, now))
            .add(spec.path("volumeMode").asText("<unset>"));
      });

  /** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order. */
  private static String accessModes(JsonNode modes) {
    Set<String> present = new LinkedHashSet<>();
    modes.forEach(m -> present.add(m.asText()));
    List<String> out = new ArrayList<>();
    String[][] order = {{"ReadWriteOnce", "RWO"}, {"ReadOnlyMany", "ROX"}, {"ReadWriteMany", "RWX"},
        {"ReadWriteOncePod", "RWOP"}};
    for (String[] mode : order) {
      if (present.contains(mode[0])) {
        out.add(mode[1]);
      }
    }
    return String.join(",", out);
  }

  // ---- endpoint slices ---------------------------------------------------------------------------

  private static final Printer ENDPOINT_SLICES = new Simple(List.of(
      Column.nameColumn(),
      Column.string("AddressType", "addressType specifies the type of address carried by this EndpointSlice."),
      Column.string("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
      Column.string("Endpoints", "endpoints is a list of unique endpoints in this slice."),
      Column.ageColumn()),
      (s, now, out) -> {
        List<String> ports = new ArrayList<>();
        int portCount = 0;
        for (JsonNode p : s.path("ports")) {
          if (ports.size() < 3) {
            ports.add(p.hasNonNull("port") ? p.path("port").asText() : p.hasNonNull("name") ? p.path("name").asText() : "*");
          }
          portCount++;
        }
        List<String> addresses = new ArrayList<>();
        int addressCount = 0;
        for (JsonNode endpoint : s.path("endpoints")) {
          for (JsonNode address : endpoint.path("addresses")) {
            if (addresses.size() < 3) {
              addresses.add(address.asText());
            }
            addressCount++;
          }
        }
        out.add(name(s)).add(s.path("addressType").asText("")).add(withMore(ports, portCount))
            .add(withMore(addresses, addressCount)).add(age(s, now));
      });

  private static String withMore(List<String> list, int count) {
    String joined = String.join(",", list);
    if (count > 3) {
      return joined + " + " + (count - 3) + " more...";
    }
    return joined.isEmpty() ? "<unset>" : joined;
  }

  // ---- namespaces, leases ----------------------------------------------------------------------

  private static final Printer NAMESPACES = new Simple(List.of(
      Column.nameColumn(),
      Column.string("Status", "The status of the namespace"),
      Column.ageColumn()),
      (n, now, out) -> out.add(name(n)).add(n.path("status").path("phase").asText("")).add(age(n, now)));

  private static final Printer DISRUPTION_BUDGETS = new Simple(List.of(
      Column.nameColumn(),
      Column.string("Min Available", "The minimum number or percentage of available pods this budget requires."),
      Column.string("Max Unavailable", "The maximum number or percentage of unavailable pods this budget requires."),
      new Column("Allowed Disruptions", "integer", "", "The number of disruptions that are currently allowed.", 0),
      Column.ageColumn()),
      (b, now, out) -> out.add(name(b))
          .add(b.path("spec").path("minAvailable").asText("N/A"))
          .add(b.path("spec").path("maxUnavailable").asText("N/A"))
          .add(b.path("status").path("disruptionsAllowed").asLong(0))
          .add(age(b, now)));

  private static final Printer LEASES = new Simple(List.of(
      Column.nameColumn(),
      Column.string("Holder", "holderIdentity contains the identity of the holder of a current lease."),
      Column.ageColumn()),
      (l, now, out) -> out.add(name(l)).add(l.path("spec").path("holderIdentity").asText("")).add(age(l, now)));

}
