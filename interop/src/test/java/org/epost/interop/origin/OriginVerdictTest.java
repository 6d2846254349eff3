package org.epost.interop.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class OriginVerdictTest {
    private static final OriginVerdict VERDICT = new OriginVerdict("peers.epost.invalid");
    private static final String RELAY = "relay-00ff@peers.epost.invalid";

    private static Origin of(String signer, String header) {
        return VERDICT.of(signer, (header + "\r\nSubject: s\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSignersOwnFromIsVerified() {
        assertThat(of("alice@epost.test", "From: Alice <alice@epost.test>"))
            .isEqualTo(Origin.verified("alice@epost.test"));
        assertThat(of("alice@epost.test", "from: ALICE@Epost.Test")).isEqualTo(Origin.verified("alice@epost.test"));
        assertThat(of("alice@epost.test", "From: =?UTF-8?Q?Al=C3=AFce?=\r\n <alice@epost.test>"))
            .isEqualTo(Origin.verified("alice@epost.test"));
    }

    @Test
    void everythingElseIsExternal() {
        assertThat(of(RELAY, "From: alice@epost.test")).isEqualTo(Origin.external());
        assertThat(of(RELAY, "From: " + RELAY)).isEqualTo(Origin.external());
        assertThat(of("alice@epost.test", "From: bob@epost.test")).isEqualTo(Origin.external());
        assertThat(of("alice@epost.test", "From: alice@epost.test, bob@epost.test")).isEqualTo(Origin.external());
        assertThat(of("alice@epost.test", "From: alice@epost.test\r\nFrom: alice@epost.test"))
            .isEqualTo(Origin.external());
        assertThat(of("alice@epost.test", "From: team: alice@epost.test;")).isEqualTo(Origin.external());
        assertThat(of("alice@epost.test", "From: <alice@epost.test")).isEqualTo(Origin.external());
        assertThat(of("alice@epost.test", "Sender: alice@epost.test")).isEqualTo(Origin.external());
    }
}
