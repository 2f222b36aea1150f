package com.diotec360.lattice.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live status page: serves one HTML page on 127.0.0.1 and pushes the lattice to it.
 *
 * <ol>
 *   <li>Three informers (a list, then a watch) keep Lattices, LatticeNodes and Events in memory,
 *       using the user's own client, so the page never shows more than the user may read. The
 *       lattice headers come from the Lattices (the group's facts, judged once by the operator),
 *       the cards from the LatticeNodes, and the external members' cards (a group of their own)
 *       from the Lattices: what the operator last probed of them; the page never probes them
 *       itself. Lattices and Events are optional: when the user may not list them (or the Lattice
 *       CRD is missing), the page says so and shows the rest.
 *   <li>Every change marks the page dirty; a single pusher thread rebuilds the snapshot (at most
 *       every {@value #PUSH_MILLIS} ms) and sends it, when it differs from the last one, to every
 *       open {@code /api/stream} (server-sent events). A {@code ping} every {@value #PING_SECONDS} s
 *       lets the page notice a dead connection.
 *   <li>A mode switch is a JSON merge patch of {@code spec.sync.mode}, made with the user's
 *       client: the API server's RBAC decides. Whether to offer the control at all is asked with a
 *       SelfSubjectAccessReview per namespace, refreshed every {@value #PERMISSION_SECONDS} s.
 * </ol>
 * Binds to loopback only. Requests whose {@code Host} is not this loopback address are refused
 * (DNS rebinding), and a switch needs a custom header and a JSON body, which a page from another
 * origin cannot send without a CORS preflight this server never answers. Nothing it serves comes
 * from a Secret.
 */
public final class StatusPageServer implements AutoCloseable {

  static final long PUSH_MILLIS = 100;
  static final long PING_SECONDS = 3;
  static final long PERMISSION_SECONDS = 30;
  /** The header a switch request must carry (a cross-origin page cannot send it unasked). */
  public static final String SWITCH_HEADER = "X-Lattice-Dashboard";
  private static final Set<String> MODES = Set.of("auto", "p2p", "http");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final io.fabric8.kubernetes.api.model.ListOptions ONE =
      new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build();

  private final KubernetesClient client;
  private final String namespace;
  private final HttpServer http;
  private final ExecutorService handlers = Executors.newCachedThreadPool(daemon("lattice-page-http"));
  private final ScheduledExecutorService pusher = Executors.newSingleThreadScheduledExecutor(daemon("lattice-page-push"));
  private final List<OutputStream> streams = new CopyOnWriteArrayList<>();
  private final AtomicBoolean dirty = new AtomicBoolean(true);
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, LatticeNodes.Permission> permissions = new ConcurrentHashMap<>();
  private volatile long permissionsAt;
  private volatile String lastSnapshot = "";
  private SharedIndexInformer<GenericKubernetesResource> nodeInformer;
  private SharedIndexInformer<GenericKubernetesResource> latticeInformer;
  private SharedIndexInformer<Event> eventInformer;
  private volatile String latticesProblem;
  private volatile String eventsProblem;

  /**
   * @param namespace the namespace to show, or null for all namespaces
   * @param port the loopback port (0: any free port)
   */
  public StatusPageServer(KubernetesClient client, String namespace, int port) throws IOException {
    this.client = client;
    this.namespace = namespace;
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
  }

  /**
   * Starts the watches and the HTTP server.
   *
   * @throws KubernetesClientException when LatticeNodes cannot be listed (no such kind, no permission)
   */
  public StatusPageServer start() {
    var nodes = LatticeNodes.api(client);
    nodeInformer = (namespace == null ? nodes.inAnyNamespace() : nodes.inNamespace(namespace)).inform(onChange(), 0);
    // Optional kinds are listed once first: an informer whose first list is refused logs a stack
    // trace before it gives up, and the user should see one line on the page instead.
    try {
      var lattices = Lattices.api(client);
      var scoped = namespace == null ? lattices.inAnyNamespace() : lattices.inNamespace(namespace);
      scoped.list(ONE);
      latticeInformer = scoped.inform(onChange(), 0);
    } catch (KubernetesClientException e) {
      latticesProblem = Lattices.whyNotShown(e);
    }
    try {
      var events = client.v1().events();
      var scoped = namespace == null ? events.inAnyNamespace() : events.inNamespace(namespace);
      scoped.list(ONE);
      eventInformer = scoped.inform(onChange(), 0);
    } catch (KubernetesClientException e) {
      eventsProblem = "Events are not shown: " + firstLine(e);
    }
    http.setExecutor(handlers);
    http.createContext("/", this::page);
    http.createContext("/api/snapshot", this::snapshot);
    http.createContext("/api/stream", this::stream);
    http.createContext("/api/switch", this::switchMode);
    http.start();
    pusher.scheduleWithFixedDelay(this::pushIfChanged, 0, PUSH_MILLIS, TimeUnit.MILLISECONDS);
    pusher.scheduleWithFixedDelay(this::ping, PING_SECONDS, PING_SECONDS, TimeUnit.SECONDS);
    return this;
  }

  public int port() {
    return http.getAddress().getPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port() + "/";
  }

  private <T> ResourceEventHandler<T> onChange() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        dirty.set(true);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        dirty.set(true);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        dirty.set(true);
      }
    };
  }

  /** The snapshot the page renders, as JSON text. */
  public String snapshotJson() {
    List<JsonNode> nodes = nodeInformer.getStore().list().stream().map(LatticeNodes::json).toList();
    List<JsonNode> latticeObjects = latticeInformer == null
        ? List.of()
        : latticeInformer.getStore().list().stream().map(LatticeNodes::json).toList();
    List<JsonNode> events = eventInformer == null
        ? List.of()
        : eventInformer.getStore().list().stream().map(LatticeNodes::json).toList();
    List<LatticeView> lattices = LatticeViews.of(nodes, latticeObjects, events);
    ObjectNode root = JSON.createObjectNode();
    root.put("scope", namespace == null ? "all namespaces" : "namespace " + namespace);
    root.put("apiWatching", nodeInformer.isWatching());
    if (latticesProblem != null) {
      root.put("latticesProblem", latticesProblem);
    }
    if (eventsProblem != null) {
      root.put("eventsProblem", eventsProblem);
    }
    root.set("lattices", JSON.valueToTree(lattices));
    ObjectNode perms = root.putObject("switching");
    Set<String> namespaces = new TreeSet<>();
    lattices.forEach(l -> namespaces.add(l.namespace()));
    permissionsFor(namespaces).forEach((ns, p) ->
        perms.putObject(ns).put("allowed", p.allowed()).put("reason", p.reason()));
    return root.toString();
  }

  private Map<String, LatticeNodes.Permission> permissionsFor(Set<String> namespaces) {
    long now = System.nanoTime();
    if (now - permissionsAt > TimeUnit.SECONDS.toNanos(PERMISSION_SECONDS)) {
      permissions.clear();
      permissionsAt = now;
    }
    Map<String, LatticeNodes.Permission> answer = new TreeMap<>();
    for (String ns : namespaces) {
      answer.put(ns, permissions.computeIfAbsent(ns, n -> LatticeNodes.mayPatch(client, n)));
    }
    return answer;
  }

  private void pushIfChanged() {
    try {
      boolean watching = nodeInformer.isWatching();
      if (System.nanoTime() - permissionsAt > TimeUnit.SECONDS.toNanos(PERMISSION_SECONDS)) {
        dirty.set(true); // ask the API again whether switching is allowed (RBAC may have changed)
      }
      if (!dirty.getAndSet(false) && lastSnapshot.contains("\"apiWatching\":" + watching + ",")) {
        return;
      }
      String snapshot = snapshotJson();
      if (snapshot.equals(lastSnapshot)) {
        return;
      }
      lastSnapshot = snapshot;
      sequence.incrementAndGet();
      broadcast("event: snapshot\ndata: " + snapshot + "\n\n");
    } catch (RuntimeException e) {
      dirty.set(true); // try again on the next tick
    }
  }

  private void ping() {
    broadcast("event: ping\ndata: " + sequence.get() + "\n\n");
  }

  private void broadcast(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    for (OutputStream out : streams) {
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        streams.remove(out);
        closeQuietly(out);
      }
    }
  }

  private void page(HttpExchange exchange) throws IOException {
    if (refusedHost(exchange)) {
      return;
    }
    String path = exchange.getRequestURI().getPath();
    if (!path.equals("/") && !path.equals("/index.html")) {
      send(exchange, 404, "text/plain", "not found: " + path);
      return;
    }
    try (InputStream in = StatusPageServer.class.getResourceAsStream("/lattice-view/index.html")) {
      send(exchange, 200, "text/html; charset=utf-8", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private void snapshot(HttpExchange exchange) throws IOException {
    if (!refusedHost(exchange)) {
      send(exchange, 200, "application/json", snapshotJson());
    }
  }

  private void stream(HttpExchange exchange) throws IOException {
    if (refusedHost(exchange)) {
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    String first = lastSnapshot.isEmpty() ? snapshotJson() : lastSnapshot;
    out.write(("retry: 1000\nevent: snapshot\ndata: " + first + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    streams.add(out); // kept open; the pusher writes to it until the page goes away
  }

  private void switchMode(HttpExchange exchange) throws IOException {
    if (refusedHost(exchange)) {
      return;
    }
    if (!"POST".equals(exchange.getRequestMethod())
        || !"1".equals(exchange.getRequestHeaders().getFirst(SWITCH_HEADER))
        || !String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json")) {
      answer(exchange, 400, false, "a switch is a POST with a JSON body and the " + SWITCH_HEADER + " header");
      return;
    }
    JsonNode body;
    try {
      body = JSON.readTree(exchange.getRequestBody());
    } catch (IOException e) {
      answer(exchange, 400, false, "the body is not JSON");
      return;
    }
    String ns = body.path("namespace").asText("");
    String name = body.path("name").asText("");
    String mode = body.path("mode").asText("");
    if (!MODES.contains(mode)) {
      answer(exchange, 400, false, "mode must be auto, p2p or http, not '" + mode + "'");
      return;
    }
    if (namespace != null && !namespace.equals(ns)) {
      answer(exchange, 400, false, "this page shows namespace " + namespace + " only");
      return;
    }
    try {
      GenericKubernetesResource patched = LatticeNodes.api(client).inNamespace(ns).withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), LatticeNodes.modePatch(mode));
      answer(exchange, 200, true, "asked " + name + " to sync in mode " + mode
          + " (generation " + patched.getMetadata().getGeneration() + "); the card changes when the operator reports it");
    } catch (KubernetesClientException e) {
      int code = e.getCode() == 0 ? 502 : e.getCode();
      answer(exchange, code, false, code == 404
          ? "LatticeNode " + ns + "/" + name + " does not exist (any more)"
          : firstLine(e));
    }
  }

  /** Only requests addressed to this loopback server are served (no DNS rebinding). */
  private boolean refusedHost(HttpExchange exchange) throws IOException {
    String host = exchange.getRequestHeaders().getFirst("Host");
    Set<String> ours = Set.of("127.0.0.1:" + port(), "localhost:" + port());
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    boolean hostOk = host != null && ours.contains(host);
    boolean originOk = origin == null || ours.contains(origin.replaceFirst("^http://", ""));
    if (hostOk && originOk) {
      return false;
    }
    send(exchange, 403, "text/plain", "this page answers only requests to 127.0.0.1:" + port());
    return true;
  }

  private static void answer(HttpExchange exchange, int code, boolean ok, String message) throws IOException {
    ObjectNode body = JSON.createObjectNode().put("ok", ok).put("message", message);
    send(exchange, code, "application/json", body.toString());
  }

  private static void send(HttpExchange exchange, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  static String firstLine(KubernetesClientException e) {
    String message = e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage()
        : String.valueOf(e.getMessage());
    return message.lines().findFirst().orElse(message);
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException ignored) {
      // the page is gone already
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops pushing, closes every stream, stops the watches and the HTTP server. */
  @Override
  public void close() {
    pusher.shutdownNow();
    streams.forEach(StatusPageServer::closeQuietly);
    streams.clear();
    http.stop(0);
    handlers.shutdownNow();
    if (nodeInformer != null) {
      nodeInformer.close();
    }
    if (latticeInformer != null) {
      latticeInformer.close();
    }
    if (eventInformer != null) {
      eventInformer.close();
    }
  }
}
