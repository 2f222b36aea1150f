package com.diotec360.lattice.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The real kubectl, pointed at an embedded API (or any other) and kept away from the user's {@code ~/.kube}: its
 * own KUBECONFIG, HOME and discovery cache in a folder of the caller's. The tests that check what
 * kubectl shows all run it through this one place.
 *
 * <p>{@link #find} answers empty when kubectl is not on PATH, so a test can skip; with
 * {@code LATTICE_REQUIRE_KUBECTL=1} (CI sets it where kubectl exists) a missing kubectl is an
 * error instead, so those tests cannot silently skip there.
 */
public final class Kubectl {

  /** Set to 1 to turn a missing kubectl from a skip into a failure. */
  public static final String REQUIRE = "LATTICE_REQUIRE_KUBECTL";

  /** What a test prints when it skips for want of kubectl. */
  public static final String SKIP_MESSAGE =
      "kubectl is not on PATH: skipping (install kubectl; " + REQUIRE + "=1 makes this a failure)";

  private static final long TIMEOUT_SECONDS = 60;

  /** What one kubectl run printed (stdout and stderr together) and how it exited. */
  public record Result(int exit, String output) {

    /** The output, after checking kubectl succeeded. */
    public String ok() {
      if (exit != 0) {
        throw new AssertionError("kubectl exited " + exit + ":\n" + output);
      }
      return output;
    }

    /** The output, after checking kubectl failed. */
    public String failed() {
      if (exit == 0) {
        throw new AssertionError("kubectl was expected to fail but succeeded:\n" + output);
      }
      return output;
    }
  }

  private final Path binary;
  private final Path dir;

  private Kubectl(Path binary, Path dir) {
    this.binary = binary;
    this.dir = dir;
  }

  /**
   * kubectl for this API, with a kubeconfig (default namespace {@code namespace}), HOME and cache
   * under {@code dir}; empty when kubectl is not on PATH (an error if {@value #REQUIRE}=1).
   */
  public static Optional<Kubectl> find(EmbeddedApiServer api, Path dir, String namespace) {
    return find(dir, kubeconfig -> {
      try {
        api.writeKubeconfig(kubeconfig, namespace);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * kubectl for any API server (a real one, as another user): {@code writeKubeconfig} writes the
   * kubeconfig to the file it is handed; HOME and cache are under {@code dir}. Empty when kubectl
   * is not on PATH (an error if {@value #REQUIRE}=1).
   */
  public static Optional<Kubectl> find(Path dir, Consumer<Path> writeKubeconfig) {
    Optional<Path> binary = onPath();
    if (binary.isEmpty()) {
      if ("1".equals(System.getenv(REQUIRE))) {
        throw new AssertionError("kubectl is not on PATH but " + REQUIRE + "=1");
      }
      return Optional.empty();
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writeKubeconfig.accept(dir.resolve("kubeconfig"));
    return Optional.of(new Kubectl(binary.get(), dir));
  }

  /** The first executable {@code kubectl} on PATH. */
  public static Optional<Path> onPath() {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(d -> Path.of(d, "kubectl"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  public Path kubeconfig() {
    return dir.resolve("kubeconfig");
  }

  /** Runs kubectl to the end (at most a minute) and returns what it printed. */
  public Result run(String... args) {
    try {
      Process process = start(args).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A kubectl command ready to start, for the ones that keep running (such as {@code get -w}). */
  public ProcessBuilder start(String... args) {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--cache-dir", dir.resolve("cache").toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECONFIG", kubeconfig().toString());
    builder.environment().put("HOME", dir.toString());
    return builder;
  }
}
