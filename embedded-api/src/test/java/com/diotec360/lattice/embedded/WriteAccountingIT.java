package com.diotec360.lattice.embedded;

import static com.diotec360.lattice.embedded.TestApi.node;
import static com.diotec360.lattice.embedded.TestApi.nodePath;
import static com.diotec360.lattice.embedded.TestApi.nodesPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

/** Every accepted write counted once by kind and verb; refused ones apart; reads never. */
class WriteAccountingIT {

  @RegisterExtension final TestApi.Fresh fresh = new TestApi.Fresh();
  private EmbeddedApiServer api;

  @BeforeEach
  void start() {
    api = fresh.api();
  }

  @Test
  void countsEveryWriteExactly() {
    assertThat(api.writes().total()).as("the CRDs of the start are not counted").isZero();

    TestApi.post(api, nodesPath(), node("n1", "alpha"));
    TestApi.put(api, nodePath("n1"), TestApi.get(api, nodePath("n1")).body());
    TestApi.mergePatch(api, nodePath("n1"), "{\"spec\":{\"role\":\"genesis-backup\"}}");
    TestApi.mergePatch(api, nodePath("n1") + "/status?fieldManager=x", "{\"status\":{\"phase\":\"Pending\"}}");
    TestApi.put(api, nodePath("n1") + "/status", TestApi.get(api, nodePath("n1")).body());
    TestApi.jsonPatch(api, nodePath("n1") + "/status", "[{\"op\":\"add\",\"path\":\"/status/x/y\",\"value\":1}]");
    TestApi.mergePatch(api, nodePath("n1"), "{\"spec\":{\"lattice\":\"beta\"}}");
    api.client().configMaps().inNamespace("test")
        .resource(new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata().build()).create();
    api.client().configMaps().inNamespace("test").list();
    TestApi.send(api, "DELETE", nodePath("n1"), null, null);

    Writes writes = api.writes();
    assertThat(writes.of("LatticeNode", Verb.CREATE)).isEqualTo(1);
    assertThat(writes.of("LatticeNode", Verb.UPDATE)).isEqualTo(1);
    assertThat(writes.of("LatticeNode", Verb.PATCH)).isEqualTo(1);
    assertThat(writes.of("LatticeNode", Verb.PATCH_STATUS)).isEqualTo(1);
    assertThat(writes.of("LatticeNode", Verb.UPDATE_STATUS)).isEqualTo(1);
    assertThat(writes.of("LatticeNode", Verb.DELETE)).isEqualTo(1);
    assertThat(writes.of("LatticeNode")).isEqualTo(6);
    assertThat(writes.of("ConfigMap", Verb.CREATE)).isEqualTo(1);
    assertThat(writes.total()).isEqualTo(7);
    assertThat(writes.refused("LatticeNode")).as("the bad JSON patch and the immutable lattice").isEqualTo(2);
  }

  @Test
  void snapshotsAreImmutableAndCanBeCompared() {
    Writes before = api.writes();
    TestApi.post(api, nodesPath(), node("n1", "alpha"));
    Writes after = api.writes();

    assertThat(before.total()).isZero();
    assertThat(after.since(before).total()).isEqualTo(1);
    assertThat(after.since(after).total()).isZero();

    api.resetWrites();
    assertThat(api.writes().total()).isZero();
    assertThat(after.total()).isEqualTo(1);
  }
}
