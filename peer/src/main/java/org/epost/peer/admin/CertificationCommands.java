package org.epost.peer.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Callable;

import org.epost.overlay.cli.CommandLines;
import org.epost.post.accounts.AccountException;
import org.epost.post.accounts.CertificationRequest;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.crypto.Hashes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code certify-user}: the admin certifies a user whose home peer holds no user CA key, offline, from the request
 * the peer shows ({@code GET /epost/users/{user}/certification-request}). The user CA key stays on this machine.
 */
@Command(name = "certify-user", description = "Certifies a user, offline, from the request its home peer shows.")
final class CertificationCommands implements Callable<Integer> {
    /** As a peer with the user CA key certifies its users ({@code AccountService.Settings.defaults()}). */
    static final int DEFAULT_DAYS = 365;

    @Spec
    private CommandSpec spec;

    @Option(names = "--ca", paramLabel = "DIR", required = true,
        description = "directory of the organization authority (user-ca.key, user-ca.pem)")
    private Path ca;

    @Option(names = "--password-file", paramLabel = "FILE", required = true,
        description = "file whose first line is the password of user-ca.key")
    private Path passwordFile;

    @Option(names = "--request", paramLabel = "FILE", required = true,
        description = "file with the user's certification request (the"
        + " \"request\" value of GET /epost/users/{user}/certification-request, base64)")
    private Path requestFile;

    @Option(names = "--out", paramLabel = "FILE", required = true,
        description = "file to write the certificate to (base64), for POST"
        + " /epost/users/{user}/certificate")
    private Path out;

    @Option(names = "--days", paramLabel = "N", description = "validity in days (default ${DEFAULT-VALUE})")
    private int days = DEFAULT_DAYS;

    /** Verifies the request's self-signature and writes the certificate of its address and keys. */
    @Override
    public Integer call() throws IOException {
        if (days < 1) {
            throw CommandLines.invalid(spec, "--days must be at least 1");
        }
        byte[] encoded = base64File(requestFile);
        CertificationRequest request;
        try {
            request = CertificationRequest.decode(encoded);
        } catch (AccountException e) {
            throw new IOException(e.getMessage(), e);
        }
        OrganizationUserAuthority userCa = OrganizationUserAuthority.load(ca, EpostAdmin.password(passwordFile));
        UserCertificate certificate = request.certify(userCa,
            Instant.now().plus(Duration.ofDays(days)).toEpochMilli());
        Files.writeString(out, Base64.getEncoder().encodeToString(certificate.block().encoded()) + "\n",
            StandardCharsets.US_ASCII);
        spec.commandLine().getOut().println("Certified " + request.address() + " (signing key " + HexFormat.of()
            .formatHex(Hashes.sha256(request.signingKey().getEncoded())).substring(0, 16) + ", requested "
            + Instant.ofEpochMilli(request.createdMillis()) + ") until " + Instant.ofEpochMilli(certificate.notAfter())
            + "; wrote " + out.toAbsolutePath());
        return 0;
    }

    /** The bytes of a request file holding base64 (as the peers' WebAdmin shows requests). */
    static byte[] base64File(Path file) throws IOException {
        try {
            return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException e) {
            throw new IOException("the request file is not base64: " + e.getMessage());
        }
    }
}
