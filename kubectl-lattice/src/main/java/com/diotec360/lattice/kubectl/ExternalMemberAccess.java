package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.view.LatticeNodes;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.X509TrustManager;

/**
 * What {@code kubectl lattice diff} needs to reach an external member as the operator does: the
 * HTTP headers from its {@code headersSecret} (keys are header names, values header values) and,
 * for an https url, the CA certificates from its {@code tls.caSecret} (key {@code ca.crt}). Both
 * Secrets are read with the user's own kubeconfig, so RBAC decides ({@code get} on secrets).
 *
 * <p>Header values are never printed: every message names the Secret and the key, never the
 * value, and every value read is handed to the {@link Redactor}, which scrubs it from whatever the
 * diff prints (a node that echoes a request header in an error body included).
 */
final class ExternalMemberAccess {

  /** The key of a CA Secret, as the Lattice API defines it ({@code ExternalMemberTls.CA_KEY}). */
  static final String CA_KEY = "ca.crt";

  /** A header name as RFC 9110 allows (a token). */
  private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

  /**
   * How to reach one external member.
   *
   * @param headers the headers to send with every request (empty without a headersSecret)
   * @param trust the CA to trust instead of the system's, or null
   * @param secrets the Secrets read, for the COMPARED line ("headers from Secret X")
   */
  record Access(Map<String, String> headers, X509TrustManager trust, String secrets) {}

  /** Why an external member cannot be reached as configured; the message never holds a value. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private ExternalMemberAccess() {}

  /**
   * Reads the Secrets {@code spec} (one {@code spec.externalMembers[]} entry) names, in {@code
   * namespace}.
   *
   * @throws Refused when a Secret cannot be read (missing, no permission) or holds no usable value
   */
  static Access of(KubernetesClient client, String namespace, JsonNode spec, Redactor redactor) throws Refused {
    String member = spec.path("name").asText();
    Map<String, String> headers = new LinkedHashMap<>();
    StringBuilder secrets = new StringBuilder();
    String headersSecret = spec.path("headersSecret").asText("");
    if (!headersSecret.isEmpty()) {
      Map<String, String> data = read(client, namespace, headersSecret, "headers", member, redactor);
      if (data.isEmpty()) {
        throw new Refused("Secret " + headersSecret + " (the headers for external member " + member
            + ") has no keys: add one per header, e.g. kubectl create secret generic " + headersSecret
            + " --from-literal=Authorization='Bearer ...'");
      }
      for (var e : data.entrySet()) {
        if (!e.getKey().matches(TOKEN)) {
          throw new Refused("Secret " + headersSecret + " key '" + e.getKey() + "' is no HTTP header name");
        }
        if (!e.getValue().chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7f))) {
          throw new Refused("Secret " + headersSecret + " key '" + e.getKey() + "': the value holds a line break or"
              + " another control character (often a trailing newline from a file), which no HTTP header may"
              + " hold; the value is not shown. Recreate it with --from-literal");
        }
        headers.put(e.getKey(), e.getValue());
      }
      secrets.append("headers from Secret ").append(headersSecret);
    }
    X509TrustManager trust = null;
    String caSecret = spec.at("/tls/caSecret").asText("");
    if (!caSecret.isEmpty()) {
      Map<String, String> data = read(client, namespace, caSecret, "CA", member, redactor);
      String pem = data.get(CA_KEY);
      if (pem == null || pem.isBlank()) {
        throw new Refused("Secret " + caSecret + " (the CA for external member " + member + ") has no key "
            + CA_KEY + ": put the PEM certificate(s) there");
      }
      trust = trustManager(pem, caSecret);
      secrets.append(secrets.length() == 0 ? "" : ", ").append("CA from Secret ").append(caSecret);
    }
    return new Access(Map.copyOf(headers), trust, secrets.toString());
  }

  /** The Secret's data, decoded; its values remembered by the redactor before anything else. */
  private static Map<String, String> read(
      KubernetesClient client, String namespace, String name, String what, String member, Redactor redactor)
      throws Refused {
    String purpose = "Secret " + name + " (the " + what + " for external member " + member + ")";
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new Refused(switch (e.getCode()) {
        case 403 -> "you may not read " + purpose + ": " + KubectlLattice.ApiErrors.serverMessage(e)
            + "; reaching the member as the operator does needs get on secrets in namespace " + namespace
            + " (kubectl auth can-i get secret/" + name + " -n " + namespace + ")";
        default -> "cannot read " + purpose + ": " + KubectlLattice.ApiErrors.explain(e, null);
      });
    }
    if (secret == null) {
      throw new Refused(purpose + " does not exist in namespace " + namespace + ": create it, or fix the"
          + " Lattice's spec.externalMembers");
    }
    redactor.secret(LatticeNodes.json(secret));
    Map<String, String> data = new TreeMap<>();
    if (secret.getData() != null) {
      for (var e : secret.getData().entrySet()) {
        try {
          data.put(e.getKey(), new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notBase64) {
          throw new Refused(purpose + " key '" + e.getKey() + "' is not base64 as Secret data must be");
        }
      }
    }
    return data;
  }

  private static X509TrustManager trustManager(String pem, String secret) throws Refused {
    try {
      return com.diotec360.lattice.tls.PemTrust.of(pem);
    } catch (GeneralSecurityException e) {
      throw new Refused("Secret " + secret + " key " + CA_KEY + " is no PEM certificate: " + e.getMessage());
    }
  }
}
