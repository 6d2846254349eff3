package org.epost.peer.admin;

import java.io.IOException;
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
import java.util.concurrent.Callable;

import org.epost.overlay.security.OrganizationAuthority;
import org.epost.post.accounts.AccountException;
import org.epost.post.accounts.KeyVault;
import org.epost.post.accounts.OrganizationRecoveryKey;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.RehomeTransfer;
import org.epost.post.crypto.Hashes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The admin's recovery commands (issue #14): creating the organization's recovery key, and answering a new home
 * peer's re-home request offline. The recovery private key is opened only here, on the admin's machine.
 */
final class RecoveryCommands {
    private RecoveryCommands() {
    }

    /** The recovery key: recovery.pem goes to every peer's post.authority, recovery.key stays with the admin. */
    @Command(name = "recovery-key-init", description = "Creates the organization's recovery key once.")
    static final class RecoveryKeyInit implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private OrganizationCaOptions ca;

        @Option(names = "--password-file", paramLabel = "FILE", required = true,
            description = "file whose first line is the password of the new recovery.key")
        private Path passwordFile;

        @Override
        public Integer call() throws IOException {
            Path directory = ca.directory();
            PublicKey key = OrganizationRecoveryKey.create(directory, ca.password(), EpostAdmin.password(passwordFile));
            spec.commandLine().getOut().println("Created the recovery key " + HexFormat.of()
                .formatHex(OrganizationRecoveryKey.idOf(key)).substring(0, 16) + " in " + directory.toAbsolutePath()
                + " (copy " + OrganizationRecoveryKey.PUBLIC_FILE + " to every peer's post.authority; keep "
                + OrganizationRecoveryKey.KEY_FILE + " and its password offline)");
            return 0;
        }
    }

    /**
     * Verifies the request (signed by a node the organization certified), opens the user's envelope with the
     * recovery key, checks the keys against the user CA, and seals them to the requesting peer's transport key.
     */
    @Command(name = "recover-user", description = "Answers a new home peer's re-home request offline.")
    static final class RecoverUser implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--ca", paramLabel = "DIR", required = true,
            description = "directory of the organization authority (ca.pem,"
            + " user-ca.pem, recovery.key, recovery.pem)")
        private Path directory;

        @Option(names = "--password-file", paramLabel = "FILE", required = true,
            description = "file whose first line is the password of recovery.key")
        private Path passwordFile;

        @Option(names = "--request", paramLabel = "FILE", required = true,
            description = "file with the new home's re-home request (the"
            + " \"request\" value of POST /epost/users/{user}/rehome/requests, base64)")
        private Path requestFile;

        @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "file to write the user's keys sealed to the new home (base64)")
        private Path out;

        @Override
        public Integer call() throws IOException {
            X509Certificate organizationCa = organizationCertificate(directory);
            byte[] request = CertificationCommands.base64File(requestFile);
            try {
                RehomeTransfer.Request verified = RehomeTransfer.verifyRequest(request, organizationCa);
                KeyPair recovery = OrganizationRecoveryKey.load(directory, EpostAdmin.password(passwordFile));
                PublicKey userCa = OrganizationUserAuthority.loadTrustedPublicKey(
                    directory.resolve(OrganizationUserAuthority.PUBLIC_FILE), organizationCa);
                KeyVault.Entry entry = RehomeTransfer.recover(verified, recovery, userCa);
                Files.writeString(out, Base64.getEncoder().encodeToString(RehomeTransfer.sealKeys(verified, entry))
                    + "\n", StandardCharsets.US_ASCII);
                spec.commandLine().getOut().println("Sealed the keys of " + verified.address() + " (signing key "
                    + HexFormat.of().formatHex(Hashes.sha256(entry.keys().signingPublicKey().getEncoded()))
                    .substring(0, 16) + ") to the re-home request of "
                    + verified.nodeCertificate().getSubjectX500Principal().getName() + "; wrote " + out.toAbsolutePath());
                return 0;
            } catch (AccountException e) {
                throw new IOException(e.getMessage(), e);
            }
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
