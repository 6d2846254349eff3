package org.epost.overlay.wire;

import java.io.IOException;

import org.epost.overlay.api.Message;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    public byte[] encode(Object message) {
        String name = types.name(message.getClass())
            .orElseThrow(() -> new IllegalArgumentException(message.getClass().getName() + " is not a registered message type"));
        ObjectNode envelope = mapper.createObjectNode();
        envelope.put(TYPE, name);
        envelope.set(MESSAGE, mapper.valueToTree(message));
        try {
            return mapper.writeValueAsBytes(envelope);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode " + name, e);
        }
    }

    public Object decode(byte[] bytes) throws MalformedMessageException {
        JsonNode envelope;
        try {
            envelope = mapper.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedMessageException("not CBOR: " + e.getMessage(), e);
        }
        if (envelope == null || !envelope.isObject() || envelope.size() != 2
            || !envelope.path(TYPE).isTextual() || !envelope.has(MESSAGE)) {
            throw new MalformedMessageException("not a message envelope");
        }
        String name = envelope.get(TYPE).asText();
        Class<?> type = types.type(name).orElseThrow(() -> new MalformedMessageException("unknown message type '" + name + "'"));
        try {
            Object message = mapper.treeToValue(envelope.get(MESSAGE), type);
            if (message == null) {
                throw new MalformedMessageException("empty " + name);
            }
            return message;
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedMessageException("bad " + name + ": " + e.getMessage(), e);
        }
    }
}
