package com.diotec360.lattice.embedded;

import static com.diotec360.lattice.embedded.TestApi.NS;
import static com.diotec360.lattice.embedded.TestApi.get;
import static com.diotec360.lattice.embedded.TestApi.node;
import static com.diotec360.lattice.embedded.TestApi.nodePath;
import static com.diotec360.lattice.embedded.TestApi.nodesPath;
import static com.diotec360.lattice.embedded.TestApi.post;
import static com.diotec360.lattice.embedded.TestApi.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl get, get -w and describe against the embedded API show what they show on a cluster:
 * server-side Tables with the printer columns, watches streamed over HTTP, field selectors on
 * events. Runs the real kubectl with a temporary KUBECONFIG, HOME and --cache-dir (the user's
 * ~/.kube is never touched); skipped when kubectl is not on PATH, unless LATTICE_REQUIRE_KUBECTL=1.
 */
class KubectlGetIT {

  @TempDir Path temp;
  private EmbeddedApiServer api;
  private Kubectl kubectl;
  private final List<Process> running = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    assumeTrue(Kubectl.onPath().isPresent() || "1".equals(System.getenv(Kubectl.REQUIRE)), Kubectl.SKIP_MESSAGE);
    api = TestApi.start();
    kubectl = Kubectl.find(api, temp, NS).orElseThrow();
  }

  @AfterEach
  void stop() {
    running.forEach(Process::destroyForcibly);
    if (api != null) {
      api.close();
    }
  }

  /** kubectl's tabwriter: each column as wide as its widest cell plus 3, the last one unpadded. */
  private static final String LN_HEADER =
      "NAME   LATTICE   ROLE              PHASE     SYNC   PEERS   ROOT           CONSISTENT   ROLLOUT   AGE";

  @Test
  void getLatticeNodesShowsTheCrdPrinterColumns() throws Exception {
    createNode("n1", "alpha");
    writeStatus("n1", "Running", 2);
    createNode("n2", "alpha");

    List<String> lines = kubectl("get", "ln").lines().toList();

    assertThat(lines.get(0)).isEqualTo(LN_HEADER);
    assertThat(lines.get(1)).matches(
        "n1     alpha     genesis-primary   Running   P2P    2       4f2a9c1b7e30   Consistent {13}\\d+s");
    // No status yet: empty cells, as a real cluster prints them.
    assertThat(lines.get(2)).matches("n2     alpha     genesis-primary {66}\\d+s");
    assertThat(lines).hasSize(3);
  }

  @Test
  void wideAddsNoColumnsForLatticeNodes() throws Exception {
    createNode("n1", "alpha");
    writeStatus("n1", "Running", 2);

    // The CRD declares no priority>0 column, so -o wide shows the same ones.
    assertThat(kubectl("get", "ln", "-o", "wide").lines().findFirst()).contains(LN_HEADER);
  }

  @Test
  void getEventsShowsTheEventPrinter() throws Exception {
    createNode("n1", "alpha");
    createEvent("ev1", "n1", "Normal", "Started", "Deployment lattice-n1 created");

    List<String> lines = kubectl("get", "events").lines().toList();

    assertThat(lines.get(0)).isEqualTo("LAST SEEN   TYPE     REASON    OBJECT           MESSAGE");
    assertThat(lines.get(1)).matches("\\d+s {10,11}Normal   Started   latticenode/n1   Deployment lattice-n1 created");
    assertThat(kubectl("get", "events", "-o", "wide").lines().findFirst().orElseThrow().split("\\s{2,}"))
        .containsExactly("LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN",
            "COUNT", "NAME");
  }

  @Test
  void getDeploymentsServicesConfigMapsShowTheirPrinters() throws Exception {
    createWorkloads();

    List<String> lines = kubectl("get", "deploy,svc,cm").lines().toList();

    assertThat(lines).hasSize(8);
    assertThat(lines.get(0)).isEqualTo("NAME                  READY   UP-TO-DATE   AVAILABLE   AGE");
    assertThat(lines.get(1)).matches("deployment.apps/web   0/2     0            0           \\d+s");
    assertThat(lines.get(3)).isEqualTo("NAME          TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE");
    assertThat(lines.get(4)).matches("service/web   ClusterIP   10\\.96\\.\\d+\\.\\d+ +<none>        80/TCP    \\d+s");
    assertThat(lines.get(6)).isEqualTo("NAME                 DATA   AGE");
    assertThat(lines.get(7)).matches("configmap/settings   2      \\d+s");

    List<String> wide = kubectl("get", "deploy,svc", "-o", "wide").lines().toList();
    assertThat(wide.get(0).split("\\s{2,}")).containsExactly(
        "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR");
    assertThat(wide.get(1)).endsWith("nginx        nginx:1.27   app=web");
    assertThat(wide.get(3).split("\\s{2,}")).containsExactly(
        "NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR");
    assertThat(wide.get(4)).endsWith("app=web");
  }

  @Test
  void getWatchShowsAChangeWhileItRuns() throws Exception {
    createNode("n1", "alpha");
    Running watch = kubectlInBackground("get", "ln", "-w", "-v=6");
    awaitWatching(watch);
    assertThat(watch.out().get(0)).isEqualTo("NAME   LATTICE   ROLE              PHASE   SYNC   PEERS   ROOT   CONSISTENT   ROLLOUT   AGE");
    assertThat(watch.out().get(1)).startsWith("n1     alpha     genesis-primary");

    writeStatus("n1", "Pending", 3);

    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
        assertThat(watch.out()).anyMatch(line -> line.matches(
            "n1 +alpha +genesis-primary +Pending +P2P +3 +4f2a9c1b7e30 +Consistent +\\d+s")));
    assertThat(watch.process().isAlive()).as("kubectl get -w keeps watching").isTrue();
  }

  @Test
  void watchOnlyPrintsTheHeaderWithTheFirstChangeAndNothingBefore() throws Exception {
    createNode("n1", "alpha");
    Running watch = kubectlInBackground("get", "ln", "-w", "--watch-only", "-v=6");
    awaitWatching(watch);
    assertThat(watch.out()).isEmpty();

    createNode("n2", "beta");

    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> watch.out().size() >= 2);
    assertThat(watch.out().get(0).split("\\s{2,}")).containsExactly(
        "NAME", "LATTICE", "ROLE", "PHASE", "SYNC", "PEERS", "ROOT", "CONSISTENT", "ROLLOUT", "AGE");
    assertThat(watch.out().get(1)).startsWith("n2").contains("beta");
    assertThat(watch.out()).noneMatch(line -> line.startsWith("n1"));
  }

  @Test
  void watchEventsShowsANewEvent() throws Exception {
    createNode("n1", "alpha");
    Running watch = kubectlInBackground("get", "events", "-w", "--watch-only", "-v=6");
    awaitWatching(watch);

    createEvent("ev1", "n1", "Warning", "Diverged", "merkle root differs from the quorum");

    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> watch.out().size() >= 2);
    assertThat(watch.out().get(0)).isEqualTo("LAST SEEN   TYPE      REASON     OBJECT           MESSAGE");
    assertThat(watch.out().get(1))
        .matches("\\d+s +Warning   Diverged   latticenode/n1   merkle root differs from the quorum");
  }

  @Test
  void describeShowsTheConditionsAndOnlyThisNodesEvents() throws Exception {
    createNode("n1", "alpha");
    writeStatus("n1", "Running", 2);
    createNode("n2", "alpha");
    createEvent("ev1", "n1", "Normal", "Started", "Deployment lattice-n1 created");
    createEvent("ev2", "n2", "Warning", "Invalid", "the spec of n2 cannot be applied");

    String described = kubectl("describe", "ln", "n1");

    assertThat(described).containsPattern("Conditions:\\s+Last Transition Time:")
        .containsPattern("Type:\\s+Ready").containsPattern("Message:\\s+the node answers");
    assertThat(described.substring(described.indexOf("\nEvents:")))
        .containsPattern("Normal +Started +\\d+s +lattice-operator +Deployment lattice-n1 created")
        .doesNotContain("n2");
  }

  @Test
  void eventFieldSelectorsSelectAndUnknownFieldsAreRefused() throws Exception {
    createNode("n1", "alpha");
    createNode("n2", "alpha");
    createEvent("ev1", "n1", "Normal", "Started", "n1 started");
    createEvent("ev2", "n2", "Warning", "Invalid", "n2 is invalid");

    assertThat(kubectl("get", "events", "--field-selector", "involvedObject.name=n2", "-o", "name"))
        .isEqualTo("event/ev2");
    assertThat(kubectl("get", "events", "--field-selector", "type!=Warning,reason=Started", "-o", "name"))
        .isEqualTo("event/ev1");
    assertThat(kubectl("get", "ln", "--field-selector", "metadata.name=n1", "-o", "name"))
        .isEqualTo("latticenode.lattice.diotec360.com/n1");
    assertThat(kubectlFails("get", "events", "--field-selector", "spec.foo=x"))
        .contains("field label not supported: spec.foo");
  }

  /** Until kubectl's watch request got its 200 (kubectl -v=6 logs it when the stream opens). */
  private static void awaitWatching(Running watch) {
    await().atMost(Duration.ofSeconds(30)).until(() -> watch.err().stream()
        .anyMatch(line -> line.contains("watch=true") && line.contains("200 OK")));
  }

  private void createWorkloads() {
    var client = api.client();
    client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("nginx").withImage("nginx:1.27").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    client.services().inNamespace(NS).resource(new ServiceBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).withNewTargetPort(8080).endPort()
        .endSpec().build()).create();
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
        .withNewMetadata().withName("settings").endMetadata()
        .addToData("a", "1").addToData("b", "2").build()).create();
  }

  // ---- objects -------------------------------------------------------------------------------

  private JsonNode createNode(String name, String lattice) {
    var answer = post(api, nodesPath(), node(name, lattice));
    assertThat(answer.code()).as(answer.body()).isEqualTo(201);
    return answer.json();
  }

  /** Writes a status through /status, as the operator does. */
  private void writeStatus(String name, String phase, int peers) {
    ObjectNode stored = (ObjectNode) get(api, nodePath(name)).json();
    ObjectNode status = stored.putObject("status");
    status.put("phase", phase).put("syncMode", "P2P").put("peerCount", peers).put("rootShort", "4f2a9c1b7e30")
        .put("consistency", "Consistent").put("observedGeneration", 1);
    status.putArray("conditions").addObject()
        .put("type", "Ready").put("status", "True").put("reason", "Running").put("message", "the node answers")
        .put("observedGeneration", 1).put("lastTransitionTime", Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"));
    var answer = put(api, nodePath(name) + "/status", stored.toString());
    assertThat(answer.code()).as(answer.body()).isEqualTo(200);
  }

  private void createEvent(String name, String node, String type, String reason, String message) {
    String uid = get(api, nodePath(node)).json().at("/metadata/uid").asText();
    String now = Instant.now().toString().replaceAll("\\.\\d+Z$", "Z");
    String event = """
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"%s","namespace":"%s"},
         "involvedObject":{"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"LatticeNode","name":"%s",
           "namespace":"%s","uid":"%s"},
         "type":"%s","reason":"%s","message":"%s","source":{"component":"lattice-operator"},
         "firstTimestamp":"%s","lastTimestamp":"%s","count":1}"""
        .formatted(name, NS, node, NS, uid, type, reason, message, now, now);
    var answer = post(api, "/api/v1/namespaces/" + NS + "/events", event);
    assertThat(answer.code()).as(answer.body()).isEqualTo(201);
  }

  // ---- kubectl -------------------------------------------------------------------------------

  private String kubectl(String... args) {
    return kubectl.run(args).ok();
  }

  private String kubectlFails(String... args) {
    return kubectl.run(args).failed();
  }

  /** A kubectl that keeps running (get -w), its output lines collected as they come. */
  private record Running(Process process, List<String> out, List<String> err) {}

  private Running kubectlInBackground(String... args) throws IOException {
    Process process = kubectl.start(args).start();
    running.add(process);
    Running r = new Running(process, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
    collect(process.getInputStream(), r.out());
    collect(process.getErrorStream(), r.err());
    return r;
  }

  private static void collect(InputStream in, List<String> lines) {
    Thread t = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    });
    t.setDaemon(true);
    t.start();
  }

}
