package org.epost.peer.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;

import javax.inject.Singleton;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.SubscriptionManager;
import org.apache.james.server.task.json.dto.AdditionalInformationDTO;
import org.apache.james.server.task.json.dto.AdditionalInformationDTOModule;
import org.apache.james.task.TaskExecutionDetails;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.dto.DTOModuleInjections;
import org.epost.interop.migration.Migrations;
import org.epost.interop.relay.LegacyRecipientVerifier;
import org.epost.interop.relay.LegacyRelayClient;
import org.epost.interop.routes.RouteStore;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.webadmin.EpostMigrationRoutes;
import org.epost.peer.webadmin.EpostRouteRoutes;
import org.epost.peer.webadmin.MigrationDetailsDTO;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.name.Names;

/**
 * Split delivery and migration on a peer: the route table in {@code data.dir/routes} (read by the SMTP hooks through
 * {@code PostGateway} and by the {@code LegacyRelay} mailet), the migration service (progress logs in
 * {@code data.dir/migrations}), their WebAdmin routes, and the display of a migration's progress in James's
 * {@code /tasks} routes.
 */
public class EpostInteropModule extends AbstractModule {

    @Override
    protected void configure() {
        Multibinder<Routes> routes = Multibinder.newSetBinder(binder(), Routes.class);
        routes.addBinding().to(EpostRouteRoutes.class);
        routes.addBinding().to(EpostMigrationRoutes.class);
        Multibinder.newSetBinder(binder(),
                new TypeLiteral<AdditionalInformationDTOModule<? extends TaskExecutionDetails.AdditionalInformation,
                    ? extends AdditionalInformationDTO>>() { },
                Names.named(DTOModuleInjections.WEBADMIN_DTO))
            .addBinding().toInstance(MigrationDetailsDTO.MODULE);
    }

    @Provides
    @Singleton
    RouteStore routeStore(EpostConfiguration configuration) {
        try {
            return RouteStore.open(configuration.dataDirectory().resolve("routes"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asks the legacy server about a recipient at RCPT time; 10 s per probe, as a client waits for RCPT anyway. */
    @Provides
    @Singleton
    LegacyRecipientVerifier legacyRecipientVerifier(EpostConfiguration configuration) {
        return new LegacyRecipientVerifier(new LegacyRelayClient(Duration.ofSeconds(10), configuration.peerName()),
            Clock.systemUTC());
    }

    @Provides
    @Singleton
    Migrations migrations(MailboxManager mailboxes, SubscriptionManager subscriptions, RouteStore routes,
                          EpostConfiguration configuration) {
        return new Migrations(mailboxes, subscriptions, routes, configuration.dataDirectory().resolve("migrations"),
            Clock.systemUTC());
    }
}
