package com.diotec360.lattice.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;

import java.net.HttpURLConnection;
import java.util.function.UnaryOperator;

/**
 * A user's edit of an object the operator also writes, as {@code kubectl edit} is used: read, change,
 * write with the read resourceVersion, and read again when the server answers 409 because the
 * operator's status write came in between. Any other failure is thrown at once.
 */
public final class Edits {
  private static final int ATTEMPTS = 20;

  private Edits() {}

  public static <T extends HasMetadata> T edit(Resource<T> resource, UnaryOperator<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return resource.edit(change);
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
