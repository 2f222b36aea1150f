package com.diotec360.lattice.realapi.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One of the two servers the conformance suite compares, as the suite sees it: raw HTTP as its
 * cluster-admin (or as a user held to RBAC), in a namespace that has the same name on both.
 */
final class Target implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  /** Makes a client acting as a user who may do only what these roles allow. */
  interface Grants {
    KubernetesClient clientAs(String user, List<ClusterRole> clusterRoles, List<Role> roles);
  }

  private final String name;
  private final KubernetesClient admin;
  private final String namespace;
  private final Grants grants;
  private final Gone gone;

  /**
   * The body of a watch resumed from a resourceVersion the server no longer has: on a server of
   * its own, since the shared one keeps every change it saw.
   */
  interface Gone {
    Answer watchFromCompactedVersion() throws Exception;
  }

  Target(String name, KubernetesClient admin, String namespace, Grants grants, Gone gone) {
    this.name = name;
    this.admin = own(raw(admin));
    this.namespace = namespace;
    this.grants = grants;
    this.gone = gone;
  }

  /**
   * A client like {@code client} that sends each request once: fabric8 retries a 5xx with back-off
   * (for about 20 s), which would hide the server's first answer and slow the suite down.
   */
  static KubernetesClient raw(KubernetesClient client) {
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
            .withRequestRetryBackoffLimit(0).build())
        .build();
  }

  Answer watchFromCompactedVersion() throws Exception {
    return gone.watchFromCompactedVersion();
  }

  String name() {
    return name;
  }

  String ns() {
    return namespace;
  }

  KubernetesClient admin() {
    return admin;
  }

  KubernetesClient clientAs(String user, List<ClusterRole> clusterRoles, List<Role> roles) {
    return own(raw(grants.clientAs(user, clusterRoles, roles)));
  }

  private final List<KubernetesClient> owned = new java.util.concurrent.CopyOnWriteArrayList<>();

  private KubernetesClient own(KubernetesClient client) {
    owned.add(client);
    return client;
  }

  /** Closes the clients made here. */
  @Override
  public void close() {
    owned.forEach(KubernetesClient::close);
  }

  /** The answer to one request: status, body and the headers a client reads (Warning, Location). */
  record Answer(int code, String body, Map<String, List<String>> headers) {
    JsonNode json() {
      try {
        return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
      } catch (IOException e) {
        return JSON.createObjectNode().put("notJson", body);
      }
    }

    /** The same answer with its Status message rewritten (a part that differs by nature). */
    Answer withMessage(java.util.function.UnaryOperator<String> rewrite) {
      JsonNode json = json();
      if (!json.has("message")) {
        return this;
      }
      ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("message", rewrite.apply(json.get("message").asText()));
      return new Answer(code, json.toString(), headers);
    }

    List<String> header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).toList();
    }
  }

  /** A request sent as cluster-admin. */
  Request request(String method, String path) {
    return new Request(admin, method, path);
  }

  /** A request sent with another client (a user held to RBAC). */
  Request request(KubernetesClient client, String method, String path) {
    return new Request(client, method, path);
  }

  Answer get(String path) {
    return request("GET", path).send();
  }

  Answer post(String path, String body) {
    return request("POST", path).body("application/json", body).send();
  }

  Answer put(String path, String body) {
    return request("PUT", path).body("application/json", body).send();
  }

  Answer patch(String path, String contentType, String body) {
    return request("PATCH", path).body(contentType, body).send();
  }

  Answer delete(String path) {
    return request("DELETE", path).send();
  }

  /** One request; {@link #send()} waits for the whole answer (a watch: until its timeoutSeconds). */
  static final class Request {
    private final KubernetesClient client;
    private final HttpRequest.Builder builder;
    private final String method;
    private String contentType;
    private String body;

    Request(KubernetesClient client, String method, String path) {
      this.client = client;
      this.method = method;
      String base = client.getMasterUrl().toString().replaceAll("/$", "");
      this.builder = client.getHttpClient().newHttpRequestBuilder().uri(base + path);
    }

    Request body(String contentType, String body) {
      this.contentType = contentType;
      this.body = body;
      return this;
    }

    Request header(String name, String value) {
      builder.setHeader(name, value);
      return this;
    }

    Answer send() {
      if (body != null) {
        builder.method(method, contentType, body);
      } else if (!"GET".equals(method)) {
        builder.method(method, "application/json", "");
      }
      try {
        HttpResponse<String> response =
            client.getHttpClient().sendAsync(builder.build(), String.class).get(60, TimeUnit.SECONDS);
        return new Answer(response.code(), response.body(), response.headers());
      } catch (ExecutionException e) {
        throw new IllegalStateException(method + " failed: " + e.getCause(), e.getCause());
      } catch (TimeoutException e) {
        throw new IllegalStateException(method + " got no answer within 60 s", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
