package com.diotec360.lattice.operator.observe;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The external members of every lattice (nodes the operator does not run), as their lattice's
 * controller last read them: what the prober probes besides the LatticeNodes, how to reach each
 * (URL, headers, CA), and where any member of a lattice answers, in the cluster or not.
 *
 * <p>The lattice's controller {@link #set sets} a lattice's list on every reconcile (so a changed
 * spec or a rotated header Secret is used from the next probe on) and {@link #remove removes} it
 * with the Lattice. Thread-safe.
 */
public final class ExternalMembers {

  /** One external member, ready to probe. */
  public record Member(String name, String url, String role, EndpointAccess access) {}

  private final NodeAddressResolver resolver;
  private final Map<String, List<Member>> byLattice = new ConcurrentHashMap<>();
  private final Map<String, EndpointAccess> byUrl = new ConcurrentHashMap<>();

  /** @param resolver where the members the operator runs answer */
  public ExternalMembers(NodeAddressResolver resolver) {
    this.resolver = resolver;
  }

  /** The lattice's external members from now on (members that may not be probed are left out). */
  public void set(String namespace, String lattice, List<Member> members) {
    List<Member> before = byLattice.put(key(namespace, lattice), List.copyOf(members));
    if (before != null) {
      before.forEach(m -> byUrl.remove(m.url()));
    }
    members.forEach(m -> byUrl.put(m.url(), m.access()));
  }

  /** The lattice has gone, or it may not be probed (invalid). */
  public void remove(String namespace, String lattice) {
    List<Member> before = byLattice.remove(key(namespace, lattice));
    if (before != null) {
      before.forEach(m -> byUrl.remove(m.url()));
    }
  }

  /** Every external member of every lattice, as prober targets. */
  public Collection<NodeTarget> targets() {
    List<NodeTarget> targets = new ArrayList<>();
    byLattice.forEach((key, members) -> {
      String namespace = key.substring(0, key.indexOf('/'));
      String lattice = key.substring(key.indexOf('/') + 1);
      members.forEach(m -> targets.add(NodeTarget.external(namespace, lattice, m.name(), m.url())));
    });
    return targets;
  }

  /** How to call {@code baseUrl}: an external member's headers and CA, or nothing special. */
  public EndpointAccess access(String baseUrl) {
    return byUrl.getOrDefault(baseUrl, EndpointAccess.NONE);
  }

  /** Where member {@code name} of the lattice answers: its external URL, or its in-cluster address. */
  public String urlOf(String namespace, String lattice, String name) {
    return external(namespace, lattice, name)
        .map(Member::url)
        .orElseGet(() -> resolver.baseUrl(name, namespace));
  }

  /** The external member {@code name} of the lattice, when it is one. */
  public Optional<Member> external(String namespace, String lattice, String name) {
    return byLattice.getOrDefault(key(namespace, lattice), List.of()).stream()
        .filter(m -> m.name().equals(name))
        .findFirst();
  }

  private static String key(String namespace, String lattice) {
    return namespace + "/" + lattice;
  }
}
