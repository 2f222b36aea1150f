package com.diotec360.lattice.operator.observe;

import java.util.Map;
import java.util.Objects;

/**
 * What a call to an external member needs beyond its URL: headers (from a Secret) and a CA to
 * trust. Its {@link #toString} never shows a header's value, so it cannot leak into a log line.
 *
 * @param headers header name to value, sent with every call
 * @param caPem PEM certificates to trust instead of the system's, or null
 */
public record EndpointAccess(Map<String, String> headers, String caPem) {

  public static final EndpointAccess NONE = new EndpointAccess(Map.of(), null);

  public EndpointAccess {
    headers = Map.copyOf(Objects.requireNonNullElse(headers, Map.of()));
  }

  @Override
  public String toString() {
    return "EndpointAccess[headers=" + headers.keySet() + " (values hidden), ca=" + (caPem != null) + "]";
  }
}
