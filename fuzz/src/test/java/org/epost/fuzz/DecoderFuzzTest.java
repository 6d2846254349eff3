package org.epost.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Every static decoder ({@link Decoders}) on fuzzed bytes: the first bytes pick the decoder and its limits, the rest
 * is the input. {@code mvn verify} replays the stored corpus ({@code DecoderFuzzTestInputs/}); a fuzzing run:
 * {@code JAZZER_FUZZ=1 mvn -o test -pl fuzz -Dtest=DecoderFuzzTest#everyDecoder}.
 */
class DecoderFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void everyDecoder(FuzzedDataProvider data) throws Throwable {
        List<Decoders.Decoder> decoders = Decoders.all();
        decoders.get(data.consumeInt(0, decoders.size() - 1)).call(data);
    }

    @Test
    void theHarnessFindsTheDecodersOfEveryModule() {
        List<String> names = Decoders.all().stream().map(Decoders.Decoder::name).toList();
        assertThat(names).contains(
            "org.epost.overlay.past.block.BlockCodec.decode",
            "org.epost.overlay.past.store.EntryMeta.decode",
            "org.epost.durability.fragment.Fragment.decode",
            "org.epost.durability.fragment.FragmentManifest.decode",
            "org.epost.durability.aggregate.Aggregate.decode",
            "org.epost.post.notify.Notification.decode",
            "org.epost.post.notify.NotificationCrypto.openPlaintext",
            "org.epost.post.notify.Refusal.decode",
            "org.epost.post.store.PartReference.decode",
            "org.epost.post.store.Manifest.decode",
            "org.epost.post.message.MessageSkeleton.decode",
            "org.epost.post.log.Cluster.decode",
            "org.epost.mailbox.model.MimeStructure.decode",
            "org.epost.interop.routes.RouteTableCodec.decode");
        assertThat(names.size()).isGreaterThanOrEqualTo(25);
        System.out.println("[fuzz] " + names.size() + " decoders: " + names);
    }

    @Test
    void aDecoderThatFailsUncleanlyIsAFinding() throws Throwable {
        Decoders.Decoder crashing = new Decoders.Decoder(DecoderFuzzTest.class.getDeclaredMethod("crashes",
            byte[].class));
        assertThatThrownBy(() -> crashing.invoke((Object) new byte[] {1}))
            .isInstanceOf(AssertionError.class).hasMessageContaining("NullPointerException");
        Decoders.Decoder rejecting = new Decoders.Decoder(DecoderFuzzTest.class.getDeclaredMethod("rejects",
            byte[].class));
        rejecting.invoke((Object) new byte[] {1});
    }

    static Object rejects(byte[] bytes) {
        throw new IllegalArgumentException("malformed: a clean rejection");
    }

    static Object crashes(byte[] bytes) {
        throw new NullPointerException("a finding");
    }
}
