package com.diotec360.lattice.local.runtime;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The environment a Deployment's first container would get from the kubelet: {@code envFrom}
 * ConfigMaps and Secrets, then {@code env} (plain values, {@code configMapKeyRef}, {@code
 * secretKeyRef}, and the pod's name and namespace through {@code fieldRef}). A reference to a
 * missing object or key that is not optional stops the start, as the kubelet's
 * CreateContainerConfigError does.
 */
public final class PodEnvironment {

  /** A referenced ConfigMap, Secret or key is missing; the message names it. */
  public static final class UnresolvedReference extends Exception {
    UnresolvedReference(String message) {
      super(message);
    }
  }

  private final KubernetesClient client;

  public PodEnvironment(KubernetesClient client) {
    this.client = client;
  }

  public Map<String, String> resolve(Deployment deployment) throws UnresolvedReference {
    String namespace = deployment.getMetadata().getNamespace();
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : Objects.requireNonNullElse(container.getEnvFrom(), List.<EnvFromSource>of())) {
      String prefix = Objects.requireNonNullElse(from.getPrefix(), "");
      if (from.getConfigMapRef() != null) {
        ConfigMap cm = configMap(namespace, from.getConfigMapRef().getName());
        if (cm == null) {
          if (!Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
            throw missing("ConfigMap", namespace, from.getConfigMapRef().getName());
          }
        } else {
          Objects.requireNonNullElse(cm.getData(), Map.<String, String>of())
              .forEach((k, v) -> env.put(prefix + k, v));
        }
      }
      if (from.getSecretRef() != null) {
        Secret secret = secret(namespace, from.getSecretRef().getName());
        if (secret == null) {
          if (!Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
            throw missing("Secret", namespace, from.getSecretRef().getName());
          }
        } else {
          secretData(secret).forEach((k, v) -> env.put(prefix + k, v));
        }
      }
    }
    for (EnvVar var : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
      String value = value(var, deployment);
      if (value != null) {
        env.put(var.getName(), value);
      }
    }
    return env;
  }

  private String value(EnvVar var, Deployment deployment) throws UnresolvedReference {
    String namespace = deployment.getMetadata().getNamespace();
    if (var.getValueFrom() == null) {
      return Objects.requireNonNullElse(var.getValue(), "");
    }
    var from = var.getValueFrom();
    if (from.getConfigMapKeyRef() != null) {
      var ref = from.getConfigMapKeyRef();
      ConfigMap cm = configMap(namespace, ref.getName());
      String v = cm == null || cm.getData() == null ? null : cm.getData().get(ref.getKey());
      if (v == null && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new UnresolvedReference(
            "env " + var.getName() + ": key '" + ref.getKey() + "' of ConfigMap " + namespace + "/"
                + ref.getName() + " does not exist (yet)");
      }
      return v;
    }
    if (from.getSecretKeyRef() != null) {
      var ref = from.getSecretKeyRef();
      Secret secret = secret(namespace, ref.getName());
      String v = secret == null ? null : secretData(secret).get(ref.getKey());
      if (v == null && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new UnresolvedReference(
            "env " + var.getName() + ": key '" + ref.getKey() + "' of Secret " + namespace + "/"
                + ref.getName() + " does not exist (yet)");
      }
      return v;
    }
    if (from.getFieldRef() != null) {
      return switch (from.getFieldRef().getFieldPath()) {
        case "metadata.name" -> deployment.getMetadata().getName();
        case "metadata.namespace" -> namespace;
        case "status.podIP", "status.hostIP" -> "127.0.0.1";
        default -> null;
      };
    }
    return null; // resourceFieldRef: nothing sensible to give locally
  }

  ConfigMap configMap(String namespace, String name) {
    return client.configMaps().inNamespace(namespace).withName(name).get();
  }

  private Secret secret(String namespace, String name) {
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  /** A Secret's values, decoded: {@code data} is base64, {@code stringData} plain (wins). */
  static Map<String, String> secretData(Secret secret) {
    Map<String, String> out = new LinkedHashMap<>();
    Objects.requireNonNullElse(secret.getData(), Map.<String, String>of())
        .forEach(
            (k, v) ->
                out.put(k, new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
    Objects.requireNonNullElse(secret.getStringData(), Map.<String, String>of()).forEach(out::put);
    return out;
  }

  private static UnresolvedReference missing(String kind, String namespace, String name) {
    return new UnresolvedReference(kind + " " + namespace + "/" + name + " does not exist (yet)");
  }
}
