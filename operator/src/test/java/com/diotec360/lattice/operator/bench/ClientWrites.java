package com.diotec360.lattice.operator.bench;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes counted by a fabric8 client itself, for servers whose audit log the benchmark cannot
 * read (a user's own cluster through a kubeconfig): an interceptor sees every answered request and
 * keeps those that write (POST, PUT, PATCH, DELETE), with the resource and namespace read from the
 * URL path and the answer's code, named as the audit log names them. On the harness the audit log
 * is the one that counts; this one is printed beside it as a check.
 */
final class ClientWrites implements Interceptor {

  private final String user;
  private final Map<WriteTally.Key, LongAdder> counts = new ConcurrentHashMap<>();

  ClientWrites(String user) {
    this.user = user;
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    String verb = switch (request.method()) {
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> null;
    };
    if (verb == null) {
      return;
    }
    WriteTally.Key key = key(user, verb, request.uri().getPath(), response.code());
    if (key != null) {
      counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }
  }

  /**
   * {@code /api/v1/namespaces/NS/RES[/NAME[/SUB]]}, {@code /apis/G/V/namespaces/NS/RES[/NAME[/SUB]]}
   * or the cluster-scoped forms; null for what the audit log would not count as a stored write.
   */
  static WriteTally.Key key(String user, String verb, String path, int code) {
    String[] p = path.replaceAll("^/+", "").split("/");
    int i = p.length > 0 && p[0].equals("api") ? 2 : 3; // past api/v1 or apis/group/version
    if (p.length <= i) {
      return null;
    }
    String namespace = "";
    if (p[i].equals("namespaces") && p.length > i + 2) {
      namespace = p[i + 1];
      i += 2;
    }
    String resource = p[i];
    String sub = p.length > i + 2 ? p[i + 2] : "";
    if (!sub.isEmpty() && !sub.equals("status")) {
      return null;
    }
    if (verb.equals("delete") && p.length == i + 1) {
      verb = "deletecollection";
    }
    return new WriteTally.Key(user, namespace, sub.isEmpty() ? resource : resource + "/" + sub, verb, code);
  }

  WriteTally tally() {
    Map<WriteTally.Key, Long> out = new HashMap<>();
    counts.forEach((k, n) -> out.put(k, n.sum()));
    return new WriteTally(out);
  }

  /** One line for another process: {@code user,namespace,resource,verb,code,n;...}. */
  String encode() {
    StringBuilder out = new StringBuilder();
    counts.forEach((k, n) -> out.append(k.user()).append(',').append(k.namespace()).append(',')
        .append(k.resource()).append(',').append(k.verb()).append(',').append(k.code()).append(',')
        .append(n.sum()).append(';'));
    return out.toString();
  }

  static WriteTally decode(String line) {
    Map<WriteTally.Key, Long> out = new HashMap<>();
    for (String entry : line.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] f = entry.split(",", -1);
      out.put(new WriteTally.Key(f[0], f[1], f[2], f[3], Integer.parseInt(f[4])), Long.parseLong(f[5]));
    }
    return new WriteTally(out);
  }
}
