package org.epost.overlay.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.epost.overlay.api.Message;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

/**
 * One message to and from CBOR: a two-entry map {@code {"t": name, "m": fields}} where the name comes from
 * {@link MessageTypes} and the fields are the message record's components. Unknown names, unknown fields, missing
 * fields and trailing bytes are all rejected as malformed: the schema is the record, and nothing else is accepted.
 * The registry is read when the codec is built: register every type first.
 */
public final class CborMessageCodec {
    private static final String TYPE = "t";
    private static final String MESSAGE = "m";

    private final MessageTypes types;
    private final ObjectMapper mapper;
    private final ObjectWriter writer;
    /** One reader per registered type, made on first use (Jackson readers are immutable and thread-safe). */
    private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();

    public CborMessageCodec(MessageTypes types) {
        this.types = types;
        this.mapper = new ObjectMapper(new CBORFactory())
            .registerModule(new OverlayJacksonModule())
            .addMixIn(Message.class, PolymorphicMessage.class)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        registerPayloadTypes();
        this.writer = mapper.writer();
    }

    /**
     * Application payloads travel inside overlay messages as fields of the interface type {@link Message}; they are
     * written with their registered name so the other side can rebuild them, and only registered names are accepted.
     */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_ARRAY)
    private interface PolymorphicMessage {
    }

    private void registerPayloadTypes() {
        types.all().forEach((name, type) -> {
            if (Message.class.isAssignableFrom(type)) {
                mapper.registerSubtypes(new NamedType(type, name));
            }
        });
    }

    /** The message's envelope as bytes; see {@link #encode(Object, OutputStream)}. */
    public byte[] encode(Object message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        encode(message, bytes);
        return bytes.toByteArray();
    }

    /**
     * Writes the message's envelope to {@code out}, streamed: the fields go straight from the record to the bytes,
     * with no tree in between (which cost a token buffer, a node per field and a copy of every byte string, block
     * contents included, for each message sent).
     */
    public void encode(Object message, OutputStream out) {
        String name = types.name(message.getClass())
            .orElseThrow(() -> new IllegalArgumentException(message.getClass().getName() + " is not a registered message type"));
        try (JsonGenerator generator = mapper.getFactory().createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringField(TYPE, name);
            generator.writeFieldName(MESSAGE);
            writer.writeValue(generator, message);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode " + name, e);
        }
    }

    /**
     * The message in {@code bytes}, read in one pass: the envelope's type name first, then its fields straight into
     * the registered record. Anything else (another shape of envelope, an unknown name, bad fields, trailing bytes)
     * is a {@link MalformedMessageException}.
     */
    public Object decode(byte[] bytes) throws MalformedMessageException {
        return decode(bytes, 0, bytes.length);
    }

    /** As {@link #decode(byte[])}, of {@code length} bytes from {@code offset}. */
    public Object decode(byte[] bytes, int offset, int length) throws MalformedMessageException {
        String name = null;
        try (JsonParser in = mapper.getFactory().createParser(bytes, offset, length)) {
            expect(in.nextToken() == JsonToken.START_OBJECT);
            Class<?> type = null;
            Object message = null;
            JsonNode early = null;
            boolean read = false;
            for (int field = 0; field < 2; field++) {
                expect(in.nextToken() == JsonToken.FIELD_NAME);
                if (TYPE.equals(in.currentName()) && name == null) {
                    expect(in.nextToken() == JsonToken.VALUE_STRING);
                    name = in.getText();
                    type = typeNamed(name);
                } else if (MESSAGE.equals(in.currentName()) && !read) {
                    in.nextToken();
                    read = true;
                    if (type != null) {
                        message = readerFor(type).readValue(in);
                    } else {
                        // Written with its fields before its name (every encoder writes the name first): the rare
                        // envelope read as a tree, bound once the name is known.
                        early = readerFor(JsonNode.class).readTree(in);
                    }
                } else {
                    expect(false);
                }
            }
            if (early != null) {
                message = readerFor(type).readValue(early);
            }
            if (message == null) {
                throw new MalformedMessageException("empty " + name);
            }
            expect(in.nextToken() == JsonToken.END_OBJECT);
            if (in.nextToken() != null) {
                throw new MalformedMessageException("trailing bytes after " + name);
            }
            return message;
        } catch (StreamReadException e) {
            throw new MalformedMessageException(name == null ? "not CBOR: " + e.getMessage()
                : "bad " + name + ": " + e.getMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedMessageException(name == null ? "not a message envelope: " + e.getMessage()
                : "bad " + name + ": " + e.getMessage(), e);
        }
    }

    private Class<?> typeNamed(String name) throws MalformedMessageException {
        return types.type(name).orElseThrow(() -> new MalformedMessageException("unknown message type '" + name + "'"));
    }

    /**
     * The reader of one registered type, made on first use; the envelope's end and what follows it are checked after
     * the message, not by the message's reader.
     */
    private ObjectReader readerFor(Class<?> type) {
        return readers.computeIfAbsent(type,
            registered -> mapper.readerFor(registered).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
    }

    private static void expect(boolean envelope) throws MalformedMessageException {
        if (!envelope) {
            throw new MalformedMessageException("not a message envelope");
        }
    }
}
