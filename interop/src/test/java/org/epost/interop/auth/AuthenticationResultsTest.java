package org.epost.interop.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class AuthenticationResultsTest {
    private final AuthenticationResults results = new AuthenticationResults("mx1.example.org");

    @Test
    void recordsTheVerdictsOfJamesMailets() {
        assertThat(results.value(Optional.of("pass"), Optional.of("a@example.com"),
            Optional.of("pass (identity @example.com)")))
            .isEqualTo("mx1.example.org; spf=pass smtp.mailfrom=a@example.com; dkim=pass (identity @example.com)");
        assertThat(results.value(Optional.of("softfail"), Optional.empty(), Optional.of("neutral (no signatures)")))
            .isEqualTo("mx1.example.org; spf=softfail; dkim=none (no signatures)");
        assertThat(results.value(Optional.empty(), Optional.of("a@example.com"), Optional.empty()))
            .isEqualTo("mx1.example.org; spf=none (not checked: the client is in a network the SPF check ignores);"
                + " dkim=none (not checked)");
    }

    @Test
    void neverCopiesAnythingThatCouldEndTheFieldOrForgeAResult() {
        String value = results.value(Optional.of("pass; dkim=pass"), Optional.of("a;b@example.com"),
            Optional.of("fail (bad\r\nX-Evil: 1; dkim=pass)"));
        assertThat(value).doesNotContain("\r", "\n", "X-Evil: 1;", "a;b")
            .isEqualTo("mx1.example.org; spf=none (not checked: the client is in a network the SPF check ignores);"
                + " dkim=fail (bad  X-Evil: 1  dkim=pass)");
    }

    @Test
    void recognisesHeadersClaimingToBeOurs() {
        assertThat(results.claimsToBeOurs("mx1.example.org; spf=pass")).isTrue();
        assertThat(results.claimsToBeOurs(" MX1.Example.Org 1; dkim=pass")).isTrue();
        assertThat(results.claimsToBeOurs("(comment) mx1.example.org; none")).isTrue();
        assertThat(results.claimsToBeOurs("mx.other.org; spf=pass")).isFalse();
        assertThat(results.claimsToBeOurs("mx1.example.org.evil; spf=pass")).isFalse();
    }
}
