package com.diotec360.lattice.operator.api;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The lattice Secret's one token: the key it is stored under, how a new one is made, and how it is
 * read back. The operator (which makes it and uses it for the node's admin calls) and the local
 * lattice (which writes entries as a client would) both read it here.
 */
public final class LatticeSecrets {

  /** Key of the token inside the lattice's Secret ({@link ResourceNames#latticeSecret}). */
  public static final String TOKEN_KEY = "token";

  private static final SecureRandom RANDOM = new SecureRandom();

  private LatticeSecrets() {}

  /** The token in plain text, or empty while the Secret has none (or is not there). */
  public static Optional<String> token(Secret secret) {
    return value(secret, TOKEN_KEY).map(String::trim);
  }

  /** Every key of the Secret with its value in plain text (a Secret's data is base64). */
  public static java.util.Map<String, String> values(Secret secret) {
    java.util.Map<String, String> values = new java.util.TreeMap<>();
    if (secret != null && secret.getData() != null) {
      secret.getData().forEach((key, encoded) ->
          values.put(key, new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8)));
    }
    return values;
  }

  /** One key's value in plain text, or empty while the Secret has none (or is not there). */
  public static Optional<String> value(Secret secret, String key) {
    if (secret == null || secret.getData() == null || secret.getData().get(key) == null) {
      return Optional.empty();
    }
    byte[] raw = Base64.getDecoder().decode(secret.getData().get(key));
    return Optional.of(new String(raw, StandardCharsets.UTF_8));
  }

  /** A new token as the Secret's data holds it: 32 random bytes, base64url, then base64 again. */
  public static String newEncodedToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }
}
