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
         "lastProbeTime":"2026-11-30T10:00:00Z",
         "conditions":[{"type":"Reachable","status":"%s","reason":"r"}]}
        """.formatted(phase, mode, verdict, root, reachable);
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

  /** A Lattice as the operator writes it: {@code status} is the JSON of its status, or null for none. */
  static JsonNode lattice(String namespace, String name, String status) throws Exception {
    return JSON.readTree("""
        {"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"Lattice",
         "metadata":{"name":"%s","namespace":"%s","uid":"l-%s",
                     "labels":{"app.kubernetes.io/managed-by":"lattice-operator"}},
         "spec":{}%s}
        """.formatted(name, namespace, name, status == null ? "" : ",\"status\":" + status));
  }

  /** A Lattice status: phase, counts, the Ready and Quorum conditions, the reference root when held. */
  static String latticeStatus(String phase, int members, int agreeing, String quorumHeld, String readyMessage) {
    return """
        {"observedGeneration":1,"members":%d,"agreeing":%d,"quorum":%d,"phase":"%s"%s,
         "conditions":[
           {"type":"Ready","status":"%s","reason":"%s","message":"%s","lastTransitionTime":"2026-11-30T10:00:00Z"},
           {"type":"Quorum","status":"%s","reason":"q","message":"m","lastTransitionTime":"2026-11-30T10:00:00Z"},
           {"type":"Deleting","status":"False","reason":"NotDeleting","message":"The Lattice is not being deleted"}]}
        """.formatted(members, agreeing, members / 2 + 1, phase,
            quorumHeld.equals("True")
                ? ",\"referenceRoot\":\"" + ROOT_A + "\",\"rootShort\":\"07a313c836d3\",\"refreshedAt\":\"2026-11-30T10:01:00Z\""
                : "",
            phase.equals("Healthy") ? "True" : "False", phase, readyMessage, quorumHeld);
  }

  /** Every phase the operator writes has a colour and words; a phase this version does not know is yellow and named. */
  @ParameterizedTest(name = "{0} -> {5} {6}")
  @CsvSource({
      "Healthy,  3, 3, True,  Every member holds the reference root,                    GREEN,  Healthy,       yes",
      "Degraded, 3, 2, True,  A strict majority holds the reference root; c is Behind,   YELLOW, Degraded,      yes",
      "NoQuorum, 4, 2, False, No Merkle root is held by a strict majority of the members, RED,   No quorum,     no",
      "Split,    2, 0, False, Sides: a | b,                                               RED,    Split,         no",
      "Invalid,  3, 3, False, externalMembers: each name may appear once,                 RED,    Invalid spec,  no",
      "Rebalancing, 3, 3, True, whatever a newer operator says,                           YELLOW, 'Unknown phase: Rebalancing', yes",
  })
  void eachLatticePhaseHasAColourAndWords(
      String phase, int members, int agreeing, String quorumHeld, String message, Health health, String label,
      String hasQuorum) throws Exception {
    LatticeView l = LatticeViews.of(
        List.of(node("a", "l", null, status("Running", "P2P", "Consistent", "True", ROOT_A))),
        List.of(lattice("ns", "l", latticeStatus(phase, members, agreeing, quorumHeld, message))),
        List.of()).get(0);
    assertThat(l.phase()).isEqualTo(phase);
    assertThat(l.health()).isEqualTo(health);
    assertThat(l.label()).isEqualTo(label);
    assertThat(l.why()).isEqualTo(message);
    assertThat(l.members()).isEqualTo(String.valueOf(members));
    assertThat(l.agreeing()).isEqualTo(String.valueOf(agreeing));
    assertThat(l.quorum()).isEqualTo(String.valueOf(members / 2 + 1));
    assertThat(l.hasQuorum()).isEqualTo(hasQuorum);
    assertThat(l.referenceRoot()).isEqualTo(quorumHeld.equals("True") ? ROOT_A : "-");
    assertThat(l.rootShort()).isEqualTo(quorumHeld.equals("True") ? "07a313c836d3" : "-");
    assertThat(l.refreshedAt()).isEqualTo(quorumHeld.equals("True") ? "2026-11-30T10:01:00Z" : "-");
    assertThat(l.status().path("phase").asText()).as("the status as written, for -o json").isEqualTo(phase);
  }

  /** Degraded by writes still propagating says so, and stays yellow: it is not Healthy yet. */
  @Test
  void degradedByWritesInFlightSaysSo() throws Exception {
    String status = latticeStatus("Degraded", 3, 2, "True", "A strict majority holds the reference root; c is Behind")
        .replace("\"phase\":\"Degraded\"", "\"phase\":\"Degraded\",\"writesInFlight\":true");
    LatticeView l = LatticeViews.of(
        List.of(node("a", "l", null, status("Running", "P2P", "Consistent", "True", ROOT_A))),
        List.of(lattice("ns", "l", status)), List.of()).get(0);
    assertThat(l.health()).isEqualTo(Health.YELLOW);
    assertThat(l.label()).isEqualTo("Degraded: writes in flight");
    assertThat(l.phase()).isEqualTo("Degraded");
  }

  /** The header is the Lattice's alone: a member in another state does not change its colour. */
  @Test
  void theHeaderColourIsTheLatticePhaseNotTheWorstMember() throws Exception {
    LatticeView l = LatticeViews.of(
        List.of(node("a", "l", null, status("Running", "P2P", "Consistent", "True", ROOT_A)),
            node("b", "l", null, status("Running", "P2P", "Consistent", "False", ROOT_A))),
        List.of(lattice("ns", "l", latticeStatus("Degraded", 2, 1, "True", "b is Unobserved"))),
        List.of()).get(0);
    assertThat(l.health()).isEqualTo(Health.YELLOW);
    assertThat(l.nodes()).extracting(NodeView::health).containsExactly(Health.GREEN, Health.RED);
  }

  @Test
  void aLatticeWithoutMembersStillHasAHeader() throws Exception {
    List<LatticeView> views = LatticeViews.of(
        List.of(node("a", "l", null, status("Running", "P2P", "Consistent", "True", ROOT_A))),
        List.of(lattice("ns", "empty", """
            {"members":0,"agreeing":0,"quorum":1,"phase":"NoQuorum",
             "conditions":[{"type":"Ready","status":"False","reason":"NoQuorum","message":"The lattice has no members yet"}]}"""),
            lattice("ns", "l", latticeStatus("Healthy", 1, 1, "True", "Every member holds the reference root"))),
        List.of());
    assertThat(views).extracting(LatticeView::name).containsExactly("empty", "l");
    LatticeView empty = views.get(0);
    assertThat(empty.nodes()).isEmpty();
    assertThat(empty.members()).isEqualTo("0");
    assertThat(empty.label()).isEqualTo("No quorum");
    assertThat(empty.why()).isEqualTo("The lattice has no members yet");
  }

  @Test
  void aLatticeTheOperatorHasNotJudgedOrMadeYetSaysSo() throws Exception {
    JsonNode member = node("a", "l", null, status("Running", "P2P", "Consistent", "True", ROOT_A));
    LatticeView unjudged = LatticeViews.of(List.of(member), List.of(lattice("ns", "l", null)), List.of()).get(0);
    assertThat(unjudged.health()).isEqualTo(Health.YELLOW);
    assertThat(unjudged.label()).isEqualTo("Not judged yet");
    assertThat(unjudged.why()).isEqualTo("the operator has not written this Lattice's status yet");
    assertThat(unjudged.members()).isEqualTo("-");
    assertThat(unjudged.links()).isEqualTo("-");
    assertThat(unjudged.status()).isNull();

    LatticeView unmade = LatticeViews.of(List.of(member), List.of(), List.of()).get(0);
    assertThat(unmade.label()).isEqualTo("No Lattice yet");
    assertThat(unmade.health()).isEqualTo(Health.YELLOW);
    assertThat(unmade.why()).startsWith("no Lattice l in namespace ns yet: the operator makes one");
    assertThat(unmade.nodes()).extracting(NodeView::name).containsExactly("a");
  }

  /** Operators before the Lattice resource wrote a summary on every member; it is not read any more. */
  @Test
  void theOldPerMemberSummaryIsIgnored() throws Exception {
    var n = (com.fasterxml.jackson.databind.node.ObjectNode) node("a", "l", null,
        status("Running", "P2P", "Consistent", "True", ROOT_A));
    ((com.fasterxml.jackson.databind.node.ObjectNode) n.path("status")).putObject("lattice")
        .put("referenceRoot", ROOT_A).put("agreeing", 1).put("members", 1).put("partitions", "P2P groups: [a]");
    LatticeView l = LatticeViews.of(List.of(n), List.of(), List.of()).get(0);
    assertThat(l.referenceRoot()).isEqualTo("-");
    assertThat(l.agreeing()).isEqualTo("-");
    assertThat(l.links()).isEqualTo("-");
    assertThat(l.label()).isEqualTo("No Lattice yet");
  }

  @Test
  void theHeaderShowsWhoReachesWhomAsTheOperatorSummarisedIt() throws Exception {
    var status = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
        latticeStatus("Degraded", 2, 1, "True", "b is Unobserved"));
    assertThat(LatticeViews.of(List.of(), List.of(lattice("ns", "l", status.toString())), List.of()).get(0).links())
        .isEqualTo(LatticeView.CONNECTED);
    status.put("partitions", "P2P groups: [a] [b]; HTTP failing: b\u2192a (connection refused)");
    assertThat(LatticeViews.of(List.of(), List.of(lattice("ns", "l", status.toString())), List.of()).get(0).links())
        .isEqualTo("P2P groups: [a] [b]; HTTP failing: b\u2192a (connection refused)");
  }

  @Test
  void evidenceHealingAndDeletionComeFromTheLattice() throws Exception {
    var status = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
        latticeStatus("Degraded", 3, 2, "True", "c is Diverged"));
    status.put("evidence", "c: c lacks 3 entries a holds; buckets 0a3f");
    status.put("healing", "c");
    ((com.fasterxml.jackson.databind.node.ObjectNode) status.path("conditions").get(2))
        .put("status", "True").put("reason", "MembersRemain").put("message", "Lattice l was deleted and waits for its members to go");
    LatticeView l = LatticeViews.of(List.of(), List.of(lattice("ns", "l", status.toString())), List.of()).get(0);
    assertThat(l.evidence()).isEqualTo("c: c lacks 3 entries a holds; buckets 0a3f");
    assertThat(l.healing()).isEqualTo("c");
    assertThat(l.deleting()).isEqualTo("Lattice l was deleted and waits for its members to go");
    LatticeView quiet = LatticeViews.of(List.of(),
        List.of(lattice("ns", "l", latticeStatus("Healthy", 1, 1, "True", "ok"))), List.of()).get(0);
    assertThat(List.of(quiet.evidence(), quiet.healing(), quiet.deleting(), quiet.rollout())).containsOnly("-");
    assertThat(quiet.restarting()).isEmpty();
    assertThat(quiet.waiting()).isEmpty();
  }

  @Test
  void theRolloutSaysWhoRestartsWhoWaitsAndWhy() throws Exception {
    var status = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
        latticeStatus("Degraded", 3, 2, "True", "b is Unobserved"));
    status.set("rollout", JSON.readTree("""
        {"restarting":["b"],
         "waiting":[{"name":"c","reason":"waiting for b to become Ready and Consistent after its restart"},
                    {"name":"a","reason":"restarting a now would leave 1 of 3 members Consistent","blocking":true}]}"""));
    List<JsonNode> members = new ArrayList<>();
    for (String[] m : new String[][] {{"a", "Waiting"}, {"b", "Restarting"}, {"c", "UpToDate"}}) {
      var n = (com.fasterxml.jackson.databind.node.ObjectNode) node(m[0], "l", null,
          status("Running", "P2P", "Consistent", "True", ROOT_A));
      ((com.fasterxml.jackson.databind.node.ObjectNode) n.path("status")).putObject("rollout").put("state", m[1]);
      members.add(n);
    }
    LatticeView l = LatticeViews.of(members, List.of(lattice("ns", "l", status.toString())), List.of()).get(0);
    assertThat(l.restarting()).containsExactly("b");
    assertThat(l.waiting()).containsExactly(
        new LatticeView.Waiting("c", "waiting for b to become Ready and Consistent after its restart", false),
        new LatticeView.Waiting("a", "restarting a now would leave 1 of 3 members Consistent", true));
    assertThat(l.rollout()).isEqualTo("restarting b; 2 waiting (1 blocked by the lattice); 1 of 3 up to date");
  }

  @ParameterizedTest(name = "restarting [{0}], waiting [{1}], blocking [{2}], states [{3}] -> {4}")
  @CsvSource(delimiter = '|', value = {
      "    |     |   |                      | -",
      "b   |     |   |                      | restarting b",
      "b,c |     |   |                      | restarting b, c",
      "    | a   |   |                      | 1 waiting",
      "    | a,c | a |                      | 2 waiting (1 blocked by the lattice)",
      "b   | a   |   | UpToDate,Restarting  | restarting b; 1 waiting; 1 of 2 up to date",
      "    |     |   | UpToDate,Restarting  | -",
  })
  void theRolloutInOneLine(String restarting, String waiting, String blocking, String states, String line)
      throws Exception {
    List<String> blocked = split(blocking);
    List<LatticeView.Waiting> waits = split(waiting).stream()
        .map(w -> new LatticeView.Waiting(w, "why", blocked.contains(w))).toList();
    List<JsonNode> members = new ArrayList<>();
    for (String state : split(states)) {
      members.add(JSON.readTree("{\"status\":{\"rollout\":{\"state\":\"" + state + "\"}}}"));
    }
    assertThat(LatticeViews.rolloutSummary(split(restarting), waits, members)).isEqualTo(line);
  }

  private static List<String> split(String csv) {
    return csv == null || csv.isBlank() ? List.of() : List.of(csv.split(","));
  }

  @Test
  void aLatticeHeaderGroupsItsMembersAndLatticesByNamespaceAndName() throws Exception {
    List<JsonNode> nodes = new ArrayList<>(List.of(
        node("c", "l", null, status("Running", "P2P", "Diverged", "True", ROOT_B)),
        node("a", "l", null, status("Running", "P2P", "Consistent", "True", ROOT_A)),
        node("b", "l", null, status("Running", "HTTP", "Consistent", "False", ROOT_A)),
        node("x", "other", null, status("Running", "P2P", "Consistent", "True", ROOT_A))));
    List<LatticeView> views = LatticeViews.of(nodes,
        List.of(lattice("ns", "l", latticeStatus("Degraded", 3, 1, "True", "b is Unobserved, c is Diverged")),
            lattice("ns2", "l", latticeStatus("Healthy", 0, 0, "True", "elsewhere"))),
        List.of());
    assertThat(views).extracting(LatticeView::key).containsExactly("ns/l", "ns/other", "ns2/l");
    LatticeView l = views.get(0);
    assertThat(l.nodes()).extracting(NodeView::name).containsExactly("a", "b", "c");
    assertThat(l.members()).isEqualTo("3");
    assertThat(l.agreeing()).isEqualTo("1");
    assertThat(l.health()).isEqualTo(Health.YELLOW);
    assertThat(views.get(2).nodes()).isEmpty();
  }

  /** Roots and versions are not live: a node says when they were written. */
  @Test
  void aNodeSaysWhenItsRootAndVersionWereWritten() throws Exception {
    NodeView v = only(node("n1", "l", null, status("Running", "P2P", "Consistent", "True", ROOT_A)));
    assertThat(v.rootShort()).isEqualTo("07a313c836d3");
    assertThat(v.version()).isEqualTo("3");
    assertThat(v.rootWrittenAt()).isEqualTo("2026-11-30T10:00:00Z");
    assertThat(only(node("n2", "l", null, "{}")).rootWrittenAt()).isEqualTo("-");
  }

  @Test
  void theNewestEventOfALatticeIsInItsHeader() throws Exception {
    List<JsonNode> events = List.of(
        event("Lattice", "l", "LatticeSplit", "2026-01-01T10:00:00Z"),
        event("Lattice", "l", "LatticeHealed", "2026-01-01T10:05:00Z"),
        event("LatticeNode", "l", "NodeUnreachable", "2026-01-01T11:00:00Z"));
    LatticeView l = LatticeViews.of(List.of(),
        List.of(lattice("ns", "l", latticeStatus("Healthy", 0, 0, "True", "ok"))), events).get(0);
    assertThat(l.lastEvent()).isEqualTo(new EventView("LatticeHealed", "msg LatticeHealed", "2026-01-01T10:05:00Z"));
  }

  @Test
  void theNewestEventOfANodeIsItsLastEvent() throws Exception {
    List<JsonNode> events = List.of(
        event("LatticeNode", "n1", "NodeUnreachable", "2026-01-01T10:00:00Z"),
        event("LatticeNode", "n1", "NodeRecovered", "2026-01-01T10:05:00Z"),
        event("LatticeNode", "n2", "MerkleDivergence", "2026-01-01T11:00:00Z"),
        event("Lattice", "n1", "LatticeSplit", "2026-01-01T12:00:00Z"));
    NodeView v = LatticeViews.of(
        List.of(node("n1", "l", null, status("Running", "P2P", "Consistent", "True", ROOT_A))), List.of(),
        events).get(0).nodes().get(0);
    assertThat(v.lastEvent()).isEqualTo("NodeRecovered");
    assertThat(v.lastEventMessage()).isEqualTo("msg NodeRecovered");
    assertThat(v.lastEventAt()).isEqualTo("2026-01-01T10:05:00Z");
    assertThat(v.recentEvents()).extracting(EventView::text)
        .containsExactly("NodeRecovered: msg NodeRecovered", "NodeUnreachable: msg NodeUnreachable");
  }

  /** A Lattice that lists external members in its spec and, as the operator wrote them, in its status. */
  static JsonNode latticeWithExternals(String specMembers, String statusMembers) throws Exception {
    return JSON.readTree("""
        {"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"Lattice",
         "metadata":{"name":"l","namespace":"ns","uid":"l-l"},
         "spec":{"externalMembers":[%s]},
         "status":{"members":3,"agreeing":2,"quorum":2,"phase":"Degraded","externalMembers":[%s]}}
        """.formatted(specMembers, statusMembers));
  }

  static String externalStatus(String name, Boolean reachable, String verdict, String mode, String divergedSince) {
    return """
        {"name":"%s","url":"http://%s.example:8000","role":"genesis-public"%s,"consistency":"%s","syncMode":"%s",
         "merkleRoot":"%s","version":4,"message":"m-%s","evidence":"e-%s"%s}
        """.formatted(name, name, reachable == null ? "" : ",\"reachable\":" + reachable, verdict, mode, ROOT_B,
            name, name, divergedSince == null ? "" : ",\"divergedSince\":\"" + divergedSince + "\"");
  }

  /** An external member has a LatticeNode's colours, read from its status.externalMembers entry. */
  @ParameterizedTest(name = "reachable={0} {1} {2} diverged={3} -> {4} {5}")
  @CsvSource({
      "true,  Consistent, P2P,  false, GREEN,  'Healthy: P2P, Consistent'",
      "true,  Consistent, HTTP, false, YELLOW, HTTP",
      "true,  Behind,     P2P,  false, YELLOW, Behind (within grace)",
      "true,  Ahead,      HTTP, false, YELLOW, Ahead (within grace)",
      "true,  Behind,     P2P,  true,  RED,    Behind (past grace)",
      "true,  Unobserved, P2P,  false, YELLOW, Not observed yet",
      "false, Unobserved, P2P,  false, RED,    Unreachable",
      "true,  Diverged,   P2P,  true,  RED,    Diverged",
      "true,  Split,      HTTP, false, RED,    Split",
      "true,  NoQuorum,   P2P,  false, RED,    No quorum",
      ",      Unobserved, -,    false, YELLOW, Not probed yet",
  })
  void anExternalMemberHasTheColoursOfAMemberTheOperatorRuns(
      Boolean reachable, String verdict, String mode, boolean diverged, Health health, String label) throws Exception {
    LatticeView l = LatticeViews.of(List.of(), List.of(latticeWithExternals(
        "{\"name\":\"hf\",\"url\":\"https://hf.example\",\"role\":\"genesis-public\"}",
        externalStatus("hf", reachable, verdict, mode, diverged ? "2026-11-30T10:00:00Z" : null))), List.of()).get(0);
    ExternalMemberView e = l.externalMembers().get(0);
    assertThat(e.health()).isEqualTo(health);
    assertThat(e.label()).isEqualTo(label);
    assertThat(e.reachable()).isEqualTo(reachable == null ? "-" : reachable ? "yes" : "no");
    assertThat(l.nodes()).as("kept apart from the LatticeNodes").isEmpty();
  }

  /**
   * Spec order, joined by name with the status; a member the operator has not probed yet is "Not
   * probed yet"; one only the status still lists says so; the Secret names never reach the view.
   */
  @Test
  void externalMembersComeFromTheSpecJoinedWithWhatTheOperatorWrote() throws Exception {
    JsonNode lattice = latticeWithExternals("""
        {"name":"zeta","url":"https://zeta.example","role":"genesis-public","headersSecret":"zeta-headers",
         "tls":{"caSecret":"zeta-ca"}},
        {"name":"alpha","url":"http://alpha.example:8000","role":"genesis-backup"}""",
        externalStatus("zeta", true, "Behind", "HTTP", null) + "," + externalStatus("gone", false, "Unobserved", "HTTP", null));
    LatticeView l = LatticeViews.of(
        List.of(node("a", "l", null, status("Running", "P2P", "Consistent", "True", ROOT_A))), List.of(lattice),
        List.of()).get(0);
    assertThat(l.nodes()).extracting(NodeView::name).containsExactly("a");
    assertThat(l.externalMembers()).extracting(ExternalMemberView::name).containsExactly("zeta", "alpha", "gone");

    ExternalMemberView zeta = l.externalMembers().get(0);
    assertThat(zeta.url()).as("the spec's url").isEqualTo("https://zeta.example");
    assertThat(zeta.role()).isEqualTo("genesis-public");
    assertThat(zeta.verdict()).isEqualTo("Behind");
    assertThat(zeta.mode()).isEqualTo("HTTP");
    assertThat(zeta.version()).isEqualTo("4");
    assertThat(zeta.root()).isEqualTo(ROOT_B);
    assertThat(zeta.rootShort()).isEqualTo("5df3daee3a0c");
    assertThat(zeta.message()).isEqualTo("m-zeta");
    assertThat(zeta.evidence()).isEqualTo("e-zeta");
    assertThat(zeta.inSpec()).isTrue();
    assertThat(zeta.key()).isEqualTo("ns/l/zeta");

    ExternalMemberView alpha = l.externalMembers().get(1);
    assertThat(alpha.health()).isEqualTo(Health.YELLOW);
    assertThat(alpha.label()).isEqualTo("Not probed yet");
    assertThat(List.of(alpha.reachable(), alpha.verdict(), alpha.root(), alpha.mode(), alpha.message()))
        .containsOnly("-");

    ExternalMemberView gone = l.externalMembers().get(2);
    assertThat(gone.inSpec()).isFalse();
    assertThat(gone.url()).isEqualTo("http://gone.example:8000");
    assertThat(gone.health()).isEqualTo(Health.RED);

    assertThat(JSON.writeValueAsString(l.externalMembers())).as("no Secret name in what is shown")
        .doesNotContain("zeta-headers").doesNotContain("zeta-ca").doesNotContainIgnoringCase("secret");
  }

  @Test
  void aLatticeWithoutExternalMembersOrWithoutALatticeHasNone() throws Exception {
    JsonNode member = node("a", "l", null, status("Running", "P2P", "Consistent", "True", ROOT_A));
    assertThat(LatticeViews.of(List.of(member), List.of(), List.of()).get(0).externalMembers()).isEmpty();
    assertThat(LatticeViews.of(List.of(member), List.of(lattice("ns", "l", null)), List.of()).get(0)
        .externalMembers()).isEmpty();
  }

  private static JsonNode event(String kind, String name, String reason, String at) throws Exception {
    return JSON.readTree("""
        {"metadata":{"name":"e-%s","namespace":"ns"},"reason":"%s","message":"msg %s","lastTimestamp":"%s",
         "involvedObject":{"kind":"%s","namespace":"ns","name":"%s"}}
        """.formatted(reason, reason, reason, at, kind, name));
  }

  private static NodeView only(JsonNode n) {
    return LatticeViews.of(List.of(n), List.of(), List.of()).get(0).nodes().get(0);
  }
}
