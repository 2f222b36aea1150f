package com.diotec360.lattice.operator.reconcile.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.plan.NodePlan;
import com.diotec360.lattice.operator.plan.NodePlanner;
import com.diotec360.lattice.operator.support.Nodes;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The node image's user and volume contract (docs/node-contract.md, "The image"): the final stage
 * of {@code node-image/Dockerfile} must agree with the pod spec the operator builds for it. Under
 * Kubernetes a mismatch shows only as a node that cannot write its state; under plain Docker or
 * podman an image {@code VOLUME} below the mount hides the PVC's content from the node.
 */
class NodeImageContractTest {

  private final LatticeNode node = Nodes.node("node1", "diotec360");
  private final NodePlan plan =
      new NodePlanner(OperatorConfig.defaults()).plan(node);
  private final PodSpec pod =
      NodeDeploymentDependent.build(node, plan).getSpec().getTemplate().getSpec();
  private final Container container = pod.getContainers().get(0);
  private final List<String[]> image = finalStage(read(findDockerfile()));

  @Test
  void imageRunsAsThePodsUserAndGroup() {
    String user = single("USER");
    assertThat(user)
        .as("USER of node-image/Dockerfile: numeric uid:gid equal to the pod's runAsUser:runAsGroup")
        .isEqualTo(pod.getSecurityContext().getRunAsUser() + ":" + pod.getSecurityContext().getRunAsGroup());
    assertThat(pod.getSecurityContext().getFsGroup())
        .as("fsGroup makes the PVC writable for the image's group")
        .isEqualTo(pod.getSecurityContext().getRunAsGroup());
  }

  @Test
  void imageDeclaresNoVolumeThatCouldShadowTheStateMount() {
    assertThat(all("VOLUME"))
        .as("VOLUME in node-image/Dockerfile: under Docker/podman an image volume at or below %s"
            + " hides the mounted state; the operator mounts the PVC there itself", stateMount())
        .isEmpty();
  }

  @Test
  void imageCreatesTheStateMountOwnedByItsUser() {
    String mount = stateMount();
    String user = single("USER");
    String run = String.join(" && ", all("RUN"));
    assertThat(run)
        .as("the image makes %s and gives it to %s, so that a fresh Docker/podman volume"
            + " mounted there starts writable", mount, user)
        .containsPattern("mkdir -p [^&;]*" + Pattern.quote(mount) + "(\\s|$)")
        .containsPattern("chown (-R )?" + Pattern.quote(user) + " [^&;]*" + Pattern.quote(mount) + "(\\s|$)");
  }

  @Test
  void imageDefaultsPointWhereTheOperatorsConfigMapPoints() {
    Map<String, String> config = new NodeConfigMapDependent().build(node, plan).getData();
    Map<String, String> env = env();
    for (String key :
        List.of("DIOTEC360_STATE_DIR", "DIOTEC360_VAULT_DIR", "DIOTEC360_SENTINEL_DIR",
            "DIOTEC360_HTTP_PORT")) {
      assertThat(env.get(key)).as("ENV %s in node-image/Dockerfile", key).isEqualTo(config.get(key));
    }
    for (String key : List.of("DIOTEC360_STATE_DIR", "DIOTEC360_VAULT_DIR", "DIOTEC360_SENTINEL_DIR")) {
      assertThat(env.get(key)).as("%s lies on the state mount", key).startsWith(stateMount() + "/");
    }
    assertThat(env.get("DIOTEC360_P2P_PORT")).isEqualTo(Integer.toString(plan.p2pPort()));
  }

  @Test
  void imageExposesTheContainersPorts() {
    List<String> exposed = new ArrayList<>();
    for (String e : all("EXPOSE")) {
      exposed.addAll(List.of(e.split("\\s+")));
    }
    assertThat(exposed)
        .containsAll(container.getPorts().stream().map(ContainerPort::getContainerPort).map(String::valueOf).toList());
  }

  private String stateMount() {
    return container.getVolumeMounts().stream()
        .filter(m -> m.getName().equals("state"))
        .map(VolumeMount::getMountPath)
        .findFirst()
        .orElseThrow();
  }

  private Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(\\w+)=(\"([^\"]*)\"|(\\S+))").matcher(String.join(" ", all("ENV")));
    while (m.find()) {
      env.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(4));
    }
    return env;
  }

  private String single(String instruction) {
    List<String> found = all(instruction);
    assertThat(found).as("%s instructions in the final stage of node-image/Dockerfile", instruction).hasSize(1);
    return found.get(0);
  }

  private List<String> all(String instruction) {
    return image.stream().filter(i -> i[0].equals(instruction)).map(i -> i[1]).toList();
  }

  /** The final stage's instructions as [INSTRUCTION, arguments], continuation lines joined. */
  static List<String[]> finalStage(String dockerfile) {
    List<String[]> stage = new ArrayList<>();
    StringBuilder logical = new StringBuilder();
    for (String line : dockerfile.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      logical.append(trimmed);
      String instruction = logical.toString().strip();
      logical.setLength(0);
      if (instruction.isEmpty()) {
        continue;
      }
      String[] parts = instruction.split("\\s+", 2);
      String name = parts[0].toUpperCase();
      if (name.equals("FROM")) {
        stage.clear();
      }
      stage.add(new String[] {name, parts.length > 1 ? parts[1].replaceAll("\\s+", " ") : ""});
    }
    return stage;
  }

  private static Path findDockerfile() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path file = dir.resolve("node-image/Dockerfile");
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new IllegalStateException("no node-image/Dockerfile in " + start + " or any parent");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }
}
