package com.diotec360.lattice.node.p2p;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Mutual HMAC-SHA256 challenge-response over the lattice secret. The listener sends HELLO(nonce_s,
 * name_s); the dialer answers AUTH(nonce_c, name_c, HMAC("client"|nonce_s|nonce_c|name_c)); the
 * listener verifies and answers AUTH_OK(HMAC("server"|nonce_c|nonce_s|name_s)), which the dialer
 * verifies. Neither side ever sends the secret; a stranger without it cannot complete either half.
 */
public final class Handshake {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE = 32;
    /** Largest handshake frame: nonce, MAC and a node name; strangers get no bigger buffer than this. */
    public static final int MAX_FRAME = 4096;

    /** Thrown when the other side cannot prove it knows the secret (or breaks the protocol). */
    public static final class Refused extends IOException {
        public Refused(String message) {
            super(message);
        }
    }

    private Handshake() {
    }

    /** Listener side; returns the authenticated remote node name. */
    public static String asListener(DataInputStream in, DataOutputStream out, byte[] secret, String localName)
            throws IOException {
        byte[] nonceS = nonce();
        new Frame(Frame.HELLO, concat(nonceS, utf(localName))).write(out);
        Frame auth = Frame.read(in, MAX_FRAME);
        if (auth.type() != Frame.AUTH) {
            throw new Refused("expected AUTH, got frame type " + auth.type());
        }
        DataInputStream p = new DataInputStream(new ByteArrayInputStream(auth.payload()));
        byte[] nonceC = p.readNBytes(NONCE);
        byte[] mac = p.readNBytes(32);
        String remoteName = new String(p.readAllBytes(), StandardCharsets.UTF_8);
        if (secret == null || !MessageDigest.isEqual(mac, hmac(secret, "client", nonceS, nonceC, utf(remoteName)))) {
            new Frame(Frame.REJECT, utf("authentication failed")).write(out);
            throw new Refused("peer '" + remoteName + "' failed authentication (wrong or missing lattice secret)");
        }
        new Frame(Frame.AUTH_OK, hmac(secret, "server", nonceC, nonceS, utf(localName))).write(out);
        return remoteName;
    }

    /** Dialer side; returns the authenticated remote node name. */
    public static String asDialer(DataInputStream in, DataOutputStream out, byte[] secret, String localName)
            throws IOException {
        Frame hello = Frame.read(in, MAX_FRAME);
        if (hello.type() != Frame.HELLO || hello.payload().length < NONCE) {
            throw new Refused("expected HELLO, got frame type " + hello.type());
        }
        byte[] nonceS = java.util.Arrays.copyOf(hello.payload(), NONCE);
        String remoteName = new String(hello.payload(), NONCE, hello.payload().length - NONCE, StandardCharsets.UTF_8);
        if (secret == null) {
            throw new Refused("no lattice secret configured; P2P authentication is impossible");
        }
        byte[] nonceC = nonce();
        new Frame(Frame.AUTH, concat(concat(nonceC, hmac(secret, "client", nonceS, nonceC, utf(localName))),
                utf(localName))).write(out);
        Frame answer = Frame.read(in, MAX_FRAME);
        if (answer.type() != Frame.AUTH_OK
                || !MessageDigest.isEqual(answer.payload(), hmac(secret, "server", nonceC, nonceS, utf(remoteName)))) {
            throw new Refused("listener '" + remoteName + "' did not prove it knows the lattice secret");
        }
        return remoteName;
    }

    static byte[] hmac(byte[] secret, String role, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(utf(role));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JRE", e);
        }
    }

    private static byte[] nonce() {
        byte[] n = new byte[NONCE];
        RANDOM.nextBytes(n);
        return n;
    }

    private static byte[] utf(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(out)) {
            d.write(a);
            d.write(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
