package org.epost.peer.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.config.PostSettings;
import org.epost.post.spool.SealedSpoolBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool keys of a peer with and without {@code post.domains}, on a real data directory. */
class SpoolKeysTest {
    private static final byte[] MAIL = "mail".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dataDirectory;

    @Test
    void aPeerWithoutDomainsCreatesItsSecretOnceOwnerOnlyAndKeepsIt() throws Exception {
        SpoolKeys first = SpoolKeys.of(relay());
        Path file = dataDirectory.resolve(SpoolKeys.SECRET_FILE);
        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        SealedSpoolBody sealed = SealedSpoolBody.seal(first.sealing(), MAIL);

        SpoolKeys restarted = SpoolKeys.of(relay());
        assertThat(restarted.sealing()).isEqualTo(first.sealing());
        assertThat(restarted.open(sealed)).contains(MAIL);
    }

    @Test
    void aPeerWithDomainsSealsUnderItsVaultKeyAndStillOpensWhatItSpooledWithout() {
        SealedSpoolBody before = SealedSpoolBody.seal(SpoolKeys.of(relay()).sealing(), MAIL);
        SpoolKeys withDomains = SpoolKeys.of(peer("secret-one-of-32-bytes-or-more-....."));
        assertThat(withDomains.sealing()).isEqualTo(SealedSpoolBody.spoolKey(
            "secret-one-of-32-bytes-or-more-.....".getBytes(StandardCharsets.US_ASCII)));
        assertThat(withDomains.open(before)).contains(MAIL);
    }

    @Test
    void mailSealedUnderAKeyThePeerNoLongerHasDoesNotOpen() {
        SealedSpoolBody sealed = SealedSpoolBody.seal(SpoolKeys.of(peer("secret-one-of-32-bytes-or-more-.....")).sealing(), MAIL);
        assertThat(SpoolKeys.of(peer("secret-two-of-32-bytes-or-more-.....")).open(sealed)).isEmpty();
        assertThat(SpoolKeys.of(relay()).open(sealed)).isEmpty();
        assertThat(Files.exists(dataDirectory.resolve(SpoolKeys.SECRET_FILE)))
            .as("a secret file made by the relay configuration only").isTrue();
    }

    @Test
    void aTruncatedSecretFileIsRefusedWithItsName() throws Exception {
        Files.write(dataDirectory.resolve(SpoolKeys.SECRET_FILE), new byte[7]);
        assertThatThrownBy(() -> SpoolKeys.of(relay())).isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining(SpoolKeys.SECRET_FILE).hasStackTraceContaining("holds 7 bytes");
    }

    private EpostConfiguration relay() {
        return new EpostConfiguration("relay", dataDirectory, Optional.empty());
    }

    private EpostConfiguration peer(String vaultSecret) {
        return new EpostConfiguration("peer", dataDirectory, Optional.empty(), Optional.of(new PostSettings(
            Set.of("epost.test"), dataDirectory.resolve("authority"), new char[0],
            vaultSecret.getBytes(StandardCharsets.US_ASCII))));
    }
}
