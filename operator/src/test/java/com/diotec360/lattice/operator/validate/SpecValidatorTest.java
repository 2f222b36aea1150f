package com.diotec360.lattice.operator.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.api.v1alpha1.AliasType;
import com.diotec360.lattice.operator.api.v1alpha1.DnsAlias;
import com.diotec360.lattice.operator.api.v1alpha1.DnsSpec;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.SecretEnvVar;
import com.diotec360.lattice.operator.support.Nodes;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

  private final Map<String, Service> services = new HashMap<>();
  private final Map<String, Secret> secrets = new HashMap<>();
  private final SpecValidator validator =
      new SpecValidator(
          new SpecValidator.ClusterView() {
            @Override
            public Optional<Service> service(String namespace, String name) {
              return Optional.ofNullable(services.get(name));
            }

            @Override
            public Optional<Secret> secret(String namespace, String name) {
              return Optional.ofNullable(secrets.get(name));
            }
          });

  private final LatticeNode older = Nodes.node("older", "diotec360", "2026-11-01T00:00:00Z");
  private final LatticeNode newer = Nodes.node("newer", "diotec360", "2026-11-02T00:00:00Z");

  @Test
  void aPlainNodeHasNoProblems() {
    assertThat(validator.problems(newer, List.of(older, newer), Optional.empty())).isEmpty();
  }

  @Test
  void aLatticeHasOneExpectedRootAndTheOlderMemberSetsIt() {
    String root = "5df3daee3a0ca23c388a16c3db2c2388" + "0".repeat(32);
    older.getSpec().setExpectedMerkleRoot(root);

    assertThat(validator.problems(older, List.of(older, newer), Optional.empty())).isEmpty();
    assertThat(validator.problems(newer, List.of(older, newer), Optional.empty()))
        .containsExactly(
            "spec.expectedMerkleRoot is not set but member 'older' of lattice 'diotec360' has '"
                + root + "': every member of a lattice must set the same expectedMerkleRoot or"
                + " none; change it on this node to match");

    newer.getSpec().setExpectedMerkleRoot(root);
    assertThat(validator.problems(newer, List.of(older, newer), Optional.empty())).isEmpty();
    newer.getSpec().setExpectedMerkleRoot(null);
    com.diotec360.lattice.operator.api.v1alpha1.Lattice lattice = new com.diotec360.lattice.operator.api.v1alpha1.Lattice();
    lattice.getSpec().setExpectedMerkleRoot(root);
    assertThat(validator.problems(newer, List.of(older, newer), Optional.of(lattice)))
        .as("the Lattice sets the root: the deprecated per-node field is ignored, not a conflict")
        .isEmpty();
    newer.getSpec().setExpectedMerkleRoot(root);
    LatticeNode elsewhere = Nodes.node("elsewhere", "other", "2026-11-03T00:00:00Z");
    assertThat(validator.problems(elsewhere, List.of(older, newer, elsewhere), Optional.empty())).isEmpty();
  }

  @Test
  void theOlderClaimOnAnAliasWins() {
    withAlias(older, "api");
    withAlias(newer, "api");

    assertThat(validator.problems(older, List.of(older, newer), Optional.empty())).isEmpty();
    assertThat(validator.problems(newer, List.of(older, newer), Optional.empty()))
        .containsExactly("DNS alias 'api' is already used by node 'older': choose another alias name");
  }

  @Test
  void anAliasMayNotTakeANodeNameOrAPeerServiceName() {
    withAlias(newer, "older");
    assertThat(validator.problems(newer, List.of(older, newer), Optional.empty()))
        .singleElement().asString().contains("collides with the Service of node 'older'");

    withAlias(newer, "diotec360-peers");
    assertThat(validator.problems(newer, List.of(older, newer), Optional.empty()))
        .singleElement().asString().contains("is the name of a lattice peer Service");

    withAlias(newer, "newer");
    assertThat(validator.problems(newer, List.of(older, newer), Optional.empty()))
        .singleElement().asString().contains("has the node's own name");
  }

  @Test
  void aNodeNameAlreadyUsedAsAnOlderAliasIsRejected() {
    LatticeNode squatter = Nodes.node("api", "diotec360", "2026-11-03T00:00:00Z");
    withAlias(older, "api");
    assertThat(validator.problems(squatter, List.of(older, squatter), Optional.empty()))
        .anySatisfy(p -> assertThat(p).contains("already used as a DNS alias by node 'older'"));
  }

  @Test
  void aForeignServiceIsNeverTakenOver() {
    services.put("api", new ServiceBuilder().withNewMetadata().withName("api").endMetadata().build());
    withAlias(newer, "api");
    assertThat(validator.problems(newer, List.of(newer), Optional.empty()))
        .containsExactly(
            "a Service named 'api' already exists and is not managed by this node: choose another"
                + " alias name or remove that Service");
  }

  @Test
  void ourOwnAliasServiceIsNotAConflict() {
    services.put("api", new ServiceBuilder().withNewMetadata().withName("api")
        .withOwnerReferences(new OwnerReferenceBuilder().withUid("uid-newer").withController(true).build())
        .endMetadata().build());
    withAlias(newer, "api");
    assertThat(validator.problems(newer, List.of(newer), Optional.empty())).isEmpty();
  }

  @Test
  void hostnamesAreUniqueWithinALattice() {
    withHostname(older, "node.diotec360.com");
    withHostname(newer, "node.diotec360.com");
    assertThat(validator.problems(newer, List.of(older, newer), Optional.empty()))
        .singleElement().asString()
        .contains("hostname 'node.diotec360.com' is already published by node 'older'");
    assertThat(validator.problems(older, List.of(older, newer), Optional.empty())).isEmpty();
  }

  @Test
  void secretsAndTheirKeysMustExist() {
    newer.getSpec().setSecretEnv(List.of(new SecretEnvVar("API_KEY", "api", "key")));
    assertThat(validator.problems(newer, List.of(newer), Optional.empty()))
        .singleElement().asString().contains("Secret 'api', which does not exist");

    secrets.put("api", new SecretBuilder().withNewMetadata().withName("api").endMetadata()
        .addToData("other", "eA==").build());
    assertThat(validator.problems(newer, List.of(newer), Optional.empty()))
        .singleElement().asString().contains("refers to key 'key' of Secret 'api', which has no such key");

    secrets.get("api").getData().put("key", "eA==");
    assertThat(validator.problems(newer, List.of(newer), Optional.empty())).isEmpty();
  }

  @Test
  void aMissingSpecOrBadNameIsReportedPlainly() {
    LatticeNode bare = Nodes.node("Bad_Name", "diotec360");
    bare.setSpec(null);
    assertThat(validator.problems(bare, List.of(bare), Optional.empty()))
        .containsExactly(
            "metadata.name 'Bad_Name' must be a DNS-1035 label of at most 57 characters (lowercase"
                + " letters, digits and '-', starting with a letter): rename the node",
            "spec.lattice and spec.role are required: see examples/dual-node.yaml");
  }

  private static void withAlias(LatticeNode node, String name) {
    DnsAlias alias = new DnsAlias();
    alias.setName(name);
    alias.setType(AliasType.CNAME);
    alias.setTarget("example.com");
    DnsSpec dns = new DnsSpec();
    dns.setAliases(List.of(alias));
    node.getSpec().setDns(dns);
  }

  private static void withHostname(LatticeNode node, String hostname) {
    DnsSpec dns = new DnsSpec();
    dns.setHostnames(List.of(hostname));
    node.getSpec().setDns(dns);
  }
}
