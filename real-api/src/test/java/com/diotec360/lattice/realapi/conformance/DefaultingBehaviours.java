package com.diotec360.lattice.realapi.conformance;

import static com.diotec360.lattice.realapi.conformance.Fixtures.apps;
import static com.diotec360.lattice.realapi.conformance.Fixtures.core;
import static com.diotec360.lattice.realapi.conformance.Fixtures.stable;

import java.util.List;

/**
 * What the server fills in on the built-in kinds the operator writes (its matcher must ignore
 * exactly that), and what it drops: the whole stored object, less what every server makes up.
 */
final class DefaultingBehaviours {

  private DefaultingBehaviours() {}

  private static Behaviour stored(String id, String what, Collection collection, String body) {
    return new Behaviour("defaults." + id, what, t -> {
      var answer = t.post(collection.path(t), body.replace("%NS%", t.ns()));
      return Observation.status(answer).flatten("", stable(answer.json()));
    });
  }

  private interface Collection {
    String path(Target t);
  }

  static List<Behaviour> all() {
    return List.of(
        stored("deployment", "a minimal Deployment", t -> apps(t, "deployments"),
            Fixtures.deployment("def-deploy", """
                [{"name":"node","image":"lattice/node:1","ports":[{"containerPort":8000}],
                  "readinessProbe":{"httpGet":{"path":"/health","port":8000}},
                  "env":[{"name":"A","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
                  "volumeMounts":[{"name":"state","mountPath":"/var/lib/lattice"}]}],
                "volumes":[{"name":"state","persistentVolumeClaim":{"claimName":"s"}},
                           {"name":"cfg","configMap":{"name":"c"}},{"name":"tmp","emptyDir":{}}]""")),
        stored("service-cluster-ip", "a ClusterIP Service", t -> core(t, "services"),
            Fixtures.service("def-svc", "{\"selector\":{\"app\":\"x\"},\"ports\":[{\"name\":\"http\",\"port\":8000}]}")),
        stored("service-headless", "a headless selector-less Service", t -> core(t, "services"),
            Fixtures.service("def-headless", "{\"clusterIP\":\"None\",\"ports\":[{\"port\":53,\"protocol\":\"UDP\"}]}")),
        stored("service-external-name", "an ExternalName Service", t -> core(t, "services"),
            Fixtures.service("def-cname", "{\"type\":\"ExternalName\",\"externalName\":\"node.example.com\"}")),
        stored("pvc", "a PersistentVolumeClaim", t -> core(t, "persistentvolumeclaims"), """
            {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"def-pvc"},
             "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}"""),
        stored("secret", "a Secret with stringData", t -> core(t, "secrets"), """
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"def-secret"},"stringData":{"token":"abc"}}"""),
        stored("configmap-empty", "a ConfigMap with empty data, labels and annotations", t -> core(t, "configmaps"), """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"def-cm","labels":{},"annotations":{}},
             "data":{}}"""),
        stored("endpointslice", "an EndpointSlice", t -> "/apis/discovery.k8s.io/v1/namespaces/" + t.ns() + "/endpointslices", """
            {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"def-eps"},
             "addressType":"IPv4","endpoints":[{"addresses":["203.0.113.10"]}],"ports":[{"port":80}]}"""),
        stored("pdb", "a PodDisruptionBudget", t -> "/apis/policy/v1/namespaces/" + t.ns() + "/poddisruptionbudgets", """
            {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"def-pdb"},
             "spec":{"minAvailable":2,"selector":{"matchLabels":{"lattice":"x"}}}}"""),
        stored("event", "a core/v1 Event as the operator records one", t -> core(t, "events"), """
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"def-event.1"},
             "involvedObject":{"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"LatticeNode","name":"n",
                               "namespace":"%NS%"},
             "reason":"MerkleDivergence","message":"m","type":"Warning","count":1,
             "source":{"component":"lattice-operator"}}"""),
        new Behaviour("defaults.namespace", "a Namespace", t -> {
          var answer = t.post("/api/v1/namespaces",
              "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + t.ns() + "-def\"}}");
          return Observation.status(answer).flatten("", stable(answer.json()));
        }),
        new Behaviour("defaults.generate-name", "a ConfigMap made with generateName", t -> {
          var answer = t.post(core(t, "configmaps"),
              "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":\"gen-\"}}");
          String name = answer.json().path("metadata").path("name").asText();
          return Observation.status(answer).put("name", name.replaceAll("^gen-[a-z0-9]{5}$", "gen-<5 characters>"));
        }));
  }
}
