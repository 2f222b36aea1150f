package com.diotec360.lattice.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatticeViewsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROOT_A = "07a313c836d3ec7376cb1f3770e86d9c76d613b63def55de66304ac444259a4b";
  private static final String ROOT_B = "5df3daee3a0ca23c388a16c3db2c23880000000000000000000000000000000";

  static JsonNode node(String name, String lattice, String wanted, String status) throws Exception {
    return JSON.readTree("""
        {"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"LatticeNode",
         "metadata":{"name":"%s","namespace":"ns","uid":"u-%s"},
         "spec":{"lattice":"%s","role":"genesis-primary"%s},
         "status":%s}
        """.formatted(name, name, lattice, wanted == null ? "" : ",\"sync\":{\"mode\":\"" + wanted + "\"}", status));
  }

  static String status(String phase, String mode, String verdict, String reachable, String root) {
    return """
        {"phase":"%s","syncMode":"%s","consistency":"%s","peerCount":1,"version":3,"merkleRoot":"%s",
         "lattice":{"referenceRoot":"%s","agreeing":1,"members":1},
         "conditions":[{"type":"Reachable","status":"%s","reason":"r"}]}
        """.formatted(phase, mode, verdict, root, ROOT_A, reachable);
  }

  /** Behind or Ahead with divergedSince: the operator's evidence-sharpened Diverged, so red. */
  @Test
  void behindPastTheGracePeriodIsRed() throws Exception {
    String past = status("Running", "P2P", "Behind", "True", ROOT_B)
        .replaceFirst("\\{", "{\"divergedSince\":\"2026-11-30T00:00:00Z\",");
    NodeView v = only(node("n1", "l", "auto", past));
    assertThat(v.health()).isEqualTo(Health.RED);
    assertThat(v.label()).isEqualTo("Behind (past grace)");
  }

  @ParameterizedTest(name = "{0} {1} {2} reachable={3} wanted={4} -> {5} {6}")
  @CsvSource({
      "Running, P2P,  Consistent, True,    auto, GREEN,  'Healthy: P2P, Consistent'",
      "Running, HTTP, Consistent, True,    auto, YELLOW, HTTP fallback",
      "Running, HTTP, Consistent, True,    http, YELLOW, HTTP (forced)",
      "Running, P2P,  Behind,     True,    auto, YELLOW, Behind (within grace)",
      "Running, P2P,  Ahead,      True,    auto, YELLOW, Ahead (within grace)",
      "Pending, P2P,  Unobserved, Unknown, auto, YELLOW, Starting",
      "Running, P2P,  Unobserved, True,    auto, YELLOW, Not observed yet",
      "Running, P2P,  Consistent, False,   auto, RED,    Unreachable",
      "Running, P2P,  Diverged,   True,    auto, RED,    Diverged",
      "Running, P2P,  Forked,     True,    auto, RED,    Forked",
      "Running, P2P,  NoQuorum,   True,    auto, RED,    No quorum",
      "Running, P2P,  Split,      True,    auto, RED,    Split",
      "Invalid, P2P,  Consistent, True,    auto, RED,    Invalid spec",
      "Running, HTTP, Diverged,   False,   auto, RED,    Unreachable",
      "Running, GOSSIP, Consistent, True,  auto, YELLOW, 'Unknown state: GOSSIP, Consistent'",
  })
  void eachStateHasAColourAndWords(
      String phase, String mode, String verdict, String reachable, String wanted, Health health, String label)
      throws Exception {
    NodeView v = only(node("n1", "l", wanted, status(phase, mode, verdict, reachable, ROOT_A)));
    assertThat(v.health()).isEqualTo(health);
    assertThat(v.label()).isEqualTo(label);
  }

  @Test
  void aNodeWithoutStatusIsStarting() throws Exception {
    NodeView v = only(JSON.readTree("""
        {"metadata":{"name":"n","namespace":"ns"},"spec":{"lattice":"l","role":"r"}}"""));
    assertThat(v.health()).isEqualTo(Health.YELLOW);
    assertThat(v.label()).isEqualTo("Starting");
    assertThat(v.mode()).isEqualTo("-");
    assertThat(v.heartbeat()).isEqualTo("unknown");
    assertThat(v.wantedMode()).isEqualTo("auto");
  }

  @Test
  void fieldsANewerOperatorAddsAreShownAndUnknownOnesIgnored() throws Exception {
    var n = (com.fasterxml.jackson.databind.node.ObjectNode) node("n1", "l", "auto",
        status("Running", "P2P", "Consistent", "True", ROOT_A));
    var status = (com.fasterxml.jackson.databind.node.ObjectNode) n.path("status");
    status.putObject("divergence").put("summary", "n1 lacks 1 entry n2 holds").putArray("buckets").add("0a3f");
    status.putObject("rollout").put("revision", "42");
    status.put("heartbeat", "active");
    status.putObject("somethingNew").put("x", 1);
    NodeView v = only(n);
    assertThat(v.evidence()).isEqualTo("n1 lacks 1 entry n2 holds");
    assertThat(v.revision()).isEqualTo("42");
    assertThat(v.heartbeat()).isEqualTo("active");
    assertThat(v.health()).isEqualTo(Health.GREEN);
  }

  @Test
  void theHeaderShowsWhoReachesWhomAsTheOperatorSummarisedIt() throws Exception {
    var n = (com.fasterxml.jackson.databind.node.ObjectNode) node("a", "l", null,
        status("Running", "HTTP", "Consistent", "True", ROOT_A));
    ((com.fasterxml.jackson.databind.node.ObjectNode) n.at("/status/lattice"))
        .put("partitions", "P2P groups: [a] [b]; HTTP failing: b\u2192a (connection refused)");
    assertThat(LatticeViews.of(List.of(n), List.of()).get(0).links())
        .isEqualTo("P2P groups: [a] [b]; HTTP failing: b\u2192a (connection refused)");
    JsonNode unprobed = node("b", "l", null, "{}");
    assertThat(LatticeViews.of(List.of(unprobed), List.of()).get(0).links()).isEqualTo("-");
  }

  @Test
  void aLatticeHeaderCountsMembersRootsAndPartitions() throws Exception {
    List<JsonNode> nodes = new ArrayList<>(List.of(
        node("c", "l", null, status("Running", "P2P", "Diverged", "True", ROOT_B)),
        node("a", "l", null, status("Running", "P2P", "Consistent", "True", ROOT_A)),
        node("b", "l", null, status("Running", "HTTP", "Consistent", "False", ROOT_A)),
        node("x", "other", null, status("Running", "P2P", "Consistent", "True", ROOT_A))));
    List<LatticeView> views = LatticeViews.of(nodes, List.of());
    assertThat(views).extracting(LatticeView::name).containsExactly("l", "other");
    LatticeView l = views.get(0);
    assertThat(l.nodes()).extracting(NodeView::name).containsExactly("a", "b", "c");
    assertThat(l.members()).isEqualTo(3);
    assertThat(l.roots()).isEqualTo(2);
    assertThat(l.partitions()).isEqualTo("07a313c836d3: a, b | 5df3daee3a0c: c");
    assertThat(l.links()).isEqualTo(LatticeView.CONNECTED);
    assertThat(l.unreachable()).isEqualTo(1);
    assertThat(l.quorum()).isEqualTo("yes");
    assertThat(l.agreeing()).isEqualTo("1/3");
    assertThat(l.health()).isEqualTo(Health.RED);
  }

  @Test
  void noReferenceRootMeansNoQuorumAndRed() throws Exception {
    JsonNode n = JSON.readTree("""
        {"metadata":{"name":"n","namespace":"ns"},"spec":{"lattice":"l","role":"r"},
         "status":{"phase":"Running","syncMode":"P2P","consistency":"Consistent","lattice":{"agreeing":0,"members":2}}}""");
    LatticeView l = LatticeViews.of(new ArrayList<>(List.of(n)), List.of()).get(0);
    assertThat(l.quorum()).isEqualTo("NoQuorum");
    assertThat(l.referenceRoot()).isEqualTo("-");
    assertThat(l.health()).isEqualTo(Health.RED);
  }

  @Test
  void theNewestEventOfANodeIsItsLastEvent() throws Exception {
    List<JsonNode> events = List.of(
        event("n1", "NodeUnreachable", "2026-01-01T10:00:00Z"),
        event("n1", "NodeRecovered", "2026-01-01T10:05:00Z"),
        event("n2", "MerkleDivergence", "2026-01-01T11:00:00Z"));
    NodeView v = LatticeViews.of(
        new ArrayList<>(List.of(node("n1", "l", null, status("Running", "P2P", "Consistent", "True", ROOT_A)))),
        events).get(0).nodes().get(0);
    assertThat(v.lastEvent()).isEqualTo("NodeRecovered");
    assertThat(v.lastEventMessage()).isEqualTo("msg NodeRecovered");
    assertThat(v.recentEvents()).containsExactly("NodeRecovered: msg NodeRecovered", "NodeUnreachable: msg NodeUnreachable");
  }

  private static JsonNode event(String node, String reason, String at) throws Exception {
    return JSON.readTree("""
        {"metadata":{"name":"e-%s","namespace":"ns"},"reason":"%s","message":"msg %s","lastTimestamp":"%s",
         "involvedObject":{"kind":"LatticeNode","namespace":"ns","name":"%s"}}
        """.formatted(reason, reason, reason, at, node));
  }

  private static NodeView only(JsonNode n) {
    return LatticeViews.of(new ArrayList<>(List.of(n)), List.of()).get(0).nodes().get(0);
  }
}
