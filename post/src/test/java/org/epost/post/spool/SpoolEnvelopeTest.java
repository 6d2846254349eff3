package org.epost.post.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.epost.post.RecordEncodings;
import org.junit.jupiter.api.Test;

/** The sealed spool envelope's canonical codec. */
class SpoolEnvelopeTest {
    private static Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("JAMES_MAIL_RECIPIENTS", "bob@epost.test;carol@example.org");
        properties.put("JAMES_MAIL_SENDER", "alice@epost.test");
        properties.put("JAMES_MAIL_MESSAGE_SIZE", 1234L);
        properties.put("JAMES_NEXT_DELIVERY", 0L);
        properties.put("retries", 3);
        properties.put("flag", true);
        properties.put("JAMES_MAIL_ERROR_MESSAGE", null);
        return properties;
    }

    @Test
    void anEnvelopeDecodesToTheSamePropertiesWithTheirTypesAndNullsLeftOut() {
        SpoolEnvelope envelope = SpoolEnvelope.of(properties());

        SpoolEnvelope decoded = SpoolEnvelope.decode(envelope.encoded());

        assertThat(decoded).isEqualTo(envelope);
        assertThat(decoded.properties()).containsEntry("JAMES_MAIL_MESSAGE_SIZE", 1234L).containsEntry("retries", 3)
            .containsEntry("flag", true).containsEntry("JAMES_MAIL_SENDER", "alice@epost.test")
            .doesNotContainKey("JAMES_MAIL_ERROR_MESSAGE").hasSize(6);
        assertThat(decoded.toString()).doesNotContain("alice");
    }

    @Test
    void malformedEnvelopesAndUnsupportedTypesAreRefused() {
        for (byte[] bad : RecordEncodings.malformed(SpoolEnvelope.of(properties()).encoded())) {
            assertThatThrownBy(() -> SpoolEnvelope.decode(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SpoolEnvelope.of(Map.of("when", new java.util.Date())))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot seal the spool property when");
    }
}
