package org.epost.post.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyVaultTest {
    @TempDir
    Path directory;

    @Test
    void entriesSurviveReopenAndRevealNothingOnDisk() throws Exception {
        KeyVault vault = AccountTesting.vault(directory, 1);
        UserKeys keys = UserKeys.generate();
        vault.store("alice@example.org", new KeyVault.Entry(keys, new byte[] {1, 2, 3}, 4));

        KeyVault reopened = AccountTesting.vault(directory, 1);
        KeyVault.Entry loaded = reopened.load("ALICE@example.org").orElseThrow();
        assertThat(loaded.keys().signing().getPrivate()).isEqualTo(keys.signing().getPrivate());
        assertThat(loaded.keys().encryption().getPrivate()).isEqualTo(keys.encryption().getPrivate());
        assertThat(loaded.keys().signingPublicKey()).isEqualTo(keys.signingPublicKey());
        assertThat(loaded.certificate()).containsExactly(1, 2, 3);
        assertThat(loaded.identityVersion()).isEqualTo(4);
        assertThat(reopened.load("bob@example.org")).isEmpty();

        Path file = reopened.fileOf("alice@example.org");
        assertThat(file.getFileName().toString()).doesNotContain("alice");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        byte[] onDisk = Files.readAllBytes(file);
        assertThat(new String(onDisk, StandardCharsets.ISO_8859_1)).doesNotContain("alice");
        assertThat(contains(onDisk, rawKey(keys.signing().getPrivate().getEncoded()))).isFalse();
        assertThat(contains(onDisk, rawKey(keys.encryption().getPrivate().getEncoded()))).isFalse();
        try (var listing = Files.list(directory)) {
            assertThat(listing.filter(p -> p.getFileName().toString().contains(".tmp"))).isEmpty();
        }

        assertThat(reopened.delete("alice@example.org")).isTrue();
        assertThat(reopened.load("alice@example.org")).isEmpty();
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void wrongSecretIsRefusedAtOpen() throws Exception {
        AccountTesting.vault(directory, 1).store("alice@example.org", new KeyVault.Entry(UserKeys.generate(), null, -1));
        KeyVaultException refused = catchThrowableOfType(() -> AccountTesting.vault(directory, 2),
                KeyVaultException.class);
        assertThat(refused.kind()).isEqualTo(KeyVaultException.Kind.WRONG_SECRET);
    }

    @Test
    void tamperedOrSwappedEntriesAreRefused() throws Exception {
        KeyVault vault = AccountTesting.vault(directory, 1);
        vault.store("alice@example.org", new KeyVault.Entry(UserKeys.generate(), null, -1));
        vault.store("bob@example.org", new KeyVault.Entry(UserKeys.generate(), null, -1));
        Path alice = vault.fileOf("alice@example.org");
        Path bob = vault.fileOf("bob@example.org");

        // bob's (valid) entry copied over alice's file: it authenticates only as bob's
        Files.copy(bob, alice, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(catchThrowableOfType(() -> vault.load("alice@example.org"), KeyVaultException.class).kind())
                .isEqualTo(KeyVaultException.Kind.TAMPERED);

        byte[] bytes = Files.readAllBytes(bob);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(bob, bytes);
        KeyVaultException flipped = catchThrowableOfType(() -> vault.load("bob@example.org"), KeyVaultException.class);
        assertThat(flipped.kind()).isEqualTo(KeyVaultException.Kind.TAMPERED);
        assertThat(flipped.getMessage()).contains("do not authenticate");

        Files.write(bob, Arrays.copyOf(bytes, 10));
        assertThat(catchThrowableOfType(() -> vault.load("bob@example.org"), KeyVaultException.class).kind())
                .isEqualTo(KeyVaultException.Kind.TAMPERED);
    }

    @Test
    void aLoadedEntryIsKeptUntilItsFileChanges() throws Exception {
        KeyVault vault = AccountTesting.vault(directory, 1);
        UserKeys keys = UserKeys.generate();
        vault.store("alice@example.org", new KeyVault.Entry(keys, null, -1));
        KeyVault.Entry first = vault.load("alice@example.org").orElseThrow();
        assertThat(vault.load("alice@example.org").orElseThrow()).isSameAs(first);

        // rewritten in place with the same size: read again, and refused
        Path alice = vault.fileOf("alice@example.org");
        byte[] bytes = Files.readAllBytes(alice);
        bytes[bytes.length / 2] ^= 0x01;
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(alice);
        Files.write(alice, bytes);
        Files.setLastModifiedTime(alice, java.nio.file.attribute.FileTime.fromMillis(modified.toMillis() + 1_000));
        assertThat(catchThrowableOfType(() -> vault.load("alice@example.org"), KeyVaultException.class).kind())
                .isEqualTo(KeyVaultException.Kind.TAMPERED);

        vault.store("alice@example.org", new KeyVault.Entry(keys, null, 7));
        assertThat(vault.load("alice@example.org").orElseThrow().identityVersion()).isEqualTo(7);
        vault.delete("alice@example.org");
        assertThat(vault.load("alice@example.org")).isEmpty();
    }

    @Test
    void shortSecretsAreRefused() {
        assertThat(catchThrowableOfType(() -> KeyVault.open(directory, new byte[16]), IllegalArgumentException.class))
                .isNotNull();
    }

    /** The 32 raw key bytes at the end of a PKCS#8 encoding of an Ed25519/X25519 private key. */
    private static byte[] rawKey(byte[] pkcs8) {
        return Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
