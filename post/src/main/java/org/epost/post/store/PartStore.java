package org.epost.post.store;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.post.blocks.BlockService;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.SegmentedAead;

/**
 * POST's secure single-copy store of MIME parts (DESIGN.md sections 4-5) over a {@link BlockService}.
 *
 * <ul>
 *   <li>A part of at least {@link PartStoreConfig#smallPartThreshold()} bytes is encrypted convergently: key K =
 *       {@link ConvergentCipher#keyFor} (H(part), optionally keyed by the organization's secret), ciphertext C =
 *       E_K(part), deterministic (segmented AES-256-GCM, nonces derived from K). Identical parts from any sender give
 *       identical blocks, which PAST stores once (on k replicas).</li>
 *   <li>If C fits in one block it is the part's only block (layout SINGLE, handle H(C)). Otherwise C is cut into
 *       chunks of {@link PartStoreConfig#chunkBytes()} (each a content-hash block) listed in a {@link Manifest},
 *       itself a content-hash block encrypted under a key derived from K (layout MANIFEST, handle H(manifest
 *       ciphertext)). Holders see only ciphertext and learn neither the part nor which chunks belong together.</li>
 *   <li>A smaller part is padded with random bytes to the threshold and encrypted under a fresh random key: no dedup,
 *       so nobody can confirm a guess of a short part by computing its handle.</li>
 * </ul>
 *
 * Chunks are inserted, fetched and lease-extended in parallel, at most {@link PartStoreConfig#maxChunksInFlight()}
 * at a time; the top block is inserted last, once every chunk is on its replicas. Nothing blocks a thread: work runs
 * on the threads that complete the block service's futures.
 *
 * <p>Failures complete the futures exceptionally with a {@link PartStoreException} naming the block at fault:
 * {@link PartInsertException} (FULL, TIMEOUT, REJECTED), {@link PartUnavailableException} (no replica), or
 * {@link CorruptPartException} (found but not what the reference promises). Wrong data is never returned.
 */
public final class PartStore {
    private final BlockService blocks;
    private final ConvergentCipher cipher;
    private final PartStoreConfig config;
    private final SecureRandom random;
    /** How many times a block of a streamed part is inserted when PAST answers TIMEOUT: 3. */
    static final int STREAMED_INSERT_ATTEMPTS = 3;

    /** Parts stored or fetched moments ago, whose insert a new store of the same part skips; null for none. */
    private final RecentParts recent;

    public PartStore(BlockService blocks, ConvergentCipher cipher) {
        this(blocks, cipher, PartStoreConfig.defaults(), new SecureRandom());
    }

    public PartStore(BlockService blocks, ConvergentCipher cipher, PartStoreConfig config, SecureRandom random) {
        this(blocks, cipher, config, random, null);
    }

    /**
     * @param recent where parts this store stored or fetched are remembered, so that storing one of them again
     *               moments later inserts nothing; null to insert every time
     */
    public PartStore(BlockService blocks, ConvergentCipher cipher, PartStoreConfig config, SecureRandom random,
                     RecentParts recent) {
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        this.recent = recent;
    }

    public PartStoreConfig config() {
        return config;
    }

    // ================================================================ encode

    /** Encrypts {@code part} and lays it out in blocks, without storing anything. */
    public EncryptedPart encrypt(byte[] part) {
        Objects.requireNonNull(part, "part");
        if (part.length > config.maxPartBytes()) {
            throw new IllegalArgumentException("part of " + part.length + " bytes exceeds this store's limit of "
                + config.maxPartBytes());
        }
        if (part.length < config.smallPartThreshold()) {
            byte[] key = new byte[SegmentedAead.KEY_BYTES];
            random.nextBytes(key);
            byte[] padding = new byte[config.smallPartThreshold() - part.length];
            random.nextBytes(padding);
            byte[] padded = Arrays.copyOf(part, config.smallPartThreshold());
            System.arraycopy(padding, 0, padded, part.length, padding.length);
            ContentHashBlock block = ContentHashBlock.of(cipher.encrypt(key, padded));
            return EncryptedPart.single(
                new PartReference(block.handle(), key, part.length, PartReference.Layout.SINGLE, true), block);
        }
        byte[] key = cipher.keyFor(part);
        byte[] ciphertext = cipher.encrypt(key, part);
        if (ciphertext.length <= config.maxBlockBytes()) {
            ContentHashBlock block = ContentHashBlock.of(ciphertext);
            return EncryptedPart.single(
                new PartReference(block.handle(), key, part.length, PartReference.Layout.SINGLE, false), block);
        }
        int chunkBytes = config.chunkBytes();
        List<Manifest.Chunk> chunks = new ArrayList<>(ciphertext.length / chunkBytes + 1);
        for (int offset = 0; offset < ciphertext.length; offset += chunkBytes) {
            int length = Math.min(chunkBytes, ciphertext.length - offset);
            Id handle = ContentHashBlock.handleFor(Arrays.copyOfRange(ciphertext, offset, offset + length));
            chunks.add(new Manifest.Chunk(handle, length));
        }
        Manifest manifest = new Manifest(part.length, chunks);
        ContentHashBlock top = ContentHashBlock.of(cipher.encrypt(Manifest.keyFor(key), manifest.encode()));
        PartReference reference = new PartReference(top.handle(), key, part.length, PartReference.Layout.MANIFEST,
            false);
        return EncryptedPart.chunked(reference, top, ciphertext, manifest);
    }

    // ================================================================ store

    /**
     * Encrypts and stores {@code part} with a lease until {@code leaseExpiryMillis}; completes with its reference
     * once every block is on its replicas, or with a {@link PartInsertException}. A convergent part this store
     * stored or fetched moments ago ({@link RecentParts}) is not inserted again: its blocks are on their replicas.
     */
    public CompletableFuture<PartReference> store(byte[] part, long leaseExpiryMillis) {
        EncryptedPart encrypted;
        try {
            if (recent != null && part.length >= config.smallPartThreshold() && part.length <= config.maxPartBytes()) {
                Optional<PartReference> known = recent.find(cipher.keyFor(part), part.length);
                if (known.isPresent()) {
                    return CompletableFuture.completedFuture(known.get());
                }
            }
            encrypted = encrypt(part);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return store(encrypted, leaseExpiryMillis);
    }

    /**
     * Stores the part {@code [from, from + length)} of {@code source} like {@link #store(byte[], long)} (the same
     * blocks, the same reference) without holding the part in the heap when it spans several chunks: one pass hashes
     * it for its convergent key, a second one reads, encrypts and inserts it chunk by chunk, at most
     * {@link PartStoreConfig#maxChunksInFlight()} at a time. A part in memory already, or that fits in one block, goes
     * the way of {@link #store(byte[], long)}. The reading and encrypting run on the common pool, never on the thread
     * that completed an insert (the overlay's).
     */
    public CompletableFuture<PartReference> store(RandomAccessBytes source, long from, long length,
                                                  long leaseExpiryMillis) {
        if (length > config.maxPartBytes()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("part of " + length
                + " bytes exceeds this store's limit of " + config.maxPartBytes()));
        }
        if (source.array().isPresent()) {
            return store(source.read(from, (int) length), leaseExpiryMillis);
        }
        if (length < config.smallPartThreshold() || SegmentedAead.ciphertextLength(length) <= config.maxBlockBytes()) {
            return CompletableFuture.supplyAsync(() -> source.read(from, (int) length))
                .thenCompose(part -> store(part, leaseExpiryMillis));
        }
        return CompletableFuture.supplyAsync(() -> {
            try (java.io.InputStream in = source.stream(from, length)) {
                return cipher.keyFor(in);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).thenCompose(key -> {
            Optional<PartReference> known = recent == null ? Optional.empty() : recent.find(key, length);
            return known.isPresent() ? CompletableFuture.completedFuture(known.get())
                : storeChunked(new ChunkedSource(source, from, length, key, config.chunkBytes()), leaseExpiryMillis);
        });
    }

    private CompletableFuture<PartReference> storeChunked(ChunkedSource part, long leaseExpiryMillis) {
        Manifest.Chunk[] chunks = new Manifest.Chunk[part.chunkCount()];
        return BoundedParallel.run(chunks.length, config.maxChunksInFlight(), index ->
                CompletableFuture.supplyAsync(() -> ContentHashBlock.of(cipher.encryptSegments(part.key(),
                        part.plaintext(index), part.firstSegment(index), part.totalSegments())))
                    .thenCompose(block -> {
                        chunks[index] = new Manifest.Chunk(block.handle(), block.content().length);
                        return insertPatiently(block, leaseExpiryMillis, 1);
                    }))
            .thenCompose(ignored -> {
                Manifest manifest = new Manifest(part.length(), List.of(chunks));
                ContentHashBlock top = ContentHashBlock.of(cipher.encrypt(Manifest.keyFor(part.key()),
                    manifest.encode()));
                PartReference reference = new PartReference(top.handle(), part.key(), part.length(),
                    PartReference.Layout.MANIFEST, false);
                return insertPatiently(top, leaseExpiryMillis, 1).thenApply(done -> {
                    if (recent != null) {
                        recent.remember(reference);
                    }
                    return reference;
                });
            });
    }

    /** Stores an encrypted part: its chunks (bounded parallel), then its top block. */
    public CompletableFuture<PartReference> store(EncryptedPart part, long leaseExpiryMillis) {
        return BoundedParallel.run(part.chunkCount(), config.maxChunksInFlight(),
                index -> insert(part.chunk(index), leaseExpiryMillis))
            .thenCompose(ignored -> insert(part.topBlock(), leaseExpiryMillis))
            .thenApply(ignored -> {
                if (recent != null) {
                    recent.remember(part.reference());
                }
                return part.reference();
            });
    }

    /**
     * Inserts a block of a part streamed from its source, again when PAST answers that its holders did not answer in
     * time, up to {@link #STREAMED_INSERT_ATTEMPTS} attempts: on a loaded ring one chunk of a 40 MiB message timing
     * out would otherwise fail the whole message, and its sender would send all of it again. Inserting a
     * content-hash block again is harmless (the same bytes under the same key); any other failure is final at once.
     */
    private CompletableFuture<Void> insertPatiently(ContentHashBlock block, long leaseExpiryMillis, int attempt) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        insert(block, leaseExpiryMillis).whenComplete((ok, error) -> {
            if (error == null) {
                done.complete(null);
            } else if (attempt < STREAMED_INSERT_ATTEMPTS && timedOut(unwrap(error))) {
                insertPatiently(block, leaseExpiryMillis, attempt + 1).whenComplete((again, failure) -> {
                    if (failure == null) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(unwrap(failure));
                    }
                });
            } else {
                done.completeExceptionally(unwrap(error));
            }
        });
        return done;
    }

    private static boolean timedOut(Throwable error) {
        return error instanceof PartInsertException insert
            && insert.status().equals(Optional.of(InsertResult.Status.TIMEOUT));
    }

    private CompletableFuture<Void> insert(ContentHashBlock block, long leaseExpiryMillis) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        blocks.insert(block, leaseExpiryMillis).whenComplete((result, error) -> {
            if (error != null) {
                done.completeExceptionally(new PartInsertException(block.handle(), unwrap(error)));
            } else if (!result.isSuccess()) {
                done.completeExceptionally(new PartInsertException(block.handle(), result.status(), result.detail()));
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    // ================================================================ fetch

    /** Fetches, verifies and decrypts the part {@code reference} names: exactly {@code reference.size()} bytes. */
    public CompletableFuture<byte[]> fetch(PartReference reference) {
        if (reference.size() > config.maxPartBytes()) {
            return CompletableFuture.failedFuture(tooLarge(reference));
        }
        return lookup(reference.handle()).thenCompose(content -> switch (reference.layout()) {
            case SINGLE -> CompletableFuture.completedFuture(decryptSingle(reference, content));
            case MANIFEST -> fetchChunks(reference, readManifest(reference, content));
        }).thenApply(plaintext -> {
            // Remembered only under the key the plaintext really has: a sender choosing some other key for its
            // blocks cannot make this peer reuse them for a part it stores later.
            if (recent != null && !reference.padded()
                    && MessageDigest.isEqual(cipher.keyFor(plaintext), reference.key())) {
                recent.remember(reference);
            }
            return plaintext;
        });
    }

    /**
     * The bytes of the part around {@code offset} without fetching all of it: for a chunked part, the one chunk that
     * holds {@code offset} (its manifest read again, then the chunk, decrypted on its own); for a part in one block,
     * the whole part. A reader that needs only the beginning of a large attachment thus fetches one block of it.
     */
    public CompletableFuture<PartChunk> chunkAt(PartReference reference, long offset) {
        if (offset < 0 || offset >= reference.size()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("offset " + offset
                + " is outside a part of " + reference.size() + " bytes"));
        }
        if (reference.layout() == PartReference.Layout.SINGLE) {
            return fetch(reference).thenApply(bytes -> new PartChunk(0, bytes));
        }
        if (reference.size() > config.maxPartBytes()) {
            return CompletableFuture.failedFuture(tooLarge(reference));
        }
        return lookup(reference.handle())
            .thenApply(content -> readManifest(reference, content))
            .thenCompose(manifest -> fetchChunk(reference, manifest, offset));
    }

    /** The chunk of {@code manifest} that holds plaintext {@code offset}, decrypted on its own. */
    private CompletableFuture<PartChunk> fetchChunk(PartReference reference, Manifest manifest, long offset) {
        int segment = PartStoreConfig.SEGMENT_WITH_TAG;
        int plainSegment = SegmentedAead.PLAINTEXT_SEGMENT_BYTES;
        long[] offsets = EncryptedPart.offsets(manifest);
        int totalSegments = SegmentedAead.segmentsFor(reference.size());
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] % segment != 0) {
                return CompletableFuture.failedFuture(new CorruptPartException(reference.handle(), "chunk " + i
                    + " of the manifest does not start at a segment boundary", null));
            }
        }
        int index = 0;
        while (index + 1 < offsets.length && offsets[index + 1] / segment * plainSegment <= offset) {
            index++;
        }
        Manifest.Chunk chunk = manifest.chunks().get(index);
        int firstSegment = (int) (offsets[index] / segment);
        long start = (long) firstSegment * plainSegment;
        long end = index + 1 < offsets.length ? offsets[index + 1] / segment * plainSegment : reference.size();
        int chunkIndex = index;
        return lookup(chunk.handle()).thenApply(content -> {
            checkChunkLength(chunk, chunkIndex, content);
            byte[] plaintext;
            try {
                plaintext = cipher.decryptSegments(reference.key(), content, firstSegment, totalSegments);
            } catch (CryptoException e) {
                throw new CorruptPartException(chunk.handle(), "chunk " + chunkIndex + " does not decrypt under the"
                    + " reference's key: " + e.getMessage(), e);
            }
            if (plaintext.length != end - start) {
                throw new CorruptPartException(chunk.handle(), "chunk " + chunkIndex + " decrypted to "
                    + plaintext.length + " bytes, the manifest places " + (end - start) + " there", null);
            }
            return new PartChunk(start, plaintext);
        });
    }

    private PartStoreException tooLarge(PartReference reference) {
        return new PartStoreException(reference.handle(), "part of " + reference.size()
            + " bytes exceeds this store's limit of " + config.maxPartBytes(), null);
    }

    private static void checkChunkLength(Manifest.Chunk chunk, int index, byte[] content) {
        if (content.length != chunk.length()) {
            throw new CorruptPartException(chunk.handle(), "chunk " + index + " holds " + content.length
                + " bytes, its manifest says " + chunk.length(), null);
        }
    }

    private byte[] decryptSingle(PartReference reference, byte[] content) {
        if (!reference.padded() && content.length != reference.ciphertextSize()) {
            throw new CorruptPartException(reference.handle(), "block holds " + content.length
                + " bytes, a part of " + reference.size() + " bytes has " + reference.ciphertextSize(), null);
        }
        byte[] plaintext = decrypt(reference.handle(), reference.key(), content, "part");
        if (plaintext.length < reference.size() || (!reference.padded() && plaintext.length != reference.size())) {
            throw new CorruptPartException(reference.handle(), "decrypted " + plaintext.length
                + " bytes, the reference promises " + reference.size(), null);
        }
        return reference.padded() ? Arrays.copyOf(plaintext, (int) reference.size()) : plaintext;
    }

    private Manifest readManifest(PartReference reference, byte[] content) {
        byte[] plaintext = decrypt(reference.handle(), Manifest.keyFor(reference.key()), content, "manifest");
        try {
            return Manifest.decode(plaintext, reference.size());
        } catch (IllegalArgumentException e) {
            throw new CorruptPartException(reference.handle(), "malformed manifest: " + e.getMessage(), e);
        }
    }

    private CompletableFuture<byte[]> fetchChunks(PartReference reference, Manifest manifest) {
        byte[] ciphertext = new byte[Math.toIntExact(reference.ciphertextSize())];
        long[] offsets = EncryptedPart.offsets(manifest);
        return BoundedParallel.run(manifest.chunks().size(), config.maxChunksInFlight(), index -> {
            Manifest.Chunk chunk = manifest.chunks().get(index);
            return lookup(chunk.handle()).thenAccept(content -> {
                checkChunkLength(chunk, index, content);
                System.arraycopy(content, 0, ciphertext, (int) offsets[index], content.length);
            });
        }).thenApply(ignored -> {
            byte[] plaintext = decrypt(reference.handle(), reference.key(), ciphertext, "chunked part");
            if (plaintext.length != reference.size()) {
                throw new CorruptPartException(reference.handle(), "decrypted " + plaintext.length
                    + " bytes, the reference promises " + reference.size(), null);
            }
            return plaintext;
        });
    }

    private byte[] decrypt(Id handle, byte[] key, byte[] ciphertext, String what) {
        try {
            return cipher.decrypt(key, ciphertext);
        } catch (CryptoException e) {
            throw new CorruptPartException(handle, what + " does not decrypt under the reference's key: "
                + e.getMessage(), e);
        }
    }

    /** The content of the content-hash block {@code handle} (verified by PAST), or a {@link PartUnavailableException}. */
    private CompletableFuture<byte[]> lookup(Id handle) {
        CompletableFuture<byte[]> found = new CompletableFuture<>();
        blocks.lookup(new BlockKey(handle, BlockKind.CONTENT_HASH)).whenComplete((block, error) -> {
            if (error != null) {
                found.completeExceptionally(new PartUnavailableException(handle, "lookup failed: " + unwrap(error),
                    unwrap(error)));
            } else if (block.isEmpty()) {
                found.completeExceptionally(new PartUnavailableException(handle, "no replica holds the block", null));
            } else {
                Block got = block.get();
                if (!(got instanceof ContentHashBlock content) || !got.handle().equals(handle)) {
                    found.completeExceptionally(new CorruptPartException(handle, "lookup answered " + got, null));
                } else {
                    found.complete(content.content());
                }
            }
        });
        return found;
    }

    // ================================================================ leases

    /**
     * Extends the lease of every block of the part (for a manifest: reads it, extends every chunk, then the manifest)
     * to {@code newExpiryMillis}. Completes with the fewest holders any of its blocks has now, or with a
     * {@link PartUnavailableException} naming a block no holder has any more.
     */
    public CompletableFuture<Integer> extendLease(PartReference reference, long newExpiryMillis) {
        CompletableFuture<Integer> chunks;
        if (reference.layout() == PartReference.Layout.SINGLE) {
            chunks = CompletableFuture.completedFuture(Integer.MAX_VALUE);
        } else {
            chunks = lookup(reference.handle()).thenCompose(content -> {
                Manifest manifest = readManifest(reference, content);
                AtomicInteger fewest = new AtomicInteger(Integer.MAX_VALUE);
                return BoundedParallel.run(manifest.chunks().size(), config.maxChunksInFlight(),
                        index -> extendOne(manifest.chunks().get(index).handle(), newExpiryMillis)
                            .thenAccept(holders -> fewest.accumulateAndGet(holders, Math::min)))
                    .thenApply(ignored -> fewest.get());
            });
        }
        return chunks.thenCompose(fewest -> extendOne(reference.handle(), newExpiryMillis)
            .thenApply(holders -> Math.min(fewest, holders)));
    }

    /**
     * The keys of every block of the part: its top block and, for a manifest, every chunk (the manifest is fetched
     * and decrypted with the reference's key, here, so that whoever gets the list needs no key).
     */
    public CompletableFuture<List<BlockKey>> blockKeys(PartReference reference) {
        BlockKey top = new BlockKey(reference.handle(), BlockKind.CONTENT_HASH);
        if (reference.layout() == PartReference.Layout.SINGLE) {
            return CompletableFuture.completedFuture(List.of(top));
        }
        return lookup(reference.handle()).thenApply(content -> {
            List<BlockKey> keys = new ArrayList<>();
            for (var chunk : readManifest(reference, content).chunks()) {
                keys.add(new BlockKey(chunk.handle(), BlockKind.CONTENT_HASH));
            }
            keys.add(top);
            return keys;
        });
    }

    private CompletableFuture<Integer> extendOne(Id handle, long newExpiryMillis) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        blocks.extendLease(new BlockKey(handle, BlockKind.CONTENT_HASH), newExpiryMillis)
            .whenComplete((holders, error) -> {
                if (error != null) {
                    done.completeExceptionally(new PartUnavailableException(handle,
                        "lease extension failed: " + unwrap(error), unwrap(error)));
                } else if (holders == 0) {
                    done.completeExceptionally(new PartUnavailableException(handle,
                        "no holder left to extend the lease on", null));
                } else {
                    done.complete(holders);
                }
            });
        return done;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
