package com.diotec360.lattice.embedded.validation;

import com.diotec360.lattice.embedded.admission.FieldCause;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The name rules a real API server checks on create, in its words: a DNS-1035 label for Services,
 * an RFC 1123 label for Namespaces, an RFC 1123 subdomain for the other kinds a lattice uses and
 * for custom resources (RBAC kinds take path segments, not checked here). A name a cluster would
 * refuse ({@code kubectl create secret generic API_KEY}) is refused here too.
 */
public final class ObjectNames {

  private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  /** Built-in kinds whose names are RFC 1123 subdomains (custom resources' are too). */
  private static final Set<String> SUBDOMAIN_KINDS = Set.of("configmaps", "secrets", "persistentvolumeclaims",
      "events", "pods", "deployments", "endpointslices", "leases", "poddisruptionbudgets", "serviceaccounts",
      "networkpolicies", "endpoints", "customresourcedefinitions");

  private ObjectNames() {}

  /** Why {@code name} is no valid name for an object of {@code plural}; empty when it is. */
  public static List<FieldCause> validate(String plural, boolean customResource, String name) {
    if (name.isEmpty()) {
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    if ("services".equals(plural) && !customResource) {
      check(problems, name, 63, DNS_1035, "a DNS-1035 label must consist of lower case alphanumeric characters or"
          + " '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', "
          + " or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
    } else if ("namespaces".equals(plural) && !customResource) {
      check(problems, name, 63, LABEL, "a lowercase RFC 1123 label must consist of lower case alphanumeric"
          + " characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or"
          + " '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    } else if (customResource || SUBDOMAIN_KINDS.contains(plural)) {
      check(problems, name, 253, SUBDOMAIN, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
          + " characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com',"
          + " regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }
    return problems.stream()
        .map(p -> new FieldCause("FieldValueInvalid", "Invalid value: \"" + name + "\": " + p, "metadata.name"))
        .toList();
  }

  private static void check(List<String> problems, String name, int max, Pattern pattern, String message) {
    if (name.length() > max) {
      problems.add("must be no more than " + max + " characters");
    }
    if (!pattern.matcher(name).matches()) {
      problems.add(message);
    }
  }
}
