package com.diotec360.lattice.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client bound to roles may do what they allow and gets the real server's 403 otherwise. */
class RbacIT {

  private static final String USER = "system:serviceaccount:ops:operator";

  private EmbeddedApiServer api;
  private KubernetesClient operator;

  @BeforeEach
  void start() {
    api = TestApi.start();
    operator = api.clientAs(USER,
        List.of(new ClusterRoleBuilder().withNewMetadata().withName("reader").endMetadata()
            .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get", "list", "watch").endRule()
            .build()),
        List.of(new RoleBuilder().withNewMetadata().withName("writer").withNamespace("team").endMetadata()
            .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("create").endRule()
            .build()));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aBoundUserMayDoWhatItsRolesAllowAndNothingElse() {
    var map = new ConfigMapBuilder().withNewMetadata().withName("m").endMetadata().addToData("k", "v").build();

    operator.configMaps().inNamespace("team").resource(map).create();
    assertThat(operator.configMaps().inNamespace("team").withName("m").get()).isNotNull();
    assertThat(operator.configMaps().inAnyNamespace().list().getItems()).hasSize(1);

    assertThatThrownBy(() -> operator.configMaps().inNamespace("other").resource(map).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(403);
          assertThat(e.getStatus().getMessage()).isEqualTo(
              "configmaps is forbidden: User \"" + USER + "\" cannot create resource \"configmaps\""
                  + " in API group \"\" in the namespace \"other\"");
        });
    assertThatThrownBy(() -> operator.configMaps().inNamespace("team").withName("m").edit(c -> c))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
            .contains("cannot patch resource \"configmaps\""));
    assertThat(api.client().configMaps().inNamespace("other").resource(map).create())
        .as("the test's own client is cluster-admin").isNotNull();
  }

  @Test
  void aRulesReviewTellsABoundUserItsOwnRules() {
    SelfSubjectRulesReview review = operator.authorization().v1().selfSubjectRulesReview().create(
        new SelfSubjectRulesReviewBuilder().withNewSpec().withNamespace("team").endSpec().build());

    assertThat(review.getStatus().getResourceRules())
        .flatExtracting(r -> r.getVerbs())
        .containsExactlyInAnyOrder("get", "list", "watch", "create");
  }

  @Test
  void anAccessReviewIsAnsweredByTheSameRulesAsTheRequestItself() {
    assertThat(mayI(operator, "team", "create")).isTrue();   // the Role in team
    assertThat(mayI(operator, "other", "create")).isFalse(); // no Role there
    assertThat(mayI(operator, "other", "list")).isTrue();    // the ClusterRole, everywhere
    assertThat(mayI(operator, "team", "patch")).isFalse();   // nobody granted patch
    assertThat(mayI(api.client(), "team", "patch")).as("cluster-admin").isTrue();
  }

  private static boolean mayI(KubernetesClient client, String namespace, String verb) {
    return client.authorization().v1().selfSubjectAccessReview().create(
            new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
                .withGroup("").withResource("configmaps").withVerb(verb).withNamespace(namespace)
                .endResourceAttributes().endSpec().build())
        .getStatus().getAllowed();
  }
}
