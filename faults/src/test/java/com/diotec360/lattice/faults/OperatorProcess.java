package com.diotec360.lattice.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real operator ({@code LatticeOperator.main}) as its own JVM, on this test's class path, with
 * its own kubeconfig (its own bearer token, so the embedded API counts its writes apart) and its
 * log in a file. {@link #kill9()} is SIGKILL: no shutdown hook, no finishing of in-flight writes.
 */
final class OperatorProcess implements AutoCloseable {

  private static final String MAIN = "com.diotec360.lattice.operator.LatticeOperator";

  private final String name;
  private final Process process;
  private final Path log;

  private OperatorProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code LatticeOperator} with {@code KUBECONFIG=kubeconfig}, a free health port and the
   * given extra environment (leader election, ...). Nodes are not running, so every probe fails.
   */
  static OperatorProcess start(String name, Path kubeconfig, Map<String, String> env, Path workDir) {
    return start(name, kubeconfig, env, workDir, List.of());
  }

  /** As {@link #start(String, Path, Map, Path)}, with more JVM options (a logging config, ...). */
  static OperatorProcess start(String name, Path kubeconfig, Map<String, String> env, Path workDir,
      List<String> jvmOptions) {
    return start(name, kubeconfig, env, workDir, jvmOptions, MAIN);
  }

  /**
   * As {@link #start(String, Path, Map, Path, List)}, running {@code mainClass} instead of {@code
   * LatticeOperator}: a test main that runs the operator's own {@code run} with a resolver of its
   * own ({@link LoopbackNodesOperator}).
   */
  static OperatorProcess start(String name, Path kubeconfig, Map<String, String> env, Path workDir,
      List<String> jvmOptions, String mainClass) {
    try {
      Files.createDirectories(workDir);
      Path log = workDir.resolve(name + ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new java.util.ArrayList<>(List.of(
          java,
          // a small, quick-starting JVM: 2 shared cores run up to three of these and the tests
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xss512k"));
      command.addAll(jvmOptions);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().keySet().removeIf(k -> k.startsWith("KUBERNETES_") || k.startsWith("LATTICE_"));
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      builder.environment().put("LATTICE_HTTP_PORT", Integer.toString(freePort()));
      builder.environment().put("LATTICE_PROBE_TIMEOUT_MS", "200");
      builder.environment().putAll(env);
      // a fresh log per start: tests read it (logLines) and a run's work folder outlives it
      builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      return new OperatorProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the operator process " + name, e);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL (Process.destroyForcibly on Linux), then waits until it is gone. */
  void kill9() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException(name + " (pid " + pid() + ") survived SIGKILL for 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * SIGTERM (Process.destroy on Linux), as kubelet stops a pod: the shutdown hook runs. Returns
   * once the process is gone, or after {@code within} with the process still alive.
   */
  boolean terminate(Duration within) {
    sigterm();
    return awaitExit(within);
  }

  /** SIGTERM, without waiting. */
  void sigterm() {
    process.destroy();
  }

  /** Waits until the process is gone; false if it still runs after {@code within}. */
  boolean awaitExit(Duration within) {
    try {
      return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Its exit code (only once it has exited). */
  int exitValue() {
    return process.exitValue();
  }

  /** The JVM option that gives an operator process the logging config that shows its watches. */
  static List<String> watchLogging() {
    java.net.URL config = OperatorProcess.class.getResource("/operator-logback-watches.xml");
    if (config == null) {
      throw new IllegalStateException("no operator-logback-watches.xml on the test class path");
    }
    return List.of("-Dlogback.configurationFile=" + config);
  }

  /** How many lines of its log contain {@code text}. */
  long logLines(String text) {
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.contains(text)).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  /** Its log's lines that contain {@code text}. */
  List<String> logLinesWith(String text) {
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.contains(text)).toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of();
    }
  }

  /** The last lines of its log, for failure messages. */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return name + " (pid " + pid() + ", " + (alive() ? "alive" : "exit " + process.exitValue()) + ") "
          + log + ":\n  " + String.join("\n  ", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return name + ": no log (" + e.getMessage() + ")";
    }
  }

  /** Polls {@code check} until true or the timeout; false on timeout. */
  static boolean waitUntil(Duration timeout, Duration poll, java.util.function.BooleanSupplier check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (check.getAsBoolean()) {
        return true;
      }
      sleep(poll.toMillis());
    }
    return check.getAsBoolean();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill9();
    }
  }
}
