package org.epost.peer.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.epost.post.accounts.AccountException;
import org.epost.post.accounts.CertificationRequest;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.crypto.Hashes;

/**
 * {@code certify-user}: the admin certifies a user whose home peer holds no user CA key, offline, from the request
 * the peer shows ({@code GET /epost/users/{user}/certification-request}). The user CA key stays on this machine.
 */
final class CertificationCommands {
    /** As a peer with the user CA key certifies its users ({@code AccountService.Settings.defaults()}). */
    static final int DEFAULT_DAYS = 365;

    private CertificationCommands() {
    }

    static Options options() {
        return new Options()
            .addOption(EpostAdmin.required("ca", "directory of the organization authority (user-ca.key, user-ca.pem)"))
            .addOption(EpostAdmin.required("password-file", "file whose first line is the password of user-ca.key"))
            .addOption(EpostAdmin.required("request", "file with the user's certification request (the \"request\""
                + " value of GET /epost/users/{user}/certification-request, base64)"))
            .addOption(EpostAdmin.required("out", "file to write the certificate to (base64), for POST"
                + " /epost/users/{user}/certificate"))
            .addOption(Option.builder().longOpt("days").hasArg().desc("validity in days (default " + DEFAULT_DAYS + ")")
                .build());
    }

    /** Verifies the request's self-signature and writes the certificate of its address and keys. */
    static int certifyUser(CommandLine line, PrintStream out) throws IOException {
        byte[] encoded;
        try {
            encoded = Base64.getDecoder().decode(Files.readString(Path.of(line.getOptionValue("request")),
                StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException e) {
            throw new IOException("the request file is not base64: " + e.getMessage());
        }
        int days;
        try {
            days = Integer.parseInt(line.getOptionValue("days", String.valueOf(DEFAULT_DAYS)));
        } catch (NumberFormatException e) {
            throw new IOException("--days is a number of days: " + line.getOptionValue("days"));
        }
        if (days < 1) {
            throw new IOException("--days must be at least 1");
        }
        CertificationRequest request;
        try {
            request = CertificationRequest.decode(encoded);
        } catch (AccountException e) {
            throw new IOException(e.getMessage(), e);
        }
        OrganizationUserAuthority userCa = OrganizationUserAuthority.load(Path.of(line.getOptionValue("ca")),
            EpostAdmin.password(line, "password-file"));
        UserCertificate certificate = request.certify(userCa,
            Instant.now().plus(Duration.ofDays(days)).toEpochMilli());
        Path file = Path.of(line.getOptionValue("out"));
        Files.writeString(file, Base64.getEncoder().encodeToString(certificate.block().encoded()) + "\n",
            StandardCharsets.US_ASCII);
        out.println("Certified " + request.address() + " (signing key " + HexFormat.of()
            .formatHex(Hashes.sha256(request.signingKey().getEncoded())).substring(0, 16) + ", requested "
            + Instant.ofEpochMilli(request.createdMillis()) + ") until " + Instant.ofEpochMilli(certificate.notAfter())
            + "; wrote " + file.toAbsolutePath());
        return 0;
    }
}
