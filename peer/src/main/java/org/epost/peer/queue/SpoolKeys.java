package org.epost.peer.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.config.PostSettings;
import org.epost.post.accounts.KeyVault;
import org.epost.post.crypto.CryptoException;
import org.epost.post.spool.SealedSpoolBody;

/**
 * The keys this peer's spool is sealed and opened with. Every peer seals its spool: a peer of ePOST domains under the
 * key derived from {@code post.vault.secret}; a peer without {@code post.domains} (a plain James relay, no vault
 * secret) under a key derived the same way from a random secret kept in {@code data.dir/spool.secret}, created once
 * (mode 0600, fsynced with its directory). A random file rather than the node credentials' private key: a peer
 * without domains may run no overlay and so hold no node credentials, and node credentials are renewed, which would
 * strand the mail spooled before. The file sits on the same disk as the journal, so it protects what leaves without
 * it (a copy of the journal, its deleted segments in free blocks), as the vault secret protects what leaves without
 * the configuration.
 *
 * <p>Mail is sealed under the first key; opening tries every key, so mail spooled before {@code post.domains} was
 * configured (under the file's key, still read if present) opens afterwards. Mail sealed under a key this peer no
 * longer has (vault secret changed or removed) is refused with an error naming that cause.
 */
final class SpoolKeys {
    static final String SECRET_FILE = "spool.secret";
    private static final int SECRET_BYTES = 32;

    private final List<byte[]> keys;

    private SpoolKeys(List<byte[]> keys) {
        this.keys = List.copyOf(keys);
    }

    static SpoolKeys of(EpostConfiguration configuration) {
        List<byte[]> keys = new ArrayList<>();
        configuration.post().map(PostSettings::vaultSecret).map(SealedSpoolBody::spoolKey).ifPresent(keys::add);
        Path file = configuration.dataDirectory().resolve(SECRET_FILE);
        try {
            if (keys.isEmpty()) {
                keys.add(SealedSpoolBody.spoolKey(fileSecret(configuration.dataDirectory())));
            } else if (Files.exists(file)) {
                keys.add(SealedSpoolBody.spoolKey(read(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the spool secret " + file, e);
        }
        return new SpoolKeys(keys);
    }

    /** The key new mail is sealed under. */
    byte[] sealing() {
        return keys.get(0).clone();
    }

    private static byte[] fileSecret(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(SECRET_FILE);
        if (!Files.exists(file)) {
            Files.createDirectories(dataDirectory);
            byte[] secret = new byte[SECRET_BYTES];
            new SecureRandom().nextBytes(secret);
            KeyVault.writeAtomically(dataDirectory, SECRET_FILE, secret, false);
        }
        return read(file);
    }

    private static byte[] read(Path file) throws IOException {
        byte[] secret = Files.readAllBytes(file);
        if (secret.length != SECRET_BYTES) {
            throw new IOException(file + " holds " + secret.length + " bytes, not the " + SECRET_BYTES
                + " of a spool secret: restore it from a backup (mail spooled under it cannot be opened otherwise)");
        }
        return secret;
    }

    /** The plaintext, opened with whichever of this peer's keys sealed it; empty when none did or it was altered. */
    Optional<byte[]> open(SealedSpoolBody sealed) {
        for (byte[] key : keys) {
            try {
                return Optional.of(sealed.open(key));
            } catch (CryptoException e) {
                // sealed under another of this peer's keys, or altered: try the next
            }
        }
        return Optional.empty();
    }
}
