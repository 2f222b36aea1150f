package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.merkle.TreeAnswer;
import com.diotec360.lattice.merkle.TreeReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * An external member's Merkle trie, reached directly at its URL from the user's machine: {@code
 * POST URL/api/lattice/tree}. An external member runs outside the cluster, so the API server's
 * service proxy ({@link ProxiedTrees}) cannot reach it; whether this machine can is the network's
 * business, and a failure says so.
 *
 * <p>Its own HTTP client, built here with nothing from the kubeconfig: no bearer token, no client
 * certificate and no interceptor of the Kubernetes client ever reaches an external member. It sends
 * exactly the headers of the member's {@code headersSecret} and trusts the member's {@code
 * tls.caSecret} instead of the system's CAs when there is one ({@link ExternalMemberAccess}). The
 * one who makes it closes it.
 */
final class ExternalTrees implements AutoCloseable {

  private static final MediaType JSON = MediaType.get("application/json");

  private final String member;
  private final String url;
  private final ExternalMemberAccess.Access access;
  private final OkHttpClient http;

  ExternalTrees(String member, String baseUrl, ExternalMemberAccess.Access access) {
    this.member = member;
    this.url = baseUrl.replaceFirst("/+$", "") + "/api/lattice/tree";
    this.access = access;
    OkHttpClient.Builder builder = new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(5))
        .callTimeout(Duration.ofSeconds(ProxiedTrees.TIMEOUT_SECONDS))
        // A redirect could carry the headers to another host: an external member's url is its own.
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(false);
    if (access.trust() != null) {
      try {
        builder.sslSocketFactory(com.diotec360.lattice.tls.PemTrust.socketFactory(access.trust()), access.trust());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this JVM cannot make a TLS context: " + e.getMessage(), e);
      }
    }
    this.http = builder.build();
  }

  TreeReader reader() {
    return prefixes -> {
      Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(TreeAnswer.request(prefixes), JSON));
      access.headers().forEach(request::header);
      try (Response response = http.newCall(request.build()).execute()) {
        ResponseBody body = response.body();
        byte[] bytes = body == null ? new byte[0] : body.bytes();
        if (response.code() == 200) {
          try {
            return TreeAnswer.parse(bytes);
          } catch (IOException e) {
            throw new IOException(member + " at " + url + ": its tree answer is not the node contract's JSON ("
                + e.getMessage() + ")");
          }
        }
        String first = firstLine(bytes);
        if (response.code() == 404 || response.code() == 405) {
          throw new UnsupportedOperationException(member + " at " + url + " does not serve POST"
              + " /api/lattice/tree (answered " + response.code() + "): an older node image, or a url whose path"
              + " is not the node's base");
        }
        throw switch (response.code()) {
          case 401, 403 -> new IOException(member + " at " + url + " answered " + response.code() + " (" + first
              + "): " + (access.headers().isEmpty()
                  ? "it wants credentials, and the Lattice names no headersSecret for it"
                  : "it does not accept the headers from its headersSecret"));
          case 301, 302, 303, 307, 308 -> new IOException(member + " at " + url + " answered " + response.code()
              + " (a redirect to " + response.header("Location", "nowhere") + "), which diff does not follow:"
              + " put the final url in spec.externalMembers");
          default -> new IOException(member + " at " + url + " answered " + response.code() + " (" + first + ")");
        };
      } catch (UnknownHostException e) {
        throw new IOException("cannot resolve " + member + "'s host from this machine (" + e.getMessage() + ")");
      } catch (ConnectException e) {
        throw new IOException("cannot connect to " + member + " at " + url + " from this machine ("
            + e.getMessage() + "): diff reaches external members directly, not through the cluster");
      } catch (SSLException e) {
        throw new IOException("TLS with " + member + " at " + url + " failed (" + e.getMessage() + ")"
            + (access.trust() == null ? "; a private or self-signed CA goes in the member's tls.caSecret" : ""));
      } catch (InterruptedIOException e) {
        throw new IOException(member + " at " + url + " did not answer within " + ProxiedTrees.TIMEOUT_SECONDS
            + " s (" + e.getMessage() + ")");
      }
    };
  }

  private static String firstLine(byte[] body) {
    String line = new String(body, StandardCharsets.UTF_8).strip().lines().findFirst().orElse("");
    return line.isEmpty() ? "no body" : line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  /** Closes the client's connections and threads, so the command exits at once. */
  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
