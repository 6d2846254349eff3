package org.epost.post.lease;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * What a user's home peer asks the {@link LeaseGuardian}s to keep alive while it is down: every block the user's
 * account and mailboxes reference (parts flattened into their top block and chunks, so no decryption key is handed
 * out), when the home last stood behind the list, and until when the guardians may act on it.
 *
 * <p>Stored as the PAST public-key block with label {@value #LABEL} under the user's signing key, so its k replica
 * holders are the guardians (the k nodes closest to H(signingKey || label)), a new home after a re-home replaces it
 * in place, and nobody but the key's holder can write it. Payload, canonical CBOR:
 * {@code [1, "epost/lease-mandate", address, issuedAt millis, holdUntil millis, [[handle bstr(20), kind], ...]
 * strictly ascending]}. At most {@value #MAX_BLOCKS} blocks fit one mandate block (22 bytes each, within PAST's
 * 1 MiB); a larger set would be chained through content-hash blocks (not built).
 */
public record LeaseMandate(String address, long issuedAt, long holdUntil, List<BlockKey> blocks) {
    public static final String LABEL = "lease-mandate";
    public static final int MAX_BLOCKS = 40_000;
    static final int FORMAT_VERSION = 1;
    private static final String CONTEXT = "epost/lease-mandate";

    public LeaseMandate {
        Objects.requireNonNull(address, "address");
        if (address.isEmpty() || address.getBytes(StandardCharsets.UTF_8).length > 254) {
            throw new IllegalArgumentException("An address has 1 to 254 bytes");
        }
        if (issuedAt < 0 || holdUntil < issuedAt) {
            throw new IllegalArgumentException("holdUntil " + holdUntil + " before issuedAt " + issuedAt);
        }
        TreeSet<BlockKey> sorted = new TreeSet<>(blocks);
        if (sorted.size() > MAX_BLOCKS) {
            throw new IllegalArgumentException(sorted.size() + " blocks exceed one mandate's " + MAX_BLOCKS);
        }
        blocks = List.copyOf(sorted);
    }

    /** Where the mandate of the holder of {@code signingKey} lives. */
    public static BlockKey keyFor(PublicKey signingKey) {
        return new BlockKey(PublicKeyBlock.handleFor(signingKey, LABEL), BlockKind.PUBLIC_KEY);
    }

    /** This mandate as version {@code version} of the user's mandate block (versions only increase). */
    public PublicKeyBlock sign(KeyPair userSigning, long version) {
        return PublicKeyBlock.sign(userSigning, LABEL, version, encoded());
    }

    public byte[] encoded() {
        CborRecordWriter writer = CborRecordWriter.versioned(FORMAT_VERSION, 5, 64 + 24 * blocks.size())
                .text(CONTEXT).text(address).number(issuedAt).number(holdUntil);
        writer.list(blocks, key -> writer.array(2).bytes(key.handle().toBytes()).number(key.kind().code()).end());
        return writer.end().toBytes();
    }

    /** Decodes a payload strictly; an {@link IllegalArgumentException} says why it is refused. */
    public static LeaseMandate decode(byte[] payload) {
        CanonicalCborReader.Failures<IllegalArgumentException> failures = (oversized, message, cause) ->
                new IllegalArgumentException("lease mandate: " + message, cause);
        return CborRecordReader.decodeCanonical(payload, "lease mandate", failures, reader -> {
            reader.beginRecord(FORMAT_VERSION, "lease mandate");
            String context = reader.text(CONTEXT.length());
            if (!context.equals(CONTEXT)) {
                throw reader.malformed("expected \"" + CONTEXT + "\" but found \"" + context + "\"");
            }
            String address = reader.text(254);
            long issuedAt = reader.nonNegative("issuedAt");
            long holdUntil = reader.nonNegative("holdUntil");
            List<BlockKey> keys = reader.list(in -> {
                in.beginArray();
                Id handle = Id.of(in.exactBytes("handle", Id.BYTES));
                BlockKind kind = BlockKind.fromCode(in.nonNegative("kind"))
                        .orElseThrow(() -> in.malformed("unknown block kind"));
                in.endArray();
                return new BlockKey(handle, kind);
            }, MAX_BLOCKS, "blocks");
            reader.endArray();
            for (int i = 1; i < keys.size(); i++) {
                if (keys.get(i - 1).compareTo(keys.get(i)) >= 0) {
                    throw reader.malformed("blocks not strictly ascending");
                }
            }
            return new LeaseMandate(address, issuedAt, holdUntil, new ArrayList<>(keys));
        }, LeaseMandate::encoded);
    }
}
