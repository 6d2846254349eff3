package org.epost.post.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.Hashes;
import org.epost.post.crypto.SegmentedAead;

/**
 * This peer's cached view of a log, sealed so that an open decrypts only what it reads first. Why: a folder of
 * 100,000 messages has a view of about 20 MB, and AES-GCM over all of it took seconds under C1 on every first SELECT
 * after a restart; its head (counters, UID, flag and size columns) is a tenth of that.
 *
 * <p>File: {@code prefix (LogCipher, type SEGMENTED_VIEW) | salt (16 random bytes) | head ciphertext length (u32) |
 * head ciphertext | body ciphertext}. Head and body are each {@link SegmentedAead} (64 KiB segments, each with its own
 * tag and a nonce made of the segment's index and whether it is the last one) under keys of this view alone,
 * {@code HMAC(log key, label, salt)} with a label per part; the associated data of both is the prefix, the salt, the
 * head length and the log's handle, and the body's also the view's head version, record count and body length, read
 * from the authenticated head. So a segment cannot be altered, moved within the body, cut off, or taken from another
 * view (of this log or another: other salt, other key) without its tag failing. The head is canonical CBOR
 * {@code [version 2, head version: uint, record count: uint, digest: bstr(32), body length: uint, state head: bstr]}.
 * The head is opened at once; the body's segments when the state first reads them, each once.
 *
 * <p>Format 3 (written, block type {@code CHACHA_VIEW}) seals with ChaCha20-Poly1305, format 2 ({@code
 * SEGMENTED_VIEW}, still read, then written again in format 3) with AES-GCM; labels {@code .../v3} and {@code .../v2},
 * head versions 3 and 2, otherwise the same. Why: the peers run C1, where AES-GCM has no intrinsics; it was the
 * largest share of ePOST's own CPU in a first SELECT (the head) and a FETCH (the body segments it reads).
 */
final class SegmentedView {
    /** The format written. */
    static final Format CURRENT = Format.CHACHA;
    private static final int SALT_BYTES = 16;
    private static final int HEADER_BYTES = LogCipher.PREFIX_BYTES + SALT_BYTES + 4;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A format of the sealed file: its block type, AEAD, labels and head version. */
    enum Format {
        AES(LogCipher.BlockType.SEGMENTED_VIEW, SegmentedAead.Algorithm.AES_GCM, 2),
        CHACHA(LogCipher.BlockType.CHACHA_VIEW, SegmentedAead.Algorithm.CHACHA20_POLY1305, 3);

        final LogCipher.BlockType type;
        final SegmentedAead.Algorithm algorithm;
        final int headVersion;
        final byte[] headKey;
        final byte[] bodyKey;
        final byte[] nonceSeed;

        Format(LogCipher.BlockType type, SegmentedAead.Algorithm algorithm, int headVersion) {
            this.type = type;
            this.algorithm = algorithm;
            this.headVersion = headVersion;
            // not SegmentedView.label: nothing here may start SegmentedView's initialization, whose CURRENT would
            // read this enum's constants while they are still null (Format.of runs first on an open)
            this.headKey = ("epost/log/view-head/v" + headVersion).getBytes(StandardCharsets.US_ASCII);
            this.bodyKey = ("epost/log/view-body/v" + headVersion).getBytes(StandardCharsets.US_ASCII);
            this.nonceSeed = ("epost/log/view-nonce-seed/v" + headVersion).getBytes(StandardCharsets.US_ASCII);
        }

        /** The format whose block type {@code prefix} has, or null. */
        static Format of(byte[] prefix) {
            for (Format format : values()) {
                if (LogCipher.isOfType(format.type, prefix)) {
                    return format;
                }
            }
            return null;
        }
    }

    /** An opened view: the head's fields and the body, still sealed; {@code format}: the file's. */
    record Opened(Format format, long version, long count, byte[] digest, byte[] stateHead, StateBody body) {
    }

    private record Head(long version, long count, byte[] digest, int bodyLength, byte[] stateHead) {
    }

    private SegmentedView() {
    }

    static byte[] seal(LogCipher cipher, long version, long count, byte[] digest, LogReducer.Parts parts) {
        return seal(CURRENT, cipher, version, count, digest, parts);
    }

    /** {@code parts} sealed in {@code format} (only tests write a format other than {@link #CURRENT}). */
    static byte[] seal(Format format, LogCipher cipher, long version, long count, byte[] digest,
                       LogReducer.Parts parts) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] head = encodeHead(format.headVersion, version, count, digest, parts.body().length, parts.head());
        int headCipherLength = Math.toIntExact(SegmentedAead.ciphertextLength(head.length));
        byte[] header = header(format, salt, headCipherLength);
        byte[] headAd = headAssociatedData(header, cipher);
        byte[] headKey = cipher.derive(format.headKey, salt);
        byte[] headCipher = SegmentedAead.encrypt(format.algorithm, headKey, seed(format, headKey), head, headAd);
        byte[] bodyKey = cipher.derive(format.bodyKey, salt);
        byte[] bodyCipher = SegmentedAead.encrypt(format.algorithm, bodyKey, seed(format, bodyKey), parts.body(),
            bodyAssociatedData(headAd, version, count, parts.body().length));
        return ByteBuffer.allocate(header.length + headCipher.length + bodyCipher.length)
            .put(header).put(headCipher).put(bodyCipher).array();
    }

    /**
     * Opens the head of {@code sealed} (read from its absolute positions, never changed; a mapped file or a wrapped
     * array) and checks that it has the body the head announces; the body's segments are opened when read, each
     * copied from {@code sealed} then. {@code onBroken} runs (once per failing read) before a
     * {@link BrokenViewException}.
     */
    static Opened open(LogCipher cipher, ByteBuffer sealed, Runnable onBroken)
            throws CryptoException, LogFormatException {
        int length = sealed.capacity();
        byte[] header = bytes(sealed, 0, Math.min(length, HEADER_BYTES));
        Format format = Format.of(header);
        LogCipher.checkPrefix(format == null ? CURRENT.type : format.type, header, HEADER_BYTES);
        byte[] salt = Arrays.copyOfRange(header, LogCipher.PREFIX_BYTES, LogCipher.PREFIX_BYTES + SALT_BYTES);
        long headCipherLength = ByteBuffer.wrap(header, HEADER_BYTES - 4, 4).getInt() & 0xffffffffL;
        if (headCipherLength > length - HEADER_BYTES) {
            throw new CryptoException("view of " + length + " bytes is shorter than its head");
        }
        byte[] headAd = headAssociatedData(header, cipher);
        byte[] headKey = cipher.derive(format.headKey, salt);
        int bodyStart = HEADER_BYTES + (int) headCipherLength;
        byte[] head = SegmentedAead.decrypt(format.algorithm, headKey, seed(format, headKey),
            bytes(sealed, HEADER_BYTES, bodyStart), headAd);
        Head opened = decodeHead(format.headVersion, head);
        int bodyLength = opened.bodyLength();
        if (length - bodyStart != SegmentedAead.ciphertextLength(bodyLength)) {
            throw new CryptoException("view body of " + (length - bodyStart) + " bytes, its head announces "
                + bodyLength + " bytes of plaintext (truncated or extended)");
        }
        byte[] bodyKey = cipher.derive(format.bodyKey, salt);
        byte[] bodyAd = bodyAssociatedData(headAd, opened.version(), opened.count(), bodyLength);
        if (bodyLength == 0) { // nothing would ever read it: its tag is checked now
            SegmentedAead.decrypt(format.algorithm, bodyKey, seed(format, bodyKey), bytes(sealed, bodyStart, length),
                bodyAd);
        }
        SealedBody body = new SealedBody(format.algorithm, bodyKey, seed(format, bodyKey), bodyAd, sealed, bodyStart,
            bodyLength, onBroken);
        return new Opened(format, opened.version(), opened.count(), opened.digest(), opened.stateHead(), body);
    }

    /** Bytes {@code [from, to)} of {@code sealed}, by absolute position (safe for concurrent readers). */
    private static byte[] bytes(ByteBuffer sealed, int from, int to) {
        byte[] bytes = new byte[to - from];
        sealed.get(from, bytes);
        return bytes;
    }

    static byte[] encodeHead(int headVersion, long version, long count, byte[] digest, int bodyLength,
                             byte[] stateHead) {
        return CborRecordWriter.versioned(headVersion, 5, 96 + stateHead.length).number(version).number(count)
            .bytes(digest).number(bodyLength).bytes(stateHead).end().toBytes();
    }

    private static Head decodeHead(int headVersion, byte[] head) throws LogFormatException {
        return CborRecordReader.decodeCanonical(head, "cached view head", LogFormatException.FAILURES, in -> {
            in.beginRecord(headVersion, "cached view head");
            long version = in.nonNegative("version");
            long count = in.nonNegative("count");
            byte[] digest = in.exactBytes("digest", LogDigest.BYTES);
            long bodyLength = in.nonNegative("body length");
            byte[] stateHead = in.bytes(Integer.MAX_VALUE);
            in.endArray();
            if (bodyLength > Integer.MAX_VALUE - 1024) {
                throw new LogFormatException("cached view body of " + bodyLength + " bytes");
            }
            return new Head(version, count, digest, (int) bodyLength, stateHead);
        }, read -> encodeHead(headVersion, read.version(), read.count(), read.digest(), read.bodyLength(), read.stateHead()));
    }

    private static byte[] header(Format format, byte[] salt, int headCipherLength) {
        return ByteBuffer.allocate(HEADER_BYTES).put(LogCipher.prefix(format.type)).put(salt)
            .putInt(headCipherLength).array();
    }

    private static byte[] headAssociatedData(byte[] header, LogCipher cipher) {
        byte[] binding = cipher.binding();
        return ByteBuffer.allocate(header.length + binding.length).put(header).put(binding).array();
    }

    private static byte[] bodyAssociatedData(byte[] headAd, long version, long count, int bodyLength) {
        return ByteBuffer.allocate(headAd.length + 20).put(headAd).putLong(version).putLong(count).putInt(bodyLength)
            .array();
    }

    private static byte[] seed(Format format, byte[] key) {
        return Arrays.copyOf(Hashes.hmacSha256(key, format.nonceSeed), SegmentedAead.NONCE_SEED_BYTES);
    }

    /** The body of an opened view: each 64 KiB segment decrypted on its first read and kept. */
    private static final class SealedBody implements StateBody {
        private static final int PLAIN = SegmentedAead.PLAINTEXT_SEGMENT_BYTES;
        private static final int SEALED = (int) SegmentedAead.ciphertextLength(PLAIN);
        private final SegmentedAead.Algorithm algorithm;
        private final byte[] key;
        private final byte[] seed;
        private final byte[] associatedData;
        /** Dropped once every segment is open, so that a state read whole holds its plaintext only. */
        private volatile ByteBuffer sealed;
        private final AtomicInteger unopened;
        private final int start;
        private final int length;
        private final int segments;
        private final AtomicReferenceArray<byte[]> opened;
        private final Runnable onBroken;

        SealedBody(SegmentedAead.Algorithm algorithm, byte[] key, byte[] seed, byte[] associatedData,
                   ByteBuffer sealed, int start, int length, Runnable onBroken) {
            this.algorithm = algorithm;
            this.key = key;
            this.seed = seed;
            this.associatedData = associatedData;
            this.sealed = sealed;
            this.start = start;
            this.length = length;
            this.segments = SegmentedAead.segmentsFor(length);
            this.opened = new AtomicReferenceArray<>(segments);
            this.unopened = new AtomicInteger(segments);
            this.onBroken = onBroken;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public void copy(int offset, byte[] target, int at, int count) {
            if (offset < 0 || count < 0 || offset > length - count) {
                throw new IndexOutOfBoundsException(offset + "+" + count + " of a body of " + length + " bytes");
            }
            while (count > 0) {
                int index = offset / PLAIN;
                int within = offset % PLAIN;
                int n = Math.min(count, PLAIN - within);
                System.arraycopy(segment(index), within, target, at, n);
                offset += n;
                at += n;
                count -= n;
            }
        }

        private byte[] segment(int index) {
            byte[] plain = opened.get(index);
            if (plain == null) {
                ByteBuffer file = sealed;
                if (file == null) { // opened meanwhile by another thread, which then dropped the file
                    return opened.get(index);
                }
                int from = start + index * SEALED;
                int to = Math.min(file.capacity(), from + SEALED);
                try {
                    plain = SegmentedAead.decryptSegments(algorithm, key, seed, bytes(file, from, to), index, segments,
                        associatedData);
                } catch (CryptoException e) {
                    onBroken.run();
                    throw new BrokenViewException("segment " + index + " of " + segments
                        + " of a cached view does not open: " + e.getMessage(), e);
                }
                if (opened.compareAndSet(index, null, plain) && unopened.decrementAndGet() == 0) {
                    sealed = null;
                }
                return opened.get(index);
            }
            return plain;
        }
    }
}
