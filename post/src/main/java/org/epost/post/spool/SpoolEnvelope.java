package org.epost.post.spool;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * A spooled mail's envelope as James keeps it in JMS properties (sender, recipients, per-recipient headers, mail
 * attributes, state, remote host...), for sealing like the message ({@link SealedSpoolBody}) instead of leaving it in
 * the clear in the broker's journal. Values are the JMS property types James uses: text, 64- and 32-bit integers and
 * booleans; absent (null) values are left out, as JMS reads an absent property as null.
 * Canonical CBOR: {@code [1, "epost/spool-envelope", [[name, kind, value]...]]}, names in ascending order, kind 0 text,
 * 1 long, 2 int, 3 boolean.
 */
public final class SpoolEnvelope {
    static final int FORMAT_VERSION = 1;
    private static final String CONTEXT = "epost/spool-envelope";
    private static final int MAX_PROPERTIES = 10_000;
    private static final int MAX_TEXT_BYTES = 16 * 1024 * 1024;

    private final Map<String, Object> properties;

    private SpoolEnvelope(Map<String, Object> properties) {
        this.properties = Collections.unmodifiableMap(properties);
    }

    /** The envelope of {@code properties}; an {@link IllegalArgumentException} for a value of another type. */
    public static SpoolEnvelope of(Map<String, ?> properties) {
        Map<String, Object> sorted = new TreeMap<>();
        properties.forEach((name, value) -> {
            Objects.requireNonNull(name, "a property name");
            if (value == null) {
                return;
            }
            kindOf(name, value);
            sorted.put(name, value);
        });
        return new SpoolEnvelope(sorted);
    }

    /** Name to value (String, Long, Integer or Boolean), in ascending name order. */
    public Map<String, Object> properties() {
        return properties;
    }

    public byte[] encoded() {
        CborRecordWriter writer = CborRecordWriter.versioned(FORMAT_VERSION, 2, 256).text(CONTEXT)
            .array(properties.size());
        properties.forEach((name, value) -> {
            int kind = kindOf(name, value);
            writer.array(3).text(name).number(kind);
            switch (kind) {
                case 0 -> writer.text((String) value);
                case 1, 2 -> writer.number(((Number) value).longValue());
                default -> writer.bool((Boolean) value);
            }
            writer.end();
        });
        return writer.end().end().toBytes();
    }

    /** Decodes strictly; an {@link IllegalArgumentException} says why it is refused. */
    public static SpoolEnvelope decode(byte[] encoded) {
        return CborRecordReader.decodeCanonical(encoded, "spool envelope", SealedSpoolBody.failures("spool envelope"),
            SpoolEnvelope::read, SpoolEnvelope::encoded);
    }

    private static SpoolEnvelope read(CborRecordReader<IllegalArgumentException> reader) {
        SealedSpoolBody.beginRecord(reader, FORMAT_VERSION, "spool envelope", CONTEXT);
        Map<String, Object> properties = new TreeMap<>();
        for (Map.Entry<String, Object> property : reader.list(SpoolEnvelope::readProperty, MAX_PROPERTIES,
                "properties")) {
            properties.put(property.getKey(), property.getValue());
        }
        reader.endArray();
        return new SpoolEnvelope(properties);
    }

    private static Map.Entry<String, Object> readProperty(CborRecordReader<IllegalArgumentException> reader) {
        reader.beginArray();
        String name = reader.text(MAX_TEXT_BYTES);
        Object value = switch (reader.bounded("kind", 3)) {
            case 0 -> reader.text(MAX_TEXT_BYTES);
            case 1 -> reader.number();
            case 2 -> {
                long number = reader.number();
                if (number != (int) number) {
                    throw reader.malformed("the int property " + name + " is out of range: " + number);
                }
                yield (int) number;
            }
            default -> reader.bool("value");
        };
        reader.endArray();
        return Map.entry(name, value);
    }

    private static int kindOf(String name, Object value) {
        if (value instanceof String) {
            return 0;
        }
        if (value instanceof Long) {
            return 1;
        }
        if (value instanceof Integer) {
            return 2;
        }
        if (value instanceof Boolean) {
            return 3;
        }
        throw new IllegalArgumentException("cannot seal the spool property " + name + " of type "
            + value.getClass().getName());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SpoolEnvelope envelope && properties.equals(envelope.properties);
    }

    @Override
    public int hashCode() {
        return properties.hashCode();
    }

    @Override
    public String toString() {
        return "SpoolEnvelope[" + properties.size() + " properties]"; // never the values: they are what is sealed
    }
}
