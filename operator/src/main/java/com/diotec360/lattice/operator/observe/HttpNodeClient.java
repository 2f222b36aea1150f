package com.diotec360.lattice.operator.observe;

import com.diotec360.lattice.merkle.TreeAnswer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * {@link NodeClient} on OkHttp. Connect, read and whole-call timeouts bound every request, so a
 * slow node costs at most one timeout per endpoint and never stalls the others (the prober runs
 * probes on its own bounded pool).
 */
public final class HttpNodeClient implements NodeClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final OkHttpClient http;
  /** The same connections, but a resync may take as long as a whole anti-entropy run. */
  private final OkHttpClient resyncHttp;

  /** Headers and CA per base URL (external members); none by default. */
  private volatile java.util.function.Function<String, EndpointAccess> access = url -> EndpointAccess.NONE;
  /** One client per CA an external member names, sharing the connection pool's settings. */
  private final java.util.Map<String, OkHttpClient> byCa = new java.util.concurrent.ConcurrentHashMap<>();

  /** How long a resync may take before the operator stops waiting (the node finishes it anyway). */
  public static final Duration RESYNC_TIMEOUT = Duration.ofSeconds(60);

  public HttpNodeClient(Duration timeout, int maxIdleConnections) {
    this.http =
        new OkHttpClient.Builder()
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .callTimeout(timeout.multipliedBy(2))
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            .connectionPool(new ConnectionPool(maxIdleConnections, 2, TimeUnit.MINUTES))
            .build();
    this.resyncHttp = http.newBuilder().readTimeout(RESYNC_TIMEOUT).callTimeout(RESYNC_TIMEOUT).build();
  }

  @Override
  public void useAccess(java.util.function.Function<String, EndpointAccess> access) {
    this.access = access;
  }

  @Override
  public NodeObservation probe(String baseUrl) throws IOException {
    JsonNode health = get(baseUrl, "/health", true);
    JsonNode state = get(baseUrl, "/api/lattice/state", false);
    JsonNode p2p = get(baseUrl, "/api/lattice/p2p/status", false);
    boolean healthy = "healthy".equals(health.path("status").asText());
    String reason = healthy ? null : health.path("reason").asText("unhealthy");
    String root = text(state, "merkle_root");
    if (root == null) {
      throw new IOException("GET /api/lattice/state answered JSON without merkle_root: not a lattice node");
    }
    return new NodeObservation(
        healthy,
        reason,
        root,
        state.path("version").asLong(-1),
        text(p2p, "sync_mode"),
        text(p2p, "mode"),
        IsoInstants.parseOrNull(text(p2p, "sync_mode_since")),
        p2p.path("peer_count").asInt(-1),
        links(p2p.path("peers")));
  }

  private static List<NodeObservation.PeerLink> links(JsonNode peers) {
    List<NodeObservation.PeerLink> links = new ArrayList<>();
    for (JsonNode p : peers) {
      if (p.path("self").asBoolean(false)) {
        continue;
      }
      boolean failing = p.path("http_consecutive_failures").asInt(0) > 0;
      links.add(new NodeObservation.PeerLink(
          text(p, "url"), text(p, "node_name"), p.path("p2p_connected").asBoolean(false),
          failing ? Objects.requireNonNullElse(text(p, "http_last_error"), "failing") : null));
    }
    return List.copyOf(links);
  }

  @Override
  public void switchMode(String baseUrl, String mode, String token) throws IOException {
    HttpUrl url =
        HttpUrl.get(baseUrl + "/api/lattice/sync/switch").newBuilder()
            .addQueryParameter("mode", mode)
            .build();
    Request request =
        new Request.Builder()
            .url(url)
            .header("Authorization", "Bearer " + token)
            .post(RequestBody.create(new byte[0]))
            .build();
    try (Response response = http.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException(
            "POST " + url.encodedPath() + "?mode=" + mode + " answered " + response.code());
      }
    }
  }

  @Override
  public TreeAnswer tree(String baseUrl, List<String> prefixes) throws IOException {
    Request request =
        withAccess(new Request.Builder(), baseUrl)
            .url(baseUrl + "/api/lattice/tree")
            .post(RequestBody.create(TreeAnswer.request(prefixes), MediaType.get("application/json")))
            .build();
    try (Response response = client(baseUrl).newCall(request).execute()) {
      if (response.code() == 404 || response.code() == 405) {
        throw new UnsupportedOperationException(
            "the node does not serve POST /api/lattice/tree (answered " + response.code() + ")");
      }
      ResponseBody answer = response.body();
      if (!response.isSuccessful() || answer == null) {
        throw new IOException("POST /api/lattice/tree answered " + response.code());
      }
      return TreeAnswer.parse(answer.bytes());
    }
  }

  @Override
  public int resync(String baseUrl, String fromUrl, String token) throws IOException {
    ObjectNode body = JSON.createObjectNode().put("from", fromUrl);
    Request request =
        new Request.Builder()
            .url(baseUrl + "/api/lattice/sync/resync")
            .header("Authorization", "Bearer " + token)
            .post(RequestBody.create(JSON.writeValueAsBytes(body), MediaType.get("application/json")))
            .build();
    try (Response response = resyncHttp.newCall(request).execute()) {
      ResponseBody answer = response.body();
      JsonNode json = answer == null ? JSON.createObjectNode() : JSON.readTree(answer.bytes());
      if (response.code() == 404 || response.code() == 405) {
        throw new UnsupportedOperationException(
            "the node does not serve POST /api/lattice/sync/resync (answered " + response.code() + ")");
      }
      if (!response.isSuccessful()) {
        throw new IOException("POST /api/lattice/sync/resync answered " + response.code()
            + (json.hasNonNull("error") ? ": " + json.get("error").asText() : ""));
      }
      return json.path("pulled").asInt(0);
    }
  }

  /**
   * GET and parse; /health may answer 503 with a JSON reason, which is an answer, not a failure.
   * Anything else than the node contract's JSON (a redirect, which is never followed, a 404, an
   * HTML page) fails with what was answered, so the node shows Unreachable with that message.
   */
  private JsonNode get(String baseUrl, String path, boolean accept503) throws IOException {
    Request request = withAccess(new Request.Builder(), baseUrl).url(baseUrl + path).get().build();
    try (Response response = client(baseUrl).newCall(request).execute()) {
      boolean ok = response.isSuccessful() || (accept503 && response.code() == 503);
      ResponseBody body = response.body();
      if (response.isRedirect()) {
        throw new IOException("GET " + path + " answered " + response.code() + " (a redirect to "
            + redirectHost(response) + "); the operator does not follow redirects: use the final URL");
      }
      if (!ok || body == null) {
        throw new IOException("GET " + path + " answered " + response.code());
      }
      MediaType type = body.contentType();
      if (type != null && !"json".equals(type.subtype()) && !type.subtype().endsWith("+json")) {
        throw new IOException("GET " + path + " answered " + type.type() + "/" + type.subtype()
            + ", not the node contract's JSON");
      }
      try {
        JsonNode json = JSON.readTree(body.byteStream());
        if (json == null || !json.isObject()) {
          throw new IOException("GET " + path + " answered no JSON object");
        }
        return json;
      } catch (com.fasterxml.jackson.core.JacksonException notJson) {
        throw new IOException("GET " + path + " answered something that is not JSON");
      }
    } catch (javax.net.ssl.SSLHandshakeException e) {
      throw untrusted(baseUrl, e);
    }
  }

  /**
   * A TLS handshake the operator refused, in the words of what to fix: the JDK's own ("PKIX path
   * building failed: sun.security...") names neither the host nor the Secret.
   */
  private IOException untrusted(String baseUrl, javax.net.ssl.SSLHandshakeException e) {
    String host = Objects.requireNonNullElse(HttpUrl.parse(baseUrl), HttpUrl.get("https://unknown")).host();
    boolean unsigned = false;
    for (Throwable t = e; t != null && !unsigned; t = t.getCause()) {
      unsigned = t instanceof java.security.cert.CertPathValidatorException
          || t instanceof java.security.cert.CertPathBuilderException
          || String.valueOf(t.getMessage()).startsWith("PKIX path");
    }
    if (!unsigned) {
      return new IOException("the TLS handshake with " + host + " failed: " + e.getMessage(), e);
    }
    return new IOException("the TLS certificate of " + host + " is not signed by "
        + (access.apply(baseUrl).caPem() == null
            ? "a CA the operator trusts: put its CA in a Secret and name it in tls.caSecret"
            : "the CA in its tls.caSecret: put the CA that signed it there"), e);
  }

  private static String redirectHost(Response response) {
    String location = response.header("Location");
    HttpUrl to = location == null ? null : response.request().url().resolve(location);
    return to == null ? "nowhere" : to.host();
  }

  /** The request with the headers the base URL's access needs. */
  private Request.Builder withAccess(Request.Builder request, String baseUrl) {
    access.apply(baseUrl).headers().forEach(request::header);
    return request;
  }

  /** The client for the base URL: the shared one, or one trusting the CA its access names. */
  private OkHttpClient client(String baseUrl) throws IOException {
    String ca = access.apply(baseUrl).caPem();
    if (ca == null) {
      return http;
    }
    OkHttpClient withCa = byCa.get(ca);
    if (withCa == null) {
      withCa = trusting(ca);
      byCa.put(ca, withCa);
    }
    return withCa;
  }

  private OkHttpClient trusting(String caPem) throws IOException {
    try {
      var trust = com.diotec360.lattice.tls.PemTrust.of(caPem);
      return http.newBuilder().sslSocketFactory(com.diotec360.lattice.tls.PemTrust.socketFactory(trust), trust).build();
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("the CA Secret's ca.crt cannot be used: " + e.getMessage());
    }
  }


  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }


  /** Releases pooled connections and threads. */
  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
