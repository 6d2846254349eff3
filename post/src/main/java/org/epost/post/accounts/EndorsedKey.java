package org.epost.post.accounts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * An organization key peers get as a PEM file: the X.509 public key ({@code PUBLIC KEY}) and the organization CA's
 * {@code SHA256withECDSA} signature over {@code context || X.509 public key} (a PEM block of its own type), so that a
 * peer trusting only {@code ca.pem} can check the key came from the organization (the user CA, the recovery key).
 * The context names the key's purpose: an endorsement of one kind of key is never taken for another.
 */
final class EndorsedKey {
    private static final String PUBLIC_KEY_PEM = "PUBLIC KEY";

    private EndorsedKey() {
    }

    /** The PEM text of {@code publicKey} endorsed by {@code organizationKey} for {@code context}. */
    static String endorse(PrivateKey organizationKey, byte[] context, byte[] publicKey, String endorsementType,
                          String what) throws IOException {
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(organizationKey);
            signer.update(context);
            signer.update(publicKey);
            return pem(PUBLIC_KEY_PEM, publicKey) + pem(endorsementType, signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot endorse the " + what + " with the organization key", e);
        }
    }

    /** The X.509 public key in {@code file}, only if {@code organizationCa} endorsed it for {@code context}. */
    static byte[] readEndorsed(Path file, X509Certificate organizationCa, byte[] context, String endorsementType,
                               String what) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        byte[] publicKey = fromPem(text, PUBLIC_KEY_PEM);
        byte[] endorsement = fromPem(text, endorsementType);
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(organizationCa.getPublicKey());
            verifier.update(context);
            verifier.update(publicKey);
            if (!verifier.verify(endorsement)) {
                throw new IOException("The " + what + " in " + file + " is not endorsed by "
                        + organizationCa.getSubjectX500Principal());
            }
            return publicKey;
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot verify the " + what + " in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The X.509 public key in {@code file}, unchecked (the admin's own files). */
    static byte[] readPublicKey(Path file) throws IOException {
        return fromPem(Files.readString(file, StandardCharsets.US_ASCII), PUBLIC_KEY_PEM);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] fromPem(String text, String type) throws IOException {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int start = text.indexOf(begin);
        int stop = text.indexOf(end, Math.max(start, 0));
        if (start < 0 || stop < 0) {
            throw new IOException("No " + type + " PEM block");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(start + begin.length(), stop));
        } catch (IllegalArgumentException e) {
            throw new IOException("Bad base64 in the " + type + " PEM block", e);
        }
    }
}
