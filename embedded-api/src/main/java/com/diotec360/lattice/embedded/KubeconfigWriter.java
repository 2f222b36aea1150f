package com.diotec360.lattice.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a kubeconfig with one context, {@code lattice-local}, pointing at the embedded API. */
public final class KubeconfigWriter {

  public static final String CONTEXT = "lattice-local";

  private KubeconfigWriter() {}

  public static String render(String serverUrl, String namespace) {
    return render(serverUrl, namespace, null);
  }

  /** With {@code token} (may be null) as the user's bearer token. */
  public static String render(String serverUrl, String namespace, String token) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
        users:
        - name: %1$s
          user: %4$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
            namespace: %3$s
        current-context: %1$s
        preferences: {}
        """
        .formatted(CONTEXT, serverUrl, namespace, token == null ? "{}" : "{token: " + token + "}");
  }

  public static Path write(Path file, String serverUrl, String namespace) throws IOException {
    return write(file, serverUrl, namespace, null);
  }

  /** With {@code token} (may be null) as the user's bearer token. */
  public static Path write(Path file, String serverUrl, String namespace, String token) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(serverUrl, namespace, token));
    return file;
  }
}
