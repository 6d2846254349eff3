package org.epost.spam.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Block list entries, matching, and its one canonical encoding. */
class BlockListTest {
    @Test
    void anAddressBlocksThatSenderVerifiedOrNotAndADomainOnlyExternalMail() {
        BlockList list = BlockList.of(List.of("Mallory@Evil.example", "@spam.example"));

        assertThat(list.blocks(Sender.verified("mallory@evil.example"))).isTrue();
        assertThat(list.blocks(Sender.external("MALLORY@evil.example"))).isTrue();
        assertThat(list.blocks(Sender.external("anyone@spam.example"))).isTrue();
        assertThat(list.blocks(Sender.verified("carol@spam.example"))).isFalse();
        assertThat(list.blocks(Sender.verified("alice@evil.example"))).isFalse();
    }

    @Test
    void entriesAreAddedAndRemovedWithoutChangingTheOriginal() {
        BlockList empty = BlockList.EMPTY;
        BlockList one = empty.with("bob@x.example");

        assertThat(empty.entries()).isEmpty();
        assertThat(one.entries()).containsExactly("bob@x.example");
        assertThat(one.with("BOB@x.example")).isEqualTo(one);
        assertThat(one.without("bob@X.example")).isEqualTo(empty);
    }

    @Test
    void theListHasOneEncoding() {
        BlockList list = BlockList.of(List.of("b@x", "@d"));
        // [1, ["@d", "b@x"]]
        assertThat(list.encode()).containsExactly(0x82, 0x01, 0x82, 0x62, '@', 'd', 0x63, 'b', '@', 'x');
        assertThat(BlockList.decode(list.encode())).isEqualTo(list);
    }

    @Test
    void badEntriesAndBadBytesAreRefused() {
        assertThatThrownBy(() -> BlockList.of(List.of("no-at-sign"))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not a mail address");
        assertThatThrownBy(() -> BlockList.of(List.of("@"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlockList.of(List.of("a b@c"))).isInstanceOf(IllegalArgumentException.class);
        // unsorted
        assertThatThrownBy(() -> BlockList.decode(new byte[] {(byte) 0x82, 0x01, (byte) 0x82, 0x63, 'b', '@', 'x', 0x62,
            '@', 'd'})).isInstanceOf(SpamFormatException.class).hasMessageContaining("canonical");
        // another version
        assertThatThrownBy(() -> BlockList.decode(new byte[] {(byte) 0x82, 0x02, (byte) 0x80}))
            .isInstanceOf(SpamFormatException.class).hasMessageContaining("version 2");
        // an entry that is no address
        assertThatThrownBy(() -> BlockList.decode(new byte[] {(byte) 0x82, 0x01, (byte) 0x81, 0x61, 'x'}))
            .isInstanceOf(SpamFormatException.class).hasMessageContaining("not a mail address");
    }
}
