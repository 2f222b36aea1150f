package com.diotec360.lattice.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust in exactly the PEM certificates an external member's CA Secret holds ({@code tls.caSecret},
 * key {@code ca.crt}), instead of the system's CAs: one rule for the operator's probes and for
 * {@code kubectl lattice diff}.
 */
public final class PemTrust {

  private PemTrust() {}

  /**
   * A trust manager for the certificates in {@code pem}.
   *
   * @throws CertificateException when {@code pem} holds no certificate, or one that cannot be read
   */
  public static X509TrustManager of(String pem) throws GeneralSecurityException {
    Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    if (certificates.isEmpty()) {
      throw new CertificateException("no PEM certificate in it");
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot make an empty key store: " + e.getMessage(), e);
    }
    int i = 0;
    for (Certificate c : certificates) {
      store.setCertificateEntry("ca-" + i++, c);
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager t : factory.getTrustManagers()) {
      if (t instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("this JVM offers no X.509 trust manager");
  }

  /** TLS sockets that trust {@code trust} alone. */
  public static SSLSocketFactory socketFactory(X509TrustManager trust) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {trust}, null);
    return context.getSocketFactory();
  }
}
