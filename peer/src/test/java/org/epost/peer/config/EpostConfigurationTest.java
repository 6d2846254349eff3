package org.epost.peer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.epost.overlay.fair.FairLimits;
import org.epost.post.lease.LeaseConfig;
import org.junit.jupiter.api.Test;

class EpostConfigurationTest {
    private static final Path WORKING_DIRECTORY = Path.of("/srv/james");

    @Test
    void defaultsToTheHostNameAndVarEpost() throws Exception {
        EpostConfiguration configuration = EpostConfiguration.from(new BaseConfiguration(), WORKING_DIRECTORY, "mx1.example.org");

        assertThat(configuration.peerName()).isEqualTo("mx1.example.org");
        assertThat(configuration.dataDirectory()).isEqualTo(Path.of("/srv/james/var/epost"));
    }

    @Test
    void readsPeerNameAndResolvesARelativeDataDirectoryAgainstTheWorkingDirectory() throws Exception {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("peer.name", "peer7");
        properties.addProperty("data.dir", "state/../epost-data");

        EpostConfiguration configuration = EpostConfiguration.from(properties, WORKING_DIRECTORY, "ignored");

        assertThat(configuration.peerName()).isEqualTo("peer7");
        assertThat(configuration.dataDirectory()).isEqualTo(Path.of("/srv/james/epost-data"));
    }

    @Test
    void keepsAnAbsoluteDataDirectory() throws Exception {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("data.dir", "/data/epost");

        assertThat(EpostConfiguration.from(properties, WORKING_DIRECTORY, "p").dataDirectory()).isEqualTo(Path.of("/data/epost"));
    }

    @Test
    void refusesUnknownKeysNamingThem() {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("peer.nmae", "typo");

        assertThatThrownBy(() -> EpostConfiguration.from(properties, WORKING_DIRECTORY, "p"))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("peer.nmae")
            .hasMessageContaining("peer.name");
    }

    @Test
    void refusesAPeerNameThatIsNotAName() {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("peer.name", "peer 1/../x");

        assertThatThrownBy(() -> EpostConfiguration.from(properties, WORKING_DIRECTORY, "p"))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("peer.name");
    }

    @Test
    void refusesAnEmptyDataDirectory() {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("data.dir", " ");

        assertThatThrownBy(() -> EpostConfiguration.from(properties, WORKING_DIRECTORY, "p"))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("data.dir");
    }

    @Test
    void theOverlayIsOffUnlessEnabled() throws Exception {
        assertThat(EpostConfiguration.from(new BaseConfiguration(), WORKING_DIRECTORY, "p").overlay()).isEmpty();
    }

    @Test
    void readsTheOverlaySettings() throws Exception {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("overlay.enabled", "true");
        properties.addProperty("overlay.listen", "0.0.0.0:7650");
        properties.addProperty("overlay.address", "mx1.example.org:7650");
        properties.addProperty("overlay.bootstrap", "mx1.example.org:7650, mx2.example.org:7650");
        properties.addProperty("overlay.credentials.password", "secret");

        OverlaySettings overlay = EpostConfiguration.from(properties, WORKING_DIRECTORY, "p").overlay().orElseThrow();

        assertThat(overlay.listen().getPort()).isEqualTo(7650);
        assertThat(overlay.address()).isEqualTo("mx1.example.org:7650");
        assertThat(overlay.bootstrap()).containsExactly("mx1.example.org:7650", "mx2.example.org:7650");
        assertThat(overlay.credentials()).isEqualTo(Path.of("/srv/james/conf/epost-node.p12"));
        assertThat(overlay.leafSetSize()).isEqualTo(16);
        assertThat(overlay.linkBudgetBytes()).as("default budget of all links' backlogs").isEqualTo(256L << 20);

        properties.addProperty("overlay.links.budget", "64M");
        assertThat(EpostConfiguration.from(properties, WORKING_DIRECTORY, "p").overlay().orElseThrow().linkBudgetBytes())
            .isEqualTo(64L << 20);
        assertThat(overlay.inboundLinksPerNode()).as("default share of one node in the inbound links").isEqualTo(4);
        assertThat(overlay.pendingPerAddress()).as("default pending handshakes per address").isEqualTo(64);

        properties.addProperty("overlay.links.per-node", "2");
        properties.addProperty("overlay.links.pending-per-address", "16");
        OverlaySettings shares = EpostConfiguration.from(properties, WORKING_DIRECTORY, "p").overlay().orElseThrow();
        assertThat(shares.inboundLinksPerNode()).isEqualTo(2);
        assertThat(shares.pendingPerAddress()).isEqualTo(16);

        properties.setProperty("overlay.links.per-node", "0");
        assertThatThrownBy(() -> EpostConfiguration.from(properties, WORKING_DIRECTORY, "p"))
            .hasMessageContaining("overlay.links.per-node must be positive");
        assertThat(overlay.inboundLinks()).as("default inbound cap").isEqualTo(1_024);
        properties.setProperty("overlay.links.per-node", "2");
        properties.addProperty("overlay.links.inbound", "8");
        assertThat(EpostConfiguration.from(properties, WORKING_DIRECTORY, "p").overlay().orElseThrow().inboundLinks())
            .isEqualTo(8);

        assertThat(overlay.pastConfig().discoveryPaths()).as("default paths of a far replica-set discovery").isEqualTo(3);
        properties.addProperty("past.discovery-paths", "5");
        assertThat(EpostConfiguration.from(properties, WORKING_DIRECTORY, "p").overlay().orElseThrow().pastConfig()
            .discoveryPaths()).isEqualTo(5);
        properties.setProperty("past.discovery-paths", "0");
        assertThatThrownBy(() -> EpostConfiguration.from(properties, WORKING_DIRECTORY, "p"))
            .hasMessageContaining("past.discovery-paths must be positive");
    }

    @Test
    void fairnessLimitsDefaultToTheFormerConstantsAndAreRead() throws Exception {
        FairnessSettings defaults = EpostConfiguration.from(new BaseConfiguration(), WORKING_DIRECTORY, "p").fairness();
        assertThat(defaults.past()).isEqualTo(new FairLimits(4, 1 << 20, 16L << 20, 64L << 20, 512L << 20, 30_000));
        assertThat(defaults.post()).isEqualTo(new FairLimits(2, 1 << 20, 16L << 20, 64L << 20, 32L << 20, 3_000));

        BaseConfiguration properties = new BaseConfiguration();
        Map.of("past.fair.in-flight", "8", "past.fair.turn", "256K", "past.fair.queue-per-node", "32M",
            "past.fair.queue-total", "1G", "past.fair.bytes-per-minute", "2G", "past.fair.blocks-per-minute", "100000",
            "post.fair.in-flight", "3", "post.fair.queue-per-node", "8M", "post.fair.delegation-bytes-per-minute", "64M",
            "post.fair.delegations-per-minute", "500").forEach(properties::addProperty);
        FairnessSettings read = EpostConfiguration.from(properties, WORKING_DIRECTORY, "p").fairness();
        assertThat(read.past()).isEqualTo(new FairLimits(8, 256 << 10, 32L << 20, 1L << 30, 2L << 30, 100_000));
        assertThat(read.post()).isEqualTo(new FairLimits(3, 1 << 20, 8L << 20, 64L << 20, 64L << 20, 500));
    }

    @Test
    void theSearchCommitIntervalDefaultsToOneSecondIsReadAndMustBePositive() throws Exception {
        assertThat(EpostConfiguration.from(new BaseConfiguration(), WORKING_DIRECTORY, "p").search().commitInterval())
            .isEqualTo(Duration.ofSeconds(1));
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("search.commit-interval", "250ms");
        assertThat(EpostConfiguration.from(properties, WORKING_DIRECTORY, "p").search().commitInterval())
            .isEqualTo(Duration.ofMillis(250));
        for (String bad : new String[] {"0", "soon"}) {
            properties.setProperty("search.commit-interval", bad);
            assertThatThrownBy(() -> EpostConfiguration.from(properties, WORKING_DIRECTORY, "p"))
                .as(bad).isInstanceOf(ConfigurationException.class).hasMessageContaining("search.commit-interval");
        }
    }

    @Test
    void aWildcardListenAddressNeedsAnAdvertisedAddress() {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("overlay.enabled", "true");
        properties.addProperty("overlay.credentials.password", "secret");

        assertThatThrownBy(() -> EpostConfiguration.from(properties, WORKING_DIRECTORY, "p"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("overlay.address");
    }

    @Test
    void refusesBadOverlayAndFairnessValuesNamingTheKey() {
        for (String[] bad : new String[][] {{"overlay.bootstrap", "no-port"}, {"overlay.listen", "127.0.0.1:99999"},
            {"overlay.leafset.size", "7"}, {"overlay.links.budget", "lots"}, {"overlay.links.budget", "0"},
            {"overlay.links.inbound", "0"}, {"past.fair.in-flight", "0"}, {"past.fair.in-flight", "four"},
            {"past.fair.in-flight", "5000"}, {"past.fair.turn", "2G"}, {"past.fair.queue-per-node", "lots"},
            {"past.fair.queue-total", "1M"}, {"past.fair.bytes-per-minute", "0"}, {"past.fair.blocks-per-minute", "-1"},
            {"post.fair.in-flight", "0"}, {"post.fair.turn", "0"}, {"post.fair.queue-total", "8M"},
            {"post.fair.delegation-bytes-per-minute", "x"}, {"post.fair.delegations-per-minute", "0"}}) {
            BaseConfiguration properties = new BaseConfiguration();
            properties.addProperty("overlay.enabled", "true");
            properties.addProperty("overlay.listen", "127.0.0.1:7650");
            properties.addProperty("overlay.credentials.password", "secret");
            properties.setProperty(bad[0], bad[1]);

            assertThatThrownBy(() -> EpostConfiguration.from(properties, WORKING_DIRECTORY, "p"))
                .as(bad[0] + "=" + bad[1]).isInstanceOf(ConfigurationException.class).hasMessageContaining(bad[0]);
        }
    }

    @Test
    void theOverlayNeedsItsCredentialsPassword() {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("overlay.enabled", "true");
        properties.addProperty("overlay.listen", "127.0.0.1:7650");

        assertThatThrownBy(() -> EpostConfiguration.from(properties, WORKING_DIRECTORY, "p"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("overlay.credentials.password");
    }

    @Test
    void epostDomainsNeedTheOverlayAVaultSecretAndTheUserCaPassword() throws Exception {
        BaseConfiguration withoutOverlay = new BaseConfiguration();
        withoutOverlay.addProperty("post.domains", "epost.test");
        assertThatThrownBy(() -> EpostConfiguration.from(withoutOverlay, WORKING_DIRECTORY, "p"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("overlay.enabled");

        BaseConfiguration shortSecret = overlayEnabled();
        shortSecret.addProperty("post.domains", "epost.test");
        shortSecret.addProperty("post.authority.password", "pw");
        shortSecret.addProperty("post.vault.secret", java.util.Base64.getEncoder().encodeToString(new byte[16]));
        assertThatThrownBy(() -> EpostConfiguration.from(shortSecret, WORKING_DIRECTORY, "p"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("post.vault.secret");

        BaseConfiguration good = overlayEnabled();
        good.addProperty("post.domains", "EPOST.test, other.org");
        good.addProperty("post.authority.password", "pw");
        good.addProperty("post.vault.secret", java.util.Base64.getEncoder().encodeToString(new byte[32]));
        PostSettings post = EpostConfiguration.from(good, WORKING_DIRECTORY, "p").post().orElseThrow();
        assertThat(post.isEpostDomain("epost.test")).isTrue();
        assertThat(post.isEpostDomain("Other.Org")).isTrue();
        assertThat(post.isEpostDomain("localhost")).isFalse();
        assertThat(post.authority()).isEqualTo(Path.of("/srv/james/conf/epost-authority"));
    }

    @Test
    void deliveryKeysDefaultForMailAndAreCheckedWhenSet() throws Exception {
        DeliverySettings defaults = EpostConfiguration.from(new BaseConfiguration(), WORKING_DIRECTORY, "p").delivery();
        assertThat(defaults.receiptTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(defaults.notificationSettings().receiptTimeoutMillis()).isEqualTo(5_000);
        assertThat(defaults.partThreshold()).isEqualTo(16 * 1024);
        assertThat(defaults.delegateQuotaBytes()).isEqualTo(1L << 30);
        assertThat(defaults.maxHeaderBytes()).isEqualTo(256 * 1024);

        BaseConfiguration set = new BaseConfiguration();
        set.addProperty("post.notify.receipt.timeout", "2s");
        set.addProperty("post.notify.retry.interval", "30s");
        set.addProperty("post.notify.hold", "7d");
        set.addProperty("post.delivery.timeout", "1m");
        set.addProperty("post.message.part.threshold", "64K");
        set.addProperty("post.notify.delegate.quota", "256M");
        set.addProperty("post.message.header.limit", "100K");
        DeliverySettings delivery = EpostConfiguration.from(set, WORKING_DIRECTORY, "p").delivery();
        assertThat(delivery.notificationSettings().retryIntervalMillis()).isEqualTo(30_000);
        assertThat(delivery.notificationSettings().holdMillis()).isEqualTo(7L * 86_400_000);
        assertThat(delivery.deliveryTimeout()).isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(delivery.partThreshold()).isEqualTo(64 * 1024);
        assertThat(delivery.delegateQuotaBytes()).isEqualTo(256L << 20);
        assertThat(delivery.maxHeaderBytes()).isEqualTo(100 * 1024);

        for (String[] bad : new String[][] {{"post.notify.receipt.timeout", "soon"}, {"post.notify.hold", "0s"},
                {"post.message.part.threshold", "12"}, {"post.delivery.timeout", "3s"},
                {"post.notify.delegate.quota", "1M"}, {"post.notify.delegate.quota", "lots"},
                {"post.message.header.limit", "8K"}, {"post.message.header.limit", "257K"}}) {
            BaseConfiguration properties = new BaseConfiguration();
            properties.addProperty(bad[0], bad[1]);
            assertThatThrownBy(() -> EpostConfiguration.from(properties, WORKING_DIRECTORY, "p"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining(bad[0]);
        }
    }

    @Test
    void leasesDefaultToThirtyDaysRefreshedWeeklyAndPastTimersToTenMinutes() throws Exception {
        EpostConfiguration configuration = EpostConfiguration.from(overlayEnabled(), WORKING_DIRECTORY, "p");

        assertThat(configuration.lease().lease()).isEqualTo(Duration.ofDays(30));
        assertThat(configuration.lease().refreshInterval()).isEqualTo(Duration.ofDays(7));
        assertThat(configuration.lease().retryDelay()).isEqualTo(Duration.ofHours(1));
        assertThat(configuration.lease().maxInFlight()).isEqualTo(16);
        OverlaySettings overlay = configuration.overlay().orElseThrow();
        assertThat(overlay.storeConfig().clockSkewMillis()).isEqualTo(Duration.ofMinutes(10).toMillis());
        assertThat(overlay.pastConfig().maintenanceIntervalMillis()).isEqualTo(Duration.ofMinutes(10).toMillis());
    }

    @Test
    void readsLeaseAndPastTimersInJamesDurationSyntax() throws Exception {
        BaseConfiguration properties = overlayEnabled();
        properties.addProperty("post.lease.duration", "6s");
        properties.addProperty("post.lease.refresh-interval", "1500ms");
        properties.addProperty("post.lease.max-in-flight", "4");
        properties.addProperty("past.clock-skew", "0");
        properties.addProperty("past.maintenance-interval", "2 seconds");

        EpostConfiguration configuration = EpostConfiguration.from(properties, WORKING_DIRECTORY, "p");

        assertThat(configuration.lease().toLeaseConfig()).isEqualTo(new LeaseConfig(6_000, 1_500, 1_500, 4));
        assertThat(configuration.overlay().orElseThrow().storeConfig().clockSkewMillis()).isZero();
        assertThat(configuration.overlay().orElseThrow().pastConfig().maintenanceIntervalMillis()).isEqualTo(2_000);
    }

    @Test
    void refusesLeaseTimesThatWouldLetReferencedBlocksExpire() {
        assertRefused(Map.of("post.lease.duration", "7d"), "post.lease.refresh-interval");
        assertRefused(Map.of("post.lease.duration", "31d"), "at most 30 days");
        assertRefused(Map.of("post.lease.refresh-interval", "1h", "post.lease.retry-delay", "2h"),
            "post.lease.retry-delay");
        assertRefused(Map.of("post.lease.duration", "a month"), "post.lease.duration");
        assertRefused(Map.of("post.lease.refresh-interval", "0s"), "post.lease.refresh-interval");
        assertRefused(Map.of("post.lease.max-in-flight", "0"), "post.lease.max-in-flight");
        assertRefused(Map.of("past.maintenance-interval", "soon"), "past.maintenance-interval");
    }

    private static void assertRefused(Map<String, String> values, String message) {
        BaseConfiguration properties = overlayEnabled();
        values.forEach(properties::addProperty);
        assertThatThrownBy(() -> EpostConfiguration.from(properties, WORKING_DIRECTORY, "p"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining(message);
    }

    private static BaseConfiguration overlayEnabled() {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("overlay.enabled", "true");
        properties.addProperty("overlay.listen", "127.0.0.1:7650");
        properties.addProperty("overlay.credentials.password", "secret");
        return properties;
    }
}
