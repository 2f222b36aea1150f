package com.diotec360.lattice.realapi;

import io.fabric8.kubernetes.client.ConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** How a client proves who it is to the real API server: a bearer token or a client certificate. */
public sealed interface Credentials {

  /** A ServiceAccount token (from the TokenRequest API). */
  record Token(String user, String token) implements Credentials {}

  /** A client certificate signed by the test CA: CN is the user, each O a group. */
  record Certificate(String user, String certificatePem, String keyPem) implements Credentials {}

  /** The user name the API server sees (audit log, RBAC). */
  String user();

  /** Sets these credentials on a fabric8 client configuration. */
  default ConfigBuilder applyTo(ConfigBuilder config) {
    if (this instanceof Token t) {
      return config.withOauthToken(t.token());
    }
    Certificate c = (Certificate) this;
    return config
        .withClientCertData(base64(c.certificatePem()))
        .withClientKeyData(base64(c.keyPem()))
        .withClientKeyAlgo("RSA");
  }

  /** The {@code user:} entry of a kubeconfig, in YAML flow style. */
  default String kubeconfigUser() {
    if (this instanceof Token t) {
      return "{token: " + t.token() + "}";
    }
    Certificate c = (Certificate) this;
    return "{client-certificate-data: " + base64(c.certificatePem())
        + ", client-key-data: " + base64(c.keyPem()) + "}";
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
