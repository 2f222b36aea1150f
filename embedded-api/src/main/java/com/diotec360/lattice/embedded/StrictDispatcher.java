package com.diotec360.lattice.embedded;

import com.diotec360.lattice.embedded.admission.CustomResourceAdmission;
import com.diotec360.lattice.embedded.admission.FieldCause;
import com.diotec360.lattice.embedded.validation.ClaimValidation;
import com.diotec360.lattice.embedded.validation.DeploymentStatusValidation;
import com.diotec360.lattice.embedded.validation.ObjectNames;
import com.diotec360.lattice.embedded.defaults.BuiltInDefaults;
import com.diotec360.lattice.embedded.patch.JsonPatch;
import com.diotec360.lattice.embedded.patch.MergePatch;
import com.diotec360.lattice.embedded.patch.PatchException;
import com.diotec360.lattice.embedded.patch.ServerSideApply;
import com.diotec360.lattice.embedded.patch.StrategicMergePatch;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The fabric8 CRUD store behind the rules a real kube-apiserver applies to writes, where the mock
 * is lenient. Every write is turned into a full object here (patches applied per RFC 6902 / 7386,
 * the status subresource honoured, custom resources pruned, defaulted and validated, built-in
 * kinds defaulted) and only then handed to the mock as a plain create or update, which keeps its
 * resourceVersion, generation, finalizer and watch behaviour. Writes are serialized (one lock) and
 * counted in a {@link WriteLog}.
 */
final class StrictDispatcher extends DiscoveryDispatcher {

  private static final ObjectMapper JSON = Serialization.jsonMapper();
  private static final String ALPHANUMERIC = "bcdfghjklmnpqrstvwxz2456789";

  /** Built-in resources whose status is a subresource on a real server. */
  private static final Set<String> BUILT_IN_STATUS =
      Set.of("deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "services",
          "persistentvolumeclaims", "pods", "namespaces", "nodes", "poddisruptionbudgets");

  private final DiscoveryDocuments discovery;
  private final WriteLog writeLog;
  private final BuiltInDefaults defaults = new BuiltInDefaults();
  /** By group/version/plural. */
  private final Map<String, CustomResourceAdmission> admissions = new ConcurrentHashMap<>();
  private final ReentrantLock writes = new ReentrantLock();
  private final SecureRandom random = new SecureRandom();

  private final Authorizer authorizer;
  /** services/{name}/proxy: forwarded to the Service's backend, never stored nor counted. */
  private final ServiceProxy serviceProxy = new ServiceProxy(this::storedService);
  /**
   * Whether the request this thread dispatches is a dry run ({@code dryRun=All}: kubectl diff,
   * {@code --dry-run=server}): admitted and answered as if stored, and nothing is stored.
   */
  private final ThreadLocal<Boolean> dryRun = ThreadLocal.withInitial(() -> false);
  /** Who makes the request this thread dispatches (the mock calls handlers on that thread). */
  private final ThreadLocal<String> user = ThreadLocal.withInitial(() -> Writes.UNBOUND);

  StrictDispatcher(DiscoveryDocuments discovery, WriteLog writeLog, Authorizer authorizer) {
    super(discovery);
    this.discovery = discovery;
    this.writeLog = writeLog;
    this.authorizer = authorizer;
  }

  /**
   * RBAC first, for users a test bound to roles (see {@link Authorizer}); then service proxy
   * requests go to {@link ServiceProxy} (no write, whatever the method: no dry-run refusal, no
   * count), everything else to the store.
   */
  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if ("POST".equalsIgnoreCase(request.getMethod()) && AccessReviews.isReview(request.getPath())) {
      return AccessReviews.answer(request, authorizer.subject(request).orElse(null));
    }
    if (ServiceProxy.isProxy(request.getPath())) {
      return authorizer.refuse(request).orElseGet(() -> serviceProxy.handle(request));
    }
    String dryRunValue = ApiStatus.queryParameter(ResourcePath.parse(request.getPath()).query(), "dryRun");
    if (!"GET".equalsIgnoreCase(request.getMethod()) && !dryRunValue.isEmpty() && !"All".equals(dryRunValue)) {
      return DryRun.unsupportedValue(request.getMethod(), dryRunValue);
    }
    user.set(authorizer.subject(request).map(Authorizer.Subject::user).orElse(Writes.UNBOUND));
    dryRun.set("All".equals(dryRunValue) && !"GET".equalsIgnoreCase(request.getMethod()));
    try {
      return notFoundAsStatus(request, authorizer.refuse(request).orElseGet(() -> super.dispatch(request)));
    } finally {
      user.remove();
      dryRun.remove();
    }
  }

  /**
   * The mock answers a missing object with a bare 404; a real server with a Status that kubectl
   * prints ({@code Error from server (NotFound): latticenodes.lattice.diotec360.com "x" not found}).
   */
  private static MockResponse notFoundAsStatus(RecordedRequest request, MockResponse response) {
    if (response.code() != 404) {
      return response;
    }
    String body = response.getBody() == null ? "" : response.getBody().readUtf8();
    if (body.contains("\"kind\":\"Status\"")) {
      return response.setBody(body);
    }
    ResourcePath path = ResourcePath.parse(request.getPath());
    return path.name().isEmpty()
        ? ApiStatus.failure(404, "NotFound", "the server could not find the requested resource")
        : ApiStatus.notFound(path.plural(), path.group(), path.name());
  }

  ServiceProxy serviceProxy() {
    return serviceProxy;
  }

  /** Admission for a CRD's kind from now on (also done when a CRD is created through the API). */
  void register(CustomResourceDefinition crd) {
    CustomResourceAdmission admission = CustomResourceAdmission.of(crd);
    crd.getSpec().getVersions().forEach(v ->
        admissions.put(crd.getSpec().getGroup() + "/" + v.getName() + "/" + crd.getSpec().getNames().getPlural(),
            admission));
    discovery.register(crd);
  }

  // ---- create ----------------------------------------------------------------------------------

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    ResourcePath path = ResourcePath.parse(request.getPath());
    return locked(path, Verb.CREATE, () -> {
      JsonNode body = parse(request);
      if (body == null || !body.isObject()) {
        return ApiStatus.failure(400, "BadRequest", "the request body is not a JSON object");
      }
      ObjectNode object = (ObjectNode) body;
      var fields = FieldValidation.check(discovery.openApi(), path, kindOf(path, object), false,
          request.getBody().getBytes(), object, Verb.CREATE);
      if (fields.refusal() != null) {
        return fields.refusal();
      }
      assignGeneratedName(object);
      String name = object.path("metadata").path("name").asText("");
      List<FieldCause> badName = ObjectNames.validate(path.plural(), admission(path) != null, name);
      if (!badName.isEmpty()) {
        return ApiStatus.invalid(kindOf(path, object), path.group(), name, badName);
      }
      if (!name.isEmpty() && stored(path.named(name)) != null) {
        return ApiStatus.alreadyExists(path.plural(), path.group(), name);
      }
      if (hasStatusSubresource(path)) {
        object.remove("status");
      }
      MockResponse refused = admit(path, object, null);
      if (refused != null) {
        return refused;
      }
      if (dryRun.get()) {
        return fields.warn(DryRun.created(object, path.namespace()));
      }
      MockResponse response = super.handleCreate(rewrite(request, HttpMethod.POST, request.getPath(), object));
      if (response.code() < 300 && "CustomResourceDefinition".equals(object.path("kind").asText())) {
        register(Serialization.unmarshal(object.toString(), CustomResourceDefinition.class));
      }
      return fields.warn(response);
    });
  }

  private void assignGeneratedName(ObjectNode object) {
    JsonNode metadata = object.path("metadata");
    if (metadata.isObject() && metadata.path("name").asText("").isEmpty()
        && !metadata.path("generateName").asText("").isEmpty()) {
      StringBuilder suffix = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        suffix.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
      }
      ((ObjectNode) metadata).put("name", metadata.get("generateName").asText() + suffix);
    }
  }

  // ---- update ----------------------------------------------------------------------------------

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    ResourcePath path = ResourcePath.parse(request.getPath());
    return locked(path, path.isStatus() ? Verb.UPDATE_STATUS : Verb.UPDATE, () -> {
      JsonNode stored = stored(path);
      JsonNode body = parse(request);
      if (stored == null || body == null || !body.isObject()) {
        return super.handleUpdate(request);
      }
      String bodyName = body.path("metadata").path("name").asText("");
      if (!bodyName.isEmpty() && !bodyName.equals(path.name())) {
        return ApiStatus.failure(400, "BadRequest",
            "the name of the object (" + bodyName + ") does not match the name on the URL (" + path.name() + ")");
      }
      if (admission(path) != null && body.path("metadata").path("resourceVersion").asText("").isEmpty()) {
        // a custom resource's update is conditional: the real server names the resource, not the kind
        return ApiStatus.invalid(path.plural(), path.group(), path.name(), List.of(new FieldCause(
            "FieldValueInvalid", "Invalid value: 0: must be specified for an update", "metadata.resourceVersion")));
      }
      var fields = FieldValidation.check(discovery.openApi(), path, kindOf(path, body), false,
          request.getBody().getBytes(), (ObjectNode) body, Verb.UPDATE);
      if (fields.refusal() != null) {
        return fields.refusal();
      }
      return fields.warn(write(request, path, stored, (ObjectNode) body));
    });
  }

  // ---- patch -----------------------------------------------------------------------------------

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    ResourcePath path = ResourcePath.parse(request.getPath());
    return locked(path, path.isStatus() ? Verb.PATCH_STATUS : Verb.PATCH, () -> {
      String contentType = String.valueOf(request.getHeader("Content-Type"));
      boolean jsonPatch = contentType.startsWith("application/json-patch+json");
      boolean mergePatch = contentType.startsWith("application/merge-patch+json");
      // strategic merge patch only for built-in kinds, as on a real server
      boolean strategic = contentType.startsWith("application/strategic-merge-patch+json") && admission(path) == null;
      if (contentType.startsWith("application/apply-patch+yaml")) {
        return serverSideApply(request, path);
      }
      if (!jsonPatch && !mergePatch && !strategic) {
        return ApiStatus.unsupportedPatch(admission(path) == null);
      }
      JsonNode stored = stored(path);
      if (stored == null) {
        return ApiStatus.failure(404, "NotFound", qualifiedPlural(path) + " \"" + path.name() + "\" not found");
      }
      JsonNode patch = parse(request);
      if (patch == null) {
        return ApiStatus.failure(400, "BadRequest", "the patch is not JSON");
      }
      JsonNode patched;
      try {
        patched = jsonPatch ? JsonPatch.apply(patch, stored)
            : strategic ? StrategicMergePatch.apply(patch, stored, stored.path("apiVersion").asText() + "/" + stored.path("kind").asText())
            : MergePatch.apply(patch, stored);
      } catch (PatchException e) {
        // a patch the server cannot decode is a 400 in its words; one that does not apply, 422
        return strategic || e.code() == 400
            ? ApiStatus.failure(e.code(), e.code() == 400 ? "BadRequest" : "Invalid", e.getMessage())
            : ApiStatus.patchNotApplicable();
      }
      if (!patched.isObject()) {
        return ApiStatus.patchNotApplicable();
      }
      var fields = FieldValidation.check(discovery.openApi(), path, kindOf(path, patched), true,
          jsonPatch ? null : request.getBody().getBytes(), (ObjectNode) patched, Verb.PATCH);
      if (fields.refusal() != null) {
        return fields.refusal();
      }
      return fields.warn(write(request, path, stored, (ObjectNode) patched));
    });
  }

  /**
   * Server-side apply ({@code application/apply-patch+yaml}): creates the object when absent,
   * else the simplified apply of {@link ServerSideApply}; then the usual create or update path.
   */
  private MockResponse serverSideApply(RecordedRequest request, ResourcePath path) {
    String manager = ApiStatus.queryParameter(path.query(), "fieldManager");
    if (manager.isEmpty()) {
      return ApiStatus.invalid("PatchOptions", "meta.k8s.io", "", List.of(new FieldCause(
          "FieldValueRequired", "Required value: is required for apply patch", "fieldManager")));
    }
    JsonNode body;
    try {
      byte[] bytes = request.getBody().getBytes();
      body = bytes.length == 0 ? null : ApiStatus.YAML.readTree(bytes);
    } catch (IOException e) {
      return ApiStatus.failure(400, "BadRequest", "error decoding YAML: " + e.getMessage());
    }
    if (body == null || !body.isObject()) {
      return ApiStatus.failure(400, "BadRequest", "the applied configuration is not an object");
    }
    ObjectNode applied = (ObjectNode) body;
    MockResponse refused = ApiStatus.refuseApplied(applied, path);
    if (refused != null) {
      return refused;
    }
    JsonNode stored = stored(path);
    ObjectNode result;
    try {
      result = ServerSideApply.apply(applied, stored, manager,
          "true".equals(ApiStatus.queryParameter(path.query(), "force")), java.time.Instant.now());
    } catch (ServerSideApply.Conflict e) {
      return ApiStatus.applyConflict(e.getMessage(), e.causes());
    }
    if (stored != null) {
      return write(request, path, stored, result);
    }
    if (!path.namespace().isEmpty()) {
      ((ObjectNode) result.get("metadata")).put("namespace", path.namespace());
    }
    if (hasStatusSubresource(path)) {
      result.remove("status");
    }
    refused = admit(path, result, null);
    if (refused != null) {
      return refused;
    }
    if (dryRun.get()) {
      return DryRun.created(result, path.namespace());
    }
    String collection = path.objectPath().substring(0, path.objectPath().lastIndexOf('/'));
    MockResponse response = super.handleCreate(rewrite(request, HttpMethod.POST, collection, result));
    if (response.code() < 300 && "CustomResourceDefinition".equals(result.path("kind").asText())) {
      register(Serialization.unmarshal(result.toString(), CustomResourceDefinition.class));
    }
    return response;
  }

  // ---- delete ----------------------------------------------------------------------------------

  @Override
  public MockResponse handleDelete(String rawPath) {
    ResourcePath path = ResourcePath.parse(rawPath);
    return locked(path, Verb.DELETE, () -> {
      if (dryRun.get()) {
        JsonNode stored = stored(path);
        return stored == null ? ApiStatus.notFound(path.plural(), path.group(), path.name()) : DryRun.deleted(stored);
      }
      return super.handleDelete(rawPath);
    });
  }

  // ---- the shared update path --------------------------------------------------------------------

  /**
   * The object as the API server would store it after an update or patch to {@code path}, handed
   * to the mock as a PUT of the whole object (to /status for a status write, so the mock neither
   * bumps the generation nor touches anything but status).
   */
  private MockResponse write(RecordedRequest request, ResourcePath path, JsonNode stored, ObjectNode incoming) {
    String expected = incoming.path("metadata").path("resourceVersion").asText("");
    if (!expected.isEmpty() && !expected.equals(stored.path("metadata").path("resourceVersion").asText())) {
      // The mock compares versions only on the object itself, never on /status.
      return ApiStatus.failure(409, "Conflict", "Operation cannot be fulfilled on " + qualifiedPlural(path)
          + " \"" + path.name() + "\": the object has been modified; please apply your changes to the latest"
          + " version and try again");
    }
    ObjectNode next;
    if (path.isStatus()) {
      next = stored.deepCopy();
      if (incoming.has("status")) {
        next.set("status", incoming.get("status"));
      } else {
        next.remove("status");
      }
    } else {
      next = incoming;
      if (hasStatusSubresource(path)) {
        if (stored.has("status")) {
          next.set("status", stored.get("status").deepCopy());
        } else {
          next.remove("status");
        }
      }
    }
    MockResponse refused = admit(path, next, stored);
    if (refused != null) {
      return refused;
    }
    if (dryRun.get()) {
      return DryRun.updated(next, stored, path.isStatus());
    }
    String target = path.isStatus() ? path.statusPath() : path.objectPath();
    return super.handleUpdate(rewrite(request, HttpMethod.PUT, target, next));
  }

  /** Prunes, defaults and validates; the 422 answer when the object is refused, else null. */
  private MockResponse admit(ResourcePath path, ObjectNode object, JsonNode stored) {
    CustomResourceAdmission admission = admission(path);
    if (admission == null) {
      defaults.apply(object, stored);
      if ("persistentvolumeclaims".equals(path.plural()) && stored != null) {
        List<FieldCause> causes = ClaimValidation.validateUpdate(object, stored);
        if (!causes.isEmpty()) {
          return ApiStatus.invalid("PersistentVolumeClaim", "",
              object.path("metadata").path("name").asText(path.name()), causes);
        }
      }
      if ("deployments".equals(path.plural()) && path.isStatus()) {
        List<FieldCause> causes = DeploymentStatusValidation.validate(object);
        if (!causes.isEmpty()) {
          return ApiStatus.invalid("Deployment", "apps", object.path("metadata").path("name").asText(path.name()), causes);
        }
      }
      return null;
    }
    admission.mutate(object, path.version());
    List<FieldCause> causes = admission.validate(object, stored, path.version());
    if (causes.isEmpty()) {
      return null;
    }
    String name = object.path("metadata").path("name").asText(path.name());
    return ApiStatus.invalid(admission.kind(), admission.group(), name, causes);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private MockResponse locked(ResourcePath path, Verb verb, Supplier<MockResponse> write) {
    writes.lock();
    try {
      MockResponse response;
      try {
        response = write.get();
      } catch (RuntimeException e) {
        response = ApiStatus.failure(500, "InternalError", "the embedded API failed on this write: " + e);
      }
      if (!dryRun.get()) { // a dry run changes nothing: no write
        writeLog.record(kindOf(path, null), verb, response.code(), user.get());
      }
      return response;
    } finally {
      writes.unlock();
    }
  }

  private static String qualifiedPlural(ResourcePath path) {
    return path.group().isEmpty() ? path.plural() : path.plural() + "." + path.group();
  }

  private CustomResourceAdmission admission(ResourcePath path) {
    return admissions.get(path.groupVersion() + "/" + path.plural());
  }

  private boolean hasStatusSubresource(ResourcePath path) {
    CustomResourceAdmission admission = admission(path);
    return admission != null ? admission.hasStatusSubresource() : BUILT_IN_STATUS.contains(path.plural());
  }

  private String kindOf(ResourcePath path, JsonNode body) {
    return discovery.kind(path.groupVersion(), path.plural())
        .map(DiscoveryDocuments.Kind::kind)
        .orElseGet(() -> body != null && body.has("kind") ? body.get("kind").asText() : path.plural());
  }

  private JsonNode stored(ResourcePath path) {
    var entry = findResource(getKey(path.objectPath()));
    if (entry == null) {
      return null;
    }
    try {
      return JSON.readTree(entry.getValue());
    } catch (IOException e) {
      throw new IllegalStateException("the store holds no JSON at " + path.objectPath(), e);
    }
  }

  /** The stored Service, null when there is none. */
  private JsonNode storedService(String namespace, String name) {
    return stored(ResourcePath.parse("/api/v1/namespaces/" + namespace + "/services/" + name));
  }

  private static JsonNode parse(RecordedRequest request) {
    byte[] bytes = request.getBody().getBytes();
    try {
      return bytes.length == 0 ? null : JSON.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  private static RecordedRequest rewrite(RecordedRequest original, HttpMethod method, String path, JsonNode body) {
    Headers headers = original.getHeaders().newBuilder()
        .set("Content-Type", "application/json")
        .build();
    return new RecordedRequest(original.getHttpVersion(), method, path, headers,
        new Buffer(body.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
