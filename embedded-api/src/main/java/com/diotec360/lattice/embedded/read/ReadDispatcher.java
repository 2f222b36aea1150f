package com.diotec360.lattice.embedded.read;

import com.diotec360.lattice.embedded.table.Printer;
import com.diotec360.lattice.embedded.table.TableFormat;
import com.diotec360.lattice.embedded.table.Tables;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The read side of the mock's CRUD store, answered as kube-apiserver answers it where the mock
 * does not:
 *
 * <ul>
 *   <li>{@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io} (kubectl get) → a Table with
 *       the resource's printer columns ({@link Tables});
 *   <li>{@code fieldSelector} on lists and watches, with the fields the real server selects by
 *       ({@link FieldSelector}; 400 for others);
 *   <li>watches over plain HTTP (kubectl get -w): a chunked stream of TransitionEvents, Tables if asked,
 *       starting after the given resourceVersion ({@link StreamingWatches} streams it).
 * </ul>
 *
 * Requests that ask for none of this (the fabric8 client's, its WebSocket watches) reach the mock
 * unchanged.
 */
public class ReadDispatcher extends KubernetesCrudDispatcher {

  private static final ObjectMapper JSON = Serialization.jsonMapper();
  /** What a watch is told about the store path; everything else is for the watch itself. */
  private static final String[] WATCH_PARAMS = {
      "fieldSelector", "watch", "resourceVersion", "resourceVersionMatch", "allowWatchBookmarks",
      "timeoutSeconds", "sendInitialEvents", "limit", "continue", "includeObject"};

  private final WatchHub hub = new WatchHub();

  protected ReadDispatcher(List<CustomResourceDefinitionContext> crdContexts) {
    super(crdContexts);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if (!"GET".equalsIgnoreCase(request.getMethod())) {
      return super.dispatch(request);
    }
    ApiRequest api = ApiRequest.parse(request.getPath());
    if (api.plural().isEmpty() || api.version().isEmpty() || !api.subresource().isEmpty()) {
      return super.dispatch(request);
    }
    boolean watch = api.flag("watch");
    if (watch && request.getHeader(StreamingWatches.MARKER) == null) {
      return super.dispatch(request); // a WebSocket watch: the mock's own
    }
    TableFormat format = TableFormat.negotiate(request.getHeader("Accept"));
    String fieldSelector = api.param("fieldSelector");
    boolean typedClient = String.valueOf(request.getHeader("Accept")).contains("application/vnd.kubernetes.protobuf");
    if (!watch && format.kind() == TableFormat.Kind.PLAIN && (fieldSelector == null || fieldSelector.isEmpty())
        && !(typedClient && api.isList())) {
      return super.dispatch(request);
    }
    if (format.kind() == TableFormat.Kind.NOT_ACCEPTABLE) {
      return status(406, "NotAcceptable",
          "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf");
    }
    if (!Tables.validIncludeObject(api.param("includeObject"))) {
      return status(400, "BadRequest", "unrecognized includeObject value: \"" + api.param("includeObject") + "\"");
    }
    FieldSelector selector;
    try {
      selector = FieldSelector.parse(fieldSelector, api.group(), api.plural());
    } catch (IllegalArgumentException e) {
      return status(400, "BadRequest", e.getMessage());
    }
    if (watch) {
      return new WatchStream(sink -> watch(sink, api, format, selector));
    }
    return read(api, format, selector);
  }

  // ---- get and list --------------------------------------------------------------------------

  private MockResponse read(ApiRequest api, TableFormat format, FieldSelector selector) {
    MockResponse stored = handleGet(api.without("fieldSelector", "includeObject"));
    JsonNode body = body(stored);
    if (stored.code() != 200 || body == null) {
      return stored;
    }
    List<JsonNode> objects = new ArrayList<>();
    String resourceVersion;
    if (api.isList()) {
      body.path("items").forEach(item -> {
        if (selector.matches(item)) {
          objects.add(item);
        }
      });
      resourceVersion = body.path("metadata").path("resourceVersion").asText("");
    } else {
      objects.add(body);
      resourceVersion = body.path("metadata").path("resourceVersion").asText("");
    }
    if (!format.isTable()) {
      if (api.isList() && body.isObject()) {
        ObjectNode list = (ObjectNode) body;
        ArrayNode items = list.putArray("items");
        objects.forEach(items::add);
        JsonNode first = objects.isEmpty() ? null : objects.get(0);
        if (first != null && first.hasNonNull("kind") && "List".equals(list.path("kind").asText())) {
          // The mock says "List"; a real server names the kind, and client-go's typed clients
          // (kubectl describe's event search) decode nothing from a plain List.
          list.put("kind", first.get("kind").asText() + "List");
          list.put("apiVersion", first.path("apiVersion").asText(list.path("apiVersion").asText()));
        }
      }
      return json(body, "application/json");
    }
    ObjectNode table = Tables.table(format, printer(api), objects, resourceVersion, api.param("includeObject"),
        true, Instant.now());
    return json(table, format.contentType());
  }

  /** The printer for the request's resource: the CRD's columns if a CRD serves it. */
  private Printer printer(ApiRequest api) {
    Optional<JsonNode> crdVersion = Optional.empty();
    if (!api.group().isEmpty()) {
      JsonNode crd = body(handleGet(
          "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + api.plural() + "." + api.group()));
      if (crd != null) {
        for (JsonNode version : crd.path("spec").path("versions")) {
          if (version.path("name").asText().equals(api.version())) {
            crdVersion = Optional.of(version);
          }
        }
      }
    }
    return Tables.printer(api.group(), api.plural(), crdVersion);
  }

  // ---- watch ---------------------------------------------------------------------------------

  private void watch(WatchSink sink, ApiRequest api, TableFormat format, FieldSelector selector) {
    String storePath = api.without(WATCH_PARAMS);
    AttributeSet query = attributeExtractor.fromPath(storePath);
    Printer printer = format.isTable() ? printer(api) : null;
    sink.open(format.isTable() ? format.contentType() : "application/json");
    Watcher watcher = new Watcher(sink, query, selector, format, printer, api.param("includeObject"));
    sink.onClose(() -> hub.unsubscribe(watcher));

    String requested = api.param("resourceVersion");
    long from;
    if (requested == null || requested.isEmpty() || requested.equals("0")) {
      // As a real server: the current objects first, as ADDED, then the changes after them.
      JsonNode current = body(handleGet(storePath));
      from = 0;
      if (current != null) {
        List<JsonNode> objects = new ArrayList<>();
        if (current.has("items")) {
          current.path("items").forEach(objects::add);
          from = version(current);
        } else {
          objects.add(current);
        }
        for (JsonNode object : objects) {
          from = Math.max(from, version(object));
          if (selector.matches(object)) {
            watcher.send("ADDED", object);
          }
        }
      }
    } else {
      try {
        from = Long.parseLong(requested);
      } catch (NumberFormatException e) {
        from = 0;
      }
    }
    if (!hub.subscribe(from, watcher)) {
      ObjectNode gone = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
      gone.putObject("metadata");
      gone.put("status", "Failure").put("message", "too old resource version: " + from + " (" + hub.oldestRetained()
          + ")").put("reason", "Expired").put("code", 410);
      sink.send(JSON.createObjectNode().put("type", "ERROR").<ObjectNode>set("object", gone).toString());
      sink.close();
      return;
    }
    if (sink.isClosed()) {
      hub.unsubscribe(watcher);
    }
    String timeout = api.param("timeoutSeconds");
    if (timeout != null && timeout.matches("\\d+") && Long.parseLong(timeout) > 0) {
      sink.closeAfter(Long.parseLong(timeout));
    }
  }

  /** One streamed watch: the changes that match its path, labels and fields, as events. */
  private static final class Watcher implements WatchHub.Listener {
    private final WatchSink sink;
    private final AttributeSet query;
    private final FieldSelector selector;
    private final TableFormat format;
    private final Printer printer;
    private final String includeObject;
    private boolean headersSent;

    Watcher(WatchSink sink, AttributeSet query, FieldSelector selector, TableFormat format, Printer printer,
        String includeObject) {
      this.sink = sink;
      this.query = query;
      this.selector = selector;
      this.format = format;
      this.printer = printer;
      this.includeObject = includeObject;
    }

    @Override
    public void on(WatchHub.Change change) {
      if (change.attributes().matches(query) && selector.matches(change.object())) {
        send(change.type(), change.object());
      }
    }

    synchronized void send(String type, JsonNode object) {
      JsonNode shown = object;
      if (format.isTable()) {
        // The first event carries the columns, later ones none, as kube-apiserver does.
        shown = Tables.table(format, printer, List.of(object),
            object.path("metadata").path("resourceVersion").asText(""), includeObject, !headersSent, Instant.now());
        headersSent = true;
      }
      sink.send(JSON.createObjectNode().put("type", type).set("object", shown).toString());
    }
  }

  // ---- every change of the store, for the watches -------------------------------------------------

  @Override
  public void processEvent(
      String path, AttributeSet pathAttributes, AttributeSet oldAttributes, GenericKubernetesResource resource,
      String newState) {
    String old = oldAttributes == null ? null : map.get(oldAttributes);
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (Objects.equals(old, newState)) {
      return;
    }
    try {
      if (newState == null) {
        // A real server gives the deletion a resourceVersion of its own.
        ObjectNode gone = (ObjectNode) JSON.readTree(old);
        long version = requestResourceVersion();
        gone.with("metadata").put("resourceVersion", String.valueOf(version));
        hub.publish(new WatchHub.Change(version, "DELETED", oldAttributes, gone));
      } else {
        JsonNode object = JSON.readTree(newState);
        AttributeSet attributes = attributeExtractor.fromResource(newState);
        if (!attributes.containsKey("plural")) {
          attributes = AttributeSet.merge(pathAttributes, attributes);
        }
        hub.publish(new WatchHub.Change(version(object), old == null ? "ADDED" : "MODIFIED", attributes, object));
      }
    } catch (IOException | ClassCastException e) {
      // not a JSON object: nothing a watch could show
    }
  }

  /** The number of streamed watches open now. */
  public int streamedWatches() {
    return hub.listenerCount();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static long version(JsonNode object) {
    try {
      return Long.parseLong(object.path("metadata").path("resourceVersion").asText("0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static JsonNode body(MockResponse response) {
    if (response == null || response.code() != 200 || response.getBody() == null || response.getBody().size() == 0) {
      return null;
    }
    try {
      return JSON.readTree(response.getBody().getBytes());
    } catch (IOException e) {
      return null;
    }
  }

  private static MockResponse json(JsonNode body, String contentType) {
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", contentType).setBody(body.toString());
  }

  private static MockResponse status(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody(status.toString());
  }
}
