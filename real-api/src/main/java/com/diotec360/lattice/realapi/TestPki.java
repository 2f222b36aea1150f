package com.diotec360.lattice.realapi;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The test cluster's keys: a CA whose client certificates the API server trusts (a certificate's
 * CN is the user, each O a group; {@code O=system:masters} is cluster-admin), and the key pair
 * that signs ServiceAccount tokens. Written as PEM files, as the control plane reads them.
 */
final class TestPki {

  /** A client certificate and its key, both PEM. */
  record ClientCredentials(String certificatePem, String keyPem) {}

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final KeyPair ca;
  private final X509Certificate caCertificate;
  private final KeyPair serviceAccounts;

  private TestPki(KeyPair ca, X509Certificate caCertificate, KeyPair serviceAccounts) {
    this.ca = ca;
    this.caCertificate = caCertificate;
    this.serviceAccounts = serviceAccounts;
  }

  static TestPki create() {
    KeyPair ca = rsa();
    X500Name name = new X500Name("CN=lattice-test-ca");
    X509Certificate certificate =
        sign(name, ca.getPublic(), name, ca, true, null);
    return new TestPki(ca, certificate, rsa());
  }

  /** Writes {@code ca.crt}, {@code sa.key} and {@code sa.pub} into {@code dir}. */
  void writeTo(Path dir) {
    try {
      Files.writeString(dir.resolve("ca.crt"), pem(caCertificate));
      Files.writeString(dir.resolve("sa.key"), pem(serviceAccounts.getPrivate()));
      Files.writeString(dir.resolve("sa.pub"), pem(serviceAccounts.getPublic()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String caPem() {
    return pem(caCertificate);
  }

  /** A client certificate for {@code user} in {@code groups}, valid for a day. */
  ClientCredentials client(String user, List<String> groups) {
    KeyPair key = rsa();
    X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
    groups.forEach(g -> subject.addRDN(BCStyle.O, g));
    subject.addRDN(BCStyle.CN, user);
    X509Certificate certificate =
        sign(subject.build(), key.getPublic(), new X500Name("CN=lattice-test-ca"), ca, false, KeyPurposeId.id_kp_clientAuth);
    return new ClientCredentials(pem(certificate), pem(key.getPrivate()));
  }

  private static X509Certificate sign(
      X500Name subject, java.security.PublicKey key, X500Name issuer, KeyPair signer, boolean isCa, KeyPurposeId usage) {
    try {
      Instant now = Instant.now();
      var builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(isCa ? 30 : 1))),
              subject,
              key);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (isCa) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature));
      } else {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make a test certificate: " + e.getMessage(), e);
    }
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      // Private keys as PKCS#8 ("PRIVATE KEY"), which both Go and fabric8 read.
      writer.writeObject(object instanceof java.security.PrivateKey key
          ? new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", key.getEncoded())
          : object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
