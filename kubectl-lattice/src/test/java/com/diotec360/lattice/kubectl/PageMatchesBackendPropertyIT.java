package com.diotec360.lattice.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.embedded.Crds;
import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.local.LocalLattice;
import com.diotec360.lattice.view.LatticeNodes;
import com.diotec360.lattice.view.Lattices;
import com.diotec360.lattice.view.StatusPageServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The brief's property 63: the status view matches the backend under random changes.
 *
 * <p>A seeded random sequence of changes is written through the API (node and Lattice status
 * rewrites as the operator makes them, spec mode changes, nodes and Lattices created and deleted,
 * Lattices without members among them). After each change the test
 * reads the backend's state from the API and computes, on its own and from the raw objects, what
 * every card and lattice header must show (including the colours, by the rules); then it
 * polls the page in Chromium until it shows exactly that: the same cards, no more, no fewer, every
 * field equal. The page is pushed from a watch, so one refresh carries a change; the poll's bound
 * ({@link #ONE_REFRESH}) only keeps a broken page from hanging the build, it is not a timing claim.
 *
 * <p>Replay a failure with {@code -Dlattice.seed=N} (the seed is printed and in the message).
 */
class PageMatchesBackendPropertyIT {

  static final String NS = "prop";
  static final int STEPS = Integer.getInteger("lattice.steps", 40);
  static final Duration ONE_REFRESH = Duration.ofSeconds(10);
  static final String[] ROOTS = {
    "07a313c836d3ec7376cb1f3770e86d9c76d613b63def55de66304ac444259a4b",
    "5df3daee3a0ca23c388a16c3db2c2388aa11bb22cc33dd44ee55ff6600112233",
    "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00",
  };
  static final String[] VERDICTS = {"Consistent", "Behind", "Ahead", "Diverged", "Split", "NoQuorum", "Unobserved"};
  static final String[] REACHABLE = {"True", "True", "True", "False", "Unknown"};
  static final String[] LATTICES = {"alpha", "beta"};
  /** Lattices a Lattice may exist for: those the nodes name, and one no node ever names. */
  static final String[] LATTICE_OBJECTS = {"alpha", "beta", "gamma"};
  static final String[] PHASES = {"Healthy", "Degraded", "NoQuorum", "Split", "Invalid", "Rebalancing"};
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void thePageShowsExactlyTheBackendAfterEveryRandomChange() throws Exception {
    Assumptions.assumeTrue(Browser.available(), Browser.SKIP);
    long seed = Long.getLong("lattice.seed", System.nanoTime());
    System.out.println("PageMatchesBackendPropertyIT seed " + seed + " (replay: -Dlattice.seed=" + seed + ")");
    Random random = new Random(seed);
    try (EmbeddedApiServer api = EmbeddedApiServer.start(0, Crds.fromClasspath(com.diotec360.lattice.operator.api.CustomResources.RESOURCES));
        StatusPageServer page = new StatusPageServer(api.client(), NS, 0).start();
        Browser browser = Browser.start()) {
      KubernetesClient client = api.client();
      TestNodes nodes = new TestNodes(client, NS);
      List<String> names = new ArrayList<>();
      int created = 0;
      browser.driver.get(page.url());
      for (int step = 0; step < STEPS; step++) {
        String change;
        int dice = random.nextInt(100);
        if (names.isEmpty() || (dice < 12 && names.size() < 6)) {
          String name = "n" + created++;
          nodes.create(name, LATTICES[random.nextInt(LATTICES.length)], pick(random, "auto", "p2p", "http"));
          names.add(name);
          change = "create " + name;
        } else if (dice < 20 && names.size() > 1) {
          String name = names.remove(random.nextInt(names.size()));
          nodes.delete(name);
          change = "delete " + name;
        } else if (dice < 32) {
          String name = names.get(random.nextInt(names.size()));
          String mode = pick(random, "auto", "p2p", "http");
          LatticeNodes.api(client).inNamespace(NS).withName(name)
              .patch(PatchContext.of(PatchType.JSON_MERGE), LatticeNodes.modePatch(mode));
          change = "spec.sync.mode of " + name + " = " + mode;
        } else if (dice < 46) {
          String lattice = LATTICE_OBJECTS[random.nextInt(LATTICE_OBJECTS.length)];
          if (Lattices.api(client).inNamespace(NS).withName(lattice).get() == null) {
            nodes.createLattice(lattice);
          }
          int members = random.nextInt(6);
          boolean quorum = random.nextInt(3) > 0;
          var status = TestNodes.latticeStatus(PHASES[random.nextInt(PHASES.length)], members,
              members == 0 ? 0 : random.nextInt(members + 1), quorum ? ROOTS[random.nextInt(ROOTS.length)] : null,
              "why " + random.nextInt(100));
          nodes.latticeStatus(lattice, status);
          change = "status of Lattice " + lattice + " = " + status;
        } else if (dice < 50) {
          String lattice = LATTICE_OBJECTS[random.nextInt(LATTICE_OBJECTS.length)];
          if (random.nextBoolean()) {
            nodes.deleteLattice(lattice);
            change = "delete Lattice " + lattice;
          } else {
            if (Lattices.api(client).inNamespace(NS).withName(lattice).get() == null) {
              nodes.createLattice(lattice);
            }
            change = "Lattice " + lattice + " without status (or as it was)";
          }
        } else {
          String name = names.get(random.nextInt(names.size()));
          String root = ROOTS[random.nextInt(ROOTS.length)];
          var status = TestNodes.status(
              pick(random, "Running", "Running", "Pending"), pick(random, "P2P", "HTTP"), random.nextInt(6),
              random.nextInt(1000), root, VERDICTS[random.nextInt(VERDICTS.length)],
              REACHABLE[random.nextInt(REACHABLE.length)]);
          nodes.status(name, status);
          change = "status of " + name + " = " + status;
        }
        Map<String, Map<String, String>> expected = expected(LatticeNodes.list(client, NS), Lattices.list(client, NS));
        try {
          await().atMost(ONE_REFRESH).pollInterval(Duration.ofMillis(50))
              .until(() -> shown(browser), expected::equals);
        } catch (ConditionTimeoutException e) {
          browser.screenshot("property-failure-seed-" + seed);
          assertThat(shown(browser))
              .as("seed %d (replay: -Dlattice.seed=%d), step %d: %s", seed, seed, step, change)
              .isEqualTo(expected);
        }
      }
      browser.screenshot("property-final-seed-" + seed);
    }
  }

  /** What the page must show, computed from the raw objects (not with the page's own code). */
  static Map<String, Map<String, String>> expected(List<JsonNode> backend, List<JsonNode> lattices) {
    Map<String, Map<String, String>> cards = new TreeMap<>();
    Map<String, Integer> members = new TreeMap<>();
    for (JsonNode n : backend) {
      JsonNode s = n.path("status");
      String reachable = "";
      for (JsonNode c : s.path("conditions")) {
        if (c.path("type").asText().equals("Reachable")) {
          reachable = c.path("status").asText();
        }
      }
      Map<String, String> card = new TreeMap<>();
      card.put("phase", s.path("phase").asText("-"));
      card.put("mode", s.path("syncMode").asText("-"));
      card.put("wantedMode", n.at("/spec/sync/mode").asText("auto"));
      card.put("peers", s.path("peerCount").asText("-"));
      card.put("version", s.path("version").asText("-"));
      card.put("rootShort", s.has("merkleRoot") ? s.path("merkleRoot").asText().substring(0, 12) : "-");
      card.put("verdict", s.path("consistency").asText("-"));
      card.put("heartbeat", switch (reachable) {
        case "True" -> "ok";
        case "False" -> "lost";
        case "" -> "unknown";
        default -> "starting";
      });
      card.put("health", health(s, reachable));
      cards.put("node " + n.at("/metadata/namespace").asText() + "/" + n.at("/metadata/name").asText(), card);
      members.merge(n.at("/spec/lattice").asText(), 1, Integer::sum);
    }
    Map<String, JsonNode> latticeStatus = new TreeMap<>();
    for (JsonNode l : lattices) {
      latticeStatus.put(l.at("/metadata/name").asText(), l.path("status"));
      members.putIfAbsent(l.at("/metadata/name").asText(), 0);
    }
    members.forEach((lattice, count) -> {
      JsonNode s = latticeStatus.get(lattice);
      boolean judged = s != null && s.isObject() && !s.isEmpty();
      Map<String, String> header = new TreeMap<>();
      header.put("nodeCount", String.valueOf(count));
      header.put("members", judged ? s.path("members").asText() : "-");
      header.put("agreeing", judged ? s.path("agreeing").asText() : "-");
      header.put("quorum", judged ? s.path("quorum").asText() : "-");
      header.put("referenceRoot", judged && s.has("rootShort") ? s.path("rootShort").asText() : "-");
      String phase = judged ? s.path("phase").asText() : "";
      header.put("health", switch (phase) {
        case "Healthy" -> "GREEN";
        case "NoQuorum", "Split", "Invalid" -> "RED";
        default -> "YELLOW";
      });
      header.put("label", s == null ? "No Lattice yet" : !judged ? "Not judged yet" : switch (phase) {
        case "NoQuorum" -> "No quorum";
        case "Invalid" -> "Invalid spec";
        case "Healthy", "Degraded", "Split" -> phase;
        default -> "Unknown phase: " + phase;
      });
      cards.put("lattice " + NS + "/" + lattice, header);
    });
    return cards;
  }

  /** The colours: red unreachable/Diverged/NoQuorum, yellow HTTP/Behind/Ahead/starting, green P2P+Consistent. */
  static String health(JsonNode s, String reachable) {
    String verdict = s.path("consistency").asText("");
    if (reachable.equals("False") || verdict.equals("Diverged") || verdict.equals("NoQuorum")
        || verdict.equals("Split")) {
      return "RED";
    }
    if (s.isMissingNode() || s.path("phase").asText("Pending").equals("Pending") || !reachable.equals("True")
        || verdict.equals("Behind") || verdict.equals("Ahead") || verdict.equals("Unobserved")
        || s.path("syncMode").asText("").equals("HTTP")) {
      return "YELLOW";
    }
    return "GREEN";
  }

  /** What the page shows now: every card's fields and every lattice header's facts. */
  static Map<String, Map<String, String>> shown(Browser browser) throws Exception {
    String json = (String) browser.driver.executeScript("""
        const out = {};
        for (const c of document.querySelectorAll('[data-node]')) {
          const f = {};
          for (const k of ['phase','mode','wantedMode','peers','version','rootShort','verdict','heartbeat']) {
            const e = c.querySelector('[data-field="' + k + '"]');
            f[k] = e ? e.textContent : '(missing)';
          }
          f.health = c.dataset.health;
          out['node ' + c.dataset.node] = f;
        }
        for (const l of document.querySelectorAll('[data-lattice]')) {
          const f = {};
          for (const k of ['members','agreeing','quorum','referenceRoot','label','nodeCount']) {
            const e = l.querySelector('[data-field="' + k + '"]');
            f[k] = e ? e.textContent : '(missing)';
          }
          f.health = l.dataset.health;
          out['lattice ' + l.dataset.lattice] = f;
        }
        return JSON.stringify(out);""");
    Map<String, Map<String, String>> shown = new TreeMap<>();
    JSON.readTree(json).fields().forEachRemaining(e -> {
      Map<String, String> fields = new TreeMap<>();
      e.getValue().fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
      shown.put(e.getKey(), fields);
    });
    return shown;
  }

  private static String pick(Random random, String... options) {
    return options[random.nextInt(options.length)];
  }

}
