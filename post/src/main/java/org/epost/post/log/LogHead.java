package org.epost.post.log;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.PublicKeyBlock;

/**
 * The head of a log: version {@code version} of the public-key block (owner's Ed25519 key, label = log name).
 *
 * <p>Payload layout (big-endian): {@code "EPLH" | format u8 = 1 | recordCount u64 | newestCluster (u8 presence +
 * 20-byte handle) | snapshot (u8 presence + 20-byte handle) | snapshotRecordCount u64 | digest (32: {@link LogDigest}
 * at recordCount) | writerId (16) | writerEpoch u64 | writerLeaseExpiry u64 (ms since the epoch) | sealedLogKey
 * (u16 length + {@link LogCipher#sealLogKey sealed box})}.
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
    private static final byte[] MAGIC = "EPLH".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT = 1;

    public LogHead {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(writerId, "writerId");
        Objects.requireNonNull(sealedLogKey, "sealedLogKey");
        if (version < 0 || recordCount < 0 || snapshotRecordCount < 0 || snapshotRecordCount > recordCount
                || writerEpoch < 0 || digest.length != LogDigest.BYTES || writerId.length != WRITER_ID_BYTES
                || (newestCluster == null) != (recordCount == 0) || (snapshot == null) != (snapshotRecordCount == 0)
                || sealedLogKey.length > 0xFFFF) {
            throw new IllegalArgumentException("inconsistent log head");
        }
    }

    byte[] encodePayload() {
        return new Bin.Writer(256 + sealedLogKey.length).raw(MAGIC).u8(FORMAT).u64(recordCount)
            .optionalId(newestCluster).optionalId(snapshot).u64(snapshotRecordCount).raw(digest).raw(writerId)
            .u64(writerEpoch).u64(writerLeaseExpiry).u16(sealedLogKey.length).raw(sealedLogKey).toBytes();
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
            Bin.Reader in = new Bin.Reader(block.payload());
            if (!Arrays.equals(in.raw(MAGIC.length), MAGIC) || in.u8() != FORMAT) {
                throw new Bin.FormatException("not a log head (bad magic or format)");
            }
            long count = in.nonNegative64("record count");
            Id newest = in.optionalId();
            Id snapshot = in.optionalId();
            long snapshotCount = in.nonNegative64("snapshot record count");
            byte[] digest = in.raw(LogDigest.BYTES);
            byte[] writer = in.raw(WRITER_ID_BYTES);
            long epoch = in.nonNegative64("writer epoch");
            long lease = in.u64();
            byte[] sealed = in.raw(in.u16());
            in.end();
            return new LogHead(block.version(), count, newest, snapshot, snapshotCount, digest, writer, epoch, lease,
                sealed);
        } catch (Bin.FormatException | IllegalArgumentException e) {
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
