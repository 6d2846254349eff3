package org.epost.peer.admin;

import static org.assertj.core.api.Assertions.assertThat;

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
    private final AdminConsole admin = new AdminConsole();

    private int run(String... args) {
        return admin.run(args);
    }

    @Test
    void certifyUserIssuesTheCertificateOfTheRequestsAddressAndKeysAndRefusesAForgedRequest(@TempDir Path directory)
            throws Exception {
        Path ca = admin.initAuthority(directory);
        Path userCaPassword = directory.resolve("user-ca.password");
        UserKeys keys = UserKeys.generate();
        CertificationRequest request = CertificationRequest.sign("dave@example.org", keys, System.currentTimeMillis());
        Path requestFile = Files.writeString(directory.resolve("request"),
            Base64.getEncoder().encodeToString(request.encoded()) + "\n");
        Path certificateFile = directory.resolve("certificate");

        assertThat(run("certify-user", "--ca", ca.toString(), "--password-file", userCaPassword.toString(),
            "--request", requestFile.toString(), "--out", certificateFile.toString())).as(admin.err()).isZero();

        assertThat(admin.out()).contains("Certified dave@example.org");
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
        assertThat(admin.err()).contains("not signed by the signing key it asks to certify");
        assertThat(directory.resolve("never")).doesNotExist();
    }
}
