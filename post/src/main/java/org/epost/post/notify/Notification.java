package org.epost.post.notify;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.accounts.AccountAddress;

/**
 * A POST notification: "a message from {@code sender} to {@code recipient} is stored in PAST as these parts". The
 * part references are opaque here (the part store's encoded references: handle and key of each part).
 *
 * <p>Canonical encoding, CBOR (the project's record convention, {@link CborRecordWriter}): {@code [version 1, id:
 * bstr(20), sender: tstr, recipient: tstr, subject: tstr, date: int (ms since the epoch), totalSize: uint, parts:
 * [bstr, ...]]}; a notification that carries a first-contact puzzle (opaque here: the spam defences solve and check
 * it, and the sender's signature covers it) is {@code [version 2, ..., parts, puzzle: bstr]}, the same fields and
 * the puzzle last. Without a puzzle it is always version 1, so older peers still read it. Decoding is strict: a known
 * version, bounds, valid UTF-8, normalized addresses, and no trailing bytes, so that one notification has exactly
 * one encoding (the one signed).
 */
public record Notification(byte[] id, String sender, String recipient, String subject, long date, List<byte[]> parts,
                           long totalSize, byte[] puzzle) {
    public static final int ID_BYTES = 20;
    public static final int MAX_SUBJECT_BYTES = 4096;
    public static final int MAX_PARTS = 1024;
    public static final int MAX_PART_REFERENCE_BYTES = 4096;
    public static final int VERSION = 1;
    /** The encoding of a notification with a puzzle. */
    public static final int PUZZLE_VERSION = 2;
    public static final int MAX_PUZZLE_BYTES = 1024;
    private static final CanonicalCborReader.Failures<MalformedNotificationException> FAILURES =
            (oversized, message, cause) -> new MalformedNotificationException("malformed notification: " + message);
    private static final SecureRandom RANDOM = new SecureRandom();

    public Notification {
        Objects.requireNonNull(id, "id");
        if (id.length != ID_BYTES) {
            throw new IllegalArgumentException("A notification id has " + ID_BYTES + " bytes, not " + id.length);
        }
        id = id.clone();
        sender = AccountAddress.normalize(sender);
        recipient = AccountAddress.normalize(recipient);
        Objects.requireNonNull(subject, "subject");
        if (utf8(subject).length > MAX_SUBJECT_BYTES) {
            throw new IllegalArgumentException("Subject longer than " + MAX_SUBJECT_BYTES + " bytes");
        }
        Objects.requireNonNull(parts, "parts");
        if (parts.size() > MAX_PARTS) {
            throw new IllegalArgumentException("More than " + MAX_PARTS + " parts");
        }
        List<byte[]> copies = new ArrayList<>(parts.size());
        for (byte[] part : parts) {
            if (part.length == 0 || part.length > MAX_PART_REFERENCE_BYTES) {
                throw new IllegalArgumentException("A part reference has 1 to " + MAX_PART_REFERENCE_BYTES + " bytes");
            }
            copies.add(part.clone());
        }
        parts = List.copyOf(copies);
        if (totalSize < 0) {
            throw new IllegalArgumentException("Negative total size");
        }
        Objects.requireNonNull(puzzle, "puzzle");
        if (puzzle.length > MAX_PUZZLE_BYTES) {
            throw new IllegalArgumentException("A puzzle has at most " + MAX_PUZZLE_BYTES + " bytes");
        }
        puzzle = puzzle.clone();
    }

    /** A notification without a puzzle. */
    public Notification(byte[] id, String sender, String recipient, String subject, long date, List<byte[]> parts,
                        long totalSize) {
        this(id, sender, recipient, subject, date, parts, totalSize, new byte[0]);
    }

    /** A new notification with a fresh random 160-bit id. */
    public static Notification create(String sender, String recipient, String subject, long date, List<byte[]> parts,
                                      long totalSize) {
        byte[] id = new byte[ID_BYTES];
        RANDOM.nextBytes(id);
        return new Notification(id, sender, recipient, subject, date, parts, totalSize);
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    @Override
    public List<byte[]> parts() {
        return parts.stream().map(byte[]::clone).toList();
    }

    /** The first-contact puzzle; empty when it carries none. */
    @Override
    public byte[] puzzle() {
        return puzzle.clone();
    }

    public boolean hasPuzzle() {
        return puzzle.length > 0;
    }

    /** The same notification carrying {@code solved} (empty: none). */
    public Notification withPuzzle(byte[] solved) {
        return new Notification(id, sender, recipient, subject, date, parts, totalSize, solved);
    }

    public String idHex() {
        return HexFormat.of().formatHex(id);
    }

    /** The same notification addressed to {@code other} (tests: a notification for another recipient). */
    public Notification withRecipient(String other) {
        return new Notification(id, sender, other, subject, date, parts, totalSize, puzzle);
    }

    public byte[] encode() {
        boolean withPuzzle = hasPuzzle();
        CborRecordWriter out = CborRecordWriter.versioned(withPuzzle ? PUZZLE_VERSION : VERSION, withPuzzle ? 8 : 7,
                128 + puzzle.length).bytes(id).text(sender).text(recipient).text(subject).number(date)
                .number(totalSize);
        out.list(parts, out::bytes);
        if (withPuzzle) {
            out.bytes(puzzle);
        }
        return out.end().toBytes();
    }

    public static Notification decode(byte[] encoded) throws MalformedNotificationException {
        return CborRecordReader.decodeCanonical(encoded, "notification", FAILURES, Notification::read,
                Notification::encode);
    }

    private static Notification read(CborRecordReader<MalformedNotificationException> in)
            throws MalformedNotificationException {
        long version = in.beginRecordOfAnyVersion("notification");
        if (version != PUZZLE_VERSION) {
            in.requireVersion(version, VERSION, "notification");
        }
        byte[] id = in.exactBytes("id", ID_BYTES);
        String sender = in.text(AccountAddress.MAX_BYTES);
        String recipient = in.text(AccountAddress.MAX_BYTES);
        String subject = in.text(MAX_SUBJECT_BYTES);
        long date = in.number();
        long totalSize = in.number();
        List<byte[]> parts = in.list(part -> part.bytes(MAX_PART_REFERENCE_BYTES), MAX_PARTS, "parts");
        // version 2 with an empty puzzle re-encodes as version 1: refused as not canonical
        byte[] puzzle = version == PUZZLE_VERSION ? in.bytes(MAX_PUZZLE_BYTES) : new byte[0];
        in.endArray();
        try {
            return new Notification(id, sender, recipient, subject, date, parts, totalSize, puzzle);
        } catch (IllegalArgumentException e) {
            throw in.malformed(e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Notification n && Arrays.equals(encode(), n.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return "Notification[" + idHex() + " " + sender + " -> " + recipient + ", " + parts.size() + " parts, "
                + totalSize + " bytes" + (hasPuzzle() ? ", puzzle" : "") + "]";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
