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
    state(nodes, "green", "healthy", "auto", TestNodes.status("Running", "P2P", 2, 5, A, "Consistent", "True", A, 3, 3));
    state(nodes, "fallback", "healthy", "auto", TestNodes.status("Running", "HTTP", 0, 5, A, "Consistent", "True", A, 3, 3));
    state(nodes, "forced-http", "healthy", "http", TestNodes.status("Running", "HTTP", 0, 5, A, "Consistent", "True", A, 3, 3));
    state(nodes, "behind", "lagging", "auto", TestNodes.status("Running", "P2P", 1, 4, B, "Behind", "True", A, 1, 3));
    state(nodes, "starting", "lagging", "auto", null);
    state(nodes, "ahead", "lagging", "auto", TestNodes.status("Running", "P2P", 1, 6, B, "Ahead", "True", A, 1, 3));
    state(nodes, "unobserved", "lagging", "auto", TestNodes.status("Running", "P2P", 0, 0, A, "Unobserved", "True", A, 1, 3));
    state(nodes, "forked", "forked", "auto", TestNodes.status("Running", "P2P", 1, 9, B, "Forked", "True", A, 1, 2));
    state(nodes, "invalid", "forked", "auto", TestNodes.status("Invalid", "P2P", 0, 0, A, "Unobserved", "True", A, 1, 2));
    state(nodes, "unreachable", "lagging", "auto", TestNodes.status("Running", "P2P", 0, 5, A, "Consistent", "False", A, 1, 3));
    state(nodes, "diverged", "forked", "auto", TestNodes.status("Running", "P2P", 1, 9, B, "Diverged", "True", A, 1, 2));
    state(nodes, "agreeing", "forked", "auto", TestNodes.status("Running", "P2P", 1, 5, A, "Consistent", "True", A, 1, 2));
    state(nodes, "split-1", "split", "auto", TestNodes.status("Running", "P2P", 0, 5, A, "Split", "True", null, 0, 2));
    state(nodes, "split-2", "split", "auto", TestNodes.status("Running", "HTTP", 0, 6, B, "Split", "True", null, 0, 2));
    event("green", "e1", "NodeUnreachable", "probes fail", "2026-11-30T10:00:00Z");
    event("green", "e2", "NodeRecovered", "probes succeed again", "2026-11-30T10:05:00Z");
  }

  static void event(String node, String name, String reason, String message, String at) {
    client.v1().events().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.EventBuilder()
        .withNewMetadata().withName(node + "." + name).endMetadata()
        .withNewInvolvedObject().withKind("LatticeNode").withName(node).withNamespace(NS).endInvolvedObject()
        .withReason(reason).withMessage(message).withType("Normal").withLastTimestamp(at).build()).create();
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
      // Lattice headers: quorum, partitions and the worst colour of the members.
      WebElement split = browser.driver.findElement(By.cssSelector("[data-lattice='page/split']"));
      assertThat(split.getAttribute("data-health")).isEqualTo("RED");
      assertThat(split.findElement(By.cssSelector("[data-field=quorum]")).getText()).isEqualTo("NoQuorum");
      assertThat(split.findElement(By.cssSelector("[data-field=partitions]")).getText())
          .isEqualTo("07a313c836d3: split-1 | 5df3daee3a0c: split-2");
      WebElement healthy = browser.driver.findElement(By.cssSelector("[data-lattice='page/healthy']"));
      assertThat(healthy.getAttribute("data-health")).isEqualTo("YELLOW");
      assertThat(healthy.findElement(By.cssSelector("[data-field=agreeing]")).getText()).isEqualTo("3/3");
      assertThat(browser.driver.findElement(By.cssSelector("[data-lattice='page/forked']")).getAttribute("data-health"))
          .isEqualTo("RED");
      // Help explains every colour, mode and verdict.
      browser.driver.findElement(By.cssSelector("#help summary")).click();
      String help = browser.driver.findElement(By.id("help")).getText();
      assertThat(help).contains("green", "yellow", "red", "auto", "p2p", "http", "Consistent", "Behind", "Ahead",
          "Diverged", "NoQuorum", "Unobserved", "SelfSubjectAccessReview");
      browser.driver.findElement(By.cssSelector("#help summary")).click();
      browser.driver.executeScript("window.scrollTo(0, 0)");
      browser.screenshot("page-all-states");
      // Nothing from a Secret: the page's data has no token, no Secret, no data field.
      String snapshot = page.snapshotJson();
      assertThat(snapshot).doesNotContainIgnoringCase("secret").doesNotContain("token");
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
      await("the card shows the wanted mode").atMost(PUSHED).pollInterval(Duration.ofMillis(100))
          .until(() -> card("green").findElement(By.cssSelector("[data-field=wantedMode]")).getText(), "http"::equals);
      assertThat(card("green").findElement(By.cssSelector("[data-field=switchResult]")).getText())
          .contains("asked green to sync in mode http");
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
