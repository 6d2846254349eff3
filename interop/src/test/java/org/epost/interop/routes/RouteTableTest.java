package org.epost.interop.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.epost.post.RecordEncodings;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static final Route LEGACY = Route.legacy("mail.example.com", 25, Route.Protocol.SMTP);
    private static final Route OTHER = Route.legacy("10.0.0.7", 24, Route.Protocol.LMTP);

    @Test
    void aUserRouteWinsOverTheDomainDefaultWhichWinsOverEpost() {
        RouteTable table = RouteTable.empty()
            .withDomain("Example.COM", Optional.of(LEGACY))
            .withUser("Moved@example.com", Optional.of(Route.epost()))
            .withUser("elsewhere@example.com", Optional.of(OTHER));

        assertThat(table.resolve("someone@EXAMPLE.com")).isEqualTo(new RouteTable.Resolved(LEGACY, RouteTable.Source.DOMAIN));
        assertThat(table.resolve("moved@example.com")).isEqualTo(new RouteTable.Resolved(Route.epost(), RouteTable.Source.USER));
        assertThat(table.routeOf("elsewhere@example.com")).isEqualTo(OTHER);
        assertThat(table.resolve("bob@other.org")).isEqualTo(new RouteTable.Resolved(Route.epost(), RouteTable.Source.DEFAULT));
        assertThat(table.withUser("moved@example.com", Optional.empty()).routeOf("moved@example.com")).isEqualTo(LEGACY);
        assertThat(table.withDomain("example.com", Optional.empty()).routeOf("someone@example.com")).isEqualTo(Route.epost());
    }

    @Test
    void routesAreValidated() {
        assertThatThrownBy(() -> Route.legacy("", 25, Route.Protocol.SMTP)).hasMessageContaining("not a host");
        assertThatThrownBy(() -> Route.legacy("mx", 0, Route.Protocol.SMTP)).hasMessageContaining("port must be");
        assertThatThrownBy(() -> Route.legacy("mx\r\nRCPT", 25, Route.Protocol.SMTP)).hasMessageContaining("not a host");
        assertThatThrownBy(() -> RouteTable.empty().withUser("nobody", Optional.of(LEGACY)))
            .hasMessageContaining("not a mail address");
        assertThat(OTHER.toString()).isEqualTo("lmtp://10.0.0.7:24");
    }

    @Test
    void theCodecRoundTripsAndRefusesEverythingElse() {
        RouteTable table = RouteTable.empty().withDomain("example.com", Optional.of(LEGACY))
            .withUser("b@example.com", Optional.of(OTHER)).withUser("a@example.com", Optional.of(Route.epost()));
        byte[] encoded = RouteTableCodec.encode(table);

        assertThat(RouteTableCodec.decode(encoded)).isEqualTo(table);
        assertThat(RouteTableCodec.decode(RouteTableCodec.encode(RouteTable.empty()))).isEqualTo(RouteTable.empty());
        for (byte[] malformed : RecordEncodings.malformed(encoded)) {
            assertThatThrownBy(() -> RouteTableCodec.decode(malformed)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
