package org.epost.peer.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.post.accounts.AccountException;
import org.epost.post.accounts.KeyVault;
import org.epost.post.accounts.OrganizationRecoveryKey;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.RehomeTransfer;
import org.epost.post.crypto.Hashes;

/**
 * The admin's recovery commands (issue #14): creating the organization's recovery key, and answering a new home
 * peer's re-home request offline. The recovery private key is opened only here, on the admin's machine.
 */
final class RecoveryCommands {
    private RecoveryCommands() {
    }

    static Options initOptions() {
        return new Options()
            .addOption(EpostAdmin.required("ca", "directory of the organization authority (ca.p12); recovery.key and"
                + " recovery.pem go there too"))
            .addOption(EpostAdmin.required("ca-password-file", "file whose first line is the password of ca.p12"))
            .addOption(EpostAdmin.required("password-file", "file whose first line is the password of the new"
                + " recovery.key"));
    }

    static Options recoverOptions() {
        return new Options()
            .addOption(EpostAdmin.required("ca", "directory of the organization authority (ca.pem, user-ca.pem,"
                + " recovery.key, recovery.pem)"))
            .addOption(EpostAdmin.required("password-file", "file whose first line is the password of recovery.key"))
            .addOption(EpostAdmin.required("request", "file with the new home's re-home request (the \"request\""
                + " value of POST /epost/users/{user}/rehome/requests, base64)"))
            .addOption(EpostAdmin.required("out", "file to write the user's keys sealed to the new home (base64)"));
    }

    /** The recovery key: recovery.pem goes to every peer's post.authority, recovery.key stays with the admin. */
    static int recoveryKeyInit(CommandLine line, PrintStream out) throws IOException {
        Path directory = Path.of(line.getOptionValue("ca"));
        PublicKey key = OrganizationRecoveryKey.create(directory, EpostAdmin.password(line, "ca-password-file"),
            EpostAdmin.password(line, "password-file"));
        out.println("Created the recovery key " + HexFormat.of().formatHex(OrganizationRecoveryKey.idOf(key))
            .substring(0, 16) + " in " + directory.toAbsolutePath() + " (copy " + OrganizationRecoveryKey.PUBLIC_FILE
            + " to every peer's post.authority; keep " + OrganizationRecoveryKey.KEY_FILE + " and its password offline)");
        return 0;
    }

    /**
     * Verifies the request (signed by a node the organization certified), opens the user's envelope with the
     * recovery key, checks the keys against the user CA, and seals them to the requesting peer's transport key.
     */
    static int recoverUser(CommandLine line, PrintStream out) throws IOException {
        Path directory = Path.of(line.getOptionValue("ca"));
        X509Certificate organizationCa = organizationCertificate(directory);
        byte[] request;
        try {
            request = Base64.getDecoder().decode(Files.readString(Path.of(line.getOptionValue("request")),
                StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException e) {
            throw new IOException("the request file is not base64: " + e.getMessage());
        }
        try {
            RehomeTransfer.Request verified = RehomeTransfer.verifyRequest(request, organizationCa);
            KeyPair recovery = OrganizationRecoveryKey.load(directory, EpostAdmin.password(line, "password-file"));
            PublicKey userCa = OrganizationUserAuthority.loadTrustedPublicKey(
                directory.resolve(OrganizationUserAuthority.PUBLIC_FILE), organizationCa);
            KeyVault.Entry entry = RehomeTransfer.recover(verified, recovery, userCa);
            Path file = Path.of(line.getOptionValue("out"));
            Files.writeString(file, Base64.getEncoder().encodeToString(RehomeTransfer.sealKeys(verified, entry)) + "\n",
                StandardCharsets.US_ASCII);
            out.println("Sealed the keys of " + verified.address() + " (signing key "
                + HexFormat.of().formatHex(Hashes.sha256(entry.keys().signingPublicKey().getEncoded())).substring(0, 16)
                + ") to the re-home request of " + verified.nodeCertificate().getSubjectX500Principal().getName()
                + "; wrote " + file.toAbsolutePath());
            return 0;
        } catch (AccountException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static X509Certificate organizationCertificate(Path directory) throws IOException {
        Path pem = directory.resolve(OrganizationAuthority.CERTIFICATE_FILE);
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            throw new IOException("Cannot read the organization certificate " + pem + ": " + e.getMessage(), e);
        }
    }
}
