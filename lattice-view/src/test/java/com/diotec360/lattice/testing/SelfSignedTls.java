package com.diotec360.lattice.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An https front's TLS: a self-signed certificate for 127.0.0.1 made by the JDK's keytool. Its PEM
 * is the private CA an external member's {@code tls.caSecret} holds ({@code ca.crt}).
 *
 * @param context the server side, for {@link HeaderGate}
 * @param caPem the certificate, PEM
 */
public record SelfSignedTls(SSLContext context, String caPem) {

  /** Makes a new key and certificate under {@code dir} (CN {@code cn}, SAN ip 127.0.0.1). */
  public static SelfSignedTls make(Path dir, String cn) throws Exception {
    Files.createDirectories(dir);
    Path store = dir.resolve("front.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    for (List<String> command : List.of(
        List.of(keytool, "-genkeypair", "-alias", "front", "-keyalg", "EC", "-dname", "CN=" + cn,
            "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
            "-storepass", "changeit"),
        List.of(keytool, "-exportcert", "-rfc", "-alias", "front", "-keystore", store.toString(), "-storetype", "PKCS12",
            "-storepass", "changeit", "-file", dir.resolve("ca.crt").toString()))) {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(factory.getKeyManagers(), null, null);
    return new SelfSignedTls(tls, Files.readString(dir.resolve("ca.crt")));
  }
}
