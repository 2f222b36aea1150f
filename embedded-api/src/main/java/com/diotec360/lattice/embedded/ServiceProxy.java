package com.diotec360.lattice.embedded;

import com.diotec360.lattice.embedded.read.DeferredResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The service proxy subresource of a real kube-apiserver:
 * {@code /api/v1/namespaces/{ns}/services/{name}/proxy[/{path}][?query]}, where {@code name} is
 * {@code [scheme:]service[:port]} (scheme {@code http} or {@code https}, http by default; port the
 * Service port's name or number). The request's method, body and headers (not its Authorization)
 * go to the backend at {@code path?query}; the backend's status, body and headers come back
 * unchanged, errors included, as a real server passes them through.
 *
 * <p>{@link StrictDispatcher#dispatch} hands such requests here after the RBAC check (resource
 * {@code services/proxy}, the verb by method: GET get, POST create, ...) and before anything else:
 * they are no writes (not counted in {@link Writes}, as they never reach etcd) and a
 * {@code dryRun} parameter is the backend's business.
 *
 * <p>Where the traffic goes: a cluster would pick a ready endpoint of the Service; here the
 * {@link ServiceBackends} set on {@link EmbeddedApiServer#serviceBackends} says. The answers, in the
 * real server's words where it has some:
 *
 * <ul>
 *   <li>no such Service: 404 NotFound {@code services "NAME" not found};
 *   <li>a port number the Service lacks: 503 ServiceUnavailable
 *       {@code no service port 9999 found for service "NAME"}; a port name it lacks (or no port,
 *       and the Service has no unnamed port): 503 {@code no endpoints available for service
 *       "NAME:PORT"} (a real server looks for that port in the Endpoints and finds none);
 *   <li>no resolver, or it knows no backend: 503 {@code no endpoints available for service "NAME"};
 *   <li>the backend refuses the connection, does not connect within 2 s or answer within 20 s: 503
 *       {@code error trying to reach service: dial tcp 127.0.0.1:40123: connect: connection refused}
 *       (or {@code dial tcp ...: i/o timeout}, {@code no answer from http://127.0.0.1:40123 within 20s});
 *   <li>a name that is no {@code [scheme:]service[:port]}: 400 {@code invalid service request "NAME"};
 *   <li>{@code .../proxy} without a slash: 301 to {@code .../proxy/}, as a real server redirects.
 * </ul>
 *
 * <p>The backend's answer is awaited off the API's event loop (a {@link DeferredResponse}), so a
 * slow backend delays only its own request. Not done: WebSocket/upgrade requests, the rewriting of
 * links in HTML answers a real server does, X-Forwarded-* headers. An https backend's certificate
 * is not verified, as kube-apiserver does not verify it either.
 */
final class ServiceProxy {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** {@code /api/v1/namespaces/{ns}/services/{name}/proxy}, then the backend's path and query. */
  private static final Pattern PATH =
      Pattern.compile("^/api/v1/namespaces/([^/?]+)/services/([^/?]+)/proxy(/[^?]*)?(?:\\?(.*))?$");

  /** Not passed on: hop-by-hop, what the HTTP client sets itself, the API's own credentials. */
  private static final Set<String> NOT_FORWARDED = Set.of(
      "authorization", "host", "content-length", "connection", "keep-alive", "proxy-authorization",
      "proxy-authenticate", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "expect",
      "http2-settings", "x-lattice-deferred", "x-lattice-http-watch");

  /** Not passed back: hop-by-hop and what the API's HTTP server sets itself. */
  private static final Set<String> NOT_RETURNED = Set.of(
      "content-length", "connection", "keep-alive", "transfer-encoding", "trailer", "upgrade",
      "proxy-authenticate", "proxy-connection", ":status");

  /** The stored Service (as JSON) by namespace and name, null when there is none. */
  private final BiFunction<String, String, JsonNode> services;
  private volatile ServiceBackends backends;
  private final HttpClient http;
  private volatile HttpClient https;

  ServiceProxy(BiFunction<String, String, JsonNode> services) {
    this.services = services;
    this.http = client(null);
  }

  void backends(ServiceBackends resolver) {
    this.backends = resolver;
  }

  private static boolean anyBackend(ServiceBackends resolver, String namespace, String name, JsonNode service) {
    if (resolver == null) {
      return false;
    }
    for (JsonNode p : service.path("spec").path("ports")) {
      Optional<URI> backend = resolver.backend(namespace, name, p.path("port").asInt(), p.path("name").asText(""));
      if (backend != null && backend.isPresent()) {
        return true;
      }
    }
    return false;
  }

  /** True for a service proxy request (path and query as sent). */
  static boolean isProxy(String rawPath) {
    return PATH.matcher(rawPath).matches();
  }

  /** The answer to a service proxy request ({@link #isProxy}), RBAC already passed. */
  MockResponse handle(RecordedRequest request) {
    Matcher m = PATH.matcher(request.getPath());
    if (!m.matches()) {
      throw new IllegalArgumentException("no service proxy path: " + request.getPath());
    }
    String namespace = decode(m.group(1));
    String id = decode(m.group(2));
    String rest = m.group(3);
    String query = m.group(4);
    if (rest == null) {
      String path = request.getPath();
      int q = path.indexOf('?');
      String location = (q < 0 ? path : path.substring(0, q)) + "/" + (query == null ? "" : "?" + query);
      return new MockResponse().setResponseCode(301).setHeader("Location", location)
          .setHeader("Content-Type", "text/html; charset=utf-8")
          .setBody("<a href=\"" + location + "\">Moved Permanently</a>.\n\n");
    }

    // [scheme:]name[:port], as apimachinery's SplitSchemeNamePort
    String[] parts = id.split(":", -1);
    String scheme = parts.length == 3 ? parts[0] : "";
    String name = parts.length == 3 ? parts[1] : parts[0];
    String port = parts.length == 3 ? parts[2] : parts.length == 2 ? parts[1] : "";
    if (parts.length > 3 || name.isEmpty() || !List.of("", "http", "https").contains(scheme)) {
      return ApiStatus.failure(400, "BadRequest", "invalid service request \"" + id + "\"");
    }

    JsonNode service = services.apply(namespace, name);
    if (service == null) {
      return ApiStatus.notFound("services", "", name);
    }
    // a number picks the port by number, anything else by name ("" the unnamed port)
    Long number = port.matches("[0-9]{1,9}") ? Long.valueOf(port) : null;
    JsonNode servicePort = null;
    for (JsonNode p : service.path("spec").path("ports")) {
      if (number != null ? p.path("port").asLong(-1) == number : p.path("name").asText("").equals(port)) {
        servicePort = p;
        break;
      }
    }
    ServiceBackends resolver = backends;
    if (servicePort == null) {
      // a real server looks for the port name in the Endpoints: with none at all it names the
      // Service, with endpoints that lack the port it names the port too
      return unavailable(number != null
          ? "no service port " + number + " found for service \"" + name + "\""
          : "no endpoints available for service \"" + (anyBackend(resolver, namespace, name, service) ? id : name) + "\"");
    }

    Optional<URI> backend = resolver == null ? Optional.empty()
        : resolver.backend(namespace, name, servicePort.path("port").asInt(), servicePort.path("name").asText(""));
    if (backend == null || backend.isEmpty()) {
      return unavailable("no endpoints available for service \"" + name + "\"");
    }
    URI base = backend.get();
    String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceFirst("/+$", "");
    URI target;
    try {
      target = URI.create((scheme.isEmpty() ? "http" : scheme) + "://" + base.getRawAuthority() + basePath + rest
          + (query == null ? "" : "?" + query));
    } catch (IllegalArgumentException e) {
      return ApiStatus.failure(400, "BadRequest", "the proxied path is no valid URI: " + e.getMessage());
    }
    return DeferredResponse.of(request, forward(request, target));
  }

  private CompletableFuture<MockResponse> forward(RecordedRequest request, URI target) {
    byte[] body = request.getBody().getBytes();
    HttpRequest.Builder out = HttpRequest.newBuilder(target)
        .timeout(TIMEOUT)
        .method(request.getMethod().toUpperCase(Locale.ROOT),
            body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    request.getHeaders().toMultimap().forEach((key, values) -> {
      if (!NOT_FORWARDED.contains(key.toLowerCase(Locale.ROOT))) {
        values.forEach(value -> {
          try {
            out.header(key, value);
          } catch (IllegalArgumentException restricted) {
            // a header the JDK client sets itself
          }
        });
      }
    });
    HttpClient client = "https".equals(target.getScheme()) ? httpsClient() : http;
    return client.sendAsync(out.build(), HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, failure) -> failure == null ? passBack(response) : unreachable(target, failure));
  }

  private static MockResponse passBack(HttpResponse<byte[]> response) {
    MockResponse answer = new MockResponse().setResponseCode(response.statusCode());
    response.headers().map().forEach((key, values) -> {
      if (!NOT_RETURNED.contains(key.toLowerCase(Locale.ROOT))) {
        values.forEach(value -> answer.addHeader(key, value));
      }
    });
    return answer.setBody(response.body());
  }

  /** 503 in the real words: {@code error trying to reach service: dial tcp 127.0.0.1:1: connect: connection refused}. */
  private static MockResponse unreachable(URI target, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    String dial = "dial tcp " + target.getHost() + ":" + port(target) + ": ";
    String why;
    if (cause instanceof HttpConnectTimeoutException) {
      why = dial + "i/o timeout";
    } else if (cause instanceof HttpTimeoutException) {
      why = "no answer from " + target.getScheme() + "://" + target.getRawAuthority() + " within "
          + TIMEOUT.toSeconds() + "s";
    } else if (cause instanceof ConnectException || cause.getCause() instanceof ConnectException) {
      why = dial + "connect: connection refused";
    } else {
      why = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
    return unavailable("error trying to reach service: " + why);
  }

  private static MockResponse unavailable(String message) {
    return ApiStatus.failure(503, "ServiceUnavailable", message);
  }

  private static int port(URI target) {
    return target.getPort() >= 0 ? target.getPort() : "https".equals(target.getScheme()) ? 443 : 80;
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private HttpClient httpsClient() {
    HttpClient client = https;
    if (client == null) {
      synchronized (this) {
        if (https == null) {
          https = client(trustingEveryone());
        }
        client = https;
      }
    }
    return client;
  }

  private static HttpClient client(SSLContext ssl) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    return builder.build();
  }

  /** As kube-apiserver's proxy transport (InsecureSkipVerify): the backend's certificate is not checked. */
  private static SSLContext trustingEveryone() {
    X509ExtendedTrustManager everyone = new X509ExtendedTrustManager() {
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {}
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
      @Override public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new javax.net.ssl.TrustManager[] {everyone}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS context for https backends", e);
    }
  }
}
