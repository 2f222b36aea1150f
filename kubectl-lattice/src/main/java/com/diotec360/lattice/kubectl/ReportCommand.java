package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.view.LatticeNodes;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code kubectl lattice report [-n NS | -A] [-f FILE.zip]}: one zip for a bug report or a
 * support case.
 *
 * <pre>
 * README.txt                 what is inside, and what could not be read (with the API's reason)
 * status.txt                 kubectl lattice status, as text
 * latticenodes.yaml          every LatticeNode in scope
 * lattices.yaml              every Lattice in scope (the group's facts: phase, quorum, rollout, ...)
 * owned/NS/NODE.yaml         objects a node owns (ConfigMaps, Secrets, Services, Deployments, PVCs, EndpointSlices)
 * owned/NS/lattice/NAME.yaml objects a Lattice owns (its Secret, peers Service, peer list, disruption budget)
 * events.yaml                Events about the nodes and what they own
 * operator-logs/NS/POD.log   the operator's logs (pods labelled app.kubernetes.io/name=lattice-operator), when readable
 * </pre>
 * Secrets are redacted ({@link Redactor}); every file is also scrubbed of the values seen.
 * The collection order matters: Secrets are read before any text is written, so the scrub knows
 * every value in time.
 */
final class ReportCommand {

  static final String OPERATOR_LABEL = "app.kubernetes.io/name";
  static final String OPERATOR_NAME = "lattice-operator";
  private static final int LOG_LINES = 5000;

  private final KubernetesClient client;
  private final KubectlLattice.Cli cli;
  private final Redactor redactor = new Redactor();
  private final List<String> problems = new ArrayList<>();

  ReportCommand(KubernetesClient client, KubectlLattice.Cli cli) {
    this.client = client;
    this.cli = cli;
  }

  int run(Args args, KubectlLattice.Scope scope) throws UsageException {
    if (!args.positional().isEmpty()) {
      throw new UsageException("report takes no arguments, not " + args.positional());
    }
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(cli.clock().instant());
    Path file = Path.of(args.value("--file",
        "lattice-report-" + (scope.all() ? "all" : scope.namespace()) + "-" + stamp + ".zip"));
    Observed observed = Observed.read(client, scope);
    Set<String> namespaces = new HashSet<>();
    observed.nodes().forEach(n -> namespaces.add(n.at("/metadata/namespace").asText()));
    observed.lattices().forEach(l -> namespaces.add(l.at("/metadata/namespace").asText()));

    // 1. Everything the nodes own, Secrets first (their values feed the scrub).
    Map<String, List<JsonNode>> ownedByNode = new LinkedHashMap<>();
    Set<String> involved = new HashSet<>();
    for (JsonNode n : observed.nodes()) {
      involved.add(n.at("/metadata/namespace").asText() + "/" + n.at("/metadata/name").asText());
    }
    for (String ns : namespaces.stream().sorted().toList()) {
      List<JsonNode> objects = new ArrayList<>();
      readSecrets(ns, objects);
      read("configmaps", ns, () -> client.configMaps().inNamespace(ns).list().getItems(), objects);
      read("services", ns, () -> client.services().inNamespace(ns).list().getItems(), objects);
      read("deployments", ns, () -> client.apps().deployments().inNamespace(ns).list().getItems(), objects);
      read("persistentvolumeclaims", ns, () -> client.persistentVolumeClaims().inNamespace(ns).list().getItems(), objects);
      read("endpointslices", ns, () -> client.discovery().v1().endpointSlices().inNamespace(ns).list().getItems(), objects);
      read("poddisruptionbudgets", ns, () -> client.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems(), objects);
      for (JsonNode l : observed.lattices()) {
        if (!l.at("/metadata/namespace").asText().equals(ns)) {
          continue;
        }
        String uid = l.at("/metadata/uid").asText();
        List<JsonNode> owned = objects.stream().filter(o -> ownedBy(o, uid)).toList();
        involved.add(ns + "/" + l.at("/metadata/name").asText());
        owned.forEach(o -> involved.add(ns + "/" + o.at("/metadata/name").asText()));
        ownedByNode.put(ns + "/lattice/" + l.at("/metadata/name").asText(), owned);
      }
      for (JsonNode n : observed.nodes()) {
        if (!n.at("/metadata/namespace").asText().equals(ns)) {
          continue;
        }
        String uid = n.at("/metadata/uid").asText();
        List<JsonNode> owned = objects.stream().filter(o -> ownedBy(o, uid)).toList();
        owned.forEach(o -> involved.add(ns + "/" + o.at("/metadata/name").asText()));
        ownedByNode.put(ns + "/" + n.at("/metadata/name").asText(), owned);
      }
    }
    // 2. Events about any of them.
    List<JsonNode> events = observed.events().stream()
        .filter(e -> involved.contains(
            e.at("/involvedObject/namespace").asText(e.at("/metadata/namespace").asText()) + "/"
                + e.at("/involvedObject/name").asText()))
        .toList();
    problems.addAll(observed.problems());
    // 3. The operator's logs, where the user may read them.
    Map<String, String> logs = operatorLogs(scope);

    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      try (OutputStream raw = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(raw)) {
        String status = new StatusTable(cli.clock().instant(), false).render(observed.views());
        entry(zip, "status.txt", observed.views().isEmpty() ? "No LatticeNodes in " + scope.describe() + ".\n" : status);
        entry(zip, "latticenodes.yaml", yaml(observed.nodes()));
        entry(zip, "lattices.yaml", yaml(observed.lattices()));
        for (var e : ownedByNode.entrySet()) {
          entry(zip, "owned/" + e.getKey() + ".yaml", yaml(e.getValue()));
        }
        entry(zip, "events.yaml", yaml(events));
        for (var e : logs.entrySet()) {
          entry(zip, "operator-logs/" + e.getKey() + ".log", e.getValue());
        }
        entry(zip, "README.txt", readme(scope, observed, ownedByNode, events, logs));
      }
    } catch (IOException e) {
      throw new CommandException("cannot write " + file + ": " + e.getMessage());
    }
    cli.out().println("wrote " + file + ": " + observed.nodes().size() + " LatticeNode(s), "
        + observed.lattices().size() + " Lattice(s), "
        + ownedByNode.values().stream().mapToInt(List::size).sum() + " owned object(s), " + events.size()
        + " Event(s), " + logs.size() + " operator log(s); Secret values redacted");
    for (String p : problems) {
      cli.out().println("  not included: " + p);
    }
    return 0;
  }

  private void readSecrets(String ns, List<JsonNode> into) {
    try {
      client.secrets().inNamespace(ns).list().getItems()
          .forEach(s -> into.add(redactor.secret(LatticeNodes.json(s))));
    } catch (KubernetesClientException e) {
      problems.add("secrets in namespace " + ns + ": " + KubectlLattice.ApiErrors.serverMessage(e));
    }
  }

  private void read(String what, String ns, Supplier<List<? extends HasMetadata>> list, List<JsonNode> into) {
    try {
      list.get().forEach(o -> {
        JsonNode json = LatticeNodes.json(o);
        if (json.path("metadata").isObject()) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) json.path("metadata")).remove("managedFields");
        }
        into.add(json);
      });
    } catch (KubernetesClientException e) {
      problems.add(what + " in namespace " + ns + ": " + KubectlLattice.ApiErrors.serverMessage(e));
    }
  }

  private static boolean ownedBy(JsonNode object, String uid) {
    for (JsonNode ref : object.at("/metadata/ownerReferences")) {
      if (uid.equals(ref.path("uid").asText())) {
        return true;
      }
    }
    return false;
  }

  private Map<String, String> operatorLogs(KubectlLattice.Scope scope) {
    Map<String, String> logs = new LinkedHashMap<>();
    List<Pod> pods;
    try {
      pods = client.pods().inAnyNamespace().withLabel(OPERATOR_LABEL, OPERATOR_NAME).list().getItems();
    } catch (KubernetesClientException anyNamespace) {
      if (scope.all()) {
        problems.add("operator pods (any namespace): " + KubectlLattice.ApiErrors.serverMessage(anyNamespace));
        return logs;
      }
      try {
        pods = client.pods().inNamespace(scope.namespace()).withLabel(OPERATOR_LABEL, OPERATOR_NAME).list().getItems();
      } catch (KubernetesClientException e) {
        problems.add("operator pods: " + KubectlLattice.ApiErrors.serverMessage(anyNamespace));
        return logs;
      }
    }
    if (pods.isEmpty()) {
      problems.add("operator logs: no pod labelled " + OPERATOR_LABEL + "=" + OPERATOR_NAME + " is visible to you");
    }
    for (Pod p : pods) {
      String ns = p.getMetadata().getNamespace();
      String name = p.getMetadata().getName();
      try {
        logs.put(ns + "/" + name, client.pods().inNamespace(ns).withName(name).tailingLines(LOG_LINES).getLog());
      } catch (KubernetesClientException e) {
        problems.add("log of pod " + ns + "/" + name + ": " + KubectlLattice.ApiErrors.serverMessage(e));
      }
    }
    return logs;
  }

  private String readme(KubectlLattice.Scope scope, Observed observed, Map<String, List<JsonNode>> owned,
      List<JsonNode> events, Map<String, String> logs) {
    StringBuilder b = new StringBuilder();
    b.append("kubectl lattice report, ").append(scope.describe()).append(", taken ").append(cli.clock().instant()).append('\n');
    b.append("status.txt          kubectl lattice status\n");
    b.append("latticenodes.yaml   ").append(observed.nodes().size()).append(" LatticeNode(s)\n");
    b.append("lattices.yaml       ").append(observed.lattices().size()).append(" Lattice(s)\n");
    b.append("owned/              ").append(owned.values().stream().mapToInt(List::size).sum())
        .append(" object(s) the nodes (owned/NS/NODE.yaml) and Lattices (owned/NS/lattice/NAME.yaml) own\n");
    b.append("events.yaml         ").append(events.size()).append(" Event(s) about them\n");
    b.append("operator-logs/      ").append(logs.size()).append(" log(s)\n");
    b.append("Secret values are replaced by ").append(Redactor.MARK)
        .append(" (with their length); any value seen in a Secret is also scrubbed from every other file.\n");
    if (!problems.isEmpty()) {
      b.append("\nNot included (the API said why):\n");
      problems.forEach(p -> b.append("- ").append(p).append('\n'));
    }
    return b.toString();
  }

  private String yaml(List<JsonNode> objects) {
    return Serialization.asYaml(Map.of("items", objects));
  }

  private void entry(ZipOutputStream zip, String name, String text) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(redactor.scrub(text).getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }
}
