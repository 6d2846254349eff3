package org.epost.overlay.security;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * The organization's certificate revocation list: the node ids (hash of a node certificate's key) and user key hashes
 * ({@code Id.hash(x509(user signing key))}) that must no longer be believed, whatever their certificates' expiry
 * says. Signed by the organization authority (the {@code ca.p12} key, checked against {@code ca.pem}), so every peer
 * can verify it with what it already trusts. Lists are numbered: a peer adopts a list only if it verifies and its
 * number is higher than the one it holds, so an old list replayed cannot un-revoke anybody. Revocations are never
 * dropped by the admin tool; each list carries all of them.
 *
 * <p>Encoding: canonical CBOR {@code [version 1, number: uint, issuedAtMillis: uint, nextUpdateMillis: uint,
 * nodes: [bstr(20)...], userKeys: [bstr(20)...], signature: bstr]}, both lists sorted and without duplicates.
 * Signature: {@code SHA256withECDSA} by the organization CA key over {@code [1, "epost/revocations", number,
 * issuedAtMillis, nextUpdateMillis, nodes, userKeys]}; the string keeps it apart from anything else that key signs.
 */
public final class RevocationList {
    public static final int FORMAT_VERSION = 1;
    /** More entries than this is not a list an organization would issue: refused before anything is allocated for it. */
    public static final int MAX_ENTRIES = 100_000;
    private static final int MAX_SIGNATURE_BYTES = 160;
    private static final String SIGNATURE_CONTEXT = "epost/revocations";
    private static final String ALGORITHM = "SHA256withECDSA";
    private static final CanonicalCborReader.Failures<IllegalArgumentException> FAILURES =
        (oversized, message, cause) -> new IllegalArgumentException("malformed revocation list: " + message, cause);

    private final long number;
    private final Instant issuedAt;
    private final Instant nextUpdate;
    private final SortedSet<Id> nodes;
    private final SortedSet<Id> userKeys;
    private final byte[] signature;

    private RevocationList(long number, Instant issuedAt, Instant nextUpdate, Set<Id> nodes, Set<Id> userKeys,
                           byte[] signature) {
        if (number < 1) {
            throw new IllegalArgumentException("revocation lists are numbered from 1: " + number);
        }
        if (issuedAt.toEpochMilli() < 0 || !nextUpdate.isAfter(issuedAt)) {
            throw new IllegalArgumentException("next update " + nextUpdate + " is not after issue " + issuedAt);
        }
        if (nodes.size() > MAX_ENTRIES || userKeys.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("more than " + MAX_ENTRIES + " revocations of one kind");
        }
        this.number = number;
        this.issuedAt = Instant.ofEpochMilli(issuedAt.toEpochMilli());
        this.nextUpdate = Instant.ofEpochMilli(nextUpdate.toEpochMilli());
        this.nodes = Collections.unmodifiableSortedSet(new TreeSet<>(nodes));
        this.userKeys = Collections.unmodifiableSortedSet(new TreeSet<>(userKeys));
        this.signature = signature.clone();
    }

    /** Signs list {@code number} with the organization CA's private key (the admin's tool does this, offline). */
    public static RevocationList sign(PrivateKey authorityKey, long number, Instant issuedAt, Instant nextUpdate,
                                      Set<Id> nodes, Set<Id> userKeys) {
        RevocationList unsigned = new RevocationList(number, issuedAt, nextUpdate, nodes, userKeys, new byte[0]);
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(authorityKey);
            signer.update(unsigned.signedBytes());
            return new RevocationList(number, issuedAt, nextUpdate, nodes, userKeys, signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign a revocation list with this key: " + e.getMessage(), e);
        }
    }

    /** Whether the organization authority whose public key is {@code authority} signed exactly this list. */
    public boolean signedBy(PublicKey authority) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(authority);
            verifier.update(signedBytes());
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public long number() {
        return number;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    /** When the authority promised a newer list; a peer still holding this one after it reports it as stale. */
    public Instant nextUpdate() {
        return nextUpdate;
    }

    public SortedSet<Id> nodes() {
        return nodes;
    }

    public SortedSet<Id> userKeys() {
        return userKeys;
    }

    public boolean revokesNode(Id nodeId) {
        return nodes.contains(nodeId);
    }

    public boolean revokesUserKey(Id userKeyHash) {
        return userKeys.contains(userKeyHash);
    }

    /** The hash a user key is revoked by: of its X.509 encoding, as node ids are of node keys. */
    public static Id userKeyHash(PublicKey userSigningKey) {
        return Id.hash(userSigningKey.getEncoded());
    }

    private byte[] signedBytes() {
        return body(CborRecordWriter.versioned(FORMAT_VERSION, 6, expectedSize()).text(SIGNATURE_CONTEXT))
            .end().toBytes();
    }

    public byte[] encode() {
        return body(CborRecordWriter.versioned(FORMAT_VERSION, 6, expectedSize())).bytes(signature).end().toBytes();
    }

    private CborRecordWriter body(CborRecordWriter out) {
        return out.number(number).number(issuedAt.toEpochMilli()).number(nextUpdate.toEpochMilli())
            .list(new ArrayList<>(nodes), id -> out.bytes(id.toBytes()))
            .list(new ArrayList<>(userKeys), id -> out.bytes(id.toBytes()));
    }

    private int expectedSize() {
        return 64 + MAX_SIGNATURE_BYTES + (nodes.size() + userKeys.size()) * (Id.BYTES + 1);
    }

    /** Decodes a list from untrusted bytes; malformed or non-canonical input is an {@link IllegalArgumentException}. */
    public static RevocationList decode(byte[] bytes) {
        return CborRecordReader.decodeCanonical(bytes, "revocation list", FAILURES, in -> {
            in.beginRecord(FORMAT_VERSION, "revocation list");
            long number = in.nonNegative("number");
            Instant issued = Instant.ofEpochMilli(in.nonNegative("issue time"));
            Instant next = Instant.ofEpochMilli(in.nonNegative("next update"));
            List<Id> nodes = in.list(RevocationList::readId, MAX_ENTRIES, "revoked nodes");
            List<Id> users = in.list(RevocationList::readId, MAX_ENTRIES, "revoked user keys");
            byte[] signature = in.bytes(MAX_SIGNATURE_BYTES);
            in.endArray();
            return new RevocationList(number, issued, next, new TreeSet<>(nodes), new TreeSet<>(users), signature);
        }, RevocationList::encode);
    }

    private static Id readId(CborRecordReader<IllegalArgumentException> in) {
        return Id.of(in.exactBytes("revoked key hash", Id.BYTES));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RevocationList list && Arrays.equals(encode(), list.encode());
    }

    @Override
    public int hashCode() {
        return Objects.hash(number, nodes, userKeys);
    }

    @Override
    public String toString() {
        return "revocation list " + number + " (" + nodes.size() + " nodes, " + userKeys.size() + " user keys, issued "
            + issuedAt + ", next update " + nextUpdate + ")";
    }
}
