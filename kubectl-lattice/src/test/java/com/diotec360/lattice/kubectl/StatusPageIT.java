package com.diotec360.lattice.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.embedded.Crds;
import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.local.LocalLattice;
import com.diotec360.lattice.view.LatticeNodes;
import com.diotec360.lattice.view.StatusPageServer;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The status page in a real headless Chromium, on the strict embedded API, with statuses written
 * through the API as the operator writes them: every colour and label, the connection-lost
 * indicator, the mode switch (confirm, cancel, RBAC-disabled). A screenshot of each state is kept
 * under target/page-screenshots.
 */
class StatusPageIT {

  static final String NS = "page";
  static final String A = "07a313c836d3ec7376cb1f3770e86d9c76d613b63def55de66304ac444259a4b";
  static final String B = "5df3daee3a0ca23c388a16c3db2c2388aa11bb22cc33dd44ee55ff6600112233";
  static final Duration PUSHED = Duration.ofSeconds(10);

  static EmbeddedApiServer api;
  static KubernetesClient client;
  static Browser browser;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(Browser.available(), Browser.SKIP);
    api = EmbeddedApiServer.start(0, Crds.fromClasspath(com.diotec360.lattice.operator.api.CustomResources.RESOURCES));
    client = api.client();
    browser = Browser.start();
    TestNodes nodes = new TestNodes(client, NS);
    // One node per state the page must render; lattices group them.
    state(nodes, "green", "healthy", "auto", TestNodes.status("Running", "P2P", 2, 5, A, "Consistent", "True"));
    state(nodes, "fallback", "healthy", "auto", TestNodes.status("Running", "HTTP", 0, 5, A, "Consistent", "True"));
    state(nodes, "forced-http", "healthy", "http", TestNodes.status("Running", "HTTP", 0, 5, A, "Consistent", "True"));
    state(nodes, "behind", "lagging", "auto", TestNodes.status("Running", "P2P", 1, 4, B, "Behind", "True"));
    state(nodes, "starting", "lagging", "auto", null);
    state(nodes, "ahead", "lagging", "auto", TestNodes.status("Running", "P2P", 1, 6, B, "Ahead", "True"));
    state(nodes, "unobserved", "lagging", "auto", TestNodes.status("Running", "P2P", 0, 0, A, "Unobserved", "True"));
    state(nodes, "forked", "forked", "auto", TestNodes.status("Running", "P2P", 1, 9, B, "Forked", "True"));
    state(nodes, "invalid", "forked", "auto", TestNodes.status("Invalid", "P2P", 0, 0, A, "Unobserved", "True"));
    state(nodes, "unreachable", "lagging", "auto", TestNodes.status("Running", "P2P", 0, 5, A, "Consistent", "False"));
    state(nodes, "diverged", "forked", "auto", TestNodes.status("Running", "P2P", 1, 9, B, "Diverged", "True"));
    state(nodes, "agreeing", "forked", "auto", TestNodes.status("Running", "P2P", 1, 5, A, "Consistent", "True"));
    state(nodes, "split-1", "split", "auto", TestNodes.status("Running", "P2P", 0, 5, A, "Split", "True"));
    state(nodes, "split-2", "split", "auto", TestNodes.status("Running", "HTTP", 0, 6, B, "Split", "True"));
    state(nodes, "lonely", "orphan", "auto", TestNodes.status("Running", "P2P", 0, 1, A, "Consistent", "True"));
    // One Lattice per phase, as the operator writes them; "orphan" has none, "fresh" no status yet.
    lattice(nodes, "healthy", TestNodes.latticeStatus("Healthy", 3, 3, A, "Every member holds the reference root"));
    Map<String, Object> lagging = TestNodes.latticeStatus("Degraded", 5, 1, A,
        "A strict majority holds the reference root; behind is Behind, unreachable is Unobserved");
    lagging.put("rollout", Map.of(
        "restarting", List.of("ahead"),
        "waiting", List.of(
            Map.of("name", "behind", "reason", "waiting for ahead to become Ready and Consistent after its restart"),
            Map.of("name", "unobserved", "reason", "restarting unobserved now would leave 1 of 5 members Consistent"
                + " and the lattice keeps at least 3", "blocking", true))));
    lattice(nodes, "lagging", lagging);
    Map<String, Object> forked = TestNodes.latticeStatus("NoQuorum", 4, 1, null,
        "No Merkle root is held by a strict majority of the members: forked is Forked, diverged is Diverged");
    forked.put("evidence", "diverged: diverged lacks 3 entries agreeing holds; buckets 0a3f");
    forked.put("partitions", "P2P groups: [agreeing, diverged] [forked]; HTTP failing: forked\u2192agreeing (connection refused)");
    lattice(nodes, "forked", forked);
    lattice(nodes, "split", TestNodes.latticeStatus("Split", 2, 0, null,
        "The members hold different Merkle roots past the grace period and no root is held by a strict majority;"
            + " nobody can say which side is right (spec.expectedMerkleRoot can). Sides: 07a313c836d3: split-1 | 5df3daee3a0c: split-2"));
    lattice(nodes, "broken", TestNodes.latticeStatus("Invalid", 0, 0, null,
        "externalMembers: each name may appear once; rename or remove the duplicate"));
    lattice(nodes, "fresh", null);
    // A lattice with members the operator does not run: one node it runs, three external members.
    state(nodes, "inside", "hybrid", "auto", TestNodes.status("Running", "P2P", 0, 5, A, "Consistent", "True"));
    nodes.createLattice("hybrid", Map.of("externalMembers", List.of(
        Map.of("name", "hosted", "url", "https://hosted.example", "role", "genesis-public",
            "headersSecret", "page-secret-headers"),
        Map.of("name", "far-away", "url", "http://far-away.example:8000", "role", "genesis-backup"),
        Map.of("name", "newcomer", "url", "http://newcomer.example:8000", "role", "genesis-backup"))));
    Map<String, Object> hybrid = TestNodes.latticeStatus("Degraded", 4, 2, A,
        "A strict majority holds the reference root; far-away is Unobserved");
    hybrid.put("quorum", 3);
    hybrid.put("externalMembers", List.of(
        Map.of("name", "hosted", "url", "https://hosted.example", "role", "genesis-public", "reachable", true,
            "consistency", "Consistent", "merkleRoot", A, "version", 5, "syncMode", "HTTP"),
        Map.of("name", "far-away", "url", "http://far-away.example:8000", "role", "genesis-backup", "reachable", false,
            "consistency", "Unobserved", "message", "GET /health: connect timed out")));
    nodes.latticeStatus("hybrid", hybrid);
    event("green", "e1", "NodeUnreachable", "probes fail", "2026-11-30T10:00:00Z");
    event("green", "e2", "NodeRecovered", "probes succeed again", "2026-11-30T10:05:00Z");
  }

  static void event(String node, String name, String reason, String message, String at) {
    client.v1().events().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.EventBuilder()
        .withNewMetadata().withName(node + "." + name).endMetadata()
        .withNewInvolvedObject().withKind("LatticeNode").withName(node).withNamespace(NS).endInvolvedObject()
        .withReason(reason).withMessage(message).withType("Normal").withLastTimestamp(at).build()).create();
  }

  static void lattice(TestNodes nodes, String name, Map<String, Object> status) {
    nodes.createLattice(name);
    if (status != null) {
      nodes.latticeStatus(name, status);
    }
  }

  static void state(TestNodes nodes, String name, String lattice, String mode, Map<String, Object> status) {
    nodes.create(name, lattice, mode);
    if (status != null) {
      nodes.status(name, status);
    }
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @Test
  void everyStateHasItsColourAndWordsAndAScreenshot() throws Exception {
    try (StatusPageServer page = new StatusPageServer(client, NS, 0).start()) {
      browser.driver.get(page.url());
      awaitCard("split-2");
      Map<String, String[]> expected = new java.util.LinkedHashMap<>();
      expected.put("green", new String[] {"GREEN", "Healthy: P2P, Consistent"});
      expected.put("fallback", new String[] {"YELLOW", "HTTP fallback"});
      expected.put("forced-http", new String[] {"YELLOW", "HTTP (forced)"});
      expected.put("behind", new String[] {"YELLOW", "Behind (within grace)"});
      expected.put("ahead", new String[] {"YELLOW", "Ahead (within grace)"});
      expected.put("unobserved", new String[] {"YELLOW", "Not observed yet"});
      expected.put("forked", new String[] {"RED", "Forked"});
      expected.put("invalid", new String[] {"RED", "Invalid spec"});
      expected.put("starting", new String[] {"YELLOW", "Starting"});
      expected.put("unreachable", new String[] {"RED", "Unreachable"});
      expected.put("diverged", new String[] {"RED", "Diverged"});
      expected.put("split-1", new String[] {"RED", "Split"});
      expected.forEach((node, want) -> {
        WebElement card = card(node);
        assertThat(card.getAttribute("data-health")).as(node).isEqualTo(want[0]);
        assertThat(card.findElement(By.cssSelector("[data-field=label]")).getText()).as(node).isEqualTo(want[1]);
        savePng(card, "state-" + want[0].toLowerCase() + "-" + node);
      });
      // Events: the newest on the card, the recent ones under it.
      WebElement green = card("green");
      assertThat(green.findElement(By.cssSelector("[data-field=lastEvent]")).getText())
          .isEqualTo("NodeRecovered: probes succeed again");
      green.findElement(By.cssSelector("[data-field=recentEvents] summary")).click();
      assertThat(card("green").findElement(By.cssSelector("[data-field=recentEvents]")).getText())
          .contains("recent events (2)", "NodeRecovered: probes succeed again", "NodeUnreachable: probes fail");
      // Help explains every colour, mode and verdict.
      browser.driver.findElement(By.cssSelector("#help summary")).click();
      String help = browser.driver.findElement(By.id("help")).getText();
      assertThat(help).contains("green", "yellow", "red", "auto", "p2p", "http", "Consistent", "Behind", "Ahead",
          "Diverged", "NoQuorum", "Unobserved", "SelfSubjectAccessReview", "Healthy", "Degraded", "Degraded: writes in flight",
          "No quorum", "Split",
          "kubectl get lat", "as the operator last wrote them");
      browser.driver.findElement(By.cssSelector("#help summary")).click();
      browser.driver.executeScript("window.scrollTo(0, 0)");
      browser.screenshot("page-all-states");
      // Nothing from a Secret: the page's data has no token, no Secret, no data field.
      String snapshot = page.snapshotJson();
      assertThat(snapshot).doesNotContainIgnoringCase("secret").doesNotContain("token");
    }
  }

  /** Every phase of a Lattice has its colour and words in the header, which comes from the Lattice's status. */
  @Test
  void everyLatticePhaseHasItsColourAndWordsInTheHeader() throws Exception {
    try (StatusPageServer page = new StatusPageServer(client, NS, 0).start()) {
      browser.driver.get(page.url());
      awaitLattice("fresh");
      Map<String, String[]> expected = new java.util.LinkedHashMap<>();
      expected.put("healthy", new String[] {"GREEN", "Healthy"});
      expected.put("lagging", new String[] {"YELLOW", "Degraded"});
      expected.put("forked", new String[] {"RED", "No quorum"});
      expected.put("split", new String[] {"RED", "Split"});
      expected.put("broken", new String[] {"RED", "Invalid spec"});
      expected.put("fresh", new String[] {"YELLOW", "Not judged yet"});
      expected.put("orphan", new String[] {"YELLOW", "No Lattice yet"});
      expected.forEach((lattice, want) -> {
        WebElement header = lattice(lattice);
        assertThat(header.getAttribute("data-health")).as(lattice).isEqualTo(want[0]);
        assertThat(field(header, "label")).as(lattice).isEqualTo(want[1]);
        savePng(header, "lattice-" + want[0].toLowerCase() + "-" + lattice);
      });

      WebElement healthy = lattice("healthy");
      assertThat(field(healthy, "members")).isEqualTo("3");
      assertThat(field(healthy, "agreeing")).isEqualTo("3");
      assertThat(field(healthy, "quorum")).isEqualTo("2");
      assertThat(field(healthy, "hasQuorum")).isEqualTo("(held)");
      assertThat(field(healthy, "referenceRoot")).isEqualTo("07a313c836d3");
      WebElement refreshed = healthy.findElement(By.cssSelector("[data-field=refreshedAt]"));
      assertThat(refreshed.getText()).as("written, as an age").matches("\\d+[smhd]\\w* ago");
      assertThat(refreshed.getAttribute("title")).as("the exact time on hover").startsWith("2026-11-30T10:00:00Z");
      assertThat(field(healthy, "why")).isEqualTo("Every member holds the reference root");
      assertThat(field(healthy, "links")).isEqualTo("one P2P group, no failing HTTP poll");
      assertThat(field(healthy, "rollout")).isEqualTo("nothing restarts or waits");

      WebElement lagging = lattice("lagging");
      assertThat(field(lagging, "rollout")).isEqualTo("restarting ahead; 2 waiting (1 blocked by the lattice)");
      assertThat(lagging.findElement(By.cssSelector("[data-waiting=behind]")).getText())
          .isEqualTo("behind: waiting for ahead to become Ready and Consistent after its restart");
      assertThat(lagging.findElement(By.cssSelector("[data-waiting=unobserved]")).getText())
          .isEqualTo("unobserved blocked: restarting unobserved now would leave 1 of 5 members Consistent"
              + " and the lattice keeps at least 3");
      assertThat(field(lagging, "why")).contains("behind is Behind");

      WebElement forked = lattice("forked");
      assertThat(field(forked, "referenceRoot")).isEqualTo("-");
      assertThat(field(forked, "hasQuorum")).isEqualTo("(not held)");
      assertThat(field(forked, "evidence")).isEqualTo("diverged: diverged lacks 3 entries agreeing holds; buckets 0a3f");
      assertThat(field(forked, "links"))
          .isEqualTo("P2P groups: [agreeing, diverged] [forked]; HTTP failing: forked\u2192agreeing (connection refused)");

      assertThat(field(lattice("split"), "why")).endsWith("Sides: 07a313c836d3: split-1 | 5df3daee3a0c: split-2");

      WebElement broken = lattice("broken");
      assertThat(broken.findElements(By.cssSelector("[data-node]"))).as("a Lattice without members").isEmpty();
      assertThat(field(broken, "nodeCount")).isEqualTo("0");
      assertThat(field(broken, "members")).isEqualTo("0");
      assertThat(field(broken, "why")).isEqualTo("externalMembers: each name may appear once; rename or remove the duplicate");

      assertThat(field(lattice("fresh"), "members")).isEqualTo("-");
      WebElement orphan = lattice("orphan");
      assertThat(field(orphan, "why")).startsWith("no Lattice orphan in namespace page yet");
      assertThat(orphan.findElements(By.cssSelector("[data-node='page/lonely']"))).hasSize(1);
    }
  }

  /**
   * External members have a group of their own under the lattice's node cards, each card marked
   * external, with a node card's colours and words, and no mode switch; the Secret their headers
   * come from is named nowhere on the page nor in its data.
   */
  @Test
  void externalMembersHaveTheirOwnGroupMarkedExternal() throws Exception {
    try (StatusPageServer page = new StatusPageServer(client, NS, 0).start()) {
      browser.driver.get(page.url());
      WebElement hybrid = awaitLattice("hybrid");
      assertThat(field(hybrid, "externalCount")).isEqualTo("3");
      assertThat(field(hybrid, "nodeCount")).as("the nodes the operator runs, counted apart").isEqualTo("1");
      WebElement group = hybrid.findElement(By.cssSelector("[data-group=external]"));
      assertThat(group.findElement(By.cssSelector("h3")).getText()).isEqualTo("External members");
      assertThat(group.getText()).contains("Not run by the operator");
      assertThat(group.findElements(By.cssSelector("[data-node]"))).as("no node card in the external group").isEmpty();
      assertThat(hybrid.findElements(By.cssSelector("[data-node]"))).hasSize(1);

      Map<String, String[]> expected = new java.util.LinkedHashMap<>();
      expected.put("hosted", new String[] {"YELLOW", "HTTP"});
      expected.put("far-away", new String[] {"RED", "Unreachable"});
      expected.put("newcomer", new String[] {"YELLOW", "Not probed yet"});
      List<WebElement> cards = group.findElements(By.cssSelector("[data-external]"));
      assertThat(cards).extracting(c -> c.getAttribute("data-external"))
          .containsExactly(NS + "/hybrid/hosted", NS + "/hybrid/far-away", NS + "/hybrid/newcomer");
      expected.forEach((name, want) -> {
        WebElement card = group.findElement(By.cssSelector("[data-external='" + NS + "/hybrid/" + name + "']"));
        assertThat(card.getAttribute("data-health")).as(name).isEqualTo(want[0]);
        assertThat(card.findElement(By.cssSelector("[data-field=label]")).getText()).as(name).isEqualTo(want[1]);
        assertThat(card.findElement(By.cssSelector("[data-field=kind]")).getText()).as(name).isEqualTo("external");
        assertThat(card.findElements(By.cssSelector("[data-control]"))).as(name + ": no mode switch").isEmpty();
        savePng(card, "external-" + want[0].toLowerCase() + "-" + name);
      });
      WebElement hosted = group.findElement(By.cssSelector("[data-external='" + NS + "/hybrid/hosted']"));
      assertThat(hosted.findElement(By.cssSelector("[data-field=url]")).getText()).isEqualTo("https://hosted.example");
      assertThat(hosted.findElement(By.cssSelector("[data-field=role]")).getText()).isEqualTo("genesis-public");
      assertThat(hosted.findElement(By.cssSelector("[data-field=reachable]")).getText()).isEqualTo("yes");
      assertThat(hosted.findElement(By.cssSelector("[data-field=mode]")).getText()).isEqualTo("HTTP");
      assertThat(hosted.findElement(By.cssSelector("[data-field=rootShort]")).getText()).isEqualTo("07a313c836d3");
      assertThat(hosted.findElement(By.cssSelector("[data-field=verdict]")).getText()).isEqualTo("Consistent");
      WebElement far = group.findElement(By.cssSelector("[data-external='" + NS + "/hybrid/far-away']"));
      assertThat(far.findElement(By.cssSelector("[data-field=message]")).getText()).isEqualTo("GET /health: connect timed out");
      assertThat(far.findElement(By.cssSelector("[data-field=reachable]")).getText()).isEqualTo("no");
      // The same border colour as a node card of that health.
      assertThat(far.getCssValue("border-left-color"))
          .isEqualTo(card("unreachable").getCssValue("border-left-color"));
      savePng(hybrid, "lattice-with-external-members");

      browser.driver.findElement(By.cssSelector("#help summary")).click();
      assertThat(browser.driver.findElement(By.id("help")).getText())
          .contains("External members", "this page never probes them itself", "kubectl lattice diff");
      browser.driver.findElement(By.cssSelector("#help summary")).click();
      assertThat(page.snapshotJson()).doesNotContain("page-secret-headers").doesNotContainIgnoringCase("secret");
      assertThat(browser.driver.getPageSource()).doesNotContain("page-secret-headers");
    }
  }

  /**
   * Times read as ages, keep counting between pushes, and keep the exact time in a title; the
   * browser's words are HumanTime's.
   */
  @Test
  void timesAreHumanKeepCountingAndAgreeWithThePlugin() throws Exception {
    TestNodes nodes = new TestNodes(client, NS);
    try (StatusPageServer page = new StatusPageServer(client, NS, 0).start()) {
      browser.driver.get(page.url());
      WebElement green = awaitCard("green");
      WebElement since = green.findElement(By.cssSelector("[data-field=modeSince]"));
      assertThat(since.getText()).matches("\\d+d(\\d+h)? ago");
      assertThat(since.getAttribute("title")).startsWith("2026-11-30T10:00:00Z");
      assertThat(green.findElement(By.cssSelector("[data-field=rootShort]")).getText()).isEqualTo("07a313c836d3");
      assertThat(green.findElement(By.cssSelector("[data-field=rootWrittenAt]")).getText()).matches("\\d+d(\\d+h)? ago");
      String page1 = browser.driver.findElement(By.cssSelector("[data-node='page/green'] dl")).getText();
      assertThat(page1).as("no ISO time on the card").doesNotContain("2026-11-30");

      // The browser's words are HumanTime's, for every size of duration, in the past and ahead.
      java.time.Instant now = java.time.Instant.parse("2026-12-01T12:00:00Z");
      List<Long> offsets = List.of(0L, 400L, -999L, 1_000L, 40_000L, 59_999L, 60_000L, 125_000L, 599_000L,
          600_000L, 3_599_000L, 3_600_000L, 11_520_000L, 86_399_000L, 86_400_000L, 190_800_000L, 604_800_000L,
          3_456_000_000L, -1_000L, -40_300L, -125_000L, -10_800_000L);
      for (long ms : offsets) {
        String iso = now.minusMillis(ms).toString();
        Object js = browser.driver.executeScript("return relative(arguments[0], arguments[1]);", iso, now.toEpochMilli());
        assertThat(js).as("%d ms ago (%s)", ms, iso).isEqualTo(com.diotec360.lattice.view.HumanTime.relative(iso, now));
      }

      // A root written now reads "just now" or a few seconds ago, and its age grows without a new push.
      nodes.create("ticking", "clock", "auto");
      Map<String, Object> status = TestNodes.status("Running", "P2P", 1, 7, A, "Consistent", "True");
      status.put("lastProbeTime", java.time.Instant.now().toString());
      nodes.status("ticking", status);
      WebElement ticking = awaitCard("ticking");
      String first = ticking.findElement(By.cssSelector("[data-field=rootWrittenAt]")).getText();
      assertThat(first).matches("just now|\\d+s ago");
      await("the age counts on").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
          .until(() -> card("ticking").findElement(By.cssSelector("[data-field=rootWrittenAt]")).getText(),
              now2 -> !now2.equals(first) && now2.matches("\\d+s ago"));
      savePng(card("ticking"), "state-root-written-just-now");
    } finally {
      nodes.delete("ticking");
    }
  }

  @Test
  void aLostConnectionIsShownAndTheGoodNewsReturnsWithTheServer() throws Exception {
    StatusPageServer page = new StatusPageServer(client, NS, 0).start();
    int port = page.port();
    browser.driver.get(page.url());
    awaitCard("green");
    awaitConnection("live");
    page.close();
    awaitConnection("lost");
    assertThat(browser.text("#connection").orElseThrow()).startsWith("connection lost");
    browser.screenshot("state-connection-lost");
    try (StatusPageServer again = restartOn(port)) {
      awaitConnection("live");
      awaitCard("green");
    }
  }

  private static StatusPageServer restartOn(int port) {
    return await("the port is free again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> new StatusPageServer(client, NS, port).start(), s -> true);
  }

  @Test
  void switchingAModeAsksFirstThenPatchesTheSpec() throws Exception {
    try (StatusPageServer page = new StatusPageServer(client, NS, 0).start()) {
      browser.driver.get(page.url());
      WebElement card = awaitCard("green");
      new Select(card.findElement(By.cssSelector("[data-control=mode]"))).selectByValue("http");
      card.findElement(By.cssSelector("[data-control=switch]")).click();
      WebElement panel = card(("green")).findElement(By.cssSelector("[data-control=confirm-panel]"));
      assertThat(panel.getText()).contains("Switch green from auto to http?");
      browser.screenshot("state-switch-confirm");
      panel.findElement(By.cssSelector("[data-control=cancel]")).click();
      assertThat(card("green").findElements(By.cssSelector("[data-control=confirm-panel]"))).isEmpty();
      assertThat(wantedMode("green")).as("cancel sends nothing").isEqualTo("auto");

      card = card("green");
      new Select(card.findElement(By.cssSelector("[data-control=mode]"))).selectByValue("http");
      card.findElement(By.cssSelector("[data-control=switch]")).click();
      card("green").findElement(By.cssSelector("[data-control=confirm]")).click();
      await("spec.sync.mode patched to http").atMost(PUSHED).pollInterval(Duration.ofMillis(100))
          .until(() -> wantedMode("green"), "http"::equals);
      // Every push re-renders the page, so an element found a moment ago may be gone: ask again.
      await("the card shows the wanted mode").atMost(PUSHED).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .until(() -> card("green").findElement(By.cssSelector("[data-field=wantedMode]")).getText(), "http"::equals);
      await("the card says what was asked").atMost(PUSHED).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .until(() -> card("green").findElement(By.cssSelector("[data-field=switchResult]")).getText(),
              t -> t.contains("asked green to sync in mode http"));
      browser.screenshot("state-switch-done");
    } finally {
      client.genericKubernetesResources(LatticeNodes.API_VERSION, LatticeNodes.KIND).inNamespace(NS).withName("green")
          .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
              LatticeNodes.modePatch("auto"));
    }
  }

  @Test
  void withoutPatchRightsTheSwitchIsDisabledWithTheReasonAndTheServerRefusesIt() throws Exception {
    KubernetesClient reader = api.clientAs("alice",
        List.of(new ClusterRoleBuilder().withNewMetadata().withName("lattice-viewer").endMetadata()
            .addNewRule().withApiGroups(LatticeNodes.GROUP).withResources("latticenodes").withVerbs("get", "list", "watch").endRule()
            .addNewRule().withApiGroups("").withResources("events").withVerbs("get", "list", "watch").endRule()
            .build()),
        List.of());
    try (StatusPageServer page = new StatusPageServer(reader, NS, 0).start()) {
      browser.driver.get(page.url());
      WebElement card = awaitCard("green");
      assertThat(card.findElement(By.cssSelector("[data-control=switch]")).isEnabled()).isFalse();
      assertThat(card.findElement(By.cssSelector("[data-control=mode]")).isEnabled()).isFalse();
      assertThat(card.findElement(By.cssSelector("[data-field=switchDisabled]")).getText())
          .isEqualTo("Switching is disabled: your Kubernetes user may not patch latticenodes in namespace " + NS);
      browser.screenshot("state-switch-disabled-by-rbac");
      // Without list on lattices the headers say so, and the nodes are still there.
      assertThat(browser.text("#problems").orElseThrow())
          .contains("Lattices not shown (the lattice header needs list on lattices.lattice.diotec360.com)")
          .contains("User \"alice\" cannot list resource \"lattices\"");
      assertThat(field(lattice("healthy"), "label")).isEqualTo("No Lattice yet");
      // The page is not the guard: the API server's RBAC is. A request made past the UI is refused.
      HttpResponse<String> refused = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(page.url() + "api/switch"))
              .header("Content-Type", "application/json").header(StatusPageServer.SWITCH_HEADER, "1")
              .POST(HttpRequest.BodyPublishers.ofString("{\"namespace\":\"" + NS + "\",\"name\":\"green\",\"mode\":\"http\"}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("User \\\"alice\\\" cannot patch resource \\\"latticenodes\\\"");
      assertThat(wantedMode("green")).isEqualTo("auto");
      // A page from another origin cannot make the user's browser switch: no custom header, no switch.
      HttpResponse<String> crossSite = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(page.url() + "api/switch"))
              .header("Content-Type", "text/plain")
              .POST(HttpRequest.BodyPublishers.ofString("{\"namespace\":\"" + NS + "\",\"name\":\"green\",\"mode\":\"http\"}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(crossSite.statusCode()).isEqualTo(400);
    }
  }

  static String wantedMode(String node) {
    return LatticeNodes.json(client.genericKubernetesResources(LatticeNodes.API_VERSION, LatticeNodes.KIND)
        .inNamespace(NS).withName(node).get()).at("/spec/sync/mode").asText();
  }

  static WebElement awaitCard(String node) {
    return await("card " + node + " on the page").atMost(PUSHED).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions().until(() -> card(node), c -> true);
  }

  static WebElement awaitLattice(String lattice) {
    return await("lattice " + lattice + " on the page").atMost(PUSHED).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions().until(() -> lattice(lattice), l -> true);
  }

  static WebElement lattice(String lattice) {
    return browser.driver.findElement(By.cssSelector("[data-lattice='" + NS + "/" + lattice + "']"));
  }

  /** The text of a header field: the first {@code [data-field=name]} in the section (its cards come after). */
  static String field(WebElement section, String name) {
    return section.findElement(By.cssSelector("[data-field=" + name + "]")).getText();
  }

  static WebElement card(String node) {
    return browser.driver.findElement(By.cssSelector("[data-node='" + NS + "/" + node + "']"));
  }

  static void awaitConnection(String state) {
    await("connection indicator " + state).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .until(() -> browser.driver.findElement(By.id("connection")).getAttribute("data-state"), state::equals);
  }

  static void savePng(WebElement element, String name) {
    browser.driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
    try {
      java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("lattice.artifacts", "target/page-screenshots"));
      java.nio.file.Files.createDirectories(dir);
      java.nio.file.Files.write(dir.resolve(name + ".png"), element.getScreenshotAs(OutputType.BYTES));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
