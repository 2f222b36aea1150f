package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.api.LatticeSecrets;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMember;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMemberTls;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.observe.EndpointAccess;
import com.diotec360.lattice.operator.observe.ExternalMembers;
import com.diotec360.lattice.operator.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a Lattice's external members with what probing them needs: the headers from their {@code
 * headersSecret} and the CA from their {@code tls.caSecret}. A member whose Secret is missing or
 * unusable is not probed; its problem says what to fix, without a single header value.
 */
final class ExternalMemberReader {

  /** An HTTP header name (RFC 9110 token). */
  private static final Pattern HEADER_NAME = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$");

  /**
   * @param members the members ready to probe, in spec order
   * @param problems per member name that cannot be probed, what is wrong and how to fix it
   */
  record Read(List<ExternalMembers.Member> members, Map<String, String> problems) {}

  private final SpecValidator.ClusterView cluster;

  ExternalMemberReader(SpecValidator.ClusterView cluster) {
    this.cluster = cluster;
  }

  static List<ExternalMember> of(Lattice lattice) {
    return lattice.getSpec() == null
        ? List.of()
        : Objects.requireNonNullElse(lattice.getSpec().getExternalMembers(), List.of());
  }

  Read read(Lattice lattice) {
    String namespace = lattice.getMetadata().getNamespace();
    List<ExternalMember> spec = of(lattice);
    List<ExternalMembers.Member> members = new ArrayList<>();
    Map<String, String> problems = new LinkedHashMap<>();
    for (int i = 0; i < spec.size(); i++) {
      ExternalMember e = spec.get(i);
      String field = "spec.externalMembers[" + i + "]";
      Map<String, String> headers = Map.of();
      String ca = null;
      String problem = null;
      if (e.getHeadersSecret() != null) {
        Optional<Secret> secret = cluster.secret(namespace, e.getHeadersSecret());
        if (secret.isEmpty()) {
          problem = field + ".headersSecret: Secret '" + e.getHeadersSecret() + "' is not in namespace '"
              + namespace + "'; create it (one key per header) or remove headersSecret";
        } else {
          headers = LatticeSecrets.values(secret.get());
          String bad = headers.keySet().stream().filter(k -> !HEADER_NAME.matcher(k).matches())
              .findFirst().orElse(null);
          if (bad != null) {
            problem = field + ".headersSecret: key '" + bad + "' of Secret '" + e.getHeadersSecret()
                + "' is not an HTTP header name; rename the key";
          }
        }
      }
      if (problem == null && e.getTls() != null) {
        Optional<String> pem = cluster.secret(namespace, e.getTls().getCaSecret())
            .flatMap(s -> LatticeSecrets.value(s, ExternalMemberTls.CA_KEY));
        if (pem.isEmpty() || !pem.get().contains("-----BEGIN CERTIFICATE-----")) {
          problem = field + ".tls.caSecret: Secret '" + e.getTls().getCaSecret() + "' in namespace '"
              + namespace + "' has no PEM certificate under key '" + ExternalMemberTls.CA_KEY
              + "'; create it with kubectl create secret generic " + e.getTls().getCaSecret()
              + " --from-file=ca.crt=<file>";
        } else {
          ca = pem.get();
        }
      }
      if (problem != null) {
        problems.put(e.getName(), problem);
      } else {
        members.add(new ExternalMembers.Member(e.getName(), e.getUrl(), e.getRole(), new EndpointAccess(headers, ca)));
      }
    }
    return new Read(members, problems);
  }
}
