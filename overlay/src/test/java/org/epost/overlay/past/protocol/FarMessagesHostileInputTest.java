package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.protocol.messages.ClosestReply;
import org.epost.overlay.past.protocol.messages.ClosestRequest;
import org.epost.overlay.past.protocol.messages.HoldCheck;
import org.epost.overlay.past.protocol.messages.HoldConfirm;
import org.epost.overlay.past.protocol.messages.LeaseCheck;
import org.epost.overlay.past.protocol.messages.LeaseConfirm;
import org.epost.overlay.wire.CborMessageCodec;
import org.epost.overlay.wire.MalformedMessageException;
import org.epost.overlay.wire.MessageTypes;
import org.junit.jupiter.api.Test;

/**
 * The replica-set discovery and hold-confirmation messages off the wire: every truncation of a valid encoding and a
 * node handle without an address are refused as malformed, never decoded into something else.
 */
class FarMessagesHostileInputTest {
    private static final NodeHandle NODE = new NodeHandle(Id.hash("node"), "10.0.0.1:4000");
    private static final CborMessageCodec CODEC = new CborMessageCodec(PastMessageTypes.register(new MessageTypes()));

    private static final List<Message> SAMPLES = List.of(
            new ClosestRequest(1, NODE, Id.hash("key"), 5),
            ClosestReply.of(2, NODE, Id.hash("key"), List.of(NODE, new NodeHandle(Id.hash("other"), "10.0.0.2:4000"))),
            new HoldCheck(3, NODE, Id.hash("key"), 1, new byte[32], 1234),
            new HoldConfirm(4, 1234),
            new LeaseCheck(5, NODE, List.of(new LeaseCheck.Lease(Id.hash("key"), 1, 1234))),
            new LeaseConfirm(6, List.of(1234L)));

    @Test
    void everyTruncatedEncodingIsRefused() {
        for (Message sample : SAMPLES) {
            byte[] encoded = CODEC.encode(sample);
            for (int length = 0; length < encoded.length; length++) {
                byte[] truncated = Arrays.copyOf(encoded, length);
                assertThatThrownBy(() -> CODEC.decode(truncated)).as("%s cut at %d", sample, length)
                        .isInstanceOf(MalformedMessageException.class);
            }
        }
    }

    @Test
    void aNamedNodeWithoutAnAddressIsRefused() throws MalformedMessageException {
        ClosestReply reply = ClosestReply.of(2, new NodeHandle(Id.hash("answerer"), "10.0.0.9:4000"), Id.hash("key"),
                List.of(NODE));
        byte[] encoded = CODEC.encode(reply);
        assertThat(CODEC.decode(encoded)).usingRecursiveComparison().isEqualTo(reply);
        // the address "10.0.0.1:4000" as a CBOR text string, replaced by a CBOR null and padding the decoder must reject
        byte[] address = "10.0.0.1:4000".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int at = indexOf(encoded, address) - 1;
        assertThat(at).isPositive();
        byte[] garbled = encoded.clone();
        garbled[at] = (byte) 0xf6;
        assertThatThrownBy(() -> CODEC.decode(garbled)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void aClosestAnswerOfTheFirstFormatOrWithoutItsAnswererOrKeyIsRefused() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper cbor = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.cbor.CBORFactory());
        java.util.Map<String, Object> first = new java.util.LinkedHashMap<>();
        first.put("requestId", 2);
        first.put("closest", List.of());
        byte[] firstFormat = cbor.writeValueAsBytes(java.util.Map.of("t", "past.closest-reply", "m", List.of("past.closest-reply", first)));
        assertThatThrownBy(() -> CODEC.decode(firstFormat)).as("the first format")
                .isInstanceOf(MalformedMessageException.class);
        java.util.Map<String, Object> complete = new java.util.LinkedHashMap<>(first);
        complete.put("version", ClosestReply.VERSION);
        complete.put("answerer", cbor.readTree(CODEC.encode(new ClosestRequest(1, NODE, Id.hash("key"), 5)))
                .path("m").path(1).path("client"));
        complete.put("key", cbor.readTree(CODEC.encode(new ClosestRequest(1, NODE, Id.hash("key"), 5)))
                .path("m").path(1).path("key"));
        assertThat(CODEC.decode(cbor.writeValueAsBytes(java.util.Map.of("t", "past.closest-reply", "m", List.of("past.closest-reply", complete)))))
                .as("the fields of this version").usingRecursiveComparison()
                .isEqualTo(ClosestReply.of(2, NODE, Id.hash("key"), List.of()));
        for (String field : List.of("version", "answerer", "key")) {
            java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>(complete);
            fields.remove(field);
            byte[] without = cbor.writeValueAsBytes(java.util.Map.of("t", "past.closest-reply", "m", List.of("past.closest-reply", fields)));
            assertThatThrownBy(() -> CODEC.decode(without)).as("without its %s", field)
                    .isInstanceOf(MalformedMessageException.class);
        }
    }

    @Test
    void aLeaseCheckCarriesOneToAFullBatchOfLeasesInBoundedBytes() throws MalformedMessageException {
        LeaseCheck.Lease lease = new LeaseCheck.Lease(Id.hash("key"), 1, Long.MAX_VALUE);
        LeaseCheck full = new LeaseCheck(7, NODE, java.util.Collections.nCopies(LeaseCheck.MAX_LEASES, lease));
        byte[] encoded = CODEC.encode(full);
        assertThat(encoded.length).as("a full batch's bytes").isLessThanOrEqualTo(48 * 1024);
        assertThat(CODEC.decode(encoded)).usingRecursiveComparison().isEqualTo(full);

        LeaseCheck one = new LeaseCheck(7, NODE, List.of(lease));
        byte[] empty = CODEC.encode(one).clone();
        // the list's one-entry array header (0x81) turned into an empty array, its entry left as trailing bytes
        int at = indexOf(empty, new byte[] {(byte) 0x81, (byte) 0xbf});
        assertThat(at).isPositive();
        empty[at] = (byte) 0x80;
        assertThatThrownBy(() -> CODEC.decode(empty)).isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> new LeaseCheck(7, NODE, java.util.Collections.nCopies(LeaseCheck.MAX_LEASES + 1,
                lease))).isInstanceOf(IllegalArgumentException.class);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(haystack, i, i + needle.length), needle)) {
                return i;
            }
        }
        return -1;
    }
}
