package org.epost.post.notify;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import org.epost.post.accounts.AccountAddress;

/**
 * A POST notification: "a message from {@code sender} to {@code recipient} is stored in PAST as these parts". The
 * part references are opaque here (the part store's encoded references: handle and key of each part).
 *
 * <p>Canonical encoding (big-endian): version byte 1, the 20-byte id, sender, recipient and subject each as a 2-byte
 * length and UTF-8 bytes, the date (8 bytes, ms since the epoch), the total size (8 bytes), the part count (2 bytes)
 * and each part as a 2-byte length and its bytes. Decoding is strict: the exact version, bounds, valid UTF-8,
 * normalized addresses, and no trailing bytes, so that one notification has exactly one encoding (the one signed).
 */
public record Notification(byte[] id, String sender, String recipient, String subject, long date, List<byte[]> parts,
                           long totalSize) {
    public static final int ID_BYTES = 20;
    public static final int MAX_SUBJECT_BYTES = 4096;
    public static final int MAX_PARTS = 1024;
    public static final int MAX_PART_REFERENCE_BYTES = 4096;
    private static final byte VERSION = 1;
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

    public String idHex() {
        return HexFormat.of().formatHex(id);
    }

    /** The same notification addressed to {@code other} (tests: a notification for another recipient). */
    public Notification withRecipient(String other) {
        return new Notification(id, sender, other, subject, date, parts, totalSize);
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(VERSION);
        out.writeBytes(id);
        writeBlob(out, utf8(sender));
        writeBlob(out, utf8(recipient));
        writeBlob(out, utf8(subject));
        writeLong(out, date);
        writeLong(out, totalSize);
        writeShort(out, parts.size());
        for (byte[] part : parts) {
            writeBlob(out, part);
        }
        return out.toByteArray();
    }

    public static Notification decode(byte[] encoded) throws MalformedNotificationException {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        try {
            byte version = in.get();
            if (version != VERSION) {
                throw new MalformedNotificationException("unknown notification version " + version);
            }
            byte[] id = new byte[ID_BYTES];
            in.get(id);
            String sender = string(in, AccountAddress.MAX_BYTES);
            String recipient = string(in, AccountAddress.MAX_BYTES);
            String subject = string(in, MAX_SUBJECT_BYTES);
            long date = in.getLong();
            long totalSize = in.getLong();
            int count = Short.toUnsignedInt(in.getShort());
            if (count > MAX_PARTS) {
                throw new MalformedNotificationException(count + " parts");
            }
            List<byte[]> parts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                parts.add(blob(in, MAX_PART_REFERENCE_BYTES));
            }
            if (in.hasRemaining()) {
                throw new MalformedNotificationException(in.remaining() + " trailing bytes");
            }
            Notification notification;
            try {
                notification = new Notification(id, sender, recipient, subject, date, parts, totalSize);
            } catch (IllegalArgumentException e) {
                throw new MalformedNotificationException(e.getMessage());
            }
            if (!Arrays.equals(notification.encode(), encoded)) {
                throw new MalformedNotificationException("not the canonical encoding (addresses not normalized)");
            }
            return notification;
        } catch (BufferUnderflowException e) {
            throw new MalformedNotificationException("truncated notification");
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
                + totalSize + " bytes]";
    }

    // ---------------------------------------------------------------- encoding helpers

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void writeBlob(ByteArrayOutputStream out, byte[] bytes) {
        writeShort(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }

    private static void writeLong(ByteArrayOutputStream out, long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
    }

    private static byte[] blob(ByteBuffer in, int max) throws MalformedNotificationException {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > max) {
            throw new MalformedNotificationException("field of " + length + " bytes (at most " + max + ")");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static String string(ByteBuffer in, int max) throws MalformedNotificationException {
        byte[] bytes = blob(in, max);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedNotificationException("invalid UTF-8");
        }
    }
}
