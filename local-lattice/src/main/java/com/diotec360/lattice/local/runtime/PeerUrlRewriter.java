package com.diotec360.lattice.local.runtime;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rewrites peer lists from in-cluster Service URLs ({@code http://<svc>.<ns>.svc:8000}) to the
 * loopback URLs of the local node processes behind those Services. Pure: the lookup is passed in.
 *
 * <p>An in-cluster URL nobody serves yet is left out rather than kept: no resolver on the machine
 * knows {@code *.svc}, and a node polling it would only log failures until it appears. URLs outside
 * the cluster (e.g. {@code https://api.diotec360.com}) are kept as they are.
 */
public final class PeerUrlRewriter {

  /** An in-cluster Service named by a URL's host. */
  public record ServiceRef(String namespace, String name) {}

  private final String defaultNamespace;
  private final Function<ServiceRef, Optional<String>> loopbackUrlOf;

  /**
   * @param defaultNamespace namespace of a bare {@code http://<svc>:8000} URL (the node's own)
   * @param loopbackUrlOf the base URL of the process behind a Service, if one runs
   */
  public PeerUrlRewriter(String defaultNamespace, Function<ServiceRef, Optional<String>> loopbackUrlOf) {
    this.defaultNamespace = defaultNamespace;
    this.loopbackUrlOf = loopbackUrlOf;
  }

  /** The peer-list file's content (one URL a line, '#' comments), rewritten. */
  public String rewriteLines(String content) {
    if (content == null || content.isBlank()) {
      return "";
    }
    List<String> out = new ArrayList<>();
    for (String line : content.split("\\R")) {
      int hash = line.indexOf('#');
      String item = (hash >= 0 ? line.substring(0, hash) : line).trim();
      if (!item.isEmpty()) {
        rewrite(item).filter(u -> !out.contains(u)).ifPresent(out::add);
      }
    }
    return out.isEmpty() ? "" : String.join("\n", out) + "\n";
  }

  /** A comma-separated list ({@code DIOTEC360_LATTICE_NODES}), rewritten. */
  public String rewriteCommaList(String value) {
    if (value == null || value.isBlank()) {
      return "";
    }
    List<String> out = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        rewrite(item.trim()).filter(u -> !out.contains(u)).ifPresent(out::add);
      }
    }
    return String.join(",", out);
  }

  /** One URL: the loopback URL, the URL unchanged when outside the cluster, or empty. */
  public Optional<String> rewrite(String url) {
    Optional<ServiceRef> service = serviceOf(url, defaultNamespace);
    if (service.isEmpty()) {
      return Optional.of(url);
    }
    return loopbackUrlOf.apply(service.get());
  }

  /**
   * The Service a URL names when its host is {@code <svc>.<ns>.svc[.cluster.local]}, {@code
   * <svc>.<ns>} or a bare {@code <svc>}; empty for anything else (a public host name, an IP).
   */
  static Optional<ServiceRef> serviceOf(String url, String defaultNamespace) {
    String host;
    try {
      host = URI.create(url.trim()).getHost();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (host == null || host.matches("[0-9.]+") || host.equals("localhost")) {
      return Optional.empty();
    }
    String h = host.toLowerCase(java.util.Locale.ROOT);
    if (h.endsWith(".svc.cluster.local")) {
      h = h.substring(0, h.length() - ".cluster.local".length());
    }
    String[] parts = h.split("\\.");
    if (parts.length == 3 && parts[2].equals("svc")) {
      return Optional.of(new ServiceRef(parts[1], parts[0]));
    }
    if (parts.length == 1) {
      return Optional.of(new ServiceRef(defaultNamespace, parts[0]));
    }
    return Optional.empty();
  }
}
