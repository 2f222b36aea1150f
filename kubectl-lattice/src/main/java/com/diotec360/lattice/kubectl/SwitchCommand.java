package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.view.LatticeNodes;
import com.diotec360.lattice.view.HumanTime;
import com.diotec360.lattice.view.LatticeViews;
import com.diotec360.lattice.view.NodeView;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Set;

/**
 * {@code kubectl lattice switch NODE --mode auto|p2p|http}: declarative, like {@code kubectl scale}.
 *
 * <ol>
 *   <li>Read the node (a clear error when it does not exist).
 *   <li>JSON merge patch {@code spec.sync.mode} with the user's credentials (RBAC decides).
 *   <li>Unless {@code --no-wait}: poll the node until the operator has seen the new generation
 *       ({@code status.observedGeneration}) and, for p2p/http, reports that mode in
 *       {@code status.syncMode}; then print what the node now does. Not within {@code --timeout}
 *       seconds (default 60): exit 1, saying what the status still shows.
 * </ol>
 */
final class SwitchCommand {

  private static final Set<String> MODES = Set.of("auto", "p2p", "http");
  private final KubernetesClient client;
  private final KubectlLattice.Cli cli;

  SwitchCommand(KubernetesClient client, KubectlLattice.Cli cli) {
    this.client = client;
    this.cli = cli;
  }

  int run(Args args, KubectlLattice.Scope scope) throws UsageException {
    if (scope.all()) {
      throw new UsageException("switch works on one node in one namespace: use -n, not -A");
    }
    if (args.positional().size() != 1) {
      throw new UsageException("switch needs exactly one NODE, e.g. kubectl lattice switch node2-local --mode http");
    }
    if (!args.has("--mode")) {
      throw new UsageException("switch needs --mode auto, p2p or http");
    }
    String mode = args.oneOf("--mode", null, MODES);
    int timeout = seconds(args.value("--timeout", "60"));
    String name = args.positional().get(0);
    String ns = scope.namespace();
    var resource = LatticeNodes.api(client).inNamespace(ns).withName(name);
    GenericKubernetesResource before;
    try {
      before = resource.get();
    } catch (KubernetesClientException e) {
      throw new CommandException(KubectlLattice.ApiErrors.explain(e, "cannot read latticenode " + name));
    }
    if (before == null) {
      Observed observed = Observed.read(client, scope);
      observed.views().stream().flatMap(l -> l.externalMembers().stream()).filter(e -> e.name().equals(name))
          .findFirst().ifPresent(e -> {
            throw new CommandException(name + " is an external member of lattice " + e.lattice() + " (" + e.url()
                + "): the operator does not run it and never switches its mode; switch it where it runs");
          });
      observed.node(name, scope); // throws, naming the nodes there are
    }
    String was = LatticeNodes.json(before).at("/spec/sync/mode").asText("auto");
    GenericKubernetesResource after;
    try {
      after = resource.patch(PatchContext.of(PatchType.JSON_MERGE), LatticeNodes.modePatch(mode));
    } catch (KubernetesClientException e) {
      throw new CommandException(KubectlLattice.ApiErrors.explain(e, "cannot switch " + name));
    }
    long generation = after.getMetadata().getGeneration() == null ? 0 : after.getMetadata().getGeneration();
    cli.out().println("latticenode/" + name + ": spec.sync.mode " + was + " -> " + mode
        + (was.equals(mode) ? " (unchanged)" : ""));
    if (args.has("--no-wait")) {
      return 0;
    }
    String expected = mode.equals("auto") ? null : mode.toUpperCase();
    cli.out().println("waiting up to " + timeout + "s for the operator to report "
        + (expected == null ? "generation " + generation : expected + " (generation " + generation + ")") + " ...");
    long deadline = System.nanoTime() + timeout * 1_000_000_000L;
    JsonNode seen = null;
    while (System.nanoTime() < deadline) {
      GenericKubernetesResource now = resource.get();
      if (now == null) {
        throw new CommandException("latticenode " + name + " was deleted while waiting");
      }
      seen = LatticeNodes.json(now);
      if (seen.at("/status/observedGeneration").asLong(-1) >= generation
          && (expected == null || expected.equals(seen.at("/status/syncMode").asText()))) {
        report(seen);
        return 0;
      }
      pause();
    }
    String status = seen == null ? "no status" : "status.syncMode " + seen.at("/status/syncMode").asText("-")
        + ", observedGeneration " + seen.at("/status/observedGeneration").asText("-");
    throw new CommandException(name + " did not report " + (expected == null ? "generation " + generation : expected)
        + " within " + timeout + "s (" + status + "); see kubectl describe ln " + name + " and its Events");
  }

  private void report(JsonNode node) {
    List<JsonNode> events;
    try {
      events = LatticeNodes.events(client, node.at("/metadata/namespace").asText());
    } catch (KubernetesClientException e) {
      events = List.of();
    }
    var lattices = LatticeViews.of(List.of(node), List.of(), events);
    NodeView v = lattices.get(0).nodes().get(0);
    java.time.Instant now = cli.clock().instant();
    cli.out().println(v.name() + " now syncs over " + v.mode()
        + (v.modeSince().equals(LatticeViews.NONE) ? "" : " (since " + HumanTime.relative(v.modeSince(), now) + ")")
        + ", peers " + v.peers() + ", verdict " + v.verdict() + "; state " + v.health().name().toLowerCase()
        + ": " + v.label());
    if (!v.lastEvent().equals(LatticeViews.NONE)) {
      cli.out().println("last event (" + HumanTime.relative(v.lastEventAt(), now) + "): " + v.lastEvent() + ": "
          + v.lastEventMessage());
    }
  }

  private static int seconds(String raw) throws UsageException {
    try {
      int s = Integer.parseInt(raw);
      if (s < 1 || s > 3600) {
        throw new UsageException("--timeout must be 1..3600 seconds, not " + s);
      }
      return s;
    } catch (NumberFormatException e) {
      throw new UsageException("--timeout needs a whole number of seconds, not '" + raw + "'");
    }
  }

  private static void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandException("interrupted while waiting");
    }
  }
}
