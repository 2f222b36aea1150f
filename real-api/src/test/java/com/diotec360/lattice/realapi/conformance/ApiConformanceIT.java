package com.diotec360.lattice.realapi.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.embedded.Crds;
import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.realapi.RealApi;
import com.diotec360.lattice.realapi.RealApiTest;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The embedded API measured against the real thing: every behaviour in the {@code *Behaviours}
 * classes (the calls the operator, kubectl, the kubectl plugin and the status page make) runs on a
 * real kube-apiserver v1.36 and on the embedded API with the same CRDs ({@code crds/}), in a
 * namespace of the same name, and the two answers are compared key by key. The suite prints one
 * table (behaviour | real | embedded) and writes it to {@code target/conformance/differences.md};
 * it fails on any difference not in {@link AcceptedDifferences}, and on an accepted one that is
 * gone.
 *
 * <p>Behaviours, not servers, are the parameters: each row of the table needs both answers.
 */
@RealApiTest
class ApiConformanceIT {

  private static final List<DifferenceTable.Row> ROWS = new ArrayList<>();
  private static final Path REPORT = Path.of("target", "conformance");
  /** How long each behaviour took on each server, for the report (never asserted). */
  private static final Map<String, Long> MILLIS = new java.util.concurrent.ConcurrentHashMap<>();
  private static EmbeddedApiServer embedded;
  private static Target real;
  private static Target emulated;

  @BeforeAll
  static void start(RealApi api) {
    List<CustomResourceDefinition> crds = crds();
    api.server().installCrds(crds);
    real = new Target("real", api.server().client(), api.namespace(), api.server()::clientAs, GoneWatches::onReal);
    embedded = EmbeddedApiServer.start(0, crds);
    embedded.client().resource(new NamespaceBuilder().withNewMetadata().withName(api.namespace()).endMetadata().build())
        .create();
    emulated = new Target("embedded", embedded.client(), api.namespace(), embedded::clientAs, GoneWatches::onEmbedded);
  }

  @AfterAll
  static void report() throws IOException {
    String table = DifferenceTable.render(ROWS);
    System.out.println(table);
    Files.createDirectories(REPORT);
    Files.writeString(REPORT.resolve("differences.md"), table);
    // every value seen, in full, for reading a difference the table clips
    Map<String, Object> all = new java.util.TreeMap<>();
    ROWS.forEach(r -> all.put(r.behaviour().id(), Map.of("real", r.real(), "embedded", r.embedded(),
        "millis", Map.of("real", MILLIS.getOrDefault(r.behaviour().id() + " on real", -1L),
            "embedded", MILLIS.getOrDefault(r.behaviour().id() + " on embedded", -1L)))));
    Files.writeString(REPORT.resolve("observations.json"),
        Target.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
    for (Target target : new Target[] {real, emulated}) {
      if (target != null) {
        target.close();
      }
    }
    if (embedded != null) {
      embedded.close();
    }
  }

  /** Every behaviour, or those whose id starts with {@code -Dconformance.only=} (e.g. {@code proxy.}). */
  static Stream<Behaviour> behaviours() {
    boolean latticeCrd = crds().stream().anyMatch(c -> c.getMetadata().getName().startsWith("lattices."));
    String only = System.getProperty("conformance.only", "");
    return Stream.of(
            PatchBehaviours.all(), StatusBehaviours.all(), AdmissionBehaviours.all(latticeCrd),
            DefaultingBehaviours.all(), ClaimBehaviours.all(), ErrorAndWatchBehaviours.all(),
            ReadBehaviours.all(), AccessBehaviours.all())
        .flatMap(List::stream)
        .filter(b -> b.id().startsWith(only));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("behaviours")
  void behavesAsTheRealServer(Behaviour behaviour) {
    Map<String, String> onReal = run(behaviour, real);
    Map<String, String> onEmbedded = run(behaviour, emulated);
    DifferenceTable.Row row = DifferenceTable.Row.of(behaviour, onReal, onEmbedded);
    synchronized (ROWS) {
      ROWS.add(row);
    }
    List<String> unexplained = row.differingKeys().stream()
        .filter(key -> AcceptedDifferences.reason(behaviour.id(), key).isEmpty())
        .map(key -> key + ": real " + onReal.getOrDefault(key, "<absent>")
            + " | embedded " + onEmbedded.getOrDefault(key, "<absent>"))
        .toList();
    assertThat(unexplained)
        .as("%s (%s) differs from the real server; fix the embedded API or accept it in AcceptedDifferences",
            behaviour.id(), behaviour.what())
        .isEmpty();
    Set<String> stale = new LinkedHashSet<>(AcceptedDifferences.of(behaviour.id()).keySet());
    for (String key : row.differingKeys()) {
      stale.removeIf(entry -> entry.equals(behaviour.id())
          || key.startsWith(entry.substring(entry.indexOf('#') + 1)));
    }
    assertThat(stale).as("accepted differences of %s that are gone: remove them", behaviour.id()).isEmpty();
  }

  private static Map<String, String> run(Behaviour behaviour, Target target) {
    long started = System.nanoTime();
    try {
      return Normalize.values(behaviour.probe().on(target).values());
    } catch (Exception | AssertionError e) {
      return Map.of("error", e.toString());
    } finally {
      MILLIS.put(behaviour.id() + " on " + target.name(), (System.nanoTime() - started) / 1_000_000);
    }
  }

  /** Every CRD the operator ships ({@code crds/} at the repository root). */
  static List<CustomResourceDefinition> crds() {
    Path dir = Path.of(System.getProperty("lattice.repoRoot", "..")).resolve("crds");
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted()
          .flatMap(f -> Crds.fromFile(f).stream()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CRDs in " + dir, e);
    }
  }
}
