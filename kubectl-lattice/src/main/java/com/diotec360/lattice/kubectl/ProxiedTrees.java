package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.merkle.TreeAnswer;
import com.diotec360.lattice.merkle.TreeReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node's Merkle trie as the user reaches it from outside the cluster: {@code POST
 * /api/lattice/tree} through the API server's service proxy, {@code
 * /api/v1/namespaces/NS/services/NODE:http/proxy/api/lattice/tree}, with the user's own
 * credentials. The operator names each node's Service after the node, port {@code http} (8000).
 * RBAC: {@code create} on {@code services/proxy} in the namespace, which {@code view} does not
 * grant; without it the answer says so and the diff falls back (see {@link DiffCommand}).
 */
final class ProxiedTrees {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A tree request is small; a node that takes longer than this is not going to answer. */
  static final long TIMEOUT_SECONDS = 20;

  private ProxiedTrees() {}

  static TreeReader of(KubernetesClient client, String namespace, String node) {
    String master = client.getMasterUrl().toString();
    String url = (master.endsWith("/") ? master : master + "/")
        + "api/v1/namespaces/" + namespace + "/services/" + node + ":http/proxy/api/lattice/tree";
    HttpClient http = client.getHttpClient();
    return prefixes -> {
      HttpRequest request = http.newHttpRequestBuilder()
          .uri(url)
          .post("application/json", TreeAnswer.request(prefixes))
          .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .build();
      HttpResponse<byte[]> response;
      try {
        response = http.sendAsync(request, byte[].class).get(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(node + ": interrupted");
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        throw new IOException(node + ": the API server did not answer ("
            + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()) + ")");
      }
      byte[] body = response.body() == null ? new byte[0] : response.body();
      if (response.code() == 200) {
        try {
          return TreeAnswer.parse(body);
        } catch (IOException e) {
          throw new IOException(node + ": its tree answer is not the node contract's JSON (" + e.getMessage() + ")");
        }
      }
      String status = apiStatusMessage(body);
      if (status == null && (response.code() == 404 || response.code() == 405)) {
        // The node itself answered: an image older than the tree call.
        throw new UnsupportedOperationException(
            node + " does not serve POST /api/lattice/tree (answered " + response.code() + "): an older node image");
      }
      String why = status != null ? status : firstLine(body);
      throw new IOException(switch (response.code()) {
        case 401 -> "the API server does not accept your credentials (401); check your kubeconfig";
        case 403 -> "you may not reach nodes through the API server's service proxy (" + why + "); the live"
            + " comparison needs create on services/proxy in namespace " + namespace
            + " (kubectl auth can-i create services/proxy -n " + namespace + ")";
        case 404 -> node + "'s Service is missing (" + why + ")";
        case 503 -> node + " cannot be reached (" + why + "): is its pod running?";
        default -> node + ": the service proxy answered " + response.code() + " (" + why + ")";
      });
    };
  }

  /** The message of a Kubernetes Status body (the API server's own answer), else null. */
  private static String apiStatusMessage(byte[] body) {
    try {
      JsonNode json = JSON.readTree(body);
      return json != null && "Status".equals(json.path("kind").asText()) ? json.path("message").asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String firstLine(byte[] body) {
    String line = new String(body, StandardCharsets.UTF_8).strip().lines().findFirst().orElse("");
    return line.isEmpty() ? "no body" : line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
