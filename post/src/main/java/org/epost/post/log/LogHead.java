package org.epost.post.log;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * The head of a log: version {@code version} of the public-key block (owner's Ed25519 key, label = log name).
 *
 * <p>Payload, canonical CBOR (the project's record convention, {@link CborRecordWriter}): {@code [version 1,
 * "epost/log-head", recordCount: uint, newestCluster: [] or [bstr(20)], snapshot: [] or [bstr(20)],
 * snapshotRecordCount: uint, digest: bstr(32) ({@link LogDigest} at recordCount), writerId: bstr(16), writerEpoch:
 * uint, writerLeaseExpiry: int (ms since the epoch), sealedLogKey: bstr (at most 65535 bytes, a
 * {@link LogCipher#sealLogKey sealed box})]}. The context string keeps a signed head from being read as another
 * public-key block's payload.
 *
 * @param version             the public-key block version; strictly increasing, one per stored head
 * @param newestCluster       the newest cluster block (possibly partial), null for an empty log
 * @param snapshot            the newest snapshot root block, null before the first snapshot
 * @param snapshotRecordCount the number of records the snapshot covers (0 without one)
 * @param writerId            random id of the writer instance that stored this head
 * @param writerEpoch         incremented by each writer that takes the log over
 * @param writerLeaseExpiry   until when that writer holds the log; another writer may take over after it
 *                            (plus the tolerated clock skew); 0 = released
 */
public record LogHead(long version, long recordCount, Id newestCluster, Id snapshot, long snapshotRecordCount,
                      byte[] digest, byte[] writerId, long writerEpoch, long writerLeaseExpiry, byte[] sealedLogKey) {
    static final int WRITER_ID_BYTES = 16;
    static final int VERSION = 1;
    private static final String CONTEXT = "epost/log-head";
    private static final int MAX_SEALED_LOG_KEY_BYTES = 0xFFFF;

    public LogHead {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(writerId, "writerId");
        Objects.requireNonNull(sealedLogKey, "sealedLogKey");
        if (version < 0 || recordCount < 0 || snapshotRecordCount < 0 || snapshotRecordCount > recordCount
                || writerEpoch < 0 || digest.length != LogDigest.BYTES || writerId.length != WRITER_ID_BYTES
                || (newestCluster == null) != (recordCount == 0) || (snapshot == null) != (snapshotRecordCount == 0)
                || sealedLogKey.length > MAX_SEALED_LOG_KEY_BYTES) {
            throw new IllegalArgumentException("inconsistent log head");
        }
    }

    byte[] encodePayload() {
        return encodePayload(recordCount, newestCluster, snapshot, snapshotRecordCount, digest, writerId, writerEpoch,
            writerLeaseExpiry, sealedLogKey);
    }

    private static byte[] encodePayload(long recordCount, Id newestCluster, Id snapshot, long snapshotRecordCount,
                                        byte[] digest, byte[] writerId, long writerEpoch, long writerLeaseExpiry,
                                        byte[] sealedLogKey) {
        CborRecordWriter out = CborRecordWriter.versioned(VERSION, 10, 256 + sealedLogKey.length).text(CONTEXT)
            .number(recordCount);
        out.optional(newestCluster, id -> out.bytes(id.toBytes())).optional(snapshot, id -> out.bytes(id.toBytes()));
        return out.number(snapshotRecordCount).bytes(digest).bytes(writerId).number(writerEpoch)
            .number(writerLeaseExpiry).bytes(sealedLogKey).end().toBytes();
    }

    PublicKeyBlock sign(KeyPair owner, String label) {
        return PublicKeyBlock.sign(owner, label, version, encodePayload());
    }

    /**
     * The head in {@code block}, which must be the block of {@code owner} and {@code label}.
     *
     * @throws LogVerificationException FOREIGN_HEAD when the block belongs to another key, label or handle;
     *                                  MALFORMED_HEAD when its payload does not parse
     */
    static LogHead fromBlock(PublicKeyBlock block, PublicKey owner, String label) throws LogVerificationException {
        Id expected = PublicKeyBlock.handleFor(owner, label);
        if (!Arrays.equals(block.publicKey().getEncoded(), owner.getEncoded())) {
            throw new LogVerificationException(LogVerificationException.Reason.FOREIGN_HEAD,
                "head of log '" + label + "' is signed by another key");
        }
        if (!block.label().equals(label) || !block.handle().equals(expected)) {
            throw new LogVerificationException(LogVerificationException.Reason.FOREIGN_HEAD,
                "head for label '" + block.label() + "' (" + block.handle() + ") offered for log '" + label + "'");
        }
        try {
            return CborRecordReader.decodeCanonical(block.payload(), "log head", LogFormatException.FAILURES, in -> {
                in.beginRecord(VERSION, "log head");
                String context = in.text(CONTEXT.length());
                if (!context.equals(CONTEXT)) {
                    throw in.malformed("not a log head (\"" + context + "\")");
                }
                long count = in.nonNegative("record count");
                Id newest = in.optional(id -> Id.of(id.exactBytes("newest cluster", Id.BYTES)));
                Id snapshot = in.optional(id -> Id.of(id.exactBytes("snapshot", Id.BYTES)));
                long snapshotCount = in.nonNegative("snapshot record count");
                byte[] digest = in.exactBytes("digest", LogDigest.BYTES);
                byte[] writer = in.exactBytes("writer id", WRITER_ID_BYTES);
                long epoch = in.nonNegative("writer epoch");
                long lease = in.number();
                byte[] sealed = in.bytes(MAX_SEALED_LOG_KEY_BYTES);
                in.endArray();
                return new LogHead(block.version(), count, newest, snapshot, snapshotCount, digest, writer, epoch,
                    lease, sealed);
            }, LogHead::encodePayload);
        } catch (LogFormatException e) {
            throw new LogVerificationException(LogVerificationException.Reason.MALFORMED_HEAD,
                "head v" + block.version() + " of log '" + label + "': " + e.getMessage(), e);
        }
    }

    String writerHex() {
        return HexFormat.of().formatHex(writerId);
    }

    @Override
    public String toString() {
        return "LogHead(v" + version + ", " + recordCount + " records, snapshot at " + snapshotRecordCount
            + ", writer " + writerHex() + " epoch " + writerEpoch + " lease until " + writerLeaseExpiry + ")";
    }
}
