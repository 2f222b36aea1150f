package com.diotec360.lattice.embedded;

import static com.diotec360.lattice.embedded.TestApi.NS;
import static com.diotec360.lattice.embedded.TestApi.get;
import static com.diotec360.lattice.embedded.TestApi.mergePatch;
import static com.diotec360.lattice.embedded.TestApi.node;
import static com.diotec360.lattice.embedded.TestApi.nodePath;
import static com.diotec360.lattice.embedded.TestApi.nodesPath;
import static com.diotec360.lattice.embedded.TestApi.post;
import static com.diotec360.lattice.embedded.TestApi.send;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A dry run (kubectl diff, --dry-run=server) is admitted and answered as the write would be, and
 * nothing is stored or counted.
 */
class DryRunIT {

  @RegisterExtension final TestApi.Fresh fresh = new TestApi.Fresh();
  private EmbeddedApiServer api;

  @BeforeEach
  void start() {
    api = fresh.api();
  }

  @Test
  void aDryRunCreateIsAnsweredWithTheDefaultedObjectAndStoresNothing() {
    var answer = post(api, nodesPath() + "?dryRun=All", node("n1", "alpha"));

    assertThat(answer.code()).as(answer.body()).isEqualTo(201);
    assertThat(answer.json().at("/spec/logLevel").asText()).as("a schema default").isEqualTo("INFO");
    assertThat(answer.json().at("/metadata/namespace").asText()).isEqualTo(NS);
    assertThat(answer.json().at("/metadata/resourceVersion").isMissingNode()).isTrue();
    assertThat(get(api, nodePath("n1")).code()).isEqualTo(404);
    assertThat(api.writes().total()).isZero();
  }

  @Test
  void aDryRunPatchShowsTheResultAndChangesNothing() {
    post(api, nodesPath(), node("n1", "alpha"));
    String before = get(api, nodePath("n1")).body();

    var answer = mergePatch(api, nodePath("n1") + "?dryRun=All", "{\"spec\":{\"role\":\"genesis-backup\"}}");

    assertThat(answer.code()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().at("/spec/role").asText()).isEqualTo("genesis-backup");
    assertThat(answer.json().at("/metadata/generation").asInt()).isEqualTo(2);
    assertThat(get(api, nodePath("n1")).body()).isEqualTo(before);
  }

  @Test
  void aDryRunIsAdmittedAsTheWriteWouldBe() {
    var answer = post(api, nodesPath() + "?dryRun=All", node("n1", "alpha").replace("genesis-primary\"}",
        "genesis-primary\",\"sync\":{\"p2p\":{\"port\":8000}}}"));

    assertThat(answer.code()).isEqualTo(422);
    assertThat(answer.json().path("message").asText()).contains("p2p.port must differ from the HTTP port 8000");
  }

  @Test
  void aDryRunDeleteDeletesNothing() {
    post(api, nodesPath(), node("n1", "alpha"));

    assertThat(send(api, "DELETE", nodePath("n1") + "?dryRun=All", null, null).code()).isEqualTo(200);
    assertThat(get(api, nodePath("n1")).code()).isEqualTo(200);
  }

  @Test
  void aDryRunValueOtherThanAllIsRefused() {
    var answer = post(api, nodesPath() + "?dryRun=Yes", node("n1", "alpha"));

    assertThat(answer.code()).isEqualTo(422);
    assertThat(answer.json().path("message").asText()).contains("dryRun: Unsupported value: [\"Yes\"]");
  }
}
