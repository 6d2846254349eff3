package org.epost.mailbox.mail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.epost.overlay.id.Id;
import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.SaltedSeal;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageSkeleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The home peer's skeletons of its users' messages on its own disk, so that a FETCH of headers after a restart reads
 * local files instead of making one DHT lookup per message (a skeleton holds a message's header as a literal
 * segment). Filled when a message is stored or appended here and when a skeleton is fetched.
 *
 * <p>Nothing is kept in plaintext: each file is sealed under a key derived from the message key in the message's
 * reference, which only the owner's folder logs (sealed themselves) hold, and bound to the message's handle; whoever
 * reads the disk without the reference learns a file's size and its content-hash name, as a DHT replica does.
 * Files are written in format 2 ({@link SkeletonSeal}: ChaCha20-Poly1305, one HMAC per file). Format 1 files,
 * {@code "EPSK" | 1 | salt (16 bytes) | ciphertext}, AES-GCM ({@link SaltedSeal}) under
 * {@code HMAC(message key, "epost/skeleton-cache/v1", salt)}, are still read and written again in format 2 when read.
 * A file that does not open, does not decode or does not describe the reference's size is deleted and the skeleton
 * read from the DHT again. A cache: files are written without fsync, losing them only costs lookups. Files of
 * messages no mailbox of the peer holds any longer are deleted by {@link #retainOnly} after each collection of the
 * mailboxes' references.
 */
public final class SealedSkeletonCache {
    private static final Logger LOG = LoggerFactory.getLogger(SealedSkeletonCache.class);
    private static final byte[] MAGIC = SkeletonSeal.MAGIC;
    private static final int FORMAT_1 = 1;
    private static final int PREFIX_BYTES = SkeletonSeal.PREFIX_BYTES;
    /** Format 1 (read only): a fresh key per file (a random salt) from the message key. */
    private static final SaltedSeal SEAL = new SaltedSeal(
        "epost/skeleton-cache/v1".getBytes(StandardCharsets.US_ASCII),
        "epost/skeleton-cache/nonce/v1".getBytes(StandardCharsets.US_ASCII));
    /** Largest skeleton kept (MimeMessageStore's default bound on skeletons is below it). */
    static final int MAX_SKELETON_BYTES = 1 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SUFFIX = ".skeleton";

    private final Path directory;

    public SealedSkeletonCache(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    Path fileOf(MessageReference reference) {
        String hex = reference.top().handle().toHex();
        return directory.resolve(hex.substring(0, 2)).resolve(hex + SUFFIX);
    }

    /** Whether a skeleton of {@code reference} is kept here (not checked). */
    boolean holds(MessageReference reference) {
        return Files.exists(fileOf(reference));
    }

    /** The skeleton of {@code reference} kept here, if any (a bad file is deleted and logged). */
    Optional<MessageSkeleton> get(MessageReference reference) {
        Path file = fileOf(reference);
        byte[] sealed;
        try {
            sealed = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("Cannot read the cached skeleton {}: {}", file, e.getMessage());
            return Optional.empty();
        }
        try {
            boolean current = SkeletonSeal.isFormat2(sealed);
            byte[] encoded = current ? SkeletonSeal.open(reference, sealed) : openFormat1(reference, sealed);
            MessageSkeleton skeleton = MessageSkeleton.decode(encoded, MAX_SKELETON_BYTES);
            long size = skeleton.segments().stream().mapToLong(MessageSkeleton.Segment::size).sum();
            if (size != reference.size()) {
                throw new IllegalArgumentException("describes " + size + " bytes, not " + reference.size());
            }
            if (!current) {
                write(reference, file, encoded);
            }
            return Optional.of(skeleton);
        } catch (CryptoException | RuntimeException e) { // MalformedSkeletonException, a wrong size
            LOG.warn("Cached skeleton {} is unusable ({}): deleted, read from the DHT instead", file, e.getMessage());
            delete(file);
            return Optional.empty();
        }
    }

    /** Keeps {@code skeleton} of {@code reference}; a failure is logged (the DHT still has it). */
    void put(MessageReference reference, MessageSkeleton skeleton) {
        byte[] encoded = skeleton.encode();
        if (encoded.length > MAX_SKELETON_BYTES) {
            return;
        }
        if (holds(reference)) {
            return; // content-addressed: what is there is the same skeleton
        }
        write(reference, fileOf(reference), encoded);
    }

    /** Writes {@code encoded} sealed in format 2 over whatever {@code file} holds; a failure is logged. */
    private void write(MessageReference reference, Path file, byte[] encoded) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + "." + Long.toHexString(RANDOM.nextLong()));
            Files.write(temporary, SkeletonSeal.seal(reference, encoded));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("Cannot cache the skeleton of {}: {}", reference.top().handle(), e.getMessage());
        }
    }

    /**
     * Deletes the files of messages not in {@code live} (the top handles of every message the peer's mailboxes still
     * hold) that were written before {@code writtenBeforeMillis}: a skeleton written while {@code live} was being
     * collected may belong to a message it does not list yet. Returns how many were deleted; a failure is logged.
     */
    public int retainOnly(Set<Id> live, long writtenBeforeMillis) {
        Set<String> kept = new HashSet<>();
        live.forEach(handle -> kept.add(handle.toHex() + SUFFIX));
        int deleted = 0;
        try (Stream<Path> files = Files.walk(directory, 2)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(SUFFIX) && !kept.contains(name)
                        && Files.getLastModifiedTime(file).toMillis() < writtenBeforeMillis) {
                    delete(file);
                    deleted++;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Cannot sweep the skeleton cache {}: {}", directory, e.getMessage());
        }
        return deleted;
    }

    private static byte[] openFormat1(MessageReference reference, byte[] sealed) throws CryptoException {
        if (sealed.length < PREFIX_BYTES || !Arrays.equals(sealed, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || sealed[MAGIC.length] != FORMAT_1) {
            throw new CryptoException("not a sealed skeleton of format 1 or " + SkeletonSeal.FORMAT);
        }
        return SEAL.open(reference.top().key(), sealed, PREFIX_BYTES, reference.top().handle().toBytes());
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", file, e.getMessage());
        }
    }
}
