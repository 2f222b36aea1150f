package com.diotec360.lattice.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator's flow, observe → judge → act → reconcile, held by imports (STYLE.md, README
 * "Layout"): the judge is plain Java, so it can be reasoned about and tested without Kubernetes;
 * the observer knows only the API types; what acts on a node never reaches back into the
 * reconcilers; and only the reconcilers (and the process that wires them) use {@code reconcile/}.
 */
class BoundariesTest {

  private static final String PROJECT = "com.diotec360.lattice.operator.";

  private static final Path MAIN = Path.of("src/main/java/com/diotec360/lattice/operator");
  private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);
  /** A fully qualified name used without an import, e.g. {@code io.fabric8.kubernetes.api.X}. */
  private static final Pattern QUALIFIED = Pattern.compile("\\b((?:io|com|org|jakarta|javax)\\.[a-z]\\w*\\.[\\w.]+)");

  @Test
  void theJudgeUsesOnlyTheJavaPlatform() {
    List<String> offences = new ArrayList<>();
    for (Path file : sources("judge")) {
      for (String name : usedNames(file)) {
        if (!name.startsWith("java.") && !name.startsWith("com.diotec360.lattice.operator.judge.")) {
          offences.add(file.getFileName() + " uses " + name);
        }
      }
    }
    assertThat(offences).as("judge/ may use java.* only").isEmpty();
  }

  @Test
  void theObserverKnowsOnlyTheApiTypes() {
    List<String> offences = new ArrayList<>();
    for (Path file : sources("observe")) {
      for (String name : usedNames(file)) {
        if (name.startsWith(PROJECT) && !name.startsWith(PROJECT + "api.") && !name.startsWith(PROJECT + "observe.")) {
          offences.add(file.getFileName() + " uses " + name);
        }
      }
    }
    assertThat(offences).as("observe/ may use api/ of this project only").isEmpty();
  }

  @Test
  void actingOnANodeNeverReachesBackIntoReconcile() {
    assertThat(uses("act", PROJECT + "reconcile.")).as("act/ must not use reconcile/").isEmpty();
  }

  @Test
  void onlyTheReconcilersAndTheWiringUseReconcile() {
    List<String> offences = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(MAIN)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        String pkg = dir.getFileName().toString();
        if (!pkg.equals("reconcile")) {
          offences.addAll(uses(pkg, PROJECT + "reconcile."));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(offences).as("plan/, validate/, decision/, act/, status/, events/, ... must not use reconcile/").isEmpty();
  }

  /** Where the sources of {@code pkg} use a name starting with {@code prefix}. */
  private static List<String> uses(String pkg, String prefix) {
    List<String> offences = new ArrayList<>();
    for (Path file : sources(pkg)) {
      for (String name : usedNames(file)) {
        if (name.startsWith(prefix)) {
          offences.add(file.getFileName() + " uses " + name);
        }
      }
    }
    return offences;
  }

  @Test
  void theCheckSeesAnImportAndAQualifiedName() {
    String source =
        "package x;\nimport io.fabric8.kubernetes.api.model.Pod;\nclass A { java.util.List<String> l;"
            + " com.diotec360.lattice.operator.status.Conditions c; }";
    assertThat(usedNames(source))
        .contains("io.fabric8.kubernetes.api.model.Pod", "com.diotec360.lattice.operator.status.Conditions");
  }

  private static List<String> usedNames(Path file) {
    try {
      return usedNames(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> usedNames(String source) {
    List<String> names = new ArrayList<>();
    Matcher imports = IMPORT.matcher(source);
    while (imports.find()) {
      names.add(imports.group(2));
    }
    String body = source.replaceAll("(?m)^(package|import)\\s.*$", "").replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//.*", "");
    Matcher qualified = QUALIFIED.matcher(body);
    while (qualified.find()) {
      names.add(qualified.group(1));
    }
    return names;
  }

  private static List<Path> sources(String pkg) {
    Path dir = MAIN.resolve(pkg);
    assertThat(dir).as("run from the operator module").isDirectory();
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
