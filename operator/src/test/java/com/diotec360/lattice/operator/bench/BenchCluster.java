package com.diotec360.lattice.operator.bench;

import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.operator.api.CustomResources;
import com.diotec360.lattice.operator.charts.OperatorChartRbac;
import com.diotec360.lattice.operator.support.OperatorHarness;
import com.diotec360.lattice.realapi.Credentials;
import com.diotec360.lattice.realapi.KubeAssets;
import com.diotec360.lattice.realapi.RealApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where a benchmark runs, chosen by system properties:
 *
 * <ul>
 *   <li>default: the <b>harness</b>, a fresh real etcd + kube-apiserver on loopback
 *       ({@link RealApiServer}, binaries from {@link KubeAssets}; {@code -Dbench.controllers=true}
 *       adds kube-controller-manager); the operator acts as the operator chart's ServiceAccount,
 *       held to the chart's rendered RBAC by the server; writes are counted from the audit log;
 *   <li>{@code -Dbench.kubeconfig=PATH}: the user's own cluster. The benchmark's objects go to
 *       fresh namespaces ({@code lattice-bench-...}, deleted at the end); the operator runs with
 *       {@code -Dbench.operatorKubeconfig} (default: the same kubeconfig); the CRD is installed if
 *       missing (and removed again at the end); writes are counted by the operator's own client;
 *   <li>{@code -Dbench.api=embedded}: the strict embedded API of the earlier runs (writes counted
 *       by the client, CPU of the API is the benchmark JVM's).
 * </ul>
 *
 * One instance per measured run: on the harness and the embedded API a fresh server, so every run
 * starts from the same empty store.
 */
abstract class BenchCluster implements AutoCloseable {

  /** The user the operator acts as, in the write counts. */
  abstract String operatorUser();

  /** The user's own client: creates the LatticeNodes and reads. */
  abstract KubernetesClient admin();

  /** A namespace for objects of one part of a run, created; {@code base} on a fresh server. */
  abstract String namespace(String base);

  /**
   * A kubeconfig with the operator's identity; {@code ssaPatch} adds {@code patch} on the kinds
   * JOSDK's server-side apply writes (the SSA experiment only).
   */
  abstract Path operatorKubeconfig(boolean ssaPatch);

  /** A client with the operator's identity (the floor writes with it), counting its writes into {@code count}. */
  abstract KubernetesClient operatorClient(ClientWrites count);

  /** Every write counted so far: the audit log on the harness, else what {@code clientSide} counted. */
  abstract WriteTally writes(Supplier<WriteTally> clientSide);

  /** CPU seconds of the API server's processes so far (kube-apiserver + etcd), NaN when unknown. */
  double apiCpuSeconds() {
    return Double.NaN;
  }

  /** VmRSS of kube-apiserver in kB, -1 when unknown. */
  long apiRssKb() {
    return -1;
  }

  /** What this is, for the table's heading. */
  abstract String describe();

  static final Path WORK = Path.of(System.getProperty("java.io.tmpdir"), "lattice-bench");

  static BenchCluster open() {
    String kubeconfig = System.getProperty("bench.kubeconfig");
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      return new UserCluster(Path.of(kubeconfig),
          Path.of(System.getProperty("bench.operatorKubeconfig", kubeconfig)));
    }
    if ("embedded".equals(System.getProperty("bench.api"))) {
      return new Embedded();
    }
    return new Harness(Boolean.getBoolean("bench.controllers"));
  }

  /** The generated CRDs: LatticeNode and Lattice. */
  static List<CustomResourceDefinition> crds() {
    return CustomResources.RESOURCES.stream().map(BenchCluster::crd).toList();
  }

  static CustomResourceDefinition crd(String resource) {
    try (InputStream in = BenchCluster.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath: run test-compile first");
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Patch on what JOSDK applies server-side when its SSA switch is on (ConfigMaps and Secrets excepted). */
  static ClusterRole ssaPatchRole() {
    return new ClusterRoleBuilder()
        .withNewMetadata().withName("lattice-bench-ssa-patch").endMetadata()
        .addNewRule().withApiGroups("").withResources("services", "persistentvolumeclaims").withVerbs("patch").endRule()
        .addNewRule().withApiGroups("apps").withResources("deployments").withVerbs("patch").endRule()
        .addNewRule().withApiGroups("policy").withResources("poddisruptionbudgets").withVerbs("patch").endRule()
        .addNewRule().withApiGroups("discovery.k8s.io").withResources("endpointslices").withVerbs("patch").endRule()
        .build();
  }

  static List<ClusterRole> clusterRoles(boolean ssaPatch) {
    List<ClusterRole> roles = new ArrayList<>(OperatorChartRbac.grants(false).clusterRoles());
    if (ssaPatch) {
      roles.add(ssaPatchRole());
    }
    return roles;
  }

  // ------------------------------------------------------------------ the harness

  static final class Harness extends BenchCluster {
    private final RealApiServer server;
    private final AuditWrites audit;
    private final String user = OperatorChartRbac.grants(false).user();

    Harness(boolean controllers) {
      KubeAssets assets = KubeAssets.find().orElseThrow(() -> new IllegalStateException(KubeAssets.HOW_TO_GET_THEM));
      server = RealApiServer.start(assets, controllers, WORK);
      server.installCrds(crds());
      audit = new AuditWrites(server.workDir().resolve("audit.log"));
    }

    RealApiServer server() {
      return server;
    }

    @Override
    String operatorUser() {
      return user;
    }

    @Override
    KubernetesClient admin() {
      return server.client();
    }

    @Override
    String namespace(String base) {
      server.ensureNamespace(base);
      return base;
    }

    private Credentials credentials(boolean ssaPatch) {
      return server.grant(user, clusterRoles(ssaPatch), OperatorChartRbac.grants(false).roles());
    }

    @Override
    Path operatorKubeconfig(boolean ssaPatch) {
      return server.writeKubeconfig(server.workDir().resolve("operator.kubeconfig"), "default", credentials(ssaPatch));
    }

    @Override
    KubernetesClient operatorClient(ClientWrites count) {
      Credentials c = credentials(false);
      io.fabric8.kubernetes.client.ConfigBuilder config = new io.fabric8.kubernetes.client.ConfigBuilder(Config.empty())
          .withMasterUrl(server.url()).withTrustCerts(true).withDisableHostnameVerification(true)
          .withRequestTimeout(30_000).withNamespace("default");
      return new KubernetesClientBuilder().withConfig(c.applyTo(config).build())
          .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("bench-writes", count)).build();
    }

    @Override
    WriteTally writes(Supplier<WriteTally> clientSide) {
      return audit.tally();
    }

    @Override
    double apiCpuSeconds() {
      return pids().stream().mapToDouble(OperatorChild::cpuSeconds).filter(d -> !Double.isNaN(d)).sum();
    }

    @Override
    long apiRssKb() {
      return pids().stream()
          .filter(pid -> ProcessHandle.of(pid).flatMap(p -> p.info().command()).orElse("").endsWith("kube-apiserver"))
          .mapToLong(OperatorChild::rssKb).max().orElse(-1);
    }

    private List<Long> pids() {
      try {
        return Files.readAllLines(server.workDir().resolve("pids")).stream()
            .filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.trim())).toList();
      } catch (IOException e) {
        return List.of();
      }
    }

    @Override
    String describe() {
      return "real kube-apiserver + etcd on loopback (harness" + (server.hasControllers() ? ", with kube-controller-manager" : "")
          + "), operator as " + user + " with the chart's RBAC";
    }

    @Override
    public void close() {
      Path dir = server.workDir();
      server.close();
      if (!Boolean.getBoolean("bench.keepLogs")) {
        deleteTree(dir);
      }
    }
  }

  // ------------------------------------------------------------------ the embedded API

  static final class Embedded extends BenchCluster {
    /** Held strongly: JUL forgets the level of an unreferenced logger. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");
    private final EmbeddedApiServer api;
    private final Path dir;

    Embedded() {
      MOCK_LOG.setLevel(Level.WARNING);
      api = OperatorHarness.startApi();
      try {
        dir = Files.createDirectories(WORK.resolve("embedded-" + api.port()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    String operatorUser() {
      return "operator";
    }

    @Override
    KubernetesClient admin() {
      return api.client();
    }

    @Override
    String namespace(String base) {
      return base;
    }

    @Override
    Path operatorKubeconfig(boolean ssaPatch) {
      var grants = OperatorChartRbac.grants(false);
      try {
        return api.writeKubeconfig(dir.resolve("operator.kubeconfig"), "default",
            api.bindToken(grants.user(), clusterRoles(ssaPatch), grants.roles()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    KubernetesClient operatorClient(ClientWrites count) {
      var grants = OperatorChartRbac.grants(false);
      String token = api.bindToken(grants.user(), grants.clusterRoles(), grants.roles());
      Config config = new io.fabric8.kubernetes.client.ConfigBuilder(Config.empty())
          .withMasterUrl(api.url()).withOauthToken(token).withNamespace("default").build();
      return new KubernetesClientBuilder().withConfig(config)
          .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("bench-writes", count)).build();
    }

    @Override
    WriteTally writes(Supplier<WriteTally> clientSide) {
      return clientSide.get();
    }

    @Override
    String describe() {
      return "strict embedded API (fabric8 mock) in the benchmark's JVM";
    }

    @Override
    public void close() {
      api.close();
      deleteTree(dir);
    }
  }

  // ------------------------------------------------------------------ the user's cluster

  static final class UserCluster extends BenchCluster {
    private final KubernetesClient admin;
    private final Path operatorKubeconfig;
    private final List<String> namespaces = new ArrayList<>();
    private final String run = Long.toString(System.currentTimeMillis() / 1000);
    private final List<String> installedHere = new ArrayList<>();

    UserCluster(Path kubeconfig, Path operatorKubeconfig) {
      System.setProperty("kubeconfig", kubeconfig.toString());
      this.admin = new KubernetesClientBuilder().build();
      this.operatorKubeconfig = operatorKubeconfig;
      var crds = admin.apiextensions().v1().customResourceDefinitions();
      for (CustomResourceDefinition crd : crds()) {
      if (crds.withName(crd.getMetadata().getName()).get() == null) {
        crds.resource(crd).create();
        installedHere.add(crd.getMetadata().getName());
        crds.withName(crd.getMetadata().getName()).waitUntilCondition(
            c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                && c.getStatus().getConditions().stream()
                    .anyMatch(k -> "Established".equals(k.getType()) && "True".equals(k.getStatus())),
            60, TimeUnit.SECONDS);
      }
      }
    }

    @Override
    String operatorUser() {
      return "operator";
    }

    @Override
    KubernetesClient admin() {
      return admin;
    }

    @Override
    String namespace(String base) {
      String name = "lattice-bench-" + base + "-" + run;
      try {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
      namespaces.add(name);
      return name;
    }

    @Override
    Path operatorKubeconfig(boolean ssaPatch) {
      return operatorKubeconfig; // the user's identity must hold the operator's rights (and patch, for the SSA experiment)
    }

    @Override
    KubernetesClient operatorClient(ClientWrites count) {
      return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(operatorKubeconfig.toFile()))
          .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("bench-writes", count)).build();
    }

    @Override
    WriteTally writes(Supplier<WriteTally> clientSide) {
      return clientSide.get();
    }

    @Override
    String describe() {
      return "the cluster of " + System.getProperty("bench.kubeconfig") + " (writes counted by the operator's client)";
    }

    @Override
    public void close() {
      for (String ns : namespaces) {
        admin.namespaces().withName(ns).delete();
      }
      for (String crd : installedHere) {
        admin.apiextensions().v1().customResourceDefinitions().withName(crd).delete();
      }
      admin.close();
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  static Optional<Harness> harness(BenchCluster cluster) {
    return cluster instanceof Harness h ? Optional.of(h) : Optional.empty();
  }
}
