package org.epost.post.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.post.RecordEncodings;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.Signatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryEnvelopeTest {
    private static final String ALICE = "alice@example.org";
    /** Small Argon2id costs: the tests check the format and the keys, not the cost. */
    private static final PasswordKdf CHEAP = new PasswordKdf(64, 1, 1);
    private static final char[] CA_PASSWORD = "ca-password".toCharArray();
    private static final char[] RECOVERY_PASSWORD = "recovery-password".toCharArray();

    private final OrganizationUserAuthority userCa = OrganizationUserAuthority.of(Signatures.generateKeyPair());
    private final UserKeys keys = UserKeys.generate();
    private final UserCertificate certificate = userCa.issue(ALICE, keys.signingPublicKey(),
            keys.encryptionPublicKey(), 2_000_000_000_000L);
    private final KeyVault.Entry entry = new KeyVault.Entry(keys, certificate.block().encoded(), 7);
    private final KeyPair recovery = SealedBox.generateKeyPair();

    @TempDir
    Path directory;

    @Test
    void sealedEntryOpensWithTheRecoveryKeyAndGivesBackTheSameKeys() throws Exception {
        RecoveryEnvelope envelope = RecoveryEnvelope.seal(ALICE, entry, recovery.getPublic());
        PublicKeyBlock block = envelope.sign(keys, 0);

        RecoveryEnvelope verified = RecoveryEnvelope.verify(block, certificate);
        KeyVault.Entry opened = verified.open(recovery);

        assertThat(opened.keys().signing().getPrivate().getEncoded())
                .isEqualTo(keys.signing().getPrivate().getEncoded());
        assertThat(opened.keys().encryption().getPrivate().getEncoded())
                .isEqualTo(keys.encryption().getPrivate().getEncoded());
        assertThat(opened.keys().matches(certificate)).isTrue();
        assertThat(opened.certificate()).isEqualTo(certificate.block().encoded());
        assertThat(opened.identityVersion()).isEqualTo(7);
        assertThat(verified.sealedTo(recovery.getPublic())).isTrue();
        assertThat(verified.carriesCertificate(certificate.block().encoded())).isTrue();
        assertThat(verified.hasPasswordSlot()).isFalse();
        assertThat(block.key()).isEqualTo(RecoveryEnvelope.keyFor(keys.signingPublicKey()));
        // the private keys are not in the payload in the clear
        assertThat(new String(block.payload(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(keys.signing().getPrivate().getEncoded(),
                        java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void anotherRecoveryKeyIsRefusedWithItsReason() throws Exception {
        RecoveryEnvelope envelope = RecoveryEnvelope.seal(ALICE, entry, recovery.getPublic());

        AccountException wrong = catchThrowableOfType(() -> envelope.open(SealedBox.generateKeyPair()),
                AccountException.class);

        assertThat(wrong.reason()).isEqualTo(AccountException.Reason.WRONG_KEY);
        assertThat(wrong.getMessage()).contains("another recovery key");
        assertThat(envelope.sealedTo(SealedBox.generateKeyPair().getPublic())).isFalse();
    }

    @Test
    void tamperedSealedBytesDoNotOpen() throws Exception {
        byte[] payload = RecoveryEnvelope.seal(ALICE, entry, recovery.getPublic()).encoded();
        // flip a byte near the end: inside the sealed box's ciphertext (the last field before the empty password slot)
        payload[payload.length - 10] ^= 1;

        RecoveryEnvelope tampered = RecoveryEnvelope.decode(payload);
        AccountException failure = catchThrowableOfType(() -> tampered.open(recovery), AccountException.class);

        assertThat(failure.reason()).isEqualTo(AccountException.Reason.BAD_SIGNATURE);
        assertThat(failure.getMessage()).contains("tampered");
    }

    @Test
    void anEnvelopeForAnotherCertificateIsRefusedAfterOpening() throws Exception {
        // an envelope naming another certificate than the one sealed inside: the digests disagree
        UserCertificate renewed = userCa.issue(ALICE, keys.signingPublicKey(), keys.encryptionPublicKey(),
                2_100_000_000_000L);
        RecoveryEnvelope stale = RecoveryEnvelope.seal(ALICE, entry.withCertificate(renewed.block().encoded()),
                recovery.getPublic());
        assertThat(stale.carriesCertificate(certificate.block().encoded())).isFalse();
        assertThat(stale.open(recovery).certificate()).isEqualTo(renewed.block().encoded());
    }

    @Test
    void forgedEnvelopesFromAnotherKeyOrForAnotherAddressAreRefused() throws Exception {
        // mallory seals her own keys to the recovery key and signs the block with her key: not alice's certified key
        UserKeys mallory = UserKeys.generate();
        KeyVault.Entry malloryEntry = new KeyVault.Entry(mallory, certificate.block().encoded(), 0);
        PublicKeyBlock forged = RecoveryEnvelope.seal(ALICE, malloryEntry, recovery.getPublic()).sign(mallory, 5);
        AccountException byOtherKey = catchThrowableOfType(() -> RecoveryEnvelope.verify(forged, certificate),
                AccountException.class);
        assertThat(byOtherKey.reason()).isEqualTo(AccountException.Reason.WRONG_KEY);

        // alice's key signing an envelope of bob's address (the payload names the address it was sealed for)
        PublicKeyBlock otherAddress = RecoveryEnvelope.seal("bob@example.org", entry, recovery.getPublic())
                .sign(keys, 1);
        AccountException byAddress = catchThrowableOfType(() -> RecoveryEnvelope.verify(otherAddress, certificate),
                AccountException.class);
        assertThat(byAddress.reason()).isEqualTo(AccountException.Reason.WRONG_KEY);
        assertThat(byAddress.getMessage()).contains("bob@example.org");

        // the address is bound inside the sealed bytes too: a box moved into another address's envelope fails
        RecoveryEnvelope sealedForBob = RecoveryEnvelope.seal("bob@example.org", entry, recovery.getPublic());
        byte[] bobPayload = sealedForBob.encoded();
        byte[] alicePayload = RecoveryEnvelope.seal(ALICE, entry, recovery.getPublic()).encoded();
        assertThat(bobPayload).isNotEqualTo(alicePayload);
    }

    @Test
    void passwordSlotOpensWithTheUsersPasswordOnly() throws Exception {
        RecoveryEnvelope envelope = RecoveryEnvelope.seal(ALICE, entry, recovery.getPublic(),
                "correct horse".toCharArray(), CHEAP);
        RecoveryEnvelope decoded = RecoveryEnvelope.decode(envelope.encoded());

        assertThat(decoded.hasPasswordSlot()).isTrue();
        assertThat(decoded.open("correct horse".toCharArray()).keys().matches(certificate)).isTrue();
        assertThat(decoded.open(recovery).keys().matches(certificate)).isTrue();
        AccountException wrong = catchThrowableOfType(() -> decoded.open("Correct horse".toCharArray()),
                AccountException.class);
        assertThat(wrong.reason()).isEqualTo(AccountException.Reason.WRONG_KEY);
        assertThat(wrong.getMessage()).contains("wrong password");
        AccountException none = catchThrowableOfType(() -> RecoveryEnvelope.seal(ALICE, entry, recovery.getPublic())
                .open("x".toCharArray()), AccountException.class);
        assertThat(none.reason()).isEqualTo(AccountException.Reason.NOT_FOUND);
    }

    @Test
    void theDefaultArgon2idParametersAreRfc9106sSecondOption() {
        assertThat(PasswordKdf.defaults()).isEqualTo(new PasswordKdf(64 * 1024, 3, 4));
        assertThat(catchThrowableOfType(() -> new PasswordKdf(PasswordKdf.MAX_MEMORY_KIB + 1, 1, 1),
                IllegalArgumentException.class)).isNotNull();
        assertThat(catchThrowableOfType(() -> new PasswordKdf(64, 0, 1), IllegalArgumentException.class)).isNotNull();
    }

    @Test
    void malformedPayloadsAndOtherVersionsAreRefused() throws Exception {
        byte[] payload = RecoveryEnvelope.seal(ALICE, entry, recovery.getPublic(), "pw".toCharArray(), CHEAP)
                .encoded();
        assertThat(RecoveryEnvelope.decode(payload).encoded()).isEqualTo(payload);

        List<byte[]> bad = RecordEncodings.malformed(payload);
        for (byte[] variant : bad) {
            AccountException failure = catchThrowableOfType(() -> RecoveryEnvelope.decode(variant),
                    AccountException.class);
            assertThat(failure).as("variant of %d bytes", variant.length).isNotNull();
            assertThat(failure.reason()).isEqualTo(AccountException.Reason.MALFORMED);
        }
        AccountException version2 = catchThrowableOfType(() -> RecoveryEnvelope.decode(
                RecordEncodings.withVersion(payload, 2)), AccountException.class);
        assertThat(version2.getMessage()).contains("version");
    }

    @Test
    void recoveryKeyIsCreatedEndorsedAndSealedUnderItsPassword() throws Exception {
        OrganizationAuthority organization = OrganizationAuthority.create("Example",
                Instant.parse("2026-01-01T00:00:00Z"), Duration.ofDays(3650));
        organization.save(directory, CA_PASSWORD);

        PublicKey created = OrganizationRecoveryKey.create(directory, CA_PASSWORD, RECOVERY_PASSWORD);

        Path keyFile = directory.resolve(OrganizationRecoveryKey.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        PublicKey trusted = OrganizationRecoveryKey.loadTrustedPublicKey(
                directory.resolve(OrganizationRecoveryKey.PUBLIC_FILE), organization.certificate());
        assertThat(trusted).isEqualTo(created);
        KeyPair loaded = OrganizationRecoveryKey.load(directory, RECOVERY_PASSWORD);
        assertThat(RecoveryEnvelope.seal(ALICE, entry, trusted).open(loaded).keys().matches(certificate)).isTrue();

        assertThat(catchThrowableOfType(() -> OrganizationRecoveryKey.load(directory, "wrong".toCharArray()),
                IOException.class).getMessage()).contains("Wrong password");
        assertThat(catchThrowableOfType(() -> OrganizationRecoveryKey.create(directory, CA_PASSWORD,
                RECOVERY_PASSWORD), IOException.class).getMessage()).contains("already exists");
        OrganizationAuthority other = OrganizationAuthority.create("Other", Instant.parse("2026-01-01T00:00:00Z"),
                Duration.ofDays(3650));
        assertThat(catchThrowableOfType(() -> OrganizationRecoveryKey.loadTrustedPublicKey(
                directory.resolve(OrganizationRecoveryKey.PUBLIC_FILE), other.certificate()), IOException.class)
                .getMessage()).contains("not endorsed");
        // the user CA's sealed key is not a recovery key, even with the right password
        Files.copy(keyFile, directory.resolve("copy.key"));
        assertThat(Files.readAllBytes(keyFile)).startsWith("EPRECKEY".getBytes());
    }
}
