package com.diotec360.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.embedded.Kubectl;
import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMemberStatus;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeStatus;
import com.diotec360.lattice.operator.e2e.LocalNodes;
import com.diotec360.lattice.operator.metrics.ExportedMetrics;
import com.diotec360.lattice.operator.plan.NodePlan;
import com.diotec360.lattice.operator.support.DeploymentControllerStandIn;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: one lattice across two clusters. Two real kube-apiservers (A and B, {@link
 * RealCluster}), an operator process for each, and four real reference nodes on loopback: A runs
 * LatticeNodes {@code a1}, {@code a2}, B runs {@code b1}, {@code b2}, and each cluster's Lattice
 * {@code span} lists the other cluster's two as external members. The objects are the manifests
 * of {@code docs/multi-cluster.md}, applied with the real {@code kubectl}, with only the external
 * members' hostnames and the token replaced. Steps:
 *
 * <ol>
 *   <li>both Lattices are Healthy with 4 members, 4 agreeing; each node has 3 P2P peers (so P2P
 *       crosses the clusters) and an entry written in A reaches B;
 *   <li>the links between the two clusters' nodes are cut (HTTP and P2P) and each side takes a
 *       write: both Lattices turn Split (two against two, no majority) with evidence, the other
 *       cluster's members Split in {@code status.externalMembers} and in each operator's
 *       {@code lattice_node_split{location="external"}}, one {@code LatticeSplit} Warning in each
 *       cluster;
 *   <li>the operators are cut off from the other cluster too (a total partition): each sees the
 *       other cluster's members unreachable and its own two agreeing, not a majority of four:
 *       NoQuorum in both;
 *   <li>everything heals: both Lattices are Healthy again, with the same reference root, which
 *       every node holds.
 * </ol>
 *
 * <p>What stands in for a cluster, and why:
 *
 * <ul>
 *   <li><b>Operators</b>: each runs as its own JVM with its own kubeconfig (the operator's
 *       declared permissions, {@link RealCluster#kubeconfigFor}) through {@link
 *       LoopbackNodesOperator}: the operator's own {@code run}, whose only difference from {@code
 *       main} is where it reaches the LatticeNodes it runs (the loopback URLs of the processes
 *       that play their pods): this machine has no cluster DNS, so the Service names {@code main}
 *       uses do not resolve. External members are probed at their {@code url} as in a cluster.
 *   <li><b>Pods</b>: no kubelet runs. The node processes ({@link LocalNodes}) play the
 *       LatticeNodes' pods, with the lattice token from the Secret the operator adopted, and
 *       {@link DeploymentControllerStandIn} reports the Deployments available. Each node
 *       process's peer file is written by the test from its cluster's peer-list ConfigMap
 *       ({@code span-lattice-peers}, as the operator wrote it): the in-cluster DNS names in it are
 *       mapped to the node processes' loopback URLs and the external members' URLs to the other
 *       cluster's link addresses: what cluster DNS and a LoadBalancer would do.
 *   <li><b>The other cluster's LoadBalancers</b>: each node is reachable from the other cluster
 *       at two loopback addresses with its own port numbers: a <em>public</em> one ({@link
 *       #A_PUBLIC}, {@link #B_PUBLIC}; the external member's {@code url}, probed by the other
 *       operator) and a <em>link</em> one ({@link #A_LINK}, {@link #B_LINK}; HTTP and P2P, dialed
 *       by the other cluster's nodes), each a {@link TcpProxy}. In a cluster both are the same
 *       LoadBalancer; here they are two, so that the partition can cut the nodes' links between
 *       the clusters while both operators still see all four nodes, which is the partition that
 *       {@code Split} is about (step 3 cuts the operators off too).
 *   <li>The partition is a black hole ({@link TcpProxy#stall()}): connections accepted, nothing
 *       forwarded, as a firewall that drops packets; the heal resets the stalled connections.
 * </ul>
 *
 * <p>Needs the kube-apiserver and etcd binaries, the node jar and kubectl; skips without them,
 * unless {@code LATTICE_REQUIRE_REAL_API}, {@code LATTICE_REQUIRE_NODE_JAR} or {@code
 * LATTICE_REQUIRE_KUBECTL} is set, which makes a missing one a failure.
 */
class TwoClusterLatticeIT {

  private static final String NAMESPACE = "lattice";
  private static final String LATTICE = "span";
  /** Where cluster B's operator probes A's nodes (the external members' urls in B). */
  static final String A_PUBLIC = "127.0.1.1";
  /** Where cluster B's nodes reach A's nodes (HTTP and P2P): cut by the partition. */
  static final String A_LINK = "127.0.1.2";
  static final String B_PUBLIC = "127.0.2.1";
  static final String B_LINK = "127.0.2.2";
  /** Operator timings: a probe a second, unreachable after 3, roots may differ for 3 s. */
  private static final Map<String, String> OPERATOR_ENV = Map.of(
      "LATTICE_PROBE_INTERVAL_SECONDS", "1",
      "LATTICE_UNREACHABLE_AFTER_PROBES", "3",
      "LATTICE_DIVERGENCE_GRACE_SECONDS", "3",
      "LATTICE_PROBE_TIMEOUT_MS", "1500");
  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final Duration JUDGED = Duration.ofSeconds(30);
  private static final Path DOC =
      Path.of(System.getProperty("lattice.repoRoot", ".."), "docs", "multi-cluster.md").toAbsolutePath().normalize();

  @Test
  void aPartitionBetweenTheClustersIsSplitInBothAndHealingItIsHealthyInBoth() throws Exception {
    LocalNodes.requireJar();
    Assumptions.assumeTrue(Kubectl.onPath().isPresent() || "1".equals(System.getenv(Kubectl.REQUIRE)),
        Kubectl.SKIP_MESSAGE);
    long started = System.nanoTime();
    String token = newToken();
    Path work = Path.of(System.getProperty("faults.workDir", "target/faults"), "two-clusters").toAbsolutePath();
    try (Side a = new Side("a", List.of("a1", "a2"), A_PUBLIC, A_LINK, token, work);
        Side b = new Side("b", List.of("b1", "b2"), B_PUBLIC, B_LINK, token, work)) {
      a.apply(manifest("cluster-a.yaml", token, b));
      b.apply(manifest("cluster-b.yaml", token, a));
      a.startOperator();
      b.startOperator();
      // As pods start: with the lattice's peer list mounted, then available.
      for (Side side : List.of(a, b)) {
        side.awaitSecretAdopted(token);
        side.peerNodes(side == a ? b : a);
        side.startNodes();
      }
      System.out.printf("[two-clusters] both clusters up, nodes peered, after %d s%n", seconds(started));

      // 1. Converged: each operator judges all four; P2P and HTTP cross the clusters.
      for (Side side : List.of(a, b)) {
        side.awaitLattice(CONVERGE, "Healthy with 4 members, the other cluster's 2 reachable and Consistent",
            s -> healthy(s) && externalsAre(s, "Consistent"));
        side.awaitP2pPeers(3);
      }
      showLattices("converged", a, b);
      a.nodes.write("a1", "before-the-partition");
      awaitOneRoot(a, b);
      for (Side side : List.of(a, b)) {
        side.awaitLattice(JUDGED, "Healthy after a write crossed", s -> healthy(s) && externalsAre(s, "Consistent"));
      }

      // 2. Partition: the nodes' links between the clusters go silent; each side takes a write.
      long cut = System.nanoTime();
      a.cutLinks();
      b.cutLinks();
      a.nodes.write("a1", "left");
      b.nodes.write("b1", "right");
      for (Side side : List.of(a, b)) {
        side.awaitLattice(JUDGED, "Split: 4 members, none agreeing, evidence, the other cluster's members Split",
            s -> LatticeStatus.SPLIT.equals(s.getPhase()) && Integer.valueOf(4).equals(s.getMembers())
                && Integer.valueOf(0).equals(s.getAgreeing()) && s.getEvidence() != null
                && externalsAre(s, "Split"));
      }
      System.out.printf("[two-clusters] Split in both clusters %d ms after the cut%n", (System.nanoTime() - cut) / 1_000_000);
      assertThat(a.nodes.merkleRoot("a1")).as("the partition held: a1 and a2 agree")
          .isEqualTo(a.nodes.merkleRoot("a2"));
      assertThat(b.nodes.merkleRoot("b1")).as("b1 and b2 agree").isEqualTo(b.nodes.merkleRoot("b2"));
      assertThat(a.nodes.merkleRoot("a1")).as("and the two sides do not").isNotEqualTo(b.nodes.merkleRoot("b1"));
      for (Side side : List.of(a, b)) {
        assertThat(side.latticeEvents("LatticeSplit")).as("cluster %s: one LatticeSplit Warning", side.name)
            .singleElement().satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
        Side other = side == a ? b : a;
        assertThat(side.metrics()).as("cluster %s's operator exports the other cluster's members as split", side.name)
            .contains(ExportedMetrics.NODE_SPLIT + "{lattice=\"" + LATTICE + "\",location=\"external\",namespace=\""
                + NAMESPACE + "\",node=\"" + other.members.get(0) + "\"} 1");
        LatticeStatus split = side.latticeStatus();
        System.out.printf("[two-clusters] cluster %s: evidence %s; status.externalMembers:%n%s",
            side.name.toUpperCase(), split.getEvidence(), Serialization.asYaml(split.getExternalMembers()));
      }
      showLattices("partitioned", a, b);

      // 3. A total partition: the operators lose sight of the other cluster too. Each then sees two
      // members that agree and two that do not answer: no majority of four, nobody to blame.
      a.cutPublic();
      b.cutPublic();
      for (Side side : List.of(a, b)) {
        side.awaitLattice(JUDGED, "NoQuorum: 4 members, the other cluster's 2 unreachable",
            s -> LatticeStatus.NO_QUORUM.equals(s.getPhase()) && Integer.valueOf(4).equals(s.getMembers())
                && s.getExternalMembers() != null && s.getExternalMembers().size() == 2
                && s.getExternalMembers().stream().allMatch(e -> Boolean.FALSE.equals(e.getReachable())));
      }
      showLattices("cut off from each other", a, b);

      // 4. Heal: the operators see the other cluster again, the links come back; both sides take
      // both writes.
      long healed = System.nanoTime();
      for (Side side : List.of(a, b)) {
        side.healPublic();
        side.healLinks();
      }
      String root = awaitOneRoot(a, b);
      for (Side side : List.of(a, b)) {
        side.awaitLattice(CONVERGE, "Healthy again on the one root " + root,
            s -> healthy(s) && root.equals(s.getReferenceRoot()) && externalsAre(s, "Consistent"));
      }
      System.out.printf("[two-clusters] Healthy in both clusters %d ms after the heal, root %s%n",
          (System.nanoTime() - healed) / 1_000_000, root.substring(0, 12));
      showLattices("healed", a, b);
      System.out.printf("[two-clusters] done in %d s%n", seconds(started));
    }
  }

  /** Healthy, 4 members, 4 agreeing, quorum 3. */
  private static boolean healthy(LatticeStatus s) {
    return LatticeStatus.HEALTHY.equals(s.getPhase()) && Integer.valueOf(4).equals(s.getMembers())
        && Integer.valueOf(4).equals(s.getAgreeing()) && Integer.valueOf(3).equals(s.getQuorum());
  }

  /** Both external members are listed, reachable, with this verdict. */
  private static boolean externalsAre(LatticeStatus s, String consistency) {
    List<ExternalMemberStatus> external = Objects.requireNonNullElse(s.getExternalMembers(), List.of());
    return external.size() == 2 && external.stream().allMatch(
        e -> Boolean.TRUE.equals(e.getReachable()) && consistency.equals(e.getConsistency()));
  }

  /** Waits until all four nodes report one root (read from the nodes themselves); returns it. */
  private static String awaitOneRoot(Side a, Side b) {
    List<String> roots = new ArrayList<>();
    await("all four nodes on one root").atMost(CONVERGE).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
        .until(() -> {
          roots.clear();
          for (Side side : List.of(a, b)) {
            for (String node : side.members) {
              roots.add(side.nodes.merkleRoot(node));
            }
          }
          return roots.stream().distinct().count() == 1;
        });
    return roots.get(0);
  }

  /** What {@code kubectl get lat} shows in each cluster now. */
  private static void showLattices(String when, Side a, Side b) {
    for (Side side : List.of(a, b)) {
      String table = side.kubectl.run("get", "lat", "-n", NAMESPACE).ok();
      System.out.printf("[two-clusters] %s, cluster %s: kubectl get lat%n%s%n", when, side.name.toUpperCase(), table);
    }
  }

  /**
   * The YAML block of {@code docs/multi-cluster.md} that starts with {@code # <file>}, with the
   * token placeholder and the other cluster's hostnames replaced by the test's token and the
   * other cluster's public loopback addresses.
   */
  private static String manifest(String file, String token, Side other) throws IOException {
    String doc = Files.readString(DOC);
    Matcher block = Pattern.compile("```yaml\n(# " + Pattern.quote(file) + ".*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(block.find()).as("a yaml block starting with '# %s' in %s", file, DOC).isTrue();
    String yaml = block.group(1);
    assertThat(yaml).contains("PASTE-THE-SAME-TOKEN-IN-BOTH-CLUSTERS");
    yaml = yaml.replace("PASTE-THE-SAME-TOKEN-IN-BOTH-CLUSTERS", token);
    for (String node : other.members) {
      String documented = "http://" + node + ".lattice-" + other.name + ".example.net:8000";
      assertThat(yaml).contains(documented);
      yaml = yaml.replace(documented, other.publicUrl(node));
    }
    return yaml;
  }

  private static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static long seconds(long since) {
    return (System.nanoTime() - since) / 1_000_000_000;
  }

  /**
   * One cluster: its API server, its operator process, the node processes that play its
   * LatticeNodes' pods, and the proxies through which the other cluster reaches them.
   */
  private static final class Side implements AutoCloseable {
    final String name;
    final List<String> members;
    final RealCluster cluster;
    final LocalNodes nodes;
    final Kubectl kubectl;
    final InetAddress publicAddress;
    final InetAddress linkAddress;
    final Path dir;
    final List<TcpProxy> publicProxies = new ArrayList<>();
    final List<TcpProxy> linkProxies = new ArrayList<>();
    final int operatorPort = OperatorProcess.freePort();
    DeploymentControllerStandIn deployments;
    OperatorProcess operator;

    Side(String name, List<String> members, String publicAddress, String linkAddress, String token, Path work)
        throws IOException {
      this.name = name;
      this.members = members;
      this.dir = work.resolve(name);
      this.publicAddress = InetAddress.getByName(publicAddress);
      this.linkAddress = InetAddress.getByName(linkAddress);
      this.cluster = new RealCluster("two-clusters/" + name);
      try {
        this.kubectl = Kubectl.find(dir.resolve("kubectl"), file -> cluster.server().writeKubeconfig(
            file, NAMESPACE, cluster.server().adminCredentials())).orElseThrow();
        // A fresh state for every node: a node loads what an earlier run left in its folder.
        deleteTree(dir.resolve("nodes"));
        this.nodes = new LocalNodes(dir.resolve("nodes"), token);
        for (String node : members) {
          nodes.define(node);
          int http = port(node);
          int p2p = nodes.p2pPort(node);
          publicProxies.add(new TcpProxy(this.publicAddress, http, http));
          linkProxies.add(new TcpProxy(this.linkAddress, http, http));
          linkProxies.add(new TcpProxy(this.linkAddress, p2p, p2p));
        }
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
    }

    private static void deleteTree(Path root) throws IOException {
      if (Files.exists(root)) {
        try (var paths = Files.walk(root)) {
          for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }

    int port(String node) {
      return java.net.URI.create(nodes.url(node)).getPort();
    }

    /** The external member's url of this node in the other cluster. */
    String publicUrl(String node) {
      return "http://" + publicAddress.getHostAddress() + ":" + port(node);
    }

    /** Where the other cluster's nodes reach this node (HTTP; P2P at the same host). */
    String linkUrl(String node) {
      return "http://" + linkAddress.getHostAddress() + ":" + port(node);
    }

    /** {@code kubectl apply -f} of the manifest, as the cluster's admin. */
    void apply(String yaml) throws IOException {
      Path file = Files.writeString(dir.resolve("cluster-" + name + ".yaml"), yaml);
      String out = kubectl.run("apply", "-f", file.toString()).ok();
      System.out.printf("[two-clusters] cluster %s: kubectl apply%n%s%n", name.toUpperCase(), out);
    }

    /** Starts the node processes, then reports their Deployments available, as a kubelet would. */
    void startNodes() throws IOException {
      for (String node : members) {
        nodes.start(node);
      }
      deployments = DeploymentControllerStandIn.start(cluster.client(), NAMESPACE);
    }

    void startOperator() throws IOException {
      Map<String, String> urls = new LinkedHashMap<>();
      for (String node : members) {
        urls.put(NAMESPACE + "/" + node, nodes.url(node));
      }
      Path file = dir.resolve("node-urls.properties");
      LoopbackNodesOperator.write(file, urls);
      Map<String, String> env = new LinkedHashMap<>(OPERATOR_ENV);
      env.put("LATTICE_HTTP_PORT", Integer.toString(operatorPort));
      operator = OperatorProcess.start("operator-" + name,
          cluster.kubeconfigFor("operator-" + name, cluster.server().url(), false), env, dir,
          List.of("-D" + LoopbackNodesOperator.NODE_URLS + "=" + file),
          LoopbackNodesOperator.class.getName());
    }

    /** The operator took the Secret the manifest made (its owner now) and kept its token. */
    void awaitSecretAdopted(String token) {
      String secretName = ResourceNames.latticeSecret(LATTICE);
      awaitApi("the lattice Secret owned by Lattice " + LATTICE + " with the shared token", () -> {
        Secret secret = cluster.client().secrets().inNamespace(NAMESPACE).withName(secretName).get();
        return secret != null && secret.getMetadata().getOwnerReferences() != null
            && secret.getMetadata().getOwnerReferences().stream().anyMatch(o -> "Lattice".equals(o.getKind()))
            && token.equals(new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8));
      });
    }

    /**
     * Writes every node process's peer file from the lattice's peer-list ConfigMap once it lists
     * all four members: in-cluster addresses to loopback, the other cluster's urls to its links.
     */
    void peerNodes(Side other) throws IOException {
      String configMap = ResourceNames.latticePeerList(LATTICE);
      List<String> listed = new ArrayList<>();
      awaitApi(configMap + " lists the 4 members", () -> {
        ConfigMap cm = cluster.client().configMaps().inNamespace(NAMESPACE).withName(configMap).get();
        listed.clear();
        if (cm != null && cm.getData() != null && cm.getData().get(NodePlan.PEER_LIST_FILE) != null) {
          cm.getData().get(NodePlan.PEER_LIST_FILE).lines().filter(l -> !l.isBlank()).forEach(listed::add);
        }
        return listed.size() == 4;
      });
      Map<String, String> loopback = new LinkedHashMap<>();
      for (String node : members) {
        loopback.put(ResourceNames.nodeUrl(node, NAMESPACE), nodes.url(node));
      }
      for (String node : other.members) {
        loopback.put(other.publicUrl(node), other.linkUrl(node));
      }
      List<String> peers = new ArrayList<>();
      for (String url : listed) {
        assertThat(loopback).as("cluster %s's peer list %s names only the 4 members", name, listed).containsKey(url);
        peers.add(loopback.get(url));
      }
      System.out.printf("[two-clusters] cluster %s: %s lists %s; node processes peer with %s%n",
          name.toUpperCase(), configMap, listed, peers);
      for (String node : members) {
        nodes.peerUrls(node, peers);
      }
    }

    /** Each of this cluster's nodes has P2P links to the 3 others, as its LatticeNode status says. */
    void awaitP2pPeers(int peers) {
      for (String node : members) {
        awaitApi(node + " has " + peers + " P2P peers", () -> {
          var n = cluster.client().resources(com.diotec360.lattice.operator.api.v1alpha1.LatticeNode.class)
              .inNamespace(NAMESPACE).withName(node).get();
          return n != null && n.getStatus() != null && Integer.valueOf(peers).equals(n.getStatus().getPeerCount());
        });
      }
    }

    void awaitLattice(Duration atMost, String what, java.util.function.Predicate<LatticeStatus> ok) {
      try {
        await("cluster " + name + ": Lattice " + LATTICE + " " + what).atMost(atMost)
            .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
            .until(() -> ok.test(latticeStatus()));
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(e.getMessage() + "\nlast status in cluster " + name + ": "
            + Serialization.asYaml(latticeStatus()) + "\n" + operator.tail(30), e);
      }
    }

    /** What the operator's {@code /metrics} shows now. */
    String metrics() throws IOException, InterruptedException {
      var http = java.net.http.HttpClient.newHttpClient();
      var response = http.send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + operatorPort + "/metrics"))
              .timeout(Duration.ofSeconds(5)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("cluster %s: GET /metrics", name).isEqualTo(200);
      return response.body();
    }

    LatticeStatus latticeStatus() {
      Lattice lattice = cluster.client().resources(Lattice.class).inNamespace(NAMESPACE).withName(LATTICE).get();
      return lattice == null || lattice.getStatus() == null ? new LatticeStatus() : lattice.getStatus();
    }

    List<Event> latticeEvents(String reason) {
      return cluster.client().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
          .filter(e -> "Lattice".equals(e.getInvolvedObject().getKind()) && reason.equals(e.getReason()))
          .toList();
    }

    void cutLinks() {
      linkProxies.forEach(TcpProxy::stall);
    }

    void healLinks() throws IOException {
      for (TcpProxy proxy : linkProxies) {
        proxy.heal();
      }
    }

    /** The other cluster's operator no longer reaches this cluster's nodes. */
    void cutPublic() {
      publicProxies.forEach(TcpProxy::stall);
    }

    void healPublic() throws IOException {
      for (TcpProxy proxy : publicProxies) {
        proxy.heal();
      }
    }

    private void awaitApi(String what, java.util.concurrent.Callable<Boolean> check) {
      try {
        await("cluster " + name + ": " + what).atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
            .ignoreExceptions().until(check);
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(e.getMessage() + "\n" + (operator == null ? "" : operator.tail(30)), e);
      }
    }

    @Override
    public void close() {
      List<AutoCloseable> all = new ArrayList<>();
      all.add(operator);
      all.add(deployments);
      all.add(nodes);
      all.addAll(publicProxies);
      all.addAll(linkProxies);
      all.add(cluster);
      for (AutoCloseable c : all) {
        try {
          if (c != null) {
            c.close();
          }
        } catch (Exception e) {
          System.out.printf("[two-clusters] closing %s: %s%n", c, e);
        }
      }
    }
  }
}
