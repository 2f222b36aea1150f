package com.diotec360.lattice.operator.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The {@link OperatorProcess} child JVM ({@code -Xmx384m} unless {@code bench.operatorHeap} says
 * otherwise; see {@link #HEAP}): started with a kubeconfig, asked
 * for its memory, JOSDK counters and client-side write counts over stdin; its output goes to a
 * log file.
 */
final class OperatorChild implements AutoCloseable {

  /**
   * The operator JVM's maximum heap: {@code bench.operatorHeap}, default 384m (what the chart's
   * 512Mi limit gave with the image's former MaxRAMPercentage=75; the image now uses 50 %).
   */
  static final String HEAP = System.getProperty("bench.operatorHeap", "384m");

  /** Nodes at a closed loopback port: every probe fails, as for pods that are not running. */
  static final String CLOSED = "closed";

  private final Process process;
  private final PrintWriter commands;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

  private OperatorChild(Process process, Writer log) {
    this.process = process;
    this.commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.equals("READY") || line.startsWith("MEM ") || line.startsWith("STATS")
              || line.startsWith("WRITES ")) {
            replies.add(line);
          }
          if (!line.startsWith("WRITES ")) {
            synchronized (log) {
              log.write(line + "\n");
              log.flush();
            }
          }
        }
      } catch (IOException ignored) {
        // the child ended
      }
    }, "operator-child-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts the operator on {@code kubeconfig}, nodes at {@code nodes} ({@link #CLOSED} or a URL
   * template with {@code {name}}), with extra JVM options (system properties of an experiment).
   */
  static OperatorChild start(Path kubeconfig, long probeSeconds, int unreachableAfter, String nodes,
      List<String> jvmOptions, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx" + HEAP, "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classpath(), OperatorProcess.class.getName(), kubeconfig.toString(),
        Long.toString(probeSeconds), Integer.toString(unreachableAfter), nodes));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    OperatorChild child = new OperatorChild(p, Files.newBufferedWriter(log, StandardCharsets.UTF_8));
    String ready = child.replies.poll(180, TimeUnit.SECONDS);
    if (!"READY".equals(ready)) {
      p.destroyForcibly(); // only our own child, by its handle
      throw new IllegalStateException("the operator did not start in 180 s; see " + log);
    }
    return child;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** JOSDK's reconcile counters in the operator's JVM, as one line. */
  synchronized String stats() throws InterruptedException {
    if (!process.isAlive()) {
      return "operator exited with " + process.exitValue();
    }
    commands.println("stats");
    String reply = reply("STATS", Duration.ofSeconds(30));
    return reply == null ? "no answer" : reply;
  }

  /**
   * JOSDK's reconcile counters now: {@code [running or queued (executions + queue size gauges),
   * progress (started + succeeded + failed counters)]}; {@code [-1, -1]} when the child does not
   * answer.
   */
  long[] reconcileCounters() {
    try {
      long inFlight = 0;
      long progress = 0;
      for (String part : stats().split(" ")) {
        int eq = part.indexOf('=');
        if (eq < 0 || !part.startsWith("operator.sdk.reconciliations.")) {
          continue;
        }
        long value = Long.parseLong(part.substring(eq + 1));
        String name = part.substring(0, eq);
        if (name.startsWith("operator.sdk.reconciliations.executions.") || name.startsWith("operator.sdk.reconciliations.queue.size.")) {
          inFlight += value;
        } else if (name.equals("operator.sdk.reconciliations.started") || name.equals("operator.sdk.reconciliations.success")
            || name.equals("operator.sdk.reconciliations.failed")) {
          progress += value;
        }
      }
      return new long[] {inFlight, progress};
    } catch (InterruptedException | NumberFormatException e) {
      return new long[] {-1, -1};
    }
  }

  /** JOSDK's count of reconciles started so far (every tag set summed); -1 when the child does not answer. */
  long reconcilesStarted() {
    try {
      long sum = -1;
      for (String part : stats().split(" ")) {
        if (part.startsWith("operator.sdk.reconciliations.started=")) {
          sum = Math.max(sum, 0) + Long.parseLong(part.substring(part.indexOf('=') + 1));
        }
      }
      return sum;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The writes the operator's own client made and the answers it got. */
  synchronized WriteTally writes() {
    if (!process.isAlive()) {
      return WriteTally.EMPTY;
    }
    commands.println("writes");
    try {
      String reply = reply("WRITES ", Duration.ofSeconds(30));
      return reply == null ? WriteTally.EMPTY : ClientWrites.decode(reply.substring("WRITES ".length()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return WriteTally.EMPTY;
    }
  }

  /**
   * The next reply starting with {@code prefix}, or null after {@code timeout}. A reply that came
   * too late for an earlier command (an operator busy collecting garbage) is skipped, not taken
   * for this one's.
   */
  private String reply(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String reply = left <= 0 ? null : replies.poll(left, TimeUnit.NANOSECONDS);
      if (reply == null || reply.startsWith(prefix)) {
        return reply;
      }
    }
  }

  /** CPU seconds (user + system) of the operator's JVM so far. */
  double cpu() {
    return cpuSeconds(process.pid());
  }

  /** Heap bytes after GC and VmRSS kB of the operator's JVM. */
  synchronized long[] mem() throws InterruptedException {
    if (!process.isAlive()) {
      return new long[] {-1, -1};
    }
    commands.println("mem");
    String reply = reply("MEM ", Duration.ofSeconds(60));
    if (reply == null) {
      return new long[] {-1, -1};
    }
    String[] parts = reply.split(" ");
    return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      commands.println("stop");
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly(); // only our own child, by its handle
      process.waitFor(15, TimeUnit.SECONDS);
    }
  }

  /** CPU seconds (utime + stime) of any process, from /proc; NaN when it is gone. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime; CLK_TCK 100
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** VmRSS in kB of any process, from /proc; -1 when it is gone. */
  static long rssKb(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return -1;
  }

  /** The test classpath: exec:java's class loader, else this JVM's class path. */
  static String classpath() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
      return Arrays.stream(urls.getURLs()).map(OperatorChild::file).collect(Collectors.joining(File.pathSeparator));
    }
    return System.getProperty("java.class.path");
  }

  private static String file(URL url) {
    try {
      return Path.of(url.toURI()).toString();
    } catch (Exception e) {
      throw new IllegalStateException(url.toString(), e);
    }
  }
}
