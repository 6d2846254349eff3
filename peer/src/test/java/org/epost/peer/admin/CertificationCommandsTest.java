package org.epost.peer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.post.accounts.CertificationRequest;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** epost-admin certify-user, as the admin runs it offline for a peer without the user CA key. */
class CertificationCommandsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return EpostAdmin.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void certifyUserIssuesTheCertificateOfTheRequestsAddressAndKeysAndRefusesAForgedRequest(@TempDir Path directory)
            throws Exception {
        Path caPassword = Files.writeString(directory.resolve("ca.password"), "ca-secret\n");
        Path userCaPassword = Files.writeString(directory.resolve("user-ca.password"), "user-ca-secret\n");
        Path ca = directory.resolve("ca");
        assertThat(run("ca-init", "--dir", ca.toString(), "--organization", "Example Org", "--password-file",
            caPassword.toString())).isZero();
        assertThat(run("user-ca-init", "--ca", ca.toString(), "--ca-password-file", caPassword.toString(),
            "--password-file", userCaPassword.toString())).isZero();
        UserKeys keys = UserKeys.generate();
        CertificationRequest request = CertificationRequest.sign("dave@example.org", keys, System.currentTimeMillis());
        Path requestFile = Files.writeString(directory.resolve("request"),
            Base64.getEncoder().encodeToString(request.encoded()) + "\n");
        Path certificateFile = directory.resolve("certificate");

        assertThat(run("certify-user", "--ca", ca.toString(), "--password-file", userCaPassword.toString(),
            "--request", requestFile.toString(), "--out", certificateFile.toString())).as(err.toString()).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Certified dave@example.org");
        byte[] certificate = Base64.getDecoder().decode(Files.readString(certificateFile).trim());
        BlockVerifier verifier = new BlockVerifier(OrganizationUserAuthority.publicKeyIn(ca),
            System::currentTimeMillis, BlockLimits.DEFAULT, 0);
        UserCertificate accepted = CertificationRequest.acceptCertificate(certificate, "dave@example.org", keys,
            verifier);
        assertThat(accepted.notAfter()).isGreaterThan(System.currentTimeMillis() + 364L * 86_400_000L);

        byte[] forged = request.encoded();
        forged[forged.length - 1] ^= 1; // the signature's last byte
        Path forgedFile = Files.writeString(directory.resolve("forged"), Base64.getEncoder().encodeToString(forged));
        assertThat(run("certify-user", "--ca", ca.toString(), "--password-file", userCaPassword.toString(),
            "--request", forgedFile.toString(), "--out", directory.resolve("never").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not signed by the signing key it asks to certify");
        assertThat(directory.resolve("never")).doesNotExist();
    }
}
