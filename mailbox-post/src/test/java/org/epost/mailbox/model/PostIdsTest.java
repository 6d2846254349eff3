package org.epost.mailbox.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.james.core.Username;
import org.apache.james.mailbox.model.MessageId;
import org.junit.jupiter.api.Test;

class PostIdsTest {
    @Test
    void mailboxIdsRoundTripAndUseOnlyJmapIdCharacters() {
        PostMailboxId id = new PostMailboxId(Username.of("Ünïcode.user+tag@epost.test"), FolderId.random());

        String serialized = id.serialize();

        assertThat(serialized).matches("[A-Za-z0-9_-]+");
        // James's Lucene index stores mailbox ids upper-cased and searches with them as serialized
        assertThat(serialized).isEqualTo(serialized.toUpperCase(java.util.Locale.ROOT));
        assertThat(new PostMailboxId.Factory().fromString(serialized)).isEqualTo(id);
    }

    @Test
    void malformedMailboxIdsAreRefused() {
        String valid = new PostMailboxId(Username.of("alice"), FolderId.random()).serialize();

        assertThatThrownBy(() -> PostMailboxId.parse("42")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostMailboxId.parse(valid.toLowerCase())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostMailboxId.parse(valid + "=")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostMailboxId.parse(valid.substring(0, 32) + "-"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messageIdsAreRandomSerializableAndRoundTrip() {
        PostMessageId.Factory factory = new PostMessageId.Factory();
        MessageId one = factory.generate();
        MessageId two = factory.generate();

        assertThat(one).isNotEqualTo(two);
        assertThat(one.isSerializable()).isTrue();
        assertThat(one.serialize()).matches("[0-9a-f]{32}");
        assertThat(factory.fromString(one.serialize())).isEqualTo(one);
        assertThatThrownBy(() -> factory.fromString("not-an-id")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> factory.fromString(one.serialize().toUpperCase()))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
