package com.diotec360.lattice.local.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One running reference node: a {@code java -jar} child process listening on 127.0.0.1. */
final class NodeProcess {

  /** Variables passed through from this process; everything else comes from the pod template. */
  private static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "TZ", "TMPDIR");

  private final Process process;
  private final String templateHash;
  private final Path log;

  private NodeProcess(Process process, String templateHash, Path log) {
    this.process = process;
    this.templateHash = templateHash;
    this.log = log;
  }

  static NodeProcess start(Path nodeJar, Map<String, String> env, String templateHash, Path log)
      throws IOException {
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small, quick-starting JVMs: a lattice of three runs beside the operator on a laptop.
    command.addAll(List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
    command.addAll(List.of("-jar", nodeJar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> childEnv = builder.environment();
    Map<String, String> inherited = Map.copyOf(childEnv);
    childEnv.clear();
    INHERITED.forEach(k -> { if (inherited.containsKey(k)) childEnv.put(k, inherited.get(k)); });
    childEnv.putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.directory(log.getParent().toFile());
    return new NodeProcess(builder.start(), templateHash, log);
  }

  String templateHash() {
    return templateHash;
  }

  Path log() {
    return log;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int exitCode() {
    return process.exitValue();
  }

  /** GET /health answered 200. */
  static boolean healthy(HttpClient http, int port) {
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                  .timeout(Duration.ofSeconds(1))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM, then SIGKILL after {@code grace}; returns once the process is gone. */
  void stop(Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
