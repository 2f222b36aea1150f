package com.diotec360.lattice.embedded.patch;

import static com.diotec360.lattice.embedded.patch.JsonPatchTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Strategic merge patch cases from the Kubernetes docs ("Update API Objects in Place Using kubectl
 * patch", tasks/manage-kubernetes-objects/update-api-object-kubectl-patch) and the design notes
 * (community/contributors/devel/sig-api-machinery/strategic-merge-patch.md), with ' for ".
 */
class StrategicMergePatchTest {

  private static final String DEPLOYMENT = "apps/v1/Deployment";

  private static JsonNode patch(String original, String patch, String kind) throws Exception {
    return StrategicMergePatch.apply(json(patch), json(original), kind);
  }

  @Test
  void docsPatchDemoAddsASecondContainerInsteadOfReplacingTheList() throws Exception {
    String live = "{'spec':{'template':{'spec':{'containers':[{'name':'patch-demo-ctr','image':'nginx'}]}}}}";

    JsonNode result = patch(live,
        "{'spec':{'template':{'spec':{'containers':[{'name':'patch-demo-ctr-2','image':'redis'}]}}}}", DEPLOYMENT);

    assertThat(result.at("/spec/template/spec/containers")).isEqualTo(json(
        "[{'name':'patch-demo-ctr-2','image':'redis'},{'name':'patch-demo-ctr','image':'nginx'}]"));
  }

  @Test
  void docsTolerationsHaveNoPatchStrategyAndAreReplaced() throws Exception {
    String live = "{'spec':{'template':{'spec':{'tolerations':[{'effect':'NoSchedule','key':'dedicated','value':'test-team'}]}}}}";

    JsonNode result = patch(live,
        "{'spec':{'template':{'spec':{'tolerations':[{'effect':'NoSchedule','key':'disktype','value':'ssd'}]}}}}",
        DEPLOYMENT);

    assertThat(result.at("/spec/template/spec/tolerations"))
        .isEqualTo(json("[{'effect':'NoSchedule','key':'disktype','value':'ssd'}]"));
  }

  @Test
  void docsRetainKeysDropsRollingUpdateWhenTheStrategyBecomesRecreate() throws Exception {
    String live = "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%','maxUnavailable':'25%'}}}}";

    JsonNode result = patch(live, "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}", DEPLOYMENT);

    assertThat(result.at("/spec/strategy")).isEqualTo(json("{'type':'Recreate'}"));
  }

  @Test
  void withoutRetainKeysTheStrategyMapMerges() throws Exception {
    String live = "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%'}}}}";

    JsonNode result = patch(live, "{'spec':{'strategy':{'type':'Recreate'}}}", DEPLOYMENT);

    assertThat(result.at("/spec/strategy")).isEqualTo(json("{'type':'Recreate','rollingUpdate':{'maxSurge':'25%'}}"));
  }

  @Test
  void nullDeletesAMapKeyAndAListElementMergesByItsKey() throws Exception {
    String live = "{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'template':{'spec':{'containers':["
        + "{'name':'c','image':'old','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}],"
        + "'ports':[{'containerPort':80,'name':'http'}]}]}}}}";

    JsonNode result = patch(live, "{'metadata':{'labels':{'b':null}},'spec':{'template':{'spec':{'containers':["
        + "{'name':'c','image':'new','env':[{'name':'B','value':'3'}],'ports':[{'containerPort':81,'name':'x'}]}]}}}}",
        DEPLOYMENT);

    assertThat(result.at("/metadata/labels")).isEqualTo(json("{'a':'1'}"));
    JsonNode container = result.at("/spec/template/spec/containers/0");
    assertThat(container.get("image").asText()).isEqualTo("new");
    assertThat(container.get("env")).isEqualTo(json("[{'name':'A','value':'1'},{'name':'B','value':'3'}]"));
    assertThat(container.get("ports"))
        .isEqualTo(json("[{'containerPort':81,'name':'x'},{'containerPort':80,'name':'http'}]"));
  }

  @Test
  void patchDeleteRemovesTheElementWithThatKey() throws Exception {
    String live = "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}}}";

    JsonNode result = patch(live, "{'spec':{'template':{'spec':{'containers':[{'name':'a','$patch':'delete'}]}}}}",
        DEPLOYMENT);

    assertThat(result.at("/spec/template/spec/containers")).isEqualTo(json("[{'name':'b','image':'y'}]"));
  }

  @Test
  void patchReplaceInAListMakesThePatchTheWholeList() throws Exception {
    String live = "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}}}";

    JsonNode result = patch(live,
        "{'spec':{'template':{'spec':{'containers':[{'name':'c','image':'z'},{'$patch':'replace'}]}}}}", DEPLOYMENT);

    assertThat(result.at("/spec/template/spec/containers")).isEqualTo(json("[{'name':'c','image':'z'}]"));
  }

  @Test
  void patchReplaceInAMapReplacesTheMap() throws Exception {
    String live = "{'metadata':{'labels':{'a':'1','b':'2'}}}";

    JsonNode result = patch(live, "{'metadata':{'labels':{'c':'3','$patch':'replace'}}}", "v1/ConfigMap");

    assertThat(result.at("/metadata/labels")).isEqualTo(json("{'c':'3'}"));
  }

  @Test
  void patchDeleteInAMapEmptiesIt() throws Exception {
    JsonNode result = patch("{'data':{'a':'1'}}", "{'data':{'$patch':'delete'}}", "v1/ConfigMap");

    assertThat(result.get("data")).isEqualTo(json("{}"));
  }

  @Test
  void finalizersAreAMergedListOfScalarsAndDeleteFromPrimitiveListRemoves() throws Exception {
    String live = "{'metadata':{'finalizers':['a','b']}}";

    // a union; a value the live list does not have goes first (mergeSortedSlice), as redis did above
    assertThat(patch(live, "{'metadata':{'finalizers':['c']}}", "v1/ConfigMap").at("/metadata/finalizers"))
        .isEqualTo(json("['c','a','b']"));
    assertThat(patch(live, "{'metadata':{'finalizers':['b','c']}}", "v1/ConfigMap").at("/metadata/finalizers"))
        .isEqualTo(json("['a','b','c']"));
    assertThat(patch(live, "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}}", "v1/ConfigMap")
        .at("/metadata/finalizers")).isEqualTo(json("['b']"));
  }

  @Test
  void aListOfScalarsWithoutStrategyIsReplaced() throws Exception {
    String live = "{'spec':{'template':{'spec':{'containers':[{'name':'c','args':['a','b']}]}}}}";

    JsonNode result = patch(live, "{'spec':{'template':{'spec':{'containers':[{'name':'c','args':['z']}]}}}}",
        DEPLOYMENT);

    assertThat(result.at("/spec/template/spec/containers/0/args")).isEqualTo(json("['z']"));
  }

  @Test
  void setElementOrderOrdersTheMergedList() throws Exception {
    String live = "{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}}}";

    JsonNode result = patch(live, "{'spec':{'template':{'spec':{"
        + "'$setElementOrder/containers':[{'name':'b'},{'name':'a'}],"
        + "'containers':[{'name':'a','image':'x'}]}}}}", DEPLOYMENT);

    assertThat(result.at("/spec/template/spec/containers"))
        .isEqualTo(json("[{'name':'b'},{'name':'a','image':'x'}]"));
  }

  @Test
  void serverOnlyElementsKeepTheirPlaceAmongThePatchedOnes() throws Exception {
    // live a, b, c; the patch orders c before a and does not mention b (added by someone else)
    String live = "{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}]}}}}";

    JsonNode result = patch(live,
        "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'c'},{'name':'a'}]}}}}", DEPLOYMENT);

    assertThat(result.at("/spec/template/spec/containers"))
        .isEqualTo(json("[{'name':'b'},{'name':'c'},{'name':'a'}]"));
  }

  @Test
  void servicePortsMergeByPortAndVolumesKeepOnlyRetainedKeys() throws Exception {
    JsonNode service = patch("{'spec':{'ports':[{'port':80,'name':'http'},{'port':443,'name':'https'}]}}",
        "{'spec':{'ports':[{'port':80,'targetPort':8080}]}}", "v1/Service");
    assertThat(service.at("/spec/ports"))
        .isEqualTo(json("[{'port':80,'name':'http','targetPort':8080},{'port':443,'name':'https'}]"));

    JsonNode deployment = patch(
        "{'spec':{'template':{'spec':{'volumes':[{'name':'v','emptyDir':{}}]}}}}",
        "{'spec':{'template':{'spec':{'volumes':[{'name':'v','$retainKeys':['configMap','name'],"
            + "'configMap':{'name':'cm'}}]}}}}", DEPLOYMENT);
    assertThat(deployment.at("/spec/template/spec/volumes")).isEqualTo(json("[{'name':'v','configMap':{'name':'cm'}}]"));
  }

  @Test
  void aNewListElementLosesItsDirectivesAndNulls() throws Exception {
    JsonNode result = patch("{'spec':{}}",
        "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'a'}],"
            + "'containers':[{'name':'a','image':null,'env':[{'name':'X','value':'1'}]}]}}}}", DEPLOYMENT);

    assertThat(result.get("spec")).isEqualTo(json(
        "{'template':{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'}]}]}}}"));
  }

  @Test
  void unknownKindsStillMergeMapsAndReplaceLists() throws Exception {
    JsonNode result = patch("{'rules':[{'verbs':['get']}],'metadata':{'labels':{'a':'1'}}}",
        "{'rules':[{'verbs':['list']}],'metadata':{'labels':{'b':'2'}}}", "rbac.authorization.k8s.io/v1/ClusterRole");

    assertThat(result).isEqualTo(json("{'rules':[{'verbs':['list']}],'metadata':{'labels':{'a':'1','b':'2'}}}"));
  }

  @Test
  void badDirectivesAreBadRequests() {
    assertThatThrownBy(() -> patch("{'data':{}}", "{'data':{'$patch':'nonsense'}}", "v1/ConfigMap"))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400));
    assertThatThrownBy(() -> patch("{'spec':{'template':{'spec':{'containers':[{'name':'a'}]}}}}",
        "{'spec':{'template':{'spec':{'containers':[{'image':'no-name'}]}}}}", DEPLOYMENT))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.getMessage()).contains("merge key: name"));
  }
}
