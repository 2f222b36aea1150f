package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.reconcile.dependents.Writes;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
   * those; only a failure that stays is worth a condition and an Event.
   */
  public static boolean isTransient(Exception error) {
    AggregatedOperatorException aggregated = aggregated(error);
    if (aggregated != null && !aggregated.getAggregatedExceptions().isEmpty()) {
      return aggregated.getAggregatedExceptions().values().stream().allMatch(ReconcileFailure::isTransient);
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        int code = k.getCode();
        return code == 409 || code == 429 || code >= 500;
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

  /** The one line for a failed reconcile of {@code reconciler} (its workflow names the objects). */
  public static String message(Exception error, Class<?> reconciler) {
    List<String> parts = new ArrayList<>();
    AggregatedOperatorException aggregated = aggregated(error);
    if (aggregated != null && !aggregated.getAggregatedExceptions().isEmpty()) {
      Map<String, Exception> byDependent = new TreeMap<>(aggregated.getAggregatedExceptions());
      byDependent.forEach((dependent, e) -> parts.add("writing " + objectName(reconciler, dependent) + ": " + apiMessage(e)));
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
    Workflow workflow = reconciler.getAnnotation(Workflow.class);
    if (workflow != null) {
      for (Dependent d : workflow.dependents()) {
        if (d.name().equals(dependent) && d.type().isAnnotationPresent(Writes.class)) {
          return d.type().getAnnotation(Writes.class).value();
        }
      }
    }
    return "'" + dependent + "'";
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
