package org.epost.overlay.wire;

import java.io.IOException;

import org.epost.overlay.id.Id;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

/** How overlay value types appear in CBOR: an {@link Id} is its 20 raw bytes. Keeps Jackson out of the value types. */
public final class OverlayJacksonModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    public OverlayJacksonModule() {
        super("epost-overlay");
        addSerializer(Id.class, new JsonSerializer<>() {
            @Override
            public void serialize(Id id, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeBinary(id.toBytes());
            }
        });
        addDeserializer(Id.class, new JsonDeserializer<>() {
            @Override
            public Id deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                byte[] bytes = parser.getBinaryValue();
                if (bytes == null || bytes.length != Id.BYTES) {
                    throw context.weirdStringException(String.valueOf(bytes == null ? 0 : bytes.length), Id.class,
                        "an id is " + Id.BYTES + " bytes");
                }
                return Id.of(bytes);
            }
        });
    }
}
