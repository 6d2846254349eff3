package org.epost.post.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import org.epost.overlay.security.OrganizationAuthority;
import org.epost.post.crypto.Signatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrganizationUserAuthorityTest {
    private static final char[] CA_PASSWORD = "ca-password".toCharArray();
    private static final char[] USER_CA_PASSWORD = "user-ca-password".toCharArray();
    private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path directory;

    @Test
    void userCaIsCreatedNextToTheOrganizationCaEndorsedAndSealed() throws Exception {
        OrganizationAuthority organization = OrganizationAuthority.create("Example", NOT_BEFORE, Duration.ofDays(3650));
        organization.save(directory, CA_PASSWORD);

        OrganizationUserAuthority created = OrganizationUserAuthority.loadOrCreate(directory, CA_PASSWORD,
                USER_CA_PASSWORD);
        Path keyFile = directory.resolve(OrganizationUserAuthority.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        OrganizationUserAuthority loaded = OrganizationUserAuthority.loadOrCreate(directory, CA_PASSWORD,
                USER_CA_PASSWORD);
        assertThat(loaded.publicKey()).isEqualTo(created.publicKey());

        // a certificate issued by the loaded authority verifies with the endorsed public key peers load
        var trusted = OrganizationUserAuthority.loadTrustedPublicKey(
                directory.resolve(OrganizationUserAuthority.PUBLIC_FILE), organization.certificate());
        assertThat(trusted).isEqualTo(created.publicKey());
        UserKeys keys = UserKeys.generate();
        UserCertificate certificate = loaded.issue("alice@example.org", keys.signingPublicKey(),
                keys.encryptionPublicKey(), 2_000_000_000_000L);
        assertThat(UserCertificate.verify(certificate.block(), "alice@example.org", trusted, () -> 1_900_000_000_000L,
                0).signingKey()).isEqualTo(keys.signingPublicKey());

        assertThat(catchThrowableOfType(() -> OrganizationUserAuthority.load(directory, "wrong".toCharArray()),
                IOException.class).getMessage()).contains("Wrong password");
        assertThat(catchThrowableOfType(() -> OrganizationUserAuthority.create(directory, CA_PASSWORD,
                USER_CA_PASSWORD), IOException.class).getMessage()).contains("already exists");

        // another organization's CA did not endorse this user CA
        OrganizationAuthority other = OrganizationAuthority.create("Other", NOT_BEFORE, Duration.ofDays(3650));
        assertThat(catchThrowableOfType(() -> OrganizationUserAuthority.loadTrustedPublicKey(
                directory.resolve(OrganizationUserAuthority.PUBLIC_FILE), other.certificate()), IOException.class)
                .getMessage()).contains("not endorsed");

        byte[] sealed = Files.readAllBytes(keyFile);
        sealed[sealed.length - 5] ^= 0x10;
        Files.write(keyFile, sealed);
        assertThat(catchThrowableOfType(() -> OrganizationUserAuthority.load(directory, USER_CA_PASSWORD),
                IOException.class)).isNotNull();
    }

    @Test
    void creatingNeedsTheOrganizationCa() {
        assertThat(catchThrowableOfType(() -> OrganizationUserAuthority.create(directory, CA_PASSWORD,
                USER_CA_PASSWORD), IOException.class)).isNotNull();
        assertThat(Files.exists(directory.resolve(OrganizationUserAuthority.KEY_FILE))).isFalse();
        assertThat(OrganizationUserAuthority.of(Signatures.generateKeyPair()).publicKey().getAlgorithm())
                .isIn("Ed25519", "EdDSA");
    }
}
