package org.epost.peer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.post.accounts.KeyVault;
import org.epost.post.accounts.OrganizationRecoveryKey;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.RecoveryEnvelope;
import org.epost.post.accounts.RehomeTransfer;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.epost.post.crypto.SealedBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** epost-admin recovery-key-init and recover-user, as the admin runs them offline. */
class RecoveryCommandsTest {
    private final AdminConsole admin = new AdminConsole();

    private int run(String... args) {
        return admin.run(args);
    }

    @Test
    void recoverUserSealsTheUsersKeysToTheRequestingPeerOnly(@TempDir Path directory) throws Exception {
        Path ca = admin.initAuthority(directory);
        Path caPassword = directory.resolve("ca.password");
        Path recoveryPassword = Files.writeString(directory.resolve("recovery.password"), "recovery-secret\n");
        Path wrongPassword = Files.writeString(directory.resolve("wrong.password"), "not it\n");
        assertThat(run("recovery-key-init", "--ca", ca.toString(), "--ca-password-file", caPassword.toString(),
            "--password-file", recoveryPassword.toString())).isZero();
        assertThat(admin.out()).contains("Created the recovery key");
        assertThat(run("recovery-key-init", "--ca", ca.toString(), "--ca-password-file", caPassword.toString(),
            "--password-file", recoveryPassword.toString())).as("never overwritten").isEqualTo(1);

        // what a home peer sealed for bob, and what the new home (peer3) asks for
        OrganizationAuthority authority = OrganizationAuthority.load(ca, "ca-secret".toCharArray());
        OrganizationUserAuthority userCa = OrganizationUserAuthority.load(ca, "user-ca-secret".toCharArray());
        UserKeys keys = UserKeys.generate();
        UserCertificate certificate = userCa.issue("bob@example.org", keys.signingPublicKey(),
            keys.encryptionPublicKey(), 2_000_000_000_000L);
        RecoveryEnvelope envelope = RecoveryEnvelope.seal("bob@example.org",
            new KeyVault.Entry(keys, certificate.block().encoded(), 2),
            OrganizationRecoveryKey.loadTrustedPublicKey(ca.resolve(OrganizationRecoveryKey.PUBLIC_FILE),
                authority.certificate()));
        NodeCredentials peer3 = authority.issueNodeCredentials("peer3", Instant.now().minusSeconds(60),
            Duration.ofDays(1));
        KeyPair transport = SealedBox.generateKeyPair();
        Path request = Files.writeString(directory.resolve("request"), Base64.getEncoder().encodeToString(
            RehomeTransfer.request(envelope, transport.getPublic(), peer3.certificate(), peer3.privateKey())));
        Path keysFile = directory.resolve("keys");

        assertThat(run("recover-user", "--ca", ca.toString(), "--password-file", wrongPassword.toString(),
            "--request", request.toString(), "--out", keysFile.toString())).isEqualTo(1);
        assertThat(admin.err()).contains("Wrong password");
        assertThat(keysFile).doesNotExist();

        assertThat(run("recover-user", "--ca", ca.toString(), "--password-file", recoveryPassword.toString(),
            "--request", request.toString(), "--out", keysFile.toString())).isZero();
        assertThat(admin.out()).contains("Sealed the keys of bob@example.org");

        KeyVault.Entry opened = RehomeTransfer.openKeys(Base64.getDecoder().decode(Files.readString(keysFile).trim()),
            "bob@example.org", transport);
        assertThat(opened.keys().matches(certificate)).isTrue();
        assertThat(Files.readString(keysFile)).doesNotContain(
            Base64.getEncoder().encodeToString(keys.signing().getPrivate().getEncoded()));
    }
}
