package com.diotec360.lattice.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.api.v1alpha1.ExternalMember;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMemberTls;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeSpec;
import com.diotec360.lattice.operator.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What an external member's Secrets give its probes, and what is said when they cannot. */
class ExternalMemberReaderTest {

  private final Map<String, Secret> secrets = new HashMap<>();
  private final ExternalMemberReader reader = new ExternalMemberReader(new SpecValidator.ClusterView() {
    @Override
    public Optional<Service> service(String namespace, String name) {
      return Optional.empty();
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
      return Optional.ofNullable(secrets.get(namespace + "/" + name));
    }
  });

  private static Lattice lattice(ExternalMember... members) {
    Lattice lattice = new Lattice();
    lattice.setMetadata(new ObjectMetaBuilder().withName("diotec360").withNamespace("prod").build());
    LatticeSpec spec = new LatticeSpec();
    spec.setExternalMembers(List.of(members));
    lattice.setSpec(spec);
    return lattice;
  }

  private void secret(String name, Map<String, String> data) {
    Map<String, String> encoded = new HashMap<>();
    data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    secrets.put("prod/" + name, new SecretBuilder().withNewMetadata().withName(name).withNamespace("prod")
        .endMetadata().withData(encoded).build());
  }

  @Test
  void headersComeFromTheSecretAndAreNeverInTheWords() {
    secret("hf", Map.of("Authorization", "Bearer hf_s3cr3t"));
    ExternalMember hosted = new ExternalMember("node1", "https://node1.hf.space", "genesis-public");
    hosted.setHeadersSecret("hf");
    var read = reader.read(lattice(hosted));
    assertThat(read.problems()).isEmpty();
    assertThat(read.members()).singleElement().satisfies(m -> {
      assertThat(m.access().headers()).containsEntry("Authorization", "Bearer hf_s3cr3t");
      assertThat(m.toString()).doesNotContain("s3cr3t");
    });
  }

  @Test
  void aMemberWhoseSecretIsMissingIsNotProbedAndTheProblemSaysWhatToCreate() {
    ExternalMember hosted = new ExternalMember("node1", "https://node1.hf.space", "genesis-public");
    hosted.setHeadersSecret("hf");
    ExternalMember pinned = new ExternalMember("node3", "https://node3.example.com", "mirror");
    pinned.setTls(new ExternalMemberTls("node3-ca"));
    secret("node3-ca", Map.of("ca.crt", "not a certificate"));
    ExternalMember plain = new ExternalMember("node4", "http://node4.example.com", "mirror");
    var read = reader.read(lattice(hosted, pinned, plain));
    assertThat(read.members()).extracting(m -> m.name()).containsExactly("node4");
    assertThat(read.problems()).containsOnlyKeys("node1", "node3");
    assertThat(read.problems().get("node1"))
        .isEqualTo("spec.externalMembers[0].headersSecret: Secret 'hf' is not in namespace 'prod'; create it"
            + " (one key per header) or remove headersSecret");
    assertThat(read.problems().get("node3"))
        .startsWith("spec.externalMembers[1].tls.caSecret: Secret 'node3-ca' in namespace 'prod' has no PEM certificate");
  }

  @Test
  void aKeyThatIsNoHeaderNameIsRefusedByName() {
    secret("bad", Map.of("Authorization: Bearer", "x"));
    ExternalMember hosted = new ExternalMember("node1", "https://node1.hf.space", "genesis-public");
    hosted.setHeadersSecret("bad");
    assertThat(reader.read(lattice(hosted)).problems().get("node1"))
        .contains("key 'Authorization: Bearer' of Secret 'bad' is not an HTTP header name");
  }
}
