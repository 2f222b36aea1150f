package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.api.LatticeLabels;
import com.diotec360.lattice.operator.reconcile.dependents.LatticeOwnedDependent;
import com.diotec360.lattice.operator.reconcile.dependents.Writes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a failed reconcile into the one line a user reads in the Ready condition and the Warning
 * Event: which owned object failed and what the API server said (its Status message, without the
 * client's request dump), never a stack trace.
 */
public final class ReconcileFailure {

  /** Longest message kept; the API server's can run long (every cause listed). */
  static final int MAX_MESSAGE = 1024;

  private ReconcileFailure() {}

  /**
   * True for a failure that goes away by itself when retried: a write that lost a race
   * (409 Conflict), throttling (429), the API server busy or unreachable (5xx, I/O). JOSDK retries
   * those; only a failure that stays is worth a condition and an Event. A create refused because
   * the name is taken (409 AlreadyExists) stays until a person acts, so it is not transient.
   */
  public static boolean isTransient(Exception error) {
    AggregatedOperatorException aggregated = aggregated(error);
    if (aggregated != null && !aggregated.getAggregatedExceptions().isEmpty()) {
      return aggregated.getAggregatedExceptions().values().stream().allMatch(ReconcileFailure::isTransient);
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        int code = k.getCode();
        return (code == 409 && !alreadyExists(k)) || code == 429 || code >= 500;
      }
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  /** True when the failure only says this operator is stopping (its executors refuse work). */
  public static boolean isShutdown(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof java.util.concurrent.RejectedExecutionException
          || t instanceof InterruptedException) {
        return true;
      }
      if (t instanceof AggregatedOperatorException a
          && !a.getAggregatedExceptions().isEmpty()
          && a.getAggregatedExceptions().values().stream().allMatch(ReconcileFailure::isShutdown)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /**
   * The one line for a failed reconcile of {@code reconciler} (its workflow names the objects) for
   * {@code primary}, the Lattice or LatticeNode that was reconciled.
   */
  public static String message(Exception error, Class<?> reconciler, HasMetadata primary) {
    List<String> parts = new ArrayList<>();
    AggregatedOperatorException aggregated = aggregated(error);
    if (aggregated != null && !aggregated.getAggregatedExceptions().isEmpty()) {
      Map<String, Exception> byDependent = new TreeMap<>(aggregated.getAggregatedExceptions());
      byDependent.forEach((dependent, e) -> parts.add("writing " + objectName(reconciler, dependent) + ": "
          + existing(e, dependentType(reconciler, dependent), primary).orElseGet(() -> apiMessage(e))));
    } else {
      parts.add(apiMessage(error));
    }
    String message = String.join("; ", parts);
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
  }

  /** The workflow's failures, wherever JOSDK wrapped them. */
  private static AggregatedOperatorException aggregated(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof AggregatedOperatorException a) {
        return a;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /**
   * A dependent of the reconciler's workflow as a reader knows the object it writes ({@link
   * Writes}); a name the workflow does not have is given as it is.
   */
  static String objectName(Class<?> reconciler, String dependent) {
    return dependentType(reconciler, dependent)
        .filter(type -> type.isAnnotationPresent(Writes.class))
        .map(type -> type.getAnnotation(Writes.class).value())
        .orElse("'" + dependent + "'");
  }

  private static Optional<Class<?>> dependentType(Class<?> reconciler, String dependent) {
    Workflow workflow = reconciler.getAnnotation(Workflow.class);
    return workflow == null
        ? Optional.empty()
        : Arrays.stream(workflow.dependents()).filter(d -> d.name().equals(dependent))
            .<Class<?>>map(Dependent::type).findFirst();
  }

  /** True for a create refused because an object of that name exists (409 AlreadyExists). */
  private static boolean alreadyExists(KubernetesClientException k) {
    return k.getCode() == 409 && k.getStatus() != null && "AlreadyExists".equals(k.getStatus().getReason());
  }

  /**
   * A create the server refused because an object of that name exists: the operator's informers
   * see only objects with its labels, so this one was made by someone else (a lattice Secret made
   * in advance, say) and the operator will not overwrite it. Says so, and how to hand it over (a
   * lattice-wide object: label it, and the operator adopts it on its next reconcile) or to clear the
   * way (delete it; a node's own object: or rename the node).
   */
  private static Optional<String> existing(Throwable error, Optional<Class<?>> dependent, HasMetadata primary) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && alreadyExists(k) && k.getStatus().getDetails() != null) {
        String plural = Objects.requireNonNullElse(k.getStatus().getDetails().getKind(), "object");
        String kind = plural.endsWith("s") ? plural.substring(0, plural.length() - 1) : plural;
        String name = k.getStatus().getDetails().getName();
        String namespace = primary.getMetadata().getNamespace();
        String said = kind + " '" + name + "' already exists but lacks the operator's labels, so the operator"
            + " does not see it and will not overwrite it";
        Optional<String> selector = dependent
            .filter(LatticeOwnedDependent.class::isAssignableFrom)
            .map(type -> type.getAnnotation(KubernetesDependent.class))
            .map(annotation -> annotation.informer().labelSelector())
            .filter(labels -> !labels.isBlank());
        if (selector.isPresent()) {
          String labels = String.join(" ", selector.get().split(","))
              + " " + LatticeLabels.LATTICE + "=" + primary.getMetadata().getName();
          return Optional.of(said + ". To hand it to the operator (it adds its owner reference; a lattice"
              + " Secret keeps its token, other objects are rewritten to what the operator makes): kubectl"
              + " label " + kind + " " + name + " -n " + namespace + " " + labels
              + "; or delete it and the operator makes its own");
        }
        return Optional.of(said + ": delete it, or rename the " + primary.getKind() + " '"
            + primary.getMetadata().getName() + "'");
      }
    }
    return Optional.empty();
  }

  /** The API server's own message when there is one, else the innermost exception's. */
  static String apiMessage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k
          && k.getStatus() != null
          && k.getStatus().getMessage() != null) {
        return k.getStatus().getMessage();
      }
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
