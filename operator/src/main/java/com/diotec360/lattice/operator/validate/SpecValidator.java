package com.diotec360.lattice.operator.validate;

import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.DnsAlias;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeSpec;
import com.diotec360.lattice.operator.api.v1alpha1.SecretEnvVar;
import com.diotec360.lattice.operator.judge.Quorum;
import com.diotec360.lattice.operator.plan.Membership;
import com.diotec360.lattice.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The semantic checks a CRD schema cannot make: names that collide with other nodes' Services and
 * aliases, hostnames used twice in a lattice, Secrets that do not exist. Each problem is one
 * sentence saying what is wrong and what to change. When two nodes claim the same name, the node
 * created first keeps it, so an existing node is never broken by a newcomer.
 */
public final class SpecValidator {

  /** What the validator reads from the cluster; a test can answer from a map. */
  public interface ClusterView {
    Optional<Service> service(String namespace, String name);

    Optional<Secret> secret(String namespace, String name);
  }

  private static final String DNS_1035 = LatticeNodeSpec.DNS_1035_LABEL;

  private final ClusterView cluster;

  public SpecValidator(ClusterView cluster) {
    this.cluster = cluster;
  }

  /**
   * @param node the node to check
   * @param neighbours every LatticeNode in the node's namespace (the node itself may be included)
   * @param lattice the Lattice the node names, if it exists
   * @return the problems, empty when the node can be applied
   */
  public List<String> problems(LatticeNode node, List<LatticeNode> neighbours, Optional<Lattice> lattice) {
    List<String> problems = new ArrayList<>();
    String name = node.getMetadata().getName();
    String namespace = node.getMetadata().getNamespace();
    LatticeNodeSpec spec = node.getSpec();
    if (!name.matches(DNS_1035) || name.length() > 57) {
      problems.add(
          "metadata.name '" + name + "' must be a DNS-1035 label of at most 57 characters"
              + " (lowercase letters, digits and '-', starting with a letter): rename the node");
    }
    if (spec == null || spec.getLattice() == null || spec.getRole() == null) {
      problems.add("spec.lattice and spec.role are required: see examples/dual-node.yaml");
      return problems;
    }
    if (!spec.getLattice().matches(DNS_1035) || spec.getLattice().length() > 50) {
      problems.add(
          "spec.lattice '" + spec.getLattice() + "' must be a DNS-1035 label of at most 50"
              + " characters");
    }
    List<LatticeNode> others =
        neighbours.stream()
            .filter(n -> !n.getMetadata().getName().equals(name))
            .filter(n -> n.getSpec() != null && n.getSpec().getLattice() != null)
            .toList();
    Set<String> peerServices =
        neighbours.stream()
            .filter(n -> n.getSpec() != null && n.getSpec().getLattice() != null)
            .map(n -> ResourceNames.latticePeerService(n.getSpec().getLattice()))
            .collect(Collectors.toSet());
    peerServices.add(ResourceNames.latticePeerService(spec.getLattice()));

    checkNodeName(node, others, peerServices, problems);
    checkAliases(node, others, peerServices, problems);
    checkHostnames(node, others, problems);
    checkSecrets(spec.getSecretEnv(), namespace, problems);
    boolean latticeSetsRoot =
        lattice.map(l -> l.getSpec() != null && l.getSpec().getExpectedMerkleRoot() != null).orElse(false);
    if (!latticeSetsRoot) {
      checkExpectedRoot(node, others, problems);
    }
    checkSuspend(node, others, problems);
    return problems;
  }


  /**
   * A suspended member still counts as a member, so suspending too many would leave fewer than
   * {@link Quorum#keep} members of the lattice running. Members already suspended keep their turn;
   * among the others the one created first (then by name) does.
   */
  private static void checkSuspend(LatticeNode node, List<LatticeNode> others, List<String> problems) {
    if (!node.getSpec().suspended()) {
      return;
    }
    String lattice = node.getSpec().getLattice();
    List<LatticeNode> members = new ArrayList<>();
    members.add(node);
    members.addAll(Membership.of(others.stream(), lattice));
    int total = members.size();
    int keep = Quorum.keep(total);
    int allowed = total - keep;
    List<LatticeNode> suspended =
        members.stream()
            .filter(m -> m.getSpec().suspended())
            .sorted(
                Comparator.comparing((LatticeNode m) -> isSuspendedNow(m) ? 0 : 1)
                    .thenComparing(m -> Objects.requireNonNullElse(m.getMetadata().getCreationTimestamp(), ""))
                    .thenComparing(m -> m.getMetadata().getName()))
            .toList();
    if (suspended.indexOf(node) < allowed) {
      return;
    }
    String before =
        suspended.subList(0, allowed).stream()
            .map(m -> "'" + m.getMetadata().getName() + "'")
            .collect(Collectors.joining(", "));
    problems.add(
        "spec.suspend: lattice '" + lattice + "' has " + total + " members and keeps at least "
            + keep + " of them running (a strict majority), so at most " + allowed
            + " may be suspended"
            + (before.isEmpty() ? "" : "; " + before + " " + (allowed == 1 ? "is" : "are")
                + " suspended already")
            + ". Resume a suspended member first (spec.suspend: false) or add a member; this node"
            + " keeps running meanwhile");
  }

  private static boolean isSuspendedNow(LatticeNode node) {
    return node.getStatus() != null
        && StatusAggregator.PHASE_SUSPENDED.equals(node.getStatus().getPhase());
  }

  /**
   * The deprecated per-node expectedMerkleRoot, read while the Lattice sets none: members judge
   * each other against one reference root, so a lattice has one (or none). The member created
   * first sets it; a newer member that says otherwise is refused.
   */
  private static void checkExpectedRoot(
      LatticeNode node, List<LatticeNode> others, List<String> problems) {
    String lattice = node.getSpec().getLattice();
    String mine = node.getSpec().getExpectedMerkleRoot();
    others.stream()
        .filter(o -> lattice.equals(o.getSpec().getLattice()))
        .filter(o -> !Objects.equals(mine, o.getSpec().getExpectedMerkleRoot()))
        .filter(o -> claimsFirst(o, node))
        .findFirst()
        .ifPresent(
            first ->
                problems.add(
                    "spec.expectedMerkleRoot is " + describeRoot(mine) + " but member '"
                        + first.getMetadata().getName() + "' of lattice '" + lattice + "' has "
                        + describeRoot(first.getSpec().getExpectedMerkleRoot())
                        + ": every member of a lattice must set the same expectedMerkleRoot or"
                        + " none; change it on this node to match"));
  }

  private static String describeRoot(String root) {
    return root == null ? "not set" : "'" + root + "'";
  }

  private void checkNodeName(
      LatticeNode node, List<LatticeNode> others, Set<String> peerServices, List<String> problems) {
    String name = node.getMetadata().getName();
    if (peerServices.contains(name)) {
      problems.add(
          "the node's name '" + name + "' is the name of a lattice peer Service"
              + " (<lattice>-peers): rename the node");
    }
    for (LatticeNode other : others) {
      if (aliasNames(other).contains(name) && claimsFirst(other, node)) {
        problems.add(
            "the node's name '" + name + "' is already used as a DNS alias by node '"
                + other.getMetadata().getName() + "': rename the node or remove that alias");
      }
    }
    foreignService(node, name)
        .ifPresent(
            svc ->
                problems.add(
                    "a Service named '" + name + "' already exists and is not managed by this"
                        + " node: rename the node or remove that Service"));
  }

  private void checkAliases(
      LatticeNode node, List<LatticeNode> others, Set<String> peerServices, List<String> problems) {
    String name = node.getMetadata().getName();
    for (DnsAlias alias : aliases(node)) {
      String aliasName = alias.getName();
      if (aliasName == null) {
        continue;
      }
      if (aliasName.equals(name)) {
        problems.add(
            "DNS alias '" + aliasName + "' has the node's own name, which its Service already"
                + " uses: choose another alias name");
        continue;
      }
      if (peerServices.contains(aliasName)) {
        problems.add(
            "DNS alias '" + aliasName + "' is the name of a lattice peer Service: choose another"
                + " alias name");
        continue;
      }
      Optional<LatticeNode> namedNode =
          others.stream().filter(o -> o.getMetadata().getName().equals(aliasName)).findFirst();
      if (namedNode.isPresent()) {
        problems.add(
            "DNS alias '" + aliasName + "' collides with the Service of node '" + aliasName
                + "': choose another alias name");
        continue;
      }
      Optional<LatticeNode> firstClaim =
          others.stream()
              .filter(o -> aliasNames(o).contains(aliasName))
              .filter(o -> claimsFirst(o, node))
              .findFirst();
      if (firstClaim.isPresent()) {
        problems.add(
            "DNS alias '" + aliasName + "' is already used by node '"
                + firstClaim.get().getMetadata().getName() + "': choose another alias name");
        continue;
      }
      foreignService(node, aliasName)
          .ifPresent(
              svc ->
                  problems.add(
                      "a Service named '" + aliasName + "' already exists and is not managed by"
                          + " this node: choose another alias name or remove that Service"));
    }
  }

  private void checkHostnames(LatticeNode node, List<LatticeNode> others, List<String> problems) {
    String lattice = node.getSpec().getLattice();
    for (String hostname : hostnames(node)) {
      others.stream()
          .filter(o -> lattice.equals(o.getSpec().getLattice()))
          .filter(o -> hostnames(o).contains(hostname))
          .filter(o -> claimsFirst(o, node))
          .findFirst()
          .ifPresent(
              o ->
                  problems.add(
                      "hostname '" + hostname + "' is already published by node '"
                          + o.getMetadata().getName() + "' of lattice '" + lattice
                          + "': each public hostname belongs to one node; remove it here"));
    }
  }

  private void checkSecrets(List<SecretEnvVar> secretEnv, String namespace, List<String> problems) {
    for (SecretEnvVar ref : Objects.requireNonNullElse(secretEnv, List.<SecretEnvVar>of())) {
      Optional<Secret> secret = cluster.secret(namespace, ref.getSecretName());
      if (secret.isEmpty()) {
        problems.add(
            "secretEnv " + ref.getName() + " refers to Secret '" + ref.getSecretName()
                + "', which does not exist in namespace '" + namespace
                + "': create it or fix secretName");
      } else if (!hasKey(secret.get(), ref.getKey())) {
        problems.add(
            "secretEnv " + ref.getName() + " refers to key '" + ref.getKey() + "' of Secret '"
                + ref.getSecretName() + "', which has no such key: add the key or fix 'key'");
      }
    }
  }

  /** A Service of that name whose controller is not this node (absent when free or ours). */
  private Optional<Service> foreignService(LatticeNode node, String serviceName) {
    return cluster
        .service(node.getMetadata().getNamespace(), serviceName)
        .filter(svc -> !controlledBy(svc, node));
  }

  private static boolean controlledBy(HasMetadata resource, LatticeNode node) {
    List<OwnerReference> refs =
        Objects.requireNonNullElse(resource.getMetadata().getOwnerReferences(), List.of());
    return refs.stream()
        .anyMatch(
            ref ->
                Objects.equals(ref.getUid(), node.getMetadata().getUid())
                    && Boolean.TRUE.equals(ref.getController()));
  }

  private static boolean hasKey(Secret secret, String key) {
    return (secret.getData() != null && secret.getData().containsKey(key))
        || (secret.getStringData() != null && secret.getStringData().containsKey(key));
  }

  /** True when {@code other} claimed its names before {@code node}: created earlier, then name. */
  static boolean claimsFirst(LatticeNode other, LatticeNode node) {
    Comparator<LatticeNode> order =
        Comparator.comparing(
                (LatticeNode n) ->
                    Objects.requireNonNullElse(n.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(n -> n.getMetadata().getName());
    return order.compare(other, node) < 0;
  }

  private static List<DnsAlias> aliases(LatticeNode node) {
    if (node.getSpec() == null || node.getSpec().getDns() == null) {
      return List.of();
    }
    return Objects.requireNonNullElse(node.getSpec().getDns().getAliases(), List.of());
  }

  private static Set<String> aliasNames(LatticeNode node) {
    return aliases(node).stream()
        .map(DnsAlias::getName)
        .filter(Objects::nonNull)
        .collect(Collectors.toSet());
  }

  private static List<String> hostnames(LatticeNode node) {
    if (node.getSpec() == null || node.getSpec().getDns() == null) {
      return List.of();
    }
    return Objects.requireNonNullElse(node.getSpec().getDns().getHostnames(), List.of());
  }
}
