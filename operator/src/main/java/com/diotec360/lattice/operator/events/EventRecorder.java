package com.diotec360.lattice.operator.events;

import com.diotec360.lattice.operator.rbac.Permission;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits core/v1 Events about a LatticeNode or a Lattice. Callers emit on transitions only; the same reason and
 * message on the same node bump the count of one Event (as kubectl shows "x3"), which is why
 * messages must not embed changing numbers. A failure to record is logged, never thrown: an Event
 * is a courtesy, not part of reconciling.
 */
public class EventRecorder {

  public static final String COMPONENT = "lattice-operator";
  /** The calls {@link #record} makes: get the Event, then update it or create it. */
  public static final List<Permission> PERMISSIONS =
      Permission.all("", "events", "get", "create", "update");
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata node, Reason reason, String message) {
    record(node, "Normal", reason.value(), message);
  }

  public void warning(HasMetadata node, Reason reason, String message) {
    record(node, "Warning", reason.value(), message);
  }

  private void record(HasMetadata node, String type, String reason, String message) {
    String namespace = node.getMetadata().getNamespace();
    String name = eventName(node, type, reason, message);
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    try {
      var resource = client.v1().events().inNamespace(namespace).withName(name);
      Event existing = resource.get();
      if (existing != null) {
        existing.setCount(Objects.requireNonNullElse(existing.getCount(), 1) + 1);
        existing.setLastTimestamp(now);
        client.v1().events().inNamespace(namespace).resource(existing).update();
      } else {
        client
            .v1()
            .events()
            .inNamespace(namespace)
            .resource(
                new EventBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(namespace)
                    .endMetadata()
                    .withInvolvedObject(
                        new ObjectReferenceBuilder()
                            .withApiVersion(node.getApiVersion())
                            .withKind(node.getKind())
                            .withName(node.getMetadata().getName())
                            .withNamespace(namespace)
                            .withUid(node.getMetadata().getUid())
                            .build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message)
                    .withCount(1)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withNewSource()
                    .withComponent(COMPONENT)
                    .endSource()
                    .withReportingComponent(COMPONENT)
                    .build())
            .create();
      }
      LOG.info("event {} {} on {}/{}: {}", type, reason, namespace, node.getMetadata().getName(), message);
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record event {} on {}/{}: {}",
          reason,
          namespace,
          node.getMetadata().getName(),
          e.getMessage());
    }
  }

  /** One Event per object, type, reason and message: {@code <name>.<crc32>}. */
  static String eventName(HasMetadata node, String type, String reason, String message) {
    CRC32 crc = new CRC32();
    crc.update(
        (node.getMetadata().getUid() + "|" + type + "|" + reason + "|" + message)
            .getBytes(StandardCharsets.UTF_8));
    return node.getMetadata().getName() + "." + HexFormat.of().toHexDigits((int) crc.getValue());
  }
}
